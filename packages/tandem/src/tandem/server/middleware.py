"""The one middleware every request passes: request id, access log, security headers.

Pure ASGI (no per-request framework objects) because it sits on every hot path.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tandem.server.logging import request_id

log = logging.getLogger("tandem.access")

BASE_SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
]
HSTS = (b"strict-transport-security", b"max-age=63072000; includeSubDomains")
# Paths that carry a secret in their last segment (Better Auth's password-reset link): logged without it.
SECRET_PATH_PREFIXES = ("/api/auth/reset-password/",)


def loggable_path(path: str) -> str:
    for prefix in SECRET_PATH_PREFIXES:
        if path.startswith(prefix):
            return prefix + "[redacted]"
    return path


def _valid_request_id(value: bytes) -> bool:
    return 0 < len(value) <= 128 and all(
        c in b"0123456789abcdefABCDEF-_.:" or 0x41 <= c <= 0x7A for c in value
    )


class RequestMiddleware:
    def __init__(self, app: ASGIApp, *, production: bool, access_log: bool = True) -> None:
        self.app = app
        self.headers = [*BASE_SECURITY_HEADERS, *([HSTS] if production else [])]
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_request_id(scope.get("headers", ())) or secrets.token_hex(8)
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 0
        extra = [*self.headers, (b"x-request-id", rid.encode())]

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            if self.access_log:
                log.info(
                    "%s %s %s",
                    scope["method"],
                    loggable_path(scope["path"]),
                    status,
                    extra={
                        "status": status,
                        "durationMs": round((time.perf_counter() - started) * 1000, 2),
                    },
                )
            request_id.reset(token)


def _incoming_request_id(headers: Iterable[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name == b"x-request-id" and _valid_request_id(value):
            return value.decode()
    return None
