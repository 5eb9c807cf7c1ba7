"""The SPA build: when it is missing or older than its sources, build it with pnpm."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from tandem.cli.console import fail, ok, step

_SOURCES = (
    "src",
    "public",
    "index.html",
    "package.json",
    "vite.config.ts",
    "tsconfig.json",
    "tsconfig.app.json",
)


def newest_source_mtime(web_dir: Path) -> float:
    newest = 0.0
    for name in _SOURCES:
        path = web_dir / name
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
        elif path.is_dir():
            newest = max([newest, *(p.stat().st_mtime for p in path.rglob("*") if p.is_file())])
    return newest


def missing_assets(dist: Path) -> list[str]:
    """Assets `index.html` references that are not in the build."""
    index = dist / "index.html"
    if not index.is_file():
        return ["index.html"]
    referenced = re.findall(r'(?:src|href)="(/[^"]+)"', index.read_text())
    return [ref for ref in referenced if not (dist / ref.lstrip("/").split("?")[0]).is_file()]


def build_state(web_dir: Path) -> str | None:
    """None when the build is usable, else why it is not."""
    dist = web_dir / "dist"
    missing = missing_assets(dist)
    if missing:
        return "missing " + ", ".join(missing[:3])
    if newest_source_mtime(web_dir) > (dist / "index.html").stat().st_mtime:
        return "older than its sources"
    return None


def build_web(web_dir: Path) -> None:
    pnpm = shutil.which("pnpm")
    if pnpm is None:
        fail("pnpm is not installed: run `npm install -g pnpm@12.21.0` (or `make setup`)")
    if not (web_dir / "node_modules").exists():
        step("installing web dependencies (pnpm install)")
        subprocess.run(
            [pnpm, "install", "--frozen-lockfile"], cwd=web_dir.parent.parent, check=True
        )
    step("building the SPA (vite build)")
    result = subprocess.run(
        [pnpm, "--filter", "@repo/web", "build"], cwd=web_dir.parent.parent, check=False
    )
    if result.returncode != 0:
        fail("the SPA build failed (see above)")
    ok("SPA built into " + str((web_dir / "dist").relative_to(web_dir.parent.parent)))


def ensure_web_build(web_dir: Path) -> None:
    reason = build_state(web_dir)
    if reason is None:
        return
    step(f"the SPA build is {reason}")
    build_web(web_dir)
