from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from tandem.trpc import TRPCApp

from .sample import create_context, sample_router


def make_app(**options: Any) -> Starlette:
    trpc = TRPCApp(sample_router, create_context=create_context, **options)
    return Starlette(routes=[Mount("/api/trpc", trpc)])


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=make_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t/api/trpc") as c:
        yield c


@pytest.fixture
async def make_client() -> AsyncIterator[Any]:
    clients: list[httpx.AsyncClient] = []

    def make(**options: Any) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=make_app(**options))
        c = httpx.AsyncClient(transport=transport, base_url="http://t/api/trpc")
        clients.append(c)
        return c

    yield make
    for c in clients:
        await c.aclose()
