"""`tandem start` (the built app, as in production) and `tandem dev` (reloading API + Vite dev server)."""

from __future__ import annotations

import asyncio
import gc
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Literal

import click

from tandem.cli.console import fail, ok, step
from tandem.cli.runtime import database_url, load_runtime
from tandem.cli.web import ensure_web_build
from tandem.db.revisions import is_up_to_date

ENTRY = "tandem.server.entry:create_app_from_project"


def _exit_cleanly(signum: int, frame: object) -> None:
    # uvicorn re-raises SIGTERM once its graceful shutdown is done; exiting normally here lets atexit
    # hooks (stopping the embedded PostgreSQL) run, and reports success.
    raise SystemExit(0)


def _serve(
    host: str,
    port: int,
    workers: int,
    *,
    reload: bool = False,
    server: Literal["uvicorn", "granian"] = "uvicorn",
) -> None:
    signal.signal(signal.SIGTERM, _exit_cleanly)
    if server == "granian" or reload or workers > 1:
        gc.enable()  # this process only supervises; the app's own processes start with collection on
    if server == "granian":
        from granian.constants import Interfaces, Loops
        from granian.server import Server

        Server(
            ENTRY,
            address=host,
            port=port,
            interface=Interfaces.ASGI,
            workers=workers,
            loop=Loops.uvloop,
            factory=True,
            log_access=False,
        ).serve()
        return
    import uvicorn

    uvicorn.run(
        ENTRY,
        factory=True,
        host=host,
        port=port,
        workers=None if reload else workers,
        reload=reload,
        loop="uvloop",
        http="httptools",
        ws="none",  # no WebSocket routes; importing the protocol costs start-up time
        log_config=None,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=20,
        h11_max_incomplete_event_size=256 * 1024,
    )


def migrate_if_needed(migrations_dir: Path, url: str) -> None:
    if asyncio.run(is_up_to_date(migrations_dir, url)):
        ok("database is up to date")
        return
    from tandem.db import migrations

    step("applying migrations")
    migrations.upgrade(migrations_dir, url)


@click.command()
@click.option("--port", type=int, help="port (default: PORT, NITRO_PORT or 3001)")
@click.option("--host", help="address to listen on")
@click.option("--workers", type=int, help="worker processes (default: WEB_CONCURRENCY or 1)")
@click.option(
    "--server", type=click.Choice(["uvicorn", "granian"]), default="uvicorn", show_default=True
)
@click.option("--build/--no-build", default=True, help="build the SPA first when missing or stale")
@click.option("--migrate/--no-migrate", default=True, help="apply pending migrations first")
def start(
    port: int | None,
    host: str | None,
    workers: int | None,
    server: Literal["uvicorn", "granian"],
    build: bool,
    migrate: bool,
) -> None:
    """Serve the API and the built SPA (starting the embedded database when DATABASE_URL is unset)."""
    runtime = load_runtime()
    settings = runtime.settings
    if build and not settings.is_production:
        ensure_web_build(runtime.project.web_dir)
    url = database_url(runtime)
    if migrate:
        migrate_if_needed(runtime.project.migrations_dir, url)
    listen_port = port or settings.listen_port
    listen_host = host or settings.listen_host
    if port:
        os.environ["NITRO_PORT"] = str(port)
        os.environ.pop("PORT", None)
    ok(
        f"Tandem is running at http://{'127.0.0.1' if listen_host == '0.0.0.0' else listen_host}:{listen_port}"
    )
    _serve(listen_host, listen_port, workers or settings.workers, server=server)


@click.command()
@click.option("--api-only", is_flag=True, help="do not start the Vite dev server")
def dev(api_only: bool) -> None:
    """API with auto-reload on NITRO_PORT (3001) and the Vite dev server on 5173 proxying /api."""
    runtime = load_runtime()
    settings = runtime.settings
    migrate_if_needed(runtime.project.migrations_dir, database_url(runtime))
    vite: subprocess.Popen[bytes] | None = None
    if not api_only:
        pnpm = shutil.which("pnpm")
        if pnpm is None:
            fail("pnpm is not installed: run `npm install -g pnpm@12.21.0`")
        env = {**os.environ, "API_PORT": str(settings.listen_port)}
        vite = subprocess.Popen(
            [pnpm, "--filter", "@repo/web", "dev"], cwd=runtime.project.root, env=env
        )
        ok("web: http://127.0.0.1:5173 (proxying /api to the API)")
    ok(f"api: http://127.0.0.1:{settings.listen_port}")
    try:
        _serve(settings.listen_host, settings.listen_port, 1, reload=True)
    finally:
        if vite is not None:
            vite.terminate()
            vite.wait(timeout=10)
    sys.exit(0)
