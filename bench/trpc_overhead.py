"""Overhead of tandem.trpc against a bare Starlette route returning the same JSON.

    uv run python bench/trpc_overhead.py            # 3 rounds of 5 s per scenario
    DURATION=10 ROUNDS=5 uv run python bench/trpc_overhead.py

One uvicorn process (1 worker, httptools, access log off) on 127.0.0.1:18150 serves both
`GET /bare` (a Starlette route) and `GET /asgi/ping` (a raw ASGI app mounted like tRPC), both
returning `{"result":{"data":{"pong":true}}}`) and the tRPC app at
`/api/trpc` with `health.ping`. wrk (1 thread, 32 connections) measures requests per second;
the scenarios alternate within each round and the median of the rounds is reported.
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import time
from typing import Any

PORT = 18150
BASE = f"http://127.0.0.1:{PORT}"
SCENARIOS = {
    "bare Starlette route": "/bare",
    "bare ASGI app (mounted)": "/asgi/ping",
    "tRPC health.ping": "/api/trpc/health.ping",
    "tRPC batch of 3 (req/s)": "/api/trpc/health.ping,health.ping,health.ping?batch=1&input=%7B%7D",
}
SERVER = """
import uvicorn
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Mount, Route
from tandem.trpc import TRPCApp, router
from tandem_api.routers.health import health_router

BODY = b'{"result":{"data":{"pong":true}}}'


async def bare(request):
    return Response(BODY, media_type="application/json")


async def bare_asgi(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": [
        (b"content-type", b"application/json"), (b"content-length", b"%d" % len(BODY))]})
    await send({"type": "http.response.body", "body": BODY})


app = Starlette(routes=[
    Route("/bare", bare),
    Mount("/asgi", bare_asgi),
    Mount("/api/trpc", TRPCApp(router(health=health_router))),
])
uvicorn.run(app, host="127.0.0.1", port=PORT, http="httptools", access_log=False, log_level="warning")
""".replace("PORT", str(PORT))


def wait_for_port() -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server did not start")


def wrk(path: str, seconds: int) -> float:
    out = subprocess.run(
        ["/usr/bin/wrk", "-t1", "-c32", f"-d{seconds}s", BASE + path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if match is None or "Non-2xx" in out:
        raise RuntimeError(out)
    return float(match.group(1))


def in_process(n: int = 20000) -> dict[str, float]:
    """Microseconds per request, calling the ASGI apps directly (no sockets, no server)."""
    import asyncio

    from tandem.trpc import TRPCApp, router
    from tandem_api.routers.health import health_router

    body = b'{"result":{"data":{"pong":true}}}'
    trpc = TRPCApp(router(health=health_router))

    async def bare(scope: Any, receive: Any, send: Any) -> None:
        headers = [(b"content-type", b"application/json"), (b"content-length", b"33")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        pass

    def scope(path: str, query: bytes = b"") -> dict[str, Any]:
        headers = [(b"host", b"127.0.0.1"), (b"user-agent", b"wrk")]
        return {
            "type": "http",
            "method": "GET",
            "path": path,
            "root_path": "",
            "query_string": query,
            "headers": headers,
        }

    async def measure(app: Any, request: dict[str, Any]) -> float:
        for _ in range(1000):
            await app(request, receive, send)
        started = time.perf_counter()
        for _ in range(n):
            await app(request, receive, send)
        return (time.perf_counter() - started) / n * 1e6

    async def run() -> dict[str, float]:
        return {
            "bare ASGI app": await measure(bare, scope("/ping")),
            "tRPC health.ping": await measure(trpc, scope("/health.ping")),
            "tRPC batch of 3": await measure(
                trpc, scope("/health.ping,health.ping,health.ping", b"batch=1&input=%7B%7D")
            ),
        }

    return asyncio.run(run())


def main() -> None:
    micro = in_process()
    for name, value in micro.items():
        print(f"in process: {name:22} {value:8.2f} us/request")
    print()
    seconds = int(os.environ.get("DURATION", "5"))
    rounds = int(os.environ.get("ROUNDS", "3"))
    server = subprocess.Popen([sys.executable, "-c", SERVER])
    try:
        wait_for_port()
        for path in SCENARIOS.values():
            wrk(path, 1)  # warm-up
        results: dict[str, list[float]] = {name: [] for name in SCENARIOS}
        for _ in range(rounds):
            for name, path in SCENARIOS.items():
                results[name].append(wrk(path, seconds))
    finally:
        server.terminate()
        server.wait()
    median = {name: statistics.median(values) for name, values in results.items()}
    route, bare, single, batch = median.values()
    for name, value in median.items():
        print(
            f"{name:28} {value:10.0f} req/s   (rounds: {', '.join(f'{v:.0f}' for v in results[name])})"
        )
    print(f"{'cost ratio tRPC / bare ASGI':28} {bare / single:10.2f}x   (target <= 1.30)")
    print(f"{'cost ratio tRPC / Starlette':28} {route / single:10.2f}x")
    print(
        f"{'calls/s batch of 3 vs single':28} {3 * batch:10.0f} vs {single:.0f}  ({3 * batch / single:.2f}x)"
    )


if __name__ == "__main__":
    main()
