"""What every command needs: the project, its settings, and a database URL (starting the embedded cluster)."""

from __future__ import annotations

import atexit
import os
from dataclasses import dataclass

from tandem.cli.console import fail, problem, step
from tandem.db.embedded import EmbeddedPostgres, EmbeddedPostgresError
from tandem.project import Project, ProjectError
from tandem.settings import SettingsError, TandemSettings, load_settings


@dataclass
class Runtime:
    project: Project
    settings: TandemSettings


def load_runtime() -> Runtime:
    try:
        project = Project.find()
    except ProjectError as exc:
        fail(str(exc))
    os.chdir(project.root)
    try:
        settings_class: type[TandemSettings] = project.load("settings")
        settings = load_settings(settings_class)
    except SettingsError as exc:
        for each in exc.problems:
            problem(str(each))
        fail(f"{len(exc.problems)} setting(s) need attention (see .env.example)")
    return Runtime(project, settings)


def database_url(runtime: Runtime) -> str:
    """The configured `DATABASE_URL`, or the embedded cluster's (started if needed) outside production.

    A cluster this command started is stopped when the command exits.
    """
    if runtime.settings.database_url:
        return runtime.settings.database_url
    if runtime.settings.is_production:
        fail("DATABASE_URL: is not set — production needs an external PostgreSQL")
    cluster = EmbeddedPostgres(root=runtime.project.state_dir / "pg", database="tandem")
    was_running = cluster.is_running()
    try:
        url = cluster.start(on_progress=step)
    except EmbeddedPostgresError as exc:
        fail(f"embedded PostgreSQL: {exc}")
    if not was_running:
        atexit.register(cluster.stop)
    os.environ["DATABASE_URL"] = url
    return url
