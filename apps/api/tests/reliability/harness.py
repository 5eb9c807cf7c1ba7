"""The parts every reliability test uses: real server processes, a private PostgreSQL, HTTP helpers.

Everything listens on 127.0.0.1 in the ports 18600-18699. Figures a test measures go through `report`, which
prints them (run pytest with `-s` to see them) and appends them to `RELIABILITY_REPORT` when that is set.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import signal
import string
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from typing import Any
from urllib.parse import quote

import asyncpg
import httpx
from tandem.db.database import create_database as new_database
from tandem.db.embedded import port_is_free

REPO = Path(__file__).resolve().parents[4]
SECRET = "tandem-reliability-secret-0123456789abcdef"
PASSWORD = "correct horse battery staple"
PORTS = range(18610, 18700)
LONG = os.environ.get("RELIABILITY_LONG") == "1"
"""Longer load phases and more fuzz cases (scripts/reliability.py sets it)."""

_SCRUBBED = {
    "DATABASE_URL",
    "NODE_ENV",
    "APP_ENV",
    "BETTER_AUTH_SECRET",
    "BETTER_AUTH_URL",
    "AUTH_RATE_LIMIT",
    "TRUSTED_ORIGINS",
    "SMTP_URL",
    "PORT",
    "NITRO_PORT",
    "TANDEM_CONFORMANCE",
    "WEB_CONCURRENCY",
    "WORKERS",
    "VITE_API_URL",
    "LOG_LEVEL",
    "LOG_FORMAT",
}


def report(test: str, **figures: object) -> None:
    line = {"test": test, **figures}
    print("\nRELIABILITY " + json.dumps(line, default=str))
    target = os.environ.get("RELIABILITY_REPORT")
    if target:
        with open(target, "a") as out:
            out.write(json.dumps(line, default=str) + "\n")


_next_port = PORTS.start + (os.getpid() % len(PORTS))


def free_port() -> int:
    """A free port of this suite's range, never the same one twice in a run."""
    global _next_port
    for _ in range(len(PORTS)):
        port = PORTS.start + (_next_port - PORTS.start) % len(PORTS)
        _next_port = port + 1
        if port_is_free(port):
            return port
    raise RuntimeError("no free port in 18610-18699")


@dataclass
class Server:
    """`tandem start --no-build` in a child process (migrations, then uvicorn), logs kept in a file."""

    database_url: str
    log_path: Path
    env: Mapping[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    migrate: bool = True
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 40.0) -> Server:
        environment = {k: v for k, v in os.environ.items() if k.upper() not in _SCRUBBED}
        environment |= {
            "DATABASE_URL": self.database_url,
            "BETTER_AUTH_SECRET": SECRET,
            "BETTER_AUTH_URL": self.url,
            "PYTHONUNBUFFERED": "1",
            **self.env,
        }
        environment.setdefault("TANDEM_PROJECT_ROOT", str(REPO))
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tandem.cli.main",
                "start",
                "--no-build",
                "--port",
                str(self.port),
            ],
            cwd=REPO,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"server exited with {self.process.returncode}:\n{self.logs()[-4000:]}"
                )
            try:
                httpx.get(self.url + "/api/health", timeout=1.0)
                return self
            except httpx.TransportError:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"server did not answer within {timeout}s:\n{self.logs()[-4000:]}")

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def terminate(self) -> None:
        if self.alive():
            assert self.process is not None
            self.process.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        if self.alive():
            assert self.process is not None
            self.process.kill()
            self.process.wait(10)

    def wait(self, timeout: float) -> int:
        assert self.process is not None
        return self.process.wait(timeout)

    def stop(self) -> None:
        self.terminate()
        try:
            if self.process is not None:
                self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.kill()


def connect(server: Server, timeout: float = 10.0) -> httpx.AsyncClient:
    """An HTTP client that never keeps cookies: each `Browser` sends its own."""
    limits = httpx.Limits(max_connections=400, max_keepalive_connections=400)
    jar = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    return httpx.AsyncClient(base_url=server.url, timeout=timeout, limits=limits, cookies=jar)


async def create_database(admin_url: str) -> str:
    return await new_database(admin_url, "rel_" + secrets.token_hex(5))


# --- HTTP ---------------------------------------------------------------------------------------------------

TOKEN_ALPHABET = string.ascii_letters + string.digits


def signed_cookie(token: str, secret: str = SECRET) -> str:
    """`better-auth.session_token`'s value: token + "." + base64(HMAC-SHA256(secret, token)), URI-encoded."""
    mac = base64.b64encode(
        hmac.new(secret.encode(), token.encode(), hashlib.sha256).digest()
    ).decode()
    return quote(f"{token}.{mac}", safe="-_.!~*'()")


def session_cookie(response: httpx.Response) -> str | None:
    """The raw value of the session cookie a response sets, or None."""
    for line in response.headers.get_list("set-cookie"):
        pair = line.split(";", 1)[0]
        name, _, value = pair.partition("=")
        if name.strip() == "better-auth.session_token" and value:
            return value
    return None


def trpc_input(value: Any) -> str:
    return quote(json.dumps(value, separators=(",", ":")), safe="")


@dataclass
class Browser:
    """One user agent: its own client address, the app's Origin, a session cookie once signed in."""

    client: httpx.AsyncClient
    origin: str
    address: str = field(
        default_factory=lambda: f"198.18.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"
    )
    cookie: str | None = None

    def headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        headers = {
            "origin": self.origin,
            "x-forwarded-for": self.address,
            "user-agent": "tandem-reliability",
        }
        if self.cookie:
            headers["cookie"] = f"better-auth.session_token={self.cookie}"
        return headers | dict(extra or {})

    async def auth(
        self, path: str, body: Any = None, *, method: str = "POST", **kwargs: Any
    ) -> httpx.Response:
        headers = self.headers(kwargs.pop("headers", None))
        if method == "GET":
            return await self.client.get("/api/auth" + path, headers=headers, **kwargs)
        response = await self.client.post("/api/auth" + path, json=body, headers=headers, **kwargs)
        cookie = session_cookie(response)
        if cookie is not None:
            self.cookie = cookie
        return response

    async def sign_up(self, email: str | None = None, password: str = PASSWORD) -> dict[str, Any]:
        email = email or f"user-{secrets.token_hex(6)}@example.com"
        response = await self.auth(
            "/sign-up/email", {"email": email, "password": password, "name": "Rel"}
        )
        assert response.status_code == 200, response.text
        assert self.cookie, response.headers
        body: dict[str, Any] = response.json()
        return body

    async def query(self, path: str, value: Any = None, **kwargs: Any) -> httpx.Response:
        suffix = "" if value is None else "?input=" + trpc_input(value)
        return await self.client.get(f"/api/trpc/{path}{suffix}", headers=self.headers(), **kwargs)

    async def mutation(self, path: str, value: Any = None, **kwargs: Any) -> httpx.Response:
        return await self.client.post(
            f"/api/trpc/{path}",
            content=b"" if value is None else json.dumps(value).encode(),
            headers=self.headers({"content-type": "application/json"}),
            **kwargs,
        )


async def seed_users(database_url: str, count: int) -> list[tuple[str, str]]:
    """`count` users with a live session each, straight into the database: (user id, signed cookie value).

    Signing up through the API would spend most of a short test on scrypt; the session rows are what a
    sign-up leaves, and the cookies are signed exactly as the protocol says.
    """
    conn = await asyncpg.connect(database_url)
    users: list[tuple[str, str]] = []
    try:
        async with conn.transaction():
            for _ in range(count):
                user_id = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(32))
                token = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(32))
                await conn.execute(
                    'INSERT INTO "user" (id, name, email, "emailVerified") VALUES ($1, $2, $3, false)',
                    user_id,
                    "Load",
                    f"load-{user_id.lower()}@example.com",
                )
                await conn.execute(
                    'INSERT INTO session (id, token, "userId", "expiresAt", "updatedAt") '
                    "VALUES ($1, $2, $3, now() + interval '7 days', now())",
                    "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(32)),
                    token,
                    user_id,
                )
                users.append((user_id, signed_cookie(token)))
    finally:
        await conn.close()
    return users


# --- protocol shapes -----------------------------------------------------------------------------------------

# The conformance README's table, written out independently of tandem.trpc's own so a wrong entry there fails.
TRPC_CODES = {
    "PARSE_ERROR": (-32700, 400),
    "BAD_REQUEST": (-32600, 400),
    "UNAUTHORIZED": (-32001, 401),
    "PAYMENT_REQUIRED": (-32002, 402),
    "FORBIDDEN": (-32003, 403),
    "NOT_FOUND": (-32004, 404),
    "METHOD_NOT_SUPPORTED": (-32005, 405),
    "TIMEOUT": (-32008, 408),
    "CONFLICT": (-32009, 409),
    "PRECONDITION_FAILED": (-32012, 412),
    "PAYLOAD_TOO_LARGE": (-32013, 413),
    "UNSUPPORTED_MEDIA_TYPE": (-32015, 415),
    "UNPROCESSABLE_CONTENT": (-32022, 422),
    "PRECONDITION_REQUIRED": (-32028, 428),
    "TOO_MANY_REQUESTS": (-32029, 429),
    "CLIENT_CLOSED_REQUEST": (-32099, 499),
    "INTERNAL_SERVER_ERROR": (-32603, 500),
    "NOT_IMPLEMENTED": (-32603, 501),
    "BAD_GATEWAY": (-32603, 502),
    "SERVICE_UNAVAILABLE": (-32603, 503),
    "GATEWAY_TIMEOUT": (-32603, 504),
}


def trpc_error_problem(envelope: Any) -> str | None:
    """Why `envelope` is not a tRPC error envelope, or None when it is one."""
    if not isinstance(envelope, dict) or set(envelope) != {"error"}:
        return f"not an error envelope: {envelope!r:.300}"
    error = envelope["error"]
    if not isinstance(error, dict) or not isinstance(error.get("message"), str):
        return f"error without a message: {error!r:.300}"
    data = error.get("data")
    if not isinstance(data, dict) or data.get("code") not in TRPC_CODES:
        return f"error.data.code missing or unknown: {error!r:.300}"
    number, status = TRPC_CODES[data["code"]]
    if error.get("code") != number or data.get("httpStatus") != status:
        return f"error code numbers disagree with {data['code']}: {error!r:.300}"
    if "stack" in data or not set(data) <= {"code", "httpStatus", "path", "zodError"}:
        return f"error.data has extra keys: {sorted(data)}"
    return None


def trpc_shape_problem(response: httpx.Response) -> str | None:
    """Why a tRPC response is not protocol-shaped (JSON envelope or array of envelopes), or None.

    A streamed batch (JSON lines, which upstream labels `application/json` too) must be JSON on every line.
    """
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        if "trpc-accept" in response.request.headers and response.status_code == 200:
            try:
                lines = [json.loads(line) for line in response.content.splitlines() if line.strip()]
            except (json.JSONDecodeError, UnicodeDecodeError):
                return f"a stream line is not JSON: {response.content[:300]!r}"
            return None if lines else "an empty stream"
        return f"{response.status_code} body is not JSON: {response.content[:300]!r}"
    envelopes = body if isinstance(body, list) else [body]
    if not envelopes:
        return "an empty batch answer"
    for envelope in envelopes:
        if isinstance(envelope, dict) and set(envelope) == {"result"}:
            continue
        problem = trpc_error_problem(envelope)
        if problem:
            return problem
    return None


def auth_error_problem(response: httpx.Response) -> str | None:
    """Why an auth error response is not Better Auth's `{message, code?}` JSON, or None.

    A few of Better Auth's own errors carry no code (429, `Invalid callbackURL: expected a string`).
    Better Auth answers unrouted paths and methods with a bare 404 (no body, no content type).
    """
    if response.status_code == 404 and not response.content:
        return None
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return f"{response.status_code} body is not JSON: {response.content[:300]!r}"
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return f"{response.status_code} body has no message: {body!r:.300}"
    if response.status_code >= 500 and "code" not in body:
        return f"{response.status_code} body has no code: {body!r:.300}"
    if "code" in body and not isinstance(body["code"], str):
        return f"code is not a string: {body!r:.300}"
    if any(marker in response.text for marker in ("Traceback", 'File "/')):
        return "a traceback leaked"
    return None
