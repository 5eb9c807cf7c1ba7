"""pytest plugin: a real PostgreSQL for tests, never the development database.

`postgres_server` starts one throwaway cluster per test session (or uses `TEST_DATABASE_URL`'s server);
`make_database` creates a fresh, uniquely named database on it; `database_url` is one such database.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest
from starlette.types import ASGIApp, Message

from tandem.db.database import create_database
from tandem.db.embedded import EmbeddedPostgres


def _replace_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """URL of the maintenance database of a PostgreSQL server the tests may create databases on."""
    external = os.environ.get("TEST_DATABASE_URL")
    if external:
        yield _replace_database(external, "postgres")
        return
    cluster = EmbeddedPostgres.throwaway("tandem-test-pg-", database="postgres")
    cluster.start()
    try:
        yield cluster.admin_url()
    finally:
        cluster.destroy()


@pytest.fixture(scope="session")
def make_database(postgres_server: str) -> Callable[[], Awaitable[str]]:
    """Create an empty database and return its URL."""

    async def create() -> str:
        return await create_database(postgres_server, "test_" + secrets.token_hex(6))

    return create


@pytest.fixture
async def database_url(make_database: Callable[[], Awaitable[str]]) -> str:
    return await make_database()


@asynccontextmanager
async def running(app: ASGIApp) -> AsyncIterator[None]:
    """Run an ASGI app's lifespan (startup before the block, shutdown after), as a server would."""
    inbox: asyncio.Queue[Message] = asyncio.Queue()
    outbox: asyncio.Queue[Message] = asyncio.Queue()
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    task = asyncio.ensure_future(app(scope, inbox.get, outbox.put))
    await inbox.put({"type": "lifespan.startup"})
    started = await outbox.get()
    if started["type"] != "lifespan.startup.complete":
        raise RuntimeError(f"startup failed: {started.get('message')}")
    try:
        yield
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        await outbox.get()
        await task
