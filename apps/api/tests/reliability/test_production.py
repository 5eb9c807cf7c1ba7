"""A production-mode server: what it logs during a full account lifecycle, and the headers it sends."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import AsyncIterator, Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from tandem.db.embedded import EmbeddedPostgres

from .harness import SECRET, Browser, Server, connect, create_database, free_port, report


class Inbox:
    """aiosmtpd handler: keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    async def wait_for(self, address: str, timeout: float = 10.0) -> Message:
        for _ in range(int(timeout / 0.05)):
            for message in self.messages:
                if address in str(message["To"]):
                    return message
            await asyncio.sleep(0.05)
        raise AssertionError(f"no mail to {address}")


@pytest.fixture(scope="module")
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
async def production(
    rel_cluster: EmbeddedPostgres,
    tmp_path_factory: pytest.TempPathFactory,
    inbox: tuple[Inbox, int],
) -> AsyncIterator[Server]:
    database_url = await create_database(rel_cluster.admin_url())
    server = Server(
        database_url,
        tmp_path_factory.mktemp("production") / "server.log",
        {
            "NODE_ENV": "production",
            "LOG_LEVEL": "debug",
            "SMTP_URL": f"smtp://127.0.0.1:{inbox[1]}",
            "EMAIL_FROM": "no-reply@tandem.test",
        },
    ).start()
    try:
        yield server
    finally:
        server.kill()


def _text(message: Message) -> str:
    parts = message.walk() if message.is_multipart() else [message]
    return "\n".join(
        payload.decode(errors="replace")
        for part in parts
        if isinstance(payload := part.get_payload(decode=True), bytes)
    )


async def test_secrets_never_logged(production: Server, inbox: tuple[Inbox, int]) -> None:
    password = f"first-password-{secrets.token_hex(6)}"
    new_password = f"second-password-{secrets.token_hex(6)}"
    email = f"logs-{secrets.token_hex(5)}@example.com"
    seen: dict[str, str] = {
        "BETTER_AUTH_SECRET": SECRET,
        "password": password,
        "new password": new_password,
    }
    async with connect(production) as http:
        browser = Browser(http, production.url)
        signed_up = await browser.sign_up(email, password)
        seen["sign-up session token"] = signed_up["token"]
        seen["sign-up cookie"] = browser.cookie or ""
        assert (await browser.mutation("task.create", {"title": "log check"})).status_code == 200
        assert (await browser.auth("/get-session", method="GET")).status_code == 200
        failed = await browser.auth(
            "/sign-in/email", {"email": email, "password": "wrong " + password}
        )
        assert failed.status_code == 401
        signed_in = await browser.auth("/sign-in/email", {"email": email, "password": password})
        assert signed_in.status_code == 200, signed_in.text
        seen["sign-in session token"] = signed_in.json()["token"]
        seen["sign-in cookie"] = browser.cookie or ""
        asked = await browser.auth(
            "/request-password-reset", {"email": email, "redirectTo": "/reset-password"}
        )
        assert asked.status_code == 200, asked.text
        mail = await inbox[0].wait_for(email)
        link = re.search(
            r"https?://\S+/api/auth/reset-password/[A-Za-z0-9]+\?callbackURL=[^\s\"<]*", _text(mail)
        )
        assert link, _text(mail)
        token = urlsplit(link.group(0)).path.rsplit("/", 1)[1]
        seen["reset token"] = token
        opened = await http.get(urlsplit(link.group(0)).path + "?" + urlsplit(link.group(0)).query)
        assert opened.status_code == 302, opened.text
        reset = await browser.auth("/reset-password", {"newPassword": new_password, "token": token})
        assert reset.status_code == 200, reset.text
        again = await browser.auth("/sign-in/email", {"email": email, "password": new_password})
        assert again.status_code == 200, again.text
        seen["third session token"] = again.json()["token"]
        changed = await browser.auth(
            "/change-password",
            {"currentPassword": new_password, "newPassword": password, "revokeOtherSessions": True},
        )
        assert changed.status_code == 200, changed.text
        assert (await browser.auth("/sign-out", {})).status_code == 200
    await asyncio.sleep(0.3)
    logs = production.logs()
    assert "tandem.access" in logs or "/api/auth/sign-in/email" in logs, (
        "the server logged nothing to check"
    )
    found = sorted(
        name for name, value in seen.items() if value and (value in logs or unquote(value) in logs)
    )
    assert not found, f"secrets in the server log: {found}"
    report(
        "secrets never logged",
        log_lines=len(logs.splitlines()),
        secrets_checked=sorted(seen),
        found=found,
    )


async def test_production_headers(production: Server) -> None:
    async with connect(production) as http:
        responses: dict[str, httpx.Response] = {
            "spa": await http.get("/"),
            "spa route": await http.get("/tasks"),
            "health": await http.get("/api/health"),
            "trpc": await http.get("/api/trpc/health.ping"),
            "trpc error": await http.get("/api/trpc/nope"),
            "auth": await http.get("/api/auth/ok"),
        }
    for label, response in responses.items():
        headers = response.headers
        hsts = headers.get("strict-transport-security", "")
        match = re.search(r"max-age=(\d+)", hsts)
        assert match and int(match.group(1)) >= 15_552_000, (label, hsts)
        assert headers.get("x-content-type-options") == "nosniff", label
        assert headers.get("referrer-policy"), label
        assert "server" not in headers and "x-powered-by" not in headers, label
        if label.startswith("spa"):
            assert "script-src 'self'" in headers.get("content-security-policy", ""), label
    body: Any = responses["trpc error"].json()
    assert "stack" not in body["error"].get("data", {})
    report(
        "security headers (production)",
        hsts=responses["health"].headers["strict-transport-security"],
        responses_checked=len(responses),
    )
