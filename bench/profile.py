"""Profile the Tandem server under load: py-spy samples the serving process while wrk runs a scenario.

    uv run python bench/profile.py task_list get_session     # 15 s per scenario, 32 connections
    DURATION=20s CONNS=128 WORKERS=1 uv run python bench/profile.py task_list

py-spy is not a project dependency: put it on PATH or point PY_SPY at it
(`uv venv /tmp/pyspy && uv pip install --python /tmp/pyspy py-spy`; PY_SPY=/tmp/pyspy/bin/py-spy).
Writes bench/out/profile-<scenario>.txt (collapsed stacks, for flamegraph.pl or speedscope) and prints the
functions with the most samples on top of the stack (self) and anywhere in it (inclusive).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from loadgen import BY_NAME, run_wrk
from procstat import process_tree
from run import OUT, free_ports, seconds
from seeding import seed
from targets import TandemServer

# frames every sample has (the CLI and the event loop): not worth listing
BORING = ("click/", "tandem/cli/", "asyncio/runners.py", "uvicorn/main.py", "<module>")


def hotspots(collapsed: Path, top: int = 20) -> str:
    own: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        total += int(count)
        own[frames[-1]] += int(count)
        for frame in set(frames):
            anywhere[frame] += int(count)
    if not total:
        return "no samples"
    lines = [f"{total} samples", "-- self --"]
    lines += [f"{100 * n / total:5.1f}%  {f}" for f, n in own.most_common(top)]
    lines.append("-- inclusive --")
    interesting = [(f, n) for f, n in anywhere.most_common() if not any(b in f for b in BORING)]
    lines += [f"{100 * n / total:5.1f}%  {f}" for f, n in interesting[:top]]
    return "\n".join(lines)


def serving_pids(root: int) -> list[int]:
    """The processes that run the app: the workers, or the single process when there are none."""
    tree = process_tree(root)
    parents = {info.ppid for info in tree}
    leaves = [info.pid for info in tree if info.pid not in parents]
    return leaves or [root]


def main() -> int:
    names = sys.argv[1:] or ["task_list", "get_session"]
    py_spy = os.environ.get("PY_SPY") or shutil.which("py-spy")
    if py_spy is None:
        raise SystemExit(__doc__)
    duration = seconds(os.environ.get("DURATION", "15s"))
    connections = int(os.environ.get("CONNS", "32").split()[0])
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tandem-profile-") as tmp:
        port, pg_port = free_ports(2)
        server = TandemServer(
            Path(tmp) / "tandem",
            port,
            pg_port,
            workers=int(os.environ.get("WORKERS", "1")),
            server=os.environ.get("SERVER", "uvicorn"),
        )
        try:
            server.start()
            cookies, _ = asyncio.run(seed(server.base_url, users=20, tasks=50))
            cookies_file = Path(tmp) / "cookies.txt"
            cookies_file.write_text("".join(c + "\n" for c in cookies))
            for name in names:
                scenario = BY_NAME[name]
                load: dict[str, Any] = {}

                def drive(seconds: float, into: dict[str, Any], scenario: Any = scenario) -> None:
                    into |= run_wrk(
                        server.base_url,
                        scenario,
                        connections=connections,
                        seconds=seconds,
                        threads=2,
                        cookies_file=cookies_file,
                    )

                drive(3, {})  # warm-up
                wrk = threading.Thread(target=drive, args=(duration, load))
                wrk.start()
                output = OUT / f"profile-{name}.txt"
                pid = serving_pids(server.pid)[0]
                record = ["record", "--pid", str(pid), "--duration", f"{max(1, duration - 1):.0f}"]
                record += [
                    "--rate",
                    "250",
                    "--nonblocking",
                    "--format",
                    "raw",
                    "--output",
                    str(output),
                ]
                subprocess.run(
                    [py_spy, *record],
                    capture_output=True,
                    check=True,
                )
                wrk.join()
                print(f"== {name}: {load['rps']:.0f} req/s, p99 {load['p99_ms']:.1f} ms ({output})")
                print(hotspots(output))
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
