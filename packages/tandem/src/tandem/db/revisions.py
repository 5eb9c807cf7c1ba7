"""Is the database at the newest migration? Answered without importing Alembic or SQLAlchemy.

Starting a server checks this on every boot; importing Alembic costs more than the rest of the start-up, so
Alembic is only loaded when there is something to apply.
"""

from __future__ import annotations

import re
from pathlib import Path

import asyncpg

from tandem.db.url import normalize_database_url

_REVISION = re.compile(r"^revision(?:\s*:\s*str)?\s*=\s*['\"](\w+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision(?:\s*:[^=]+)?=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"['\"](\w+)['\"]")


def script_heads(migrations_dir: Path) -> set[str] | None:
    """Revisions no other revision builds on; None when a file does not look like Alembic's format."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (migrations_dir / "versions").glob("*.py"):
        text = path.read_text()
        revision, down = _REVISION.search(text), _DOWN_REVISION.search(text)
        if revision is None or down is None:
            return None
        revisions.add(revision.group(1))
        parents.update(_QUOTED.findall(down.group(1)))
    return revisions - parents


async def database_revisions(database_url: str) -> set[str]:
    config = normalize_database_url(database_url)
    conn = await asyncpg.connect(
        config.dsn,
        ssl=config.ssl,
        statement_cache_size=0,
        server_settings=config.server_settings,
        timeout=10,
    )
    try:
        if await conn.fetchval("SELECT to_regclass('alembic_version') IS NULL"):
            return set()
        return {
            row["version_num"]
            for row in await conn.fetch("SELECT version_num FROM alembic_version")
        }
    finally:
        await conn.close()


async def is_up_to_date(migrations_dir: Path, database_url: str) -> bool:
    heads = script_heads(migrations_dir)
    return heads is not None and bool(heads) and await database_revisions(database_url) == heads
