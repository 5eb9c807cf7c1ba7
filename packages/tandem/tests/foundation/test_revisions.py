"""The start-up check that skips Alembic when the database is already at the newest migration."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
from tandem.db import migrations
from tandem.db.revisions import is_up_to_date, script_heads

APP_MIGRATIONS = Path(__file__).resolve().parents[4] / "apps/api/src/tandem_api/migrations"


def write_revision(directory: Path, revision: str, down: str) -> None:
    (directory / "versions").mkdir(parents=True, exist_ok=True)
    (directory / "versions" / f"{revision}_x.py").write_text(
        f"revision: str = '{revision}'\ndown_revision: str | None = {down}\n"
    )


def test_heads_of_a_linear_history_and_of_a_branch(tmp_path: Path) -> None:
    write_revision(tmp_path, "aaa", "None")
    write_revision(tmp_path, "bbb", "'aaa'")
    assert script_heads(tmp_path) == {"bbb"}
    write_revision(tmp_path, "ccc", "'aaa'")
    assert script_heads(tmp_path) == {"bbb", "ccc"}
    write_revision(tmp_path, "ddd", "('bbb', 'ccc')")
    assert script_heads(tmp_path) == {"ddd"}


def test_an_unfamiliar_file_means_ask_alembic(tmp_path: Path) -> None:
    (tmp_path / "versions").mkdir()
    (tmp_path / "versions" / "odd.py").write_text("REVISION = compute()\n")
    assert script_heads(tmp_path) is None


async def test_up_to_date_only_after_migrating(database_url: str) -> None:
    assert not await is_up_to_date(APP_MIGRATIONS, database_url)
    await asyncio.to_thread(migrations.upgrade, APP_MIGRATIONS, database_url)
    assert await is_up_to_date(APP_MIGRATIONS, database_url)
    conn = await asyncpg.connect(database_url)
    await conn.execute("UPDATE alembic_version SET version_num = 'older'")
    await conn.close()
    assert not await is_up_to_date(APP_MIGRATIONS, database_url)
