"""get-session latency while sign-ins hash passwords: is the event loop free of scrypt?

Starts the benchmark's production-mode server (bench/targets.py), measures `GET /api/auth/get-session` with wrk
idle, then again while clients sign in continuously, and prints both p99s and their ratio (target ≤ 2×).

    uv run python bench/auth_under_load.py [--seconds 8] [--connections 16] [--signers 4]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import httpx
from tandem.db.embedded import free_port
from targets import TandemServer

PASSWORD = "bench-password-123"


def wrk_p99(base: str, cookie: str, seconds: int, connections: int) -> tuple[float, float]:
    """(p99 ms, req/s) of get-session under wrk."""
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            f"{base}/api/auth/get-session",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not p99 or not rps:
        raise RuntimeError(out)
    value = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    return value, float(rps.group(1))


def sign_in_load(
    base: str, email: str, signers: int, stop: threading.Event, count: list[int]
) -> None:
    async def signer(client: httpx.AsyncClient) -> None:
        while not stop.is_set():
            response = await client.post(
                "/api/auth/sign-in/email",
                json={"email": email, "password": PASSWORD},
                headers={"origin": base},
            )
            if response.status_code == 200:
                count[0] += 1

    async def main() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            await asyncio.gather(*(signer(client) for _ in range(signers)))

    asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--signers", type=int, default=4)
    args = parser.parse_args()
    server = TandemServer(
        workdir=Path(tempfile.mkdtemp(prefix="tandem-auth-bench-")),
        port=free_port(18560),
        pg_port=free_port(18561),
    )
    base = server.base_url
    try:
        server.start()
        cookies = []
        for who in ("reader", "signer"):
            response = httpx.post(
                base + "/api/auth/sign-up/email",
                json={"email": f"{who}@example.com", "password": PASSWORD, "name": who},
                headers={"origin": base},
            )
            response.raise_for_status()
            cookies.append(response.headers["set-cookie"].split(";")[0])
        wrk_p99(base, cookies[0], 2, args.connections)  # warm-up
        idle_p99, idle_rps = wrk_p99(base, cookies[0], args.seconds, args.connections)
        stop, count = threading.Event(), [0]
        load = threading.Thread(
            target=sign_in_load, args=(base, "signer@example.com", args.signers, stop, count)
        )
        load.start()
        time.sleep(1)
        started, before = time.monotonic(), count[0]
        loaded_p99, loaded_rps = wrk_p99(base, cookies[0], args.seconds, args.connections)
        sign_ins = (count[0] - before) / (time.monotonic() - started)
        stop.set()
        load.join()
        print(f"get-session idle:            p99 {idle_p99:7.2f} ms   {idle_rps:8.0f} req/s")
        print(
            f"get-session during sign-ins: p99 {loaded_p99:7.2f} ms   {loaded_rps:8.0f} req/s"
            f"   ({sign_ins:.1f} sign-ins/s from {args.signers} clients)"
        )
        print(f"p99 ratio loaded/idle: {loaded_p99 / idle_p99:.2f}x (target <= 2x)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
