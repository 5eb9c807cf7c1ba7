"""Alembic, driven from code: no alembic.ini, one advisory lock so concurrent starts never race.

The application's migrations folder holds an `env.py` that calls `run_migrations_env(metadata)`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.autogenerate import produce_migrations
from alembic.config import Config
from alembic.operations import Operations
from alembic.operations.ops import MigrateOperation, ModifyTableOps
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from tandem.db.url import normalize_database_url

# Arbitrary but fixed: every Tandem process migrating the same database contends for this key.
MIGRATION_LOCK_KEY = 0x7A4D_0001


def alembic_config(migrations_dir: Path, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("path_separator", "os")
    config.attributes["database_url"] = database_url
    return config


def _engine(database_url: str) -> Any:
    conn = normalize_database_url(database_url)
    connect_args: dict[str, Any] = {"statement_cache_size": 0} if conn.transaction_pooler else {}
    if conn.ssl:
        connect_args["ssl"] = conn.ssl
    if conn.server_settings:
        connect_args["server_settings"] = conn.server_settings
    return create_async_engine(conn.sqlalchemy_url, poolclass=NullPool, connect_args=connect_args)


def run_migrations_env(metadata: MetaData) -> None:
    """Body of an application's Alembic `env.py`."""
    config = context.config
    database_url: str = config.attributes["database_url"]
    if context.is_offline_mode():
        context.configure(url=database_url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    connection: Connection | None = config.attributes.get("connection")
    if connection is not None:
        _run_locked(connection, metadata)
        return

    async def run() -> None:
        engine = _engine(database_url)
        try:
            async with engine.connect() as conn:
                await conn.run_sync(_run_locked, metadata)
        finally:
            await engine.dispose()

    asyncio.run(run())


def _run_locked(connection: Connection, metadata: MetaData) -> None:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        # A transaction-scoped lock also works behind transaction-mode poolers, unlike a session lock.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        context.run_migrations()


def upgrade(migrations_dir: Path, database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(migrations_dir, database_url), revision)


def generate(migrations_dir: Path, database_url: str, message: str) -> Path | None:
    script = command.revision(
        alembic_config(migrations_dir, database_url), message=message, autogenerate=True
    )
    scripts = script if isinstance(script, list) else [script]
    return Path(scripts[0].path) if scripts and scripts[0] is not None else None


@dataclass(frozen=True)
class Status:
    current: str | None
    head: str | None
    pending: list[str]

    @property
    def up_to_date(self) -> bool:
        return not self.pending


async def status(migrations_dir: Path, database_url: str) -> Status:
    scripts = ScriptDirectory.from_config(alembic_config(migrations_dir, database_url))
    head = scripts.get_current_head()
    engine = _engine(database_url)
    try:
        async with engine.connect() as conn:
            current = await conn.run_sync(
                lambda c: MigrationContext.configure(c).get_current_revision()
            )
    finally:
        await engine.dispose()
    pending = (
        [
            f"{rev.revision} {rev.doc or ''}".strip()
            for rev in reversed(list(scripts.iterate_revisions(head, current)))
        ]
        if head
        else []
    )
    return Status(current, head, pending)


async def push(database_url: str, metadata: MetaData) -> list[str]:
    """Make the database match `metadata` directly, without a migration (development only)."""
    engine = _engine(database_url)
    try:
        async with engine.begin() as conn:
            applied: list[str] = await conn.run_sync(_push, metadata)
            return applied
    finally:
        await engine.dispose()


def _push(connection: Connection, metadata: MetaData) -> list[str]:
    migration_context = MigrationContext.configure(connection, opts={"compare_type": True})
    operations = Operations(migration_context)
    applied: list[str] = []

    def apply(op: MigrateOperation) -> None:
        if isinstance(op, ModifyTableOps):
            for inner in op.ops:
                apply(inner)
            return
        operations.invoke(op)
        applied.append(type(op).__name__)

    for op in produce_migrations(migration_context, metadata).upgrade_ops.ops:  # type: ignore[union-attr]
        apply(op)
    return applied


async def reset(database_url: str) -> None:
    """Drop everything in the public schema."""
    engine = _engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()
