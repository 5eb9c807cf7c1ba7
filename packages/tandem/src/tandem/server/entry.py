"""What `uvicorn`/`granian` import in each worker: the project's app, built from its settings."""

from __future__ import annotations

import gc

from starlette.types import ASGIApp

from tandem.project import Project
from tandem.server.logging import configure_logging
from tandem.settings import TandemSettings, load_settings


def create_app_from_project() -> ASGIApp:
    project = Project.find()
    settings_class: type[TandemSettings] = project.load("settings")
    settings = load_settings(settings_class)
    if "web_dist" not in settings.model_fields_set:
        settings = settings.model_copy(update={"web_dist": project.web_dist})
    configure_logging(json=settings.json_logs, level=settings.log_level)
    factory = project.load("app")
    app: ASGIApp = factory(settings)
    gc.enable()  # `tandem` holds collection off while it starts (see `tandem.cli.main`)
    return app
