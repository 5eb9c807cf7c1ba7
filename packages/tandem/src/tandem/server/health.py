"""`GET|HEAD /api/health`: the server and its database, for platform health checks.

Never hangs and never answers 500: a database that does not answer within the timeout is `down` (503).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from tandem.db import Database, DatabaseUnavailable, PoolExhausted
from tandem.server.responses import send_json


def single_flight(probe: Callable[[], Awaitable[float]]) -> Callable[[], Awaitable[float]]:
    """Concurrent callers share the probe in flight: its answer is never older than one round trip, and a
    burst of health checks costs one pooled connection, not a connection each."""
    in_flight: asyncio.Future[float] | None = None

    def forget(_: asyncio.Future[float]) -> None:
        nonlocal in_flight
        in_flight = None

    async def shared() -> float:
        nonlocal in_flight
        if in_flight is None:
            in_flight = asyncio.ensure_future(probe())
            in_flight.add_done_callback(forget)
        return await asyncio.shield(in_flight)

    return shared


def health_endpoint(database: Database, *, version: str = "0.1.0", timeout: float = 2.0) -> ASGIApp:
    started = time.monotonic()
    ping = single_flight(lambda: database.ping(timeout=timeout))

    async def health(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in ("GET", "HEAD"):
            await send_json(
                send,
                405,
                {"status": "error", "error": "Method not allowed"},
                [(b"allow", b"GET, HEAD")],
            )
            return
        status, body = await probe()
        body |= {"version": version, "uptime": round(time.monotonic() - started, 3)}
        await send_json(send, status, body, [(b"cache-control", b"no-store")])

    async def probe() -> tuple[int, dict[str, object]]:
        try:
            latency = await ping()
        except PoolExhausted as exc:
            # Saturated, not down: a 503 here would have platforms restart a healthy server under load.
            return 200, {"status": "ok", "database": "up", "pool": "saturated", "detail": str(exc)}
        except DatabaseUnavailable as exc:
            return 503, {"status": "error", "database": "down", "error": str(exc)}
        return 200, {"status": "ok", "database": "up", "latencyMs": round(latency, 2)}

    return health
