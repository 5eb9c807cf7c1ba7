"""Cold start: from launching the server to its first healthy `/api/health` (database "up"), against an
external, already migrated PostgreSQL — what a platform sees when it starts or restarts a container.

    uv run python bench/coldstart.py                  # Tandem: 1 first start + 10 measured starts
    uv run python bench/coldstart.py --vs-reference   # and the TypeScript reference, alternating
    uv run python bench/coldstart.py --runs 3 --out /tmp/coldstart

Tandem runs as the production image runs it (`tandem start`, the virtualenv's console script, `NODE_ENV=
production`, bytecode compiled beforehand as the Dockerfile does), so each start includes reading the settings,
checking the database is at the migrations' head and importing the app. The reference runs as its run.sh runs it (`node .output/server/index.mjs`, migrations applied
beforehand by its own script). Both use databases in one fresh cluster. The first start of each is reported
apart: it may be writing bytecode or warming the file cache; the medians are over the measured starts.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass, field
from pathlib import Path

from tandem.db import create_database
from tandem.db.embedded import EmbeddedPostgres, free_port
from targets import FOREIGN_ENV, REFERENCE_DIR, REPO, SECRET, reference_environment

TARGET_SECONDS = 1.0
GIVE_UP_SECONDS = 30.0


@dataclass
class Contender:
    name: str
    argv: list[str]
    cwd: Path
    env: dict[str, str]
    port: int
    first: float = 0.0
    starts: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.starts)

    def summary(self) -> dict[str, object]:
        return {
            "first_s": self.first,
            "starts_s": self.starts,
            "median_s": self.median,
            "min_s": min(self.starts),
            "max_s": max(self.starts),
        }


def healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/api/health")
        response = connection.getresponse()
        body = response.read()
    except OSError:
        return False
    finally:
        connection.close()
    if response.status != 200:
        return False
    return bool(json.loads(body).get("database") == "up")


def time_one_start(contender: Contender) -> float:
    """Seconds from spawning the server to its first healthy answer; the server is stopped afterwards."""
    began = time.perf_counter()
    process = subprocess.Popen(
        contender.argv,
        cwd=contender.cwd,
        env=contender.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        while not healthy(contender.port):
            if process.poll() is not None:
                stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
                raise SystemExit(f"{contender.name} exited during start-up:\n{stderr[-3000:]}")
            if time.perf_counter() - began > GIVE_UP_SECONDS:
                raise SystemExit(f"{contender.name} was not healthy after {GIVE_UP_SECONDS:.0f} s")
            time.sleep(0.005)
        return time.perf_counter() - began
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def clean_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in (*FOREIGN_ENV, "DATABASE_URL")}


def production_settings(port: int, database_url: str) -> dict[str, str]:
    """What both servers read, under the same names."""
    return {
        "NODE_ENV": "production",
        "BETTER_AUTH_SECRET": SECRET,
        "BETTER_AUTH_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database_url,
    }


def tandem(database_url: str) -> Contender:
    port = free_port(18690)
    env = clean_environment() | production_settings(port, database_url) | {"LOG_LEVEL": "warning"}
    executable = Path(sys.executable).parent / "tandem"
    subprocess.run(
        [executable, "db", "migrate"], cwd=REPO, env=env, check=True, capture_output=True
    )
    argv = [str(executable), "start", "--host", "127.0.0.1", "--port", str(port)]
    return Contender("tandem", argv, REPO, env, port)


def reference(database_url: str) -> Contender:
    entry = REFERENCE_DIR / ".output" / "server" / "index.mjs"
    if not entry.exists():
        raise SystemExit(
            f"the reference is not built: cd {REFERENCE_DIR} && npm ci && npm run build"
        )
    port = free_port(18695)
    env = reference_environment() | production_settings(port, database_url)
    env |= {
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "NITRO_HOST": "127.0.0.1",
        "NITRO_PORT": str(port),
    }
    migrate = ["node", "scripts/migrate.mjs"]
    subprocess.run(migrate, cwd=REFERENCE_DIR, env=env, check=True, capture_output=True)
    return Contender("reference", ["node", str(entry)], REFERENCE_DIR, env, port)


def compile_bytecode() -> None:
    """What the image does at build time (UV_COMPILE_BYTECODE, compileall): a start then reads bytecode.

    Without it, and with PYTHONDONTWRITEBYTECODE set (as on this kind of machine and in the image), every start
    compiles each module it imports from source: 1.06 s instead of 0.30 s (median of 5) on this machine.
    """
    sources = [sysconfig.get_paths()["purelib"], "packages/tandem/src", "apps/api/src"]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j0", *sources],
        cwd=REPO,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def report(contenders: list[Contender]) -> str:
    lines = [
        "| server | first start | median | min | max | starts |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for c in contenders:
        lines.append(
            f"| {c.name} | {c.first:.3f} s | {c.median:.3f} s | {min(c.starts):.3f} s "
            f"| {max(c.starts):.3f} s | {len(c.starts)} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="measured starts per server")
    parser.add_argument("--vs-reference", action="store_true", help="also time the TypeScript one")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    options = parser.parse_args()

    compile_bytecode()
    cluster = EmbeddedPostgres.throwaway("tandem-coldstart-", database="tandem")
    try:
        url = cluster.start()
        contenders = [tandem(url)]
        if options.vs_reference:
            reference_url = asyncio.run(create_database(cluster.admin_url(), "reference"))
            contenders.append(reference(reference_url))
        for contender in contenders:
            contender.first = time_one_start(contender)
        for round_number in range(options.runs):
            # alternate who goes first, as the load benchmark does
            order = contenders if round_number % 2 == 0 else contenders[::-1]
            for contender in order:
                contender.starts.append(time_one_start(contender))
    finally:
        cluster.destroy()

    table = report(contenders)
    print(table)
    ours = contenders[0]
    within = sum(start < TARGET_SECONDS for start in ours.starts)
    print(
        f"\nTandem cold start: median {ours.median:.3f} s, worst {max(ours.starts):.3f} s; "
        f"{within}/{len(ours.starts)} measured starts under {TARGET_SECONDS:.0f} s"
    )
    if len(contenders) > 1:
        print(f"ours / reference (median): {ours.median / contenders[1].median:.2f}")
    options.out.mkdir(parents=True, exist_ok=True)
    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "runs": options.runs,
        "servers": {c.name: c.summary() for c in contenders},
    }
    (options.out / "coldstart-latest.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
