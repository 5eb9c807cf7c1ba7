"""What a connection carries back into the pool: one round trip per query, never an open transaction."""

from __future__ import annotations

import asyncio

import asyncpg
from tandem.db import Database


async def _last_query_of(url: str, backend_pid: int) -> str:
    """What the backend ran last (from another session), once it is idle again."""
    observer = await asyncpg.connect(url)
    try:
        for _ in range(50):
            row = await observer.fetchrow(
                "SELECT state, query FROM pg_stat_activity WHERE pid = $1", backend_pid
            )
            assert row is not None
            if row["state"] == "idle":
                return str(row["query"])
            await asyncio.sleep(0.02)
        raise AssertionError(f"backend {backend_pid} did not become idle")
    finally:
        await observer.close()


async def test_release_sends_no_reset_query(database_url: str) -> None:
    database = Database(database_url, max_size=1)
    await database.connect()
    try:
        backend_pid = await database.fetchval("SELECT pg_backend_pid() /* marker */")
        assert await _last_query_of(database_url, backend_pid) == (
            "SELECT pg_backend_pid() /* marker */"
        )
        # the next checkout gets the same connection, usable as is
        assert await database.fetchval("SELECT pg_backend_pid()") == backend_pid
    finally:
        await database.close()


async def test_a_transaction_left_open_is_rolled_back_on_release(database_url: str) -> None:
    database = Database(database_url, max_size=1)
    await database.connect()
    try:
        await database.execute("CREATE TABLE t (n int)")
        async with database.connection() as conn:
            await conn.execute("BEGIN")
            await conn.execute("INSERT INTO t VALUES (1)")
        async with database.connection() as conn:
            assert not conn.is_in_transaction()
            assert await conn.fetchval("SELECT count(*) FROM t") == 0
    finally:
        await database.close()
