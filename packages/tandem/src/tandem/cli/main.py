"""The `tandem` command.

Built on click, which the server (uvicorn) imports anyway: `tandem start` pays nothing extra for its
command line, and start-up time is part of the product (a cold start to a healthy server is under a second).
"""

from __future__ import annotations

import gc
import os
import sys

import click

from tandem.cli.build import build
from tandem.cli.check import check
from tandem.cli.console import fail
from tandem.cli.db import db
from tandem.cli.gen import gen
from tandem.cli.serve import dev, start
from tandem.project import ProjectError

os.environ.setdefault("UV_PYTHON_DOWNLOADS", "never")


class _Commands(click.Group):
    """Loads `infra` on demand: the deploy tooling pulls in an HTTP client no other command needs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), "infra"])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name == "infra":
            from tandem.infra.cli import infra

            return infra
        return super().get_command(ctx, cmd_name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Tandem: a Python server for tRPC and Better Auth clients, on PostgreSQL."""


for command in (start, dev, build, check, gen, db):
    cli.add_command(command)


def main() -> None:
    # Start-up allocates many long-lived objects and few cycles: collecting during it is wasted time.
    # The server turns collection back on once its app is built (`tandem.server.entry`, `cli.serve`).
    gc.disable()
    try:
        cli.main(prog_name="tandem")
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
