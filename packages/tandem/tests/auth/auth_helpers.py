"""Test helpers for the auth tests: a collecting mail sender, browsers with cookie jars, app wiring."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import create_async_engine
from starlette.applications import Starlette
from starlette.routing import Mount
from tandem.auth import Auth
from tandem.auth.schema import define_auth_tables
from tandem.db.database import Database
from tandem.mail import MailMessage

SECRET = "tandem-test-secret-0123456789abcdefghijklmnop"
BASE_URL = "http://127.0.0.1:18210"
ORIGIN = BASE_URL


class Outbox:
    """A mail sender that keeps what it is given (the sink of the auth server under test)."""

    def __init__(self) -> None:
        self.messages: list[MailMessage] = []

    async def send(self, message: MailMessage) -> None:
        self.messages.append(message)

    def to(self, address: str) -> list[MailMessage]:
        return [m for m in self.messages if m.to == address]


class Browser:
    """One client with its own cookie jar; sends `Origin` like a browser on the app's pages."""

    def __init__(
        self, client: httpx.AsyncClient, auth: Auth, headers: dict[str, str] | None = None
    ) -> None:
        self.client = client
        self.auth = auth
        self.jar: dict[str, str] = {}
        self.headers = {"origin": ORIGIN, "user-agent": "pytest-browser", **(headers or {})}

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.jar.items())

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        if self.jar and "cookie" not in headers:
            headers["cookie"] = self.cookie_header()
        headers = {k: v for k, v in headers.items() if v is not None}
        response = await self.client.request(method, "/api/auth" + path, headers=headers, **kwargs)
        self.client.cookies.clear()
        for line in response.headers.get_list("set-cookie"):
            pair = line.split(";", 1)[0]
            name, _, value = pair.partition("=")
            if "Max-Age=0" in line:
                self.jar.pop(name, None)
            else:
                self.jar[name] = value
        if self.auth.core.mailer is not None:
            await self.auth.core.mailer.drain()
        return response

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return await self.request("POST", path, json=json, **kwargs)

    async def sign_up(
        self, email: str, password: str = "correct horse battery", name: str = "Ada"
    ) -> dict[str, Any]:
        response = await self.post(
            "/sign-up/email", {"email": email, "password": password, "name": name}
        )
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]


async def create_tables(url: str) -> None:
    metadata = MetaData()
    define_auth_tables(metadata)
    engine = create_async_engine(Database(url).config.sqlalchemy_url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    await engine.dispose()


AuthFactory = Callable[..., Awaitable[Auth]]


def app_for(auth: Auth) -> Starlette:
    return Starlette(routes=[Mount(auth.mount_path, app=auth.asgi_app)])


@asynccontextmanager
async def browsers_for(
    auth: Auth, base_url: str = BASE_URL
) -> AsyncIterator[Callable[..., Browser]]:
    """Browsers talking to another auth app (e.g. one made by `make_auth` with other settings)."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app_for(auth)), base_url=base_url
    ) as c:
        yield lambda headers=None: Browser(c, auth, headers)
