"""Fixtures: a real database with the auth tables, and in-process browsers talking to the auth app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import Any

import httpx
import pytest
from auth_helpers import (
    BASE_URL,
    SECRET,
    AuthFactory,
    Browser,
    Outbox,
    app_for,
    create_tables,
)
from tandem.auth import Auth, AuthConfig, create_auth
from tandem.db.database import Database


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    await create_tables(database_url)
    db = Database(database_url)
    await db.connect()
    yield db
    await db.close()


@pytest.fixture
def outbox() -> Outbox:
    return Outbox()


@pytest.fixture
async def make_auth(database: Database, outbox: Outbox) -> AsyncIterator[AuthFactory]:
    made: list[Auth] = []

    async def make(**overrides: Any) -> Auth:
        config = replace(
            AuthConfig(secret=SECRET, base_url=BASE_URL, mail_sender=outbox), **overrides
        )
        auth = create_auth(config, database)
        made.append(auth)
        return auth

    yield make
    for auth in made:
        await auth.close()


@pytest.fixture
async def auth(make_auth: AuthFactory) -> Auth:
    return await make_auth()


@pytest.fixture
async def client(auth: Auth) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app_for(auth)), base_url=BASE_URL
    ) as c:
        yield c


@pytest.fixture
def browser(client: httpx.AsyncClient, auth: Auth) -> Callable[..., Browser]:
    def make(headers: dict[str, str] | None = None) -> Browser:
        return Browser(client, auth, headers)

    return make
