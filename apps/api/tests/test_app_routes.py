"""The app's own routes beside tRPC and auth: the OpenAPI document and the configured sign-in providers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from tandem.testing import running
from tandem_api.main import create_app
from tandem_api.settings import Settings


async def client_for(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with (
        running(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        yield http


@pytest.fixture
async def client(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async for http in client_for(Settings(database_url=database_url, better_auth_secret="o" * 40)):
        yield http


async def test_openapi_describes_every_procedure_from_the_same_models(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    paths = document["paths"]
    assert {"/api/trpc/health.ping", "/api/trpc/task.list", "/api/trpc/task.create"} <= set(paths)
    assert "get" in paths["/api/trpc/task.list"] and "post" in paths["/api/trpc/task.create"]
    assert "conformance" not in str(paths)


async def test_no_social_providers_without_credentials(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/auth/providers")
    assert response.json() == {"providers": []}


async def test_configured_providers_are_listed(database_url: str) -> None:
    settings = Settings(
        database_url=database_url,
        better_auth_secret="o" * 40,
        github_client_id="id",
        github_client_secret="secret",
    )
    async for http in client_for(settings):
        assert (await http.get("/api/auth/providers")).json() == {"providers": ["github"]}
