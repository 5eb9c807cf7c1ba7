"""The benchmark harness (bench/run.py) end to end, in its smallest form: our server, one scenario, 1 s."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_bench_harness_measures_task_list(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DURATION": "1s",
        "WARMUP": "0",
        "CONNS": "8",
        "WRK_THREADS": "1",
        "USERS": "2",
        "TASKS": "3",
    }
    done = subprocess.run(
        [
            sys.executable,
            "bench/run.py",
            "--quick",
            "--scenarios",
            "task_list",
            "--out",
            str(tmp_path),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]

    result = json.loads((tmp_path / "latest.json").read_text())
    assert result["servers"]["tandem"]["seed"]["users"] == 2
    [run] = result["runs"]
    assert (run["server"], run["scenario"], run["connections"]) == ("tandem", "task_list", 8)
    assert run["requests"] > 0
    assert run["errors"] == 0, run
    assert run["rss_max_mib"] > 10
    assert run["rss_samples"] >= 2
    [row] = result["summary"]
    assert row["rps"] == run["rps"]
    assert result["ratios"] == []
    assert (
        "| tandem | GET task.list {limit:20} + cookie | 8 |" in (tmp_path / "latest.md").read_text()
    )


def test_coldstart_benchmark_times_production_starts(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "bench/coldstart.py", "--runs", "2", "--out", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]

    result = json.loads((tmp_path / "coldstart-latest.json").read_text())
    tandem = result["servers"]["tandem"]
    assert len(tandem["starts_s"]) == 2 and tandem["first_s"] > 0
    assert min(tandem["starts_s"]) == tandem["min_s"] > 0
    assert "measured starts under 1 s" in done.stdout
