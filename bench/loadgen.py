"""The scenarios (example-app.md §12.2) and one wrk run of a scenario."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WRK = "/usr/bin/wrk"
SCRIPT = Path(__file__).with_name("wrk.lua")


@dataclass(frozen=True)
class Scenario:
    name: str
    label: str
    method: str
    path: str
    body: str | None = None
    cookies: bool = False


LIST_INPUT = "%7B%22limit%22%3A20%7D"  # {"limit":20}
BATCH_INPUT = "%7B%221%22%3A%7B%22limit%22%3A20%7D%2C%222%22%3A%7B%22limit%22%3A5%7D%7D"

SCENARIOS = (
    Scenario("health", "GET /api/health (SELECT 1)", "GET", "/api/health"),
    Scenario("trpc_ping", "GET /api/trpc/health.ping", "GET", "/api/trpc/health.ping"),
    Scenario(
        "task_list",
        "GET task.list {limit:20} + cookie",
        "GET",
        f"/api/trpc/task.list?input={LIST_INPUT}",
        cookies=True,
    ),
    Scenario(
        "batch3",
        "GET batch ping,list,list + cookie",
        "GET",
        f"/api/trpc/health.ping,task.list,task.list?batch=1&input={BATCH_INPUT}",
        cookies=True,
    ),
    Scenario(
        "get_session",
        "GET /api/auth/get-session + cookie",
        "GET",
        "/api/auth/get-session",
        cookies=True,
    ),
    Scenario(
        "task_create",
        "POST task.create + cookie",
        "POST",
        "/api/trpc/task.create",
        body='{"title":"bench task","description":"created by wrk"}',
        cookies=True,
    ),
)
BY_NAME = {s.name: s for s in SCENARIOS}


class WrkError(RuntimeError):
    pass


def run_wrk(
    base_url: str,
    scenario: Scenario,
    *,
    connections: int,
    seconds: float,
    threads: int,
    cookies_file: Path,
) -> dict[str, Any]:
    """Run wrk once and return the numbers its script reports (see wrk.lua)."""
    env = {
        **os.environ,
        "BENCH_METHOD": scenario.method,
        "BENCH_PATH": scenario.path,
        "BENCH_BODY": scenario.body or "",
        "BENCH_COOKIES": str(cookies_file) if scenario.cookies else "",
    }
    argv = [
        WRK,
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--timeout",
        "10s",
        "-s",
        str(SCRIPT),
        base_url + "/",
    ]
    done = subprocess.run(
        argv, env=env, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith("WRKJSON "):
            result: dict[str, Any] = json.loads(line.removeprefix("WRKJSON "))
            result["errors"] = sum(
                result[k]
                for k in ("err_connect", "err_read", "err_write", "err_timeout", "err_status")
            )
            return result
    raise WrkError(f"wrk gave no result (exit {done.returncode}): {done.stderr or done.stdout}")


def command_line(scenario: Scenario, connections: int, seconds: float, threads: int) -> str:
    """The shell command that reproduces a measured run (for the report)."""
    parts = [f"BENCH_METHOD={scenario.method}", f"BENCH_PATH='{scenario.path}'"]
    if scenario.body:
        parts.append(f"BENCH_BODY='{scenario.body}'")
    if scenario.cookies:
        parts.append("BENCH_COOKIES=cookies.txt")
    parts.append(
        f"wrk -t{threads} -c{connections} -d{seconds:g}s --timeout 10s -s bench/wrk.lua URL/"
    )
    return " ".join(parts)
