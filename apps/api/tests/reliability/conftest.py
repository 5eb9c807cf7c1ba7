"""Fixtures: a private PostgreSQL cluster in this suite's port range, fresh databases, server processes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from pathlib import Path

import pytest
from tandem.db.embedded import EmbeddedPostgres, free_port

from .harness import Server, create_database

ServerFactory = Callable[..., Server]


@pytest.fixture(scope="session")
def rel_cluster() -> Iterator[EmbeddedPostgres]:
    """One cluster for the suite (port 18600 when free); tests get their own database on it."""
    cluster = EmbeddedPostgres.throwaway(
        "tandem-rel-pg-", port=free_port(18600), database="postgres"
    )
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
async def rel_database(rel_cluster: EmbeddedPostgres) -> str:
    return await create_database(rel_cluster.admin_url())


SPA_ORIGIN = "https://spa.example.test"
STATEMENT_TIMEOUT_MS = 1000
POOL_SIZE = 10


@pytest.fixture(scope="session")
async def shared_server(
    rel_cluster: EmbeddedPostgres, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Server]:
    """One server for the tests that do not stop it: a trusted SPA origin, a 1 s statement timeout."""
    database_url = await create_database(rel_cluster.admin_url())
    server = Server(
        f"{database_url}?statement_timeout={STATEMENT_TIMEOUT_MS}",
        tmp_path_factory.mktemp("shared") / "server.log",
        {"TRUSTED_ORIGINS": SPA_ORIGIN, "PG_POOL_MAX": str(POOL_SIZE)},
    ).start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[ServerFactory]:
    """Start `tandem start` processes; all are stopped when the test ends."""
    servers: list[Server] = []

    def start(
        database_url: str, env: Mapping[str, str] | None = None, *, migrate: bool = True
    ) -> Server:
        server = Server(
            database_url, tmp_path / f"server-{len(servers)}.log", dict(env or {}), migrate=migrate
        )
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.kill()
