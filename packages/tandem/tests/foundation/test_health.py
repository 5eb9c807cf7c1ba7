"""`/api/health` against a real PostgreSQL that is stopped and started again under it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from tandem.db import Database
from tandem.db.embedded import EmbeddedPostgres
from tandem.server import create_server


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedPostgres]:
    root = tmp_path_factory.mktemp("health-pg")
    root.chmod(0o755)
    pg = EmbeddedPostgres(root=root / "pg", durable=False, database="health")
    pg.start()
    yield pg
    pg.destroy()


@pytest.fixture
async def client(cluster: EmbeddedPostgres, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    database = Database(cluster.url, acquire_timeout=1.0)
    await database.connect()
    app = create_server(database=database, spa_dir=tmp_path)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as http:
        yield http
    await database.close()


async def test_up(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/health")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "up"
    assert body["latencyMs"] >= 0 and body["uptime"] >= 0


async def test_head_answers_without_a_body(client: httpx.AsyncClient) -> None:
    response = await client.head("/api/health")
    assert response.status_code == 200


async def test_wrong_method_is_405_not_500(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/health")
    assert response.status_code == 405


async def test_down_within_the_timeout_then_recovers_by_itself(
    client: httpx.AsyncClient, cluster: EmbeddedPostgres
) -> None:
    assert (await client.get("/api/health")).status_code == 200
    await asyncio.to_thread(cluster.kill)
    try:
        started = time.monotonic()
        response = await client.get("/api/health")
        elapsed = time.monotonic() - started
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "error" and body["database"] == "down" and body["error"]
        assert elapsed < 3.5, f"health took {elapsed:.1f}s while the database was down"
    finally:
        await asyncio.to_thread(cluster.start)
    deadline = time.monotonic() + 10
    statuses = []
    while time.monotonic() < deadline:
        response = await client.get("/api/health")
        statuses.append(response.status_code)
        if response.status_code == 200:
            break
        await asyncio.sleep(0.2)
    assert statuses[-1] == 200, f"no recovery: {statuses}"


async def test_a_saturated_pool_is_up_not_down(cluster: EmbeddedPostgres, tmp_path: Path) -> None:
    database = Database(cluster.url, max_size=2, acquire_timeout=0.5)
    await database.connect()
    app = create_server(database=database, spa_dir=tmp_path)
    try:
        async with (
            database.connection(),
            database.connection(),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://test"
            ) as http,
        ):
            response = await http.get("/api/health")
        assert response.status_code == 200
        assert response.json()["database"] == "up" and response.json()["pool"] == "saturated"
    finally:
        await database.close()


async def test_concurrent_probes_share_one_query_in_flight() -> None:
    from tandem.server.health import single_flight

    started = 0
    release = asyncio.Event()

    async def probe() -> float:
        nonlocal started
        started += 1
        await release.wait()
        return 1.5

    shared = single_flight(probe)
    waiting = [asyncio.ensure_future(shared()) for _ in range(20)]
    await asyncio.sleep(0)
    release.set()
    assert await asyncio.gather(*waiting) == [1.5] * 20
    assert started == 1
    assert await shared() == 1.5 and started == 2, "a finished probe is never reused"
