"""One session lookup per request: counted by PostgreSQL itself (pg_stat_statements), not by our code."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from tandem.db import migrations
from tandem.db.embedded import EmbeddedPostgres
from tandem.testing import running
from tandem_api.main import create_app
from tandem_api.settings import Settings

ORIGIN = "http://127.0.0.1:3001"
MIGRATIONS = Path(__file__).resolve().parents[1] / "src/tandem_api/migrations"


@pytest.fixture(scope="module")
def observed_cluster() -> Iterator[EmbeddedPostgres]:
    cluster = EmbeddedPostgres.throwaway(
        "tandem-stats-pg-",
        database="stats",
        settings={
            "shared_preload_libraries": "pg_stat_statements",
            "pg_stat_statements.track": "all",
        },
    )
    cluster.start()
    yield cluster
    cluster.destroy()


@pytest.fixture
async def client(
    observed_cluster: EmbeddedPostgres,
) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    url = observed_cluster.url
    await asyncio.to_thread(migrations.upgrade, MIGRATIONS, url)
    conn = await asyncpg.connect(url)
    await conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    await conn.close()
    app = create_app(
        Settings(database_url=url, better_auth_secret="q" * 40, better_auth_url=ORIGIN)
    )
    transport = httpx.ASGITransport(app=app)
    async with (
        running(app),
        httpx.AsyncClient(transport=transport, base_url=ORIGIN, headers={"origin": ORIGIN}) as http,
    ):
        yield http, url


async def session_statements(url: str) -> dict[str, int]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            """SELECT query, calls FROM pg_stat_statements
               WHERE query ILIKE '%"session"%' AND query NOT ILIKE '%pg_stat_statements%'"""
        )
    finally:
        await conn.close()
    return {row["query"]: row["calls"] for row in rows}


async def reset_statistics(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("SELECT pg_stat_statements_reset()")
    finally:
        await conn.close()


async def test_get_session_and_task_list_cost_one_session_query_each(
    client: tuple[httpx.AsyncClient, str],
) -> None:
    http, url = client
    signed_up = await http.post(
        "/api/auth/sign-up/email",
        json={"email": "count@example.com", "password": "count-password-1", "name": "C"},
    )
    assert signed_up.status_code == 200, signed_up.text
    cookie = {"cookie": signed_up.headers["set-cookie"].split(";")[0]}

    await reset_statistics(url)
    for _ in range(5):
        assert (await http.get("/api/auth/get-session", headers=cookie)).json()["user"][
            "email"
        ] == "count@example.com"
    calls = await session_statements(url)
    assert sum(calls.values()) == 5, calls

    await reset_statistics(url)
    for _ in range(5):
        response = await http.get(
            "/api/trpc/task.list", params={"input": '{"limit":20}'}, headers=cookie
        )
        assert response.status_code == 200
    calls = await session_statements(url)
    assert sum(calls.values()) == 5, calls

    await reset_statistics(url)
    batch = (
        "/api/trpc/health.ping,task.list,task.list?batch=1&input="
        + '{"1":{"limit":20},"2":{"limit":5}}'
    )
    for _ in range(5):
        assert (await http.get(batch, headers=cookie)).status_code == 200
    calls = await session_statements(url)
    assert sum(calls.values()) == 5, (
        f"a batch of two protected calls must share one lookup: {calls}"
    )


async def test_public_procedures_never_look_up_a_session(
    client: tuple[httpx.AsyncClient, str],
) -> None:
    http, url = client
    await reset_statistics(url)
    for _ in range(5):
        assert (
            await http.get(
                "/api/trpc/health.ping", headers={"cookie": "better-auth.session_token=x.y"}
            )
        ).status_code == 200
    assert await session_statements(url) == {}
