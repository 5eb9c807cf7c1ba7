"""The app's health and conformance routers and its protected procedure, through the wire."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from starlette.applications import Starlette
from starlette.routing import Mount
from tandem.trpc import ContextRequest, TRPCApp, router
from tandem_api.routers.conformance import conformance_router
from tandem_api.routers.health import health_router


@dataclass
class User:
    id: str
    email: str


@dataclass
class Session:
    user: User


class HeaderSessionContext:
    """Stands in for the app context: the session named by an `x-user` header."""

    def __init__(self, user: str | None) -> None:
        self.user = user
        self.lookups = 0

    async def get_session(self) -> Session | None:
        self.lookups += 1
        return Session(User(self.user, f"{self.user}@example.com")) if self.user else None


contexts: list[HeaderSessionContext] = []


async def create_context(request: ContextRequest) -> HeaderSessionContext:
    contexts.append(HeaderSessionContext(request.request.headers.get("x-user")))
    return contexts[-1]


def client() -> httpx.AsyncClient:
    trpc = TRPCApp(
        router(health=health_router, conformance=conformance_router), create_context=create_context
    )
    app = Starlette(routes=[Mount("/api/trpc", trpc)])
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t/api/trpc")


async def test_health_ping() -> None:
    async with client() as c:
        response = await c.get("/health.ping")
    assert response.content == b'{"result":{"data":{"pong":true}}}'


async def test_whoami_with_and_without_a_session() -> None:
    async with client() as c:
        me = await c.get("/conformance.whoami", headers={"x-user": "u1"})
        assert me.json() == {"result": {"data": {"userId": "u1", "email": "u1@example.com"}}}
        anonymous = await c.get("/conformance.whoami")
        assert anonymous.status_code == 401
        assert anonymous.json()["error"]["message"] == "UNAUTHORIZED"
        mixed = await c.get("/health.ping,conformance.whoami", params={"batch": "1", "input": "{}"})
        assert mixed.status_code == 207


async def test_conformance_procedures() -> None:
    async with client() as c:
        no_input = await c.get("/conformance.noInput")
        assert no_input.json() == {
            "result": {"data": {"ok": True, "at": "2020-01-01T00:00:00.000Z"}}
        }
        echo = await c.get("/conformance.echo", params={"input": '{"text":"a","n":1e2,"x":true}'})
        assert echo.json() == {"result": {"data": {"text": "a", "n": 100}}}
        crash = await c.get("/conformance.crash")
        assert crash.status_code == 500
        ticker = await c.get("/conformance.ticker", params={"input": '{"count":2,"intervalMs":0}'})
        assert ticker.text.count("\nid: ") == 2
        bad_id = await c.get(
            "/conformance.ticker", params={"input": '{"count":2,"intervalMs":0,"lastEventId":"01"}'}
        )
        assert "serialized-error" in bad_id.text
