"""The pool: one round trip per query, never an open transaction carried back, connections handed out in turn."""

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


async def test_waiting_requests_get_connections_in_arrival_order(database_url: str) -> None:
    """Requests already waiting are served before ones that arrive while a connection is being released.

    asyncpg's queue lets a newcomer take the released connection before the woken waiter runs, and the waiter
    then queues again at the back: under load a few requests wait many turns (the benchmark's p99 was four to
    five times its median).
    """
    database = Database(database_url, max_size=1)
    await database.connect()
    grants: list[str] = []

    async def request(name: str, hops: int = 0) -> None:
        for _ in range(hops):  # arrive a few event-loop turns later
            await asyncio.sleep(0)
        async with database.connection() as connection:
            grants.append(name)
            await connection.fetchval("SELECT 1")

    try:
        held = database.connection()
        await held.__aenter__()
        waiting = [asyncio.create_task(request(f"waiting-{n}")) for n in range(3)]
        await asyncio.sleep(0.05)
        late = [asyncio.create_task(request(f"late-{hops}", hops)) for hops in range(8)]
        await held.__aexit__(None, None, None)
        await asyncio.gather(*waiting, *late)
    finally:
        await database.close()
    assert grants[:3] == ["waiting-0", "waiting-1", "waiting-2"], grants
