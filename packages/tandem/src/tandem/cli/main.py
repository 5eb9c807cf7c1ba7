"""The `tandem` command."""

from __future__ import annotations

import os
import sys

import typer

from tandem.cli import db
from tandem.cli.build import build
from tandem.cli.check import check
from tandem.cli.console import fail
from tandem.cli.gen import gen
from tandem.cli.serve import dev, start
from tandem.project import ProjectError

os.environ.setdefault("UV_PYTHON_DOWNLOADS", "never")

app = typer.Typer(
    name="tandem",
    help="Tandem: a Python server for tRPC and Better Auth clients, on PostgreSQL.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command()(start)
app.command()(dev)
app.command()(build)
app.command()(check)
app.command()(gen)
app.add_typer(db.app, name="db")


def _add_infra() -> None:
    from tandem.infra.cli import app as infra_app

    app.add_typer(
        infra_app, name="infra", help="Deploy: Northflank, Railway, Render, Fly, Vercel, Netlify."
    )


def _may_need_infra(argv: list[str]) -> bool:
    # The deploy tooling pulls in an HTTP client; `tandem start` should not pay for it on every boot.
    command = next((arg for arg in argv[1:] if not arg.startswith("-")), None)
    return command in (None, "infra")


def main() -> None:
    if _may_need_infra(sys.argv):
        _add_infra()
    try:
        app()
    except ProjectError as exc:
        fail(f"project configuration: {exc}")
    except Exception as exc:
        if not _is_operational(exc):
            raise
        fail(f"database: {exc} (check DATABASE_URL and that PostgreSQL is running)")


def _is_operational(exc: BaseException) -> bool:
    """Errors of the environment, not of Tandem: said in one line instead of a traceback."""
    import asyncpg

    kinds: tuple[type[BaseException], ...] = (
        OSError,
        asyncpg.PostgresError,
        asyncpg.InterfaceError,
    )
    if "sqlalchemy" in sys.modules:
        from sqlalchemy.exc import DBAPIError

        kinds += (DBAPIError,)
    return isinstance(exc, kinds)


if __name__ == "__main__":
    main()
