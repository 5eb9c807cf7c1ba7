"""`tandem check`: is this environment ready to serve? Settings, database, migrations, SPA build."""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import asdict, dataclass

import click
import orjson

from tandem.cli.console import ok, problem
from tandem.cli.web import build_state
from tandem.db import Database, DatabaseUnavailable
from tandem.project import Project, ProjectError
from tandem.settings import SettingsError, TandemSettings, load_settings


@dataclass
class Result:
    name: str
    ok: bool
    detail: str


async def _database_checks(project: Project, url: str) -> list[Result]:
    database = Database(url, acquire_timeout=3)
    results: list[Result] = []
    try:
        await database.connect()
        latency = await database.ping(timeout=3)
        results.append(Result("database", True, f"connected in {latency:.1f} ms"))
    except (DatabaseUnavailable, OSError) as exc:
        return [Result("database", False, f"unreachable: {exc}")]
    finally:
        await database.close()
    try:
        from tandem.db import migrations

        status = await migrations.status(project.migrations_dir, url)
        detail = (
            f"at {status.current}"
            if status.up_to_date
            else f"{len(status.pending)} pending: run `tandem db migrate`"
        )
        results.append(Result("migrations", status.up_to_date, detail))
    except Exception as exc:
        results.append(Result("migrations", False, f"could not read: {exc}"))
    return results


def run_checks(project: Project, settings_class: type[TandemSettings]) -> list[Result]:
    results: list[Result] = []
    settings: TandemSettings | None = None
    try:
        settings = load_settings(settings_class)
        results.append(Result("environment", True, f"{settings.app_env} settings are valid"))
    except SettingsError as exc:
        results.extend(Result("environment", False, str(p)) for p in exc.problems)
    url = (settings.database_url if settings else None) or os.environ.get("DATABASE_URL")
    if url:
        results.extend(asyncio.run(_database_checks(project, url)))
    else:
        cluster_running = (project.state_dir / "pg" / "data" / "postmaster.pid").exists()
        results.append(
            Result(
                "database",
                not (settings and settings.is_production),
                "DATABASE_URL unset: development uses the embedded PostgreSQL"
                + (" (running)" if cluster_running else " (started by `tandem start`)"),
            )
        )
    reason = build_state(project.web_dir)
    results.append(
        Result(
            "spa build",
            reason is None,
            "apps/web/dist is present and fresh"
            if reason is None
            else f"the build is {reason}: run `tandem build`",
        )
    )
    return results


@click.command()
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
def check(as_json: bool) -> None:
    """Validate the environment, the database connection, migrations and the SPA build."""
    try:
        project = Project.find()
    except ProjectError as exc:
        problem(str(exc), sys.stdout)
        sys.exit(1)
    os.chdir(project.root)
    results = run_checks(project, project.load("settings"))
    passed = all(r.ok for r in results)
    if as_json:
        print(orjson.dumps({"ok": passed, "checks": [asdict(r) for r in results]}).decode())
    else:
        for r in results:
            if r.ok:
                ok(f"{r.name}: {r.detail}")
            else:
                problem(f"{r.name}: {r.detail}", sys.stdout)
    sys.exit(0 if passed else 1)
