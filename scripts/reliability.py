"""The reliability suite with long load phases and many fuzz cases, then every figure it measured.

    uv run python scripts/reliability.py            # long run (RELIABILITY_LONG=1): 30 s load, 3000 cases per fuzzer
    uv run python scripts/reliability.py --short    # the CI durations
    uv run python scripts/reliability.py -k outage  # extra arguments go to pytest

The tests live in apps/api/tests/reliability/; each figure is one JSON line written by `harness.report`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    short = "--short" in argv
    extra = [a for a in argv if a != "--short"]
    with tempfile.TemporaryDirectory() as folder:
        figures = Path(folder) / "figures.jsonl"
        env = {**os.environ, "RELIABILITY_REPORT": str(figures), "UV_PYTHON_DOWNLOADS": "never"}
        if not short:
            env["RELIABILITY_LONG"] = "1"
        command = [
            sys.executable,
            "-m",
            "pytest",
            "apps/api/tests/reliability",
            "-p",
            "no:cacheprovider",
            "-o",
            "timeout=900",
            *extra,
        ]
        status = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
        print("\nFigures measured:")
        lines = figures.read_text().splitlines() if figures.exists() else []
        for line in lines:
            entry = json.loads(line)
            name = entry.pop("test")
            print(f"  {name}")
            for key, value in entry.items():
                print(f"      {key}: {value}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
