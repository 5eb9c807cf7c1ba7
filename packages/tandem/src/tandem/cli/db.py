"""`tandem db …`: migrations and data, Alembic underneath."""

from __future__ import annotations

import asyncio
import sys
from types import ModuleType

import click

from tandem.cli.console import fail, ok, step
from tandem.cli.runtime import database_url, load_runtime


@click.group()
def db() -> None:
    """Database schema and data."""


def _migrations() -> ModuleType:
    # Alembic and SQLAlchemy take a while to import: only commands that migrate pay for them.
    from tandem.db import migrations

    return migrations


@db.command()
def migrate() -> None:
    """Apply pending migrations (safe to run from several processes at once)."""
    m = _migrations()
    runtime = load_runtime()
    url = database_url(runtime)
    step("applying migrations")
    m.upgrade(runtime.project.migrations_dir, url)
    ok("database is up to date")


@db.command()
@click.option("--name", "-n", default="change", help="what the migration does")
def generate(name: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    m = _migrations()
    runtime = load_runtime()
    url = database_url(runtime)
    m.upgrade(runtime.project.migrations_dir, url)
    path = m.generate(runtime.project.migrations_dir, url, name)
    ok(f"wrote {path.relative_to(runtime.project.root) if path else 'nothing'}")
    from tandem.cli.gen import write_types

    write_types(runtime.project)


@db.command()
def push() -> None:
    """Make the database match the models directly, without a migration (development only)."""
    m = _migrations()
    runtime = load_runtime()
    if runtime.settings.is_production:
        fail("db push is for development; use `db generate` and `db migrate` in production")
    applied = asyncio.run(m.push(database_url(runtime), runtime.project.load("metadata")))
    ok(f"applied {len(applied)} change(s)" + (": " + ", ".join(applied) if applied else ""))


@db.command()
@click.option("--yes", "-y", is_flag=True, help="do not ask")
def reset(yes: bool) -> None:
    """Drop every table and migrate again (development only)."""
    m = _migrations()
    runtime = load_runtime()
    if runtime.settings.is_production:
        fail("db reset is refused in production")
    url = database_url(runtime)
    if not yes and not click.confirm(f"Drop all data in {url}?"):
        sys.exit(1)
    asyncio.run(m.reset(url))
    m.upgrade(runtime.project.migrations_dir, url)
    ok("database reset")


@db.command()
def seed() -> None:
    """Load demo data."""
    m = _migrations()
    runtime = load_runtime()
    url = database_url(runtime)
    m.upgrade(runtime.project.migrations_dir, url)
    seed_function = runtime.project.load("seed")

    async def run() -> str:
        from tandem.db import Database

        database = Database(url)
        await database.connect()
        try:
            return str(await seed_function(database, runtime.settings))
        finally:
            await database.close()

    ok(asyncio.run(run()))


@db.command()
def status() -> None:
    """Show the applied and pending migrations."""
    m = _migrations()
    runtime = load_runtime()
    result = asyncio.run(m.status(runtime.project.migrations_dir, database_url(runtime)))
    print(f"current: {result.current or '(none)'}   head: {result.head or '(none)'}")
    for line in result.pending:
        print(f"  pending: {line}")
    if result.up_to_date:
        ok("up to date")
    else:
        sys.exit(1)
