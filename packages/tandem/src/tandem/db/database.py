"""The connection pool: asyncpg, created from a normalised URL, with timeouts everywhere."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, TypeAlias
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from asyncpg import Record
from asyncpg.pool import PoolConnectionProxy

from tandem.db.url import ConnectionConfig, normalize_database_url

Connection: TypeAlias = "PoolConnectionProxy[Record]"


class DatabaseUnavailable(RuntimeError):
    """PostgreSQL did not answer in time, or refused the connection."""


class PoolExhausted(DatabaseUnavailable):
    """Every pooled connection stayed busy for the whole acquire timeout: PostgreSQL is up, but overloaded."""


async def _reset_connection(conn: asyncpg.Connection[Record]) -> None:
    # asyncpg's default reset sends `RESET ALL; UNLISTEN *; CLOSE ALL; …` on every release: a second round
    # trip per checkout. Tandem keeps no session state on pooled connections (no SET, LISTEN or session
    # advisory locks), so only an abandoned transaction needs undoing.
    if conn.is_in_transaction():
        await conn.execute("ROLLBACK")


class Database:
    """A lazily-created asyncpg pool.

    The pool is created on `connect()` without opening connections, so a server starts (and its health
    check reports `down`) while PostgreSQL is unreachable, and recovers by itself when it returns.
    """

    def __init__(
        self,
        url: str,
        *,
        min_size: int = 0,
        max_size: int = 10,
        acquire_timeout: float = 5.0,
        statement_timeout_ms: int | None = 15_000,
        transaction_pooler: bool | None = None,
    ) -> None:
        self.config: ConnectionConfig = normalize_database_url(
            url, transaction_pooler=transaction_pooler
        )
        self.min_size = min_size
        self.max_size = max_size
        self.acquire_timeout = acquire_timeout
        self.statement_timeout_ms = statement_timeout_ms
        self._pool: asyncpg.Pool[Record] | None = None
        # Waiting requests take connections in arrival order. asyncpg's own queue lets a newcomer take a
        # connection just released to a waiter, which then queues again at the back: under load that
        # starves a few requests for many turns (batch p99 at 4-5x the median on the benchmark).
        self._turns = asyncio.Semaphore(max_size)

    @property
    def pool(self) -> asyncpg.Pool[Record]:
        if self._pool is None:
            raise RuntimeError("Database.connect() has not been awaited")
        return self._pool

    async def connect(self) -> None:
        if self._pool is not None:
            return
        settings = dict(self.config.server_settings)
        if self.statement_timeout_ms:
            settings.setdefault("statement_timeout", str(self.statement_timeout_ms))
        self._turns = asyncio.Semaphore(
            self.max_size
        )  # a fresh one: it binds to the loop it first waits in
        self._pool = await asyncpg.create_pool(
            self.config.dsn,
            min_size=self.min_size,
            max_size=self.max_size,
            timeout=self.acquire_timeout,
            command_timeout=(self.statement_timeout_ms or 60_000) / 1000 + 5,
            max_inactive_connection_lifetime=300,
            statement_cache_size=self.config.statement_cache_size,
            ssl=self.config.ssl,
            server_settings=settings,
            reset=_reset_connection,
        )

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            try:
                await asyncio.wait_for(pool.close(), timeout=10)
            except (TimeoutError, OSError):
                pool.terminate()

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Connection]:
        pool = self.pool
        try:
            # asyncio.timeout rather than acquire(timeout=…), which wraps every checkout in a new task
            async with asyncio.timeout(self.acquire_timeout):
                await self._turns.acquire()
                try:
                    conn = await pool.acquire()
                except BaseException:
                    self._turns.release()
                    raise
        except TimeoutError as exc:
            raise self._timed_out("timed out waiting for a PostgreSQL connection") from exc
        except (OSError, asyncpg.PostgresConnectionError, asyncpg.CannotConnectNowError) as exc:
            raise DatabaseUnavailable(str(exc) or type(exc).__name__) from exc
        try:
            yield conn
        finally:
            try:
                await pool.release(conn)
            finally:
                self._turns.release()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        async with self.connection() as conn, conn.transaction():
            yield conn

    async def fetch(self, query: str, *args: Any) -> list[asyncpg.Record]:
        async with self.connection() as conn:
            return await conn.fetch(query, *args)

    async def fetchrow(self, query: str, *args: Any) -> asyncpg.Record | None:
        async with self.connection() as conn:
            return await conn.fetchrow(query, *args)

    async def fetchval(self, query: str, *args: Any) -> Any:
        async with self.connection() as conn:
            return await conn.fetchval(query, *args)

    async def execute(self, query: str, *args: Any) -> str:
        async with self.connection() as conn:
            return await conn.execute(query, *args)

    def _timed_out(self, message: str) -> DatabaseUnavailable:
        """A timeout means PostgreSQL is down, unless every pooled connection was simply busy."""
        pool = self.pool
        if pool.get_size() >= pool.get_max_size() and pool.get_idle_size() == 0:
            return PoolExhausted(f"all {pool.get_max_size()} connections are busy")
        return DatabaseUnavailable(message)

    async def ping(self, timeout: float = 2.0) -> float:
        """Round-trip `SELECT 1`; returns the latency in milliseconds, raises `DatabaseUnavailable`."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            async with asyncio.timeout(timeout):
                await self.fetchval("SELECT 1")
        except DatabaseUnavailable:
            raise
        except TimeoutError as exc:
            raise self._timed_out("PostgreSQL did not answer in time") from exc
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            raise DatabaseUnavailable(str(exc) or type(exc).__name__) from exc
        return (loop.time() - started) * 1000


async def create_database(admin_url: str, name: str) -> str:
    """Create an empty database on the server `admin_url` points at; returns the new database's URL."""
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    parts = urlsplit(admin_url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))
