"""Third-party npm tools the tests run: installed once per machine into the user's cache."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


def npm_package(spec: str) -> Path:
    """A directory whose node_modules holds the npm package `spec` (name@version), installed once."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "tandem-tests"
    prefix = cache / spec.replace("/", "+").replace("@", "_")
    name = spec.rsplit("@", 1)[0]
    if not (prefix / "node_modules" / name / "package.json").exists():
        npm = shutil.which("npm")
        assert npm, f"npm is needed to install {spec}"
        prefix.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [npm, "install", "--yes", "--no-audit", "--no-fund", "--prefix", str(prefix), spec],
            cwd=prefix,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
    return prefix
