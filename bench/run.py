"""Load benchmark of the Tandem server, optionally against the TypeScript reference (example-app.md §12).

    uv run python bench/run.py                   # Tandem only, full matrix
    uv run python bench/run.py --vs-reference    # both servers, alternating, with ratios
    uv run python bench/run.py --quick           # 1 round of 3 s runs (smoke)

Knobs (environment): DURATION (10s), WARMUP (3s), CONNS ("32 128"), ROUNDS (3), WORKERS (1),
WRK_THREADS (2), USERS (20), TASKS (50). See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from loadgen import BY_NAME, SCENARIOS, WRK, Scenario, command_line, run_wrk
from procstat import RssSampler, tree_cpu_seconds, tree_rss
from report import markdown, ratio_table, ratios, summarize, summary_table
from seeding import seed
from targets import ReferenceServer, TandemServer, Target

OUT = Path(__file__).resolve().parent / "out"
PORTS = range(18500, 18600)
PAUSE_S = 0.5
MIB = 1024 * 1024


def seconds(text: str) -> float:
    text = text.strip().lower()
    if text.endswith("ms"):
        return float(text[:-2]) / 1000
    if text.endswith("m"):
        return float(text[:-1]) * 60
    return float(text.removesuffix("s"))


def free_ports(count: int) -> list[int]:
    found = []
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    raise SystemExit(f"no {count} free ports in {PORTS.start}-{PORTS.stop - 1}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--vs-reference", action="store_true", help="also run the TS reference")
    which.add_argument("--reference-only", action="store_true", help="run only the TS reference")
    parser.add_argument("--quick", action="store_true", help="1 round, 3 s runs, 1 s warm-up")
    parser.add_argument(
        "--server", choices=("uvicorn", "granian"), default=env("SERVER", "uvicorn")
    )
    parser.add_argument("--workers", type=int, default=int(env("WORKERS", "1")))
    parser.add_argument(
        "--scenarios",
        default=env("SCENARIOS", ",".join(s.name for s in SCENARIOS)),
        help="comma-separated subset of: " + ", ".join(BY_NAME),
    )
    parser.add_argument("--out", type=Path, default=OUT, help="where results go (bench/out)")
    args = parser.parse_args(argv)
    args.duration = seconds(env("DURATION", "3s" if args.quick else "10s"))
    args.warmup = seconds(env("WARMUP", "1s" if args.quick else "3s"))
    args.rounds = int(env("ROUNDS", "1" if args.quick else "3"))
    args.conns = [int(c) for c in env("CONNS", "32 128").split()]
    args.wrk_threads = int(env("WRK_THREADS", "2"))
    args.users = int(env("USERS", "20"))
    args.tasks = int(env("TASKS", "50"))
    unknown = [name for name in args.scenarios.split(",") if name not in BY_NAME]
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)}")
    args.scenario_list = [BY_NAME[name] for name in args.scenarios.split(",")]
    return args


def build_targets(args: argparse.Namespace, workdir: Path) -> list[Target]:
    targets: list[Target] = []
    if not args.reference_only:
        port, pg_port = free_ports(2)
        targets.append(
            TandemServer(
                workdir / "tandem", port, pg_port, workers=args.workers, server=args.server
            )
        )
    if args.vs_reference or args.reference_only:
        targets.append(ReferenceServer())
    return targets


def measure(
    target: Target, scenario: Scenario, conns: int, args: argparse.Namespace, cookies: Path
) -> dict[str, Any]:
    cpu_before = tree_cpu_seconds(target.pid)
    with RssSampler(target.pid) as rss:
        result = run_wrk(
            target.base_url,
            scenario,
            connections=conns,
            seconds=args.duration,
            threads=args.wrk_threads,
            cookies_file=cookies,
        )
    return result | {
        "cpu_s": round(tree_cpu_seconds(target.pid) - cpu_before, 2),
        "rss_max_mib": round(rss.max_bytes / MIB, 1),
        "rss_avg_mib": round(rss.avg_bytes / MIB, 1),
        "rss_samples": len(rss.samples),
    }


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    targets = build_targets(args, workdir)
    servers: dict[str, dict[str, Any]] = {}
    runs: list[dict[str, Any]] = []
    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        for target in targets:
            print(f"starting {target.name} …", flush=True)
            target.start()
            cookies = workdir / f"cookies-{target.name}.txt"
            print(f"seeding {target.name}: {args.users} users × {args.tasks} tasks", flush=True)
            session_cookies, seeded = asyncio.run(
                seed(target.base_url, users=args.users, tasks=args.tasks)
            )
            cookies.write_text("".join(c + "\n" for c in session_cookies))
            print(f"  {seeded}", flush=True)
            servers[target.name] = {
                "pid": target.pid,
                "seed": seeded,
                "cookies": cookies,
                "rss_idle_mib": round(tree_rss(target.pid) / MIB, 1),
            }
        total = args.rounds * len(args.conns) * len(args.scenario_list)
        step = 0
        for round_no in range(1, args.rounds + 1):
            for conns in args.conns:
                for scenario in args.scenario_list:
                    # alternate which server goes first so neither always follows the other
                    order = targets if step % 2 == 0 else targets[::-1]
                    step += 1
                    for target in order:
                        cookies = servers[target.name]["cookies"]
                        if round_no == 1 and args.warmup > 0:
                            run_wrk(
                                target.base_url,
                                scenario,
                                connections=conns,
                                seconds=args.warmup,
                                threads=args.wrk_threads,
                                cookies_file=cookies,
                            )
                        record = {
                            "server": target.name,
                            "round": round_no,
                            "scenario": scenario.name,
                            "connections": conns,
                        } | measure(target, scenario, conns, args, cookies)
                        record["command"] = command_line(
                            scenario, conns, args.duration, args.wrk_threads
                        )
                        runs.append(record)
                        print(
                            f"[{step}/{total}] r{round_no} c{conns} {scenario.name:<11} "
                            f"{target.name:<9} {record['rps']:>8.0f} req/s  "
                            f"p50 {record['p50_ms']:7.2f}  p99 {record['p99_ms']:8.2f} ms  "
                            f"err {record['errors']}  rss {record['rss_avg_mib']:.0f} MiB  "
                            f"cpu {record['cpu_s']:.1f} s",
                            flush=True,
                        )
                        if scenario.name == "task_create":
                            target.delete_bench_tasks()
                        time.sleep(PAUSE_S)
        for target in targets:
            servers[target.name]["rss_end_mib"] = round(tree_rss(target.pid) / MIB, 1)
    finally:
        for target in targets:
            print(f"stopping {target.name} …", flush=True)
            target.stop()
    for info in servers.values():
        info["cookies"] = str(info["cookies"])
    summary = summarize(runs)
    return {
        "meta": {
            "started": started,
            "finished": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "rounds": args.rounds,
            "connections": args.conns,
            "wrk_threads": args.wrk_threads,
            "server": args.server,
            "workers": args.workers,
            "cpus": os.cpu_count(),
            "wrk": WRK,
        },
        "servers": servers,
        "runs": runs,
        "summary": summary,
        "ratios": ratios(summary),
    }


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not Path(WRK).exists():
        raise SystemExit(f"{WRK} not found: apt-get install -y wrk")
    signal.signal(signal.SIGTERM, _terminate)
    with tempfile.TemporaryDirectory(prefix="tandem-bench-") as tmp:
        result = run(args, Path(tmp))
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = result["meta"]["started"].replace(":", "").replace("-", "")
    json_path = args.out / f"bench-{stamp}.json"
    md_path = json_path.with_suffix(".md")
    json_path.write_text(json.dumps(result, indent=2) + "\n")
    md_path.write_text(markdown(result))
    (args.out / "latest.json").write_text(json_path.read_text())
    (args.out / "latest.md").write_text(md_path.read_text())
    print()
    print(summary_table(result["summary"]))
    if result["ratios"]:
        print()
        print(ratio_table(result["ratios"]))
    print(f"\nwrote {json_path} and {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
