"""Serving the built SPA: cache headers, SPA fallback, precompressed files, JSON 404 under /api."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from tandem.db import Database
from tandem.server import create_server

INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-AbCd1234.js"></script></head></html>'


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX)
    (tmp_path / "assets" / "index-AbCd1234.js").write_text("console.log('app')")
    (tmp_path / "assets" / "index-AbCd1234.js.gz").write_bytes(gzip.compress(b"console.log('app')"))
    (tmp_path / "assets" / "index-AbCd1234.js.br").write_bytes(b"brotli-bytes")
    (tmp_path / "favicon.svg").write_text("<svg/>")
    return tmp_path


@pytest.fixture
async def client(dist: Path) -> AsyncIterator[httpx.AsyncClient]:
    database = Database(
        "postgresql://nobody@127.0.0.1:1/none"
    )  # never connected: static needs no database
    app = create_server(database=database, spa_dir=dist)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as http:
        yield http


async def test_hashed_assets_are_immutable(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/assets/index-AbCd1234.js", headers={"accept-encoding": "identity"}
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.text == "console.log('app')"


async def test_precompressed_variants_are_served_by_preference(client: httpx.AsyncClient) -> None:
    brotli = await client.get("/assets/index-AbCd1234.js", headers={"accept-encoding": "gzip, br"})
    assert brotli.headers["content-encoding"] == "br"
    assert brotli.headers["vary"] == "accept-encoding"
    assert brotli.content == b"brotli-bytes"
    gzipped = await client.get("/assets/index-AbCd1234.js", headers={"accept-encoding": "gzip"})
    assert gzipped.headers["content-encoding"] == "gzip"
    assert gzipped.text == "console.log('app')"  # httpx decodes gzip


async def test_index_is_never_cached_and_has_a_strict_csp(client: httpx.AsyncClient) -> None:
    response = await client.get("/", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.text == INDEX


async def test_unhashed_files_are_revalidated(client: httpx.AsyncClient) -> None:
    response = await client.get("/favicon.svg")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["content-type"].startswith("image/svg+xml")


@pytest.mark.parametrize("path", ["/tasks", "/settings/sessions", "/reset-password"])
async def test_spa_routes_fall_back_to_index(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path, headers={"accept": "text/html,application/xhtml+xml"})
    assert response.status_code == 200
    assert response.text == INDEX


async def test_missing_asset_is_404_not_html(client: httpx.AsyncClient) -> None:
    response = await client.get("/assets/gone-12345678.js", headers={"accept": "*/*"})
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/api", "/api/", "/api/nope", "/api/trpcx/a"])
async def test_unknown_api_paths_are_json_404(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path, headers={"accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"


async def test_non_get_outside_api_is_404(client: httpx.AsyncClient) -> None:
    response = await client.post("/tasks")
    assert response.status_code == 404


async def test_every_response_has_a_request_id(client: httpx.AsyncClient) -> None:
    response = await client.get("/", headers={"x-request-id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    generated = await client.get("/")
    assert len(generated.headers["x-request-id"]) == 16
