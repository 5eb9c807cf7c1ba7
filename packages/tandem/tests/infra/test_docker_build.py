"""The Dockerfile's build, run without Docker: its stages' COPY and RUN steps replayed on a copy of the repository.

Each stage gets its own directory standing in for `/app`; COPY takes only files that reach the build context
(tracked or committable, not excluded by .dockerignore); RUN lines run as written, except the ones that
install the build tools themselves (pnpm, uv), which the machine already has. The runtime stage's CMD then
serves on a port of this area's range against a throwaway database, and the image's HEALTHCHECK command
must pass.
"""

from __future__ import annotations

import fnmatch
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[4]
PORT = 18420
TOOL_INSTALLS = ("npm install --global pnpm@", "pip install --no-cache-dir uv==", "groupadd ")
# Cache policy only: the test keeps uv's cache and skips bytecode compilation to stay fast.
SKIPPED_ENV = {"UV_NO_CACHE", "UV_COMPILE_BYTECODE"}


@dataclass
class Stage:
    name: str
    instructions: list[tuple[str, str]] = field(default_factory=list)


def parse_dockerfile(text: str) -> dict[str, Stage]:
    stages: dict[str, Stage] = {}
    current: Stage | None = None
    logical = text.replace("\\\n", " ")
    for line in logical.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "FROM":
            current = Stage(rest.split(" AS ")[-1].strip())
            stages[current.name] = current
        elif current is not None:
            current.instructions.append((keyword, rest.strip()))
    return stages


def context_files() -> list[str]:
    """What `docker build .` would send: committable files minus .dockerignore."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    def ignored(path: str) -> bool:
        parts = path.split("/")
        candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
        result = False
        for pattern in patterns:
            glob = pattern.removeprefix("!")
            if any(
                fnmatch.fnmatch(c, g) for c in candidates for g in (glob, glob.removeprefix("**/"))
            ):
                result = not pattern.startswith("!")
        return result

    return [path for path in listed if (ROOT / path).is_file() and not ignored(path)]


def copy_from_context(files: list[str], sources: list[str], dest: str, stage_dir: Path) -> None:
    target = stage_dir / dest.removeprefix("/app").lstrip("/")
    for source in sources:
        source = source.rstrip("/")
        matched = [path for path in files if path == source or path.startswith(source + "/")]
        assert matched, f"COPY {source}: nothing in the build context"
        for path in matched:
            if path == source:
                destination = target / Path(path).name if dest.endswith("/") else target
            else:
                destination = target / path[len(source) + 1 :]
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / path, destination)


def run_stage(
    stage: Stage, stage_dir: Path, files: list[str], env: dict[str, str], dirs: dict[str, Path]
) -> dict[str, str]:
    """Replay one stage; returns its environment (ENV and ARG values)."""
    env = dict(env)
    stage_dir.mkdir(parents=True, exist_ok=True)
    for keyword, rest in stage.instructions:
        if keyword in ("ENV", "ARG"):
            for assignment in shlex.split(rest):
                name, _, value = assignment.partition("=")
                if name not in SKIPPED_ENV:
                    env[name] = value.replace("$PATH", env.get("PATH", ""))
        elif keyword == "COPY":
            words = rest.split()
            if words[0].startswith("--from="):
                source_stage = words[0].removeprefix("--from=")
                source = dirs[source_stage] / words[1].removeprefix("/app").lstrip("/")
                target = stage_dir / words[2].removeprefix("/app").lstrip("/")
                if source != target:
                    shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True)
            else:
                copy_from_context(files, words[:-1], words[-1], stage_dir)
        elif keyword == "RUN" and not rest.startswith(TOOL_INSTALLS):
            result = subprocess.run(
                ["sh", "-c", rest],
                cwd=stage_dir,
                env=env,
                capture_output=True,
                text=True,
                timeout=900,
            )
            assert result.returncode == 0, (
                f"RUN {rest}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
    return env


def base_env() -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "XDG_CACHE_HOME", "UV_CACHE_DIR", "npm_config_store_dir")
    return {name: os.environ[name] for name in keep if name in os.environ} | {
        "UV_PYTHON_DOWNLOADS": "never"
    }


@pytest.mark.timeout(900)
def test_dockerfile_steps_build_a_working_server(tmp_path: Path, database_url: str) -> None:
    stages = parse_dockerfile((ROOT / "Dockerfile").read_text())
    assert list(stages) == ["web", "api", "runtime"]
    files = context_files()
    # The api and runtime stages share /app, so they share a directory here (the venv's paths stay valid).
    dirs = {"web": tmp_path / "web", "api": tmp_path / "app", "runtime": tmp_path / "app"}
    for name in ("web", "api"):
        run_stage(stages[name], dirs[name], files, base_env(), dirs)
    runtime_env = run_stage(stages["runtime"], dirs["runtime"], files, base_env(), dirs)
    assert (dirs["runtime"] / "apps/web/dist/index.html").is_file()
    # The image cannot write bytecode at run time (PYTHONDONTWRITEBYTECODE, read-only layers): it ships it.
    for module in ("packages/tandem/src/tandem/cli/main", "apps/api/src/tandem_api/main"):
        source = dirs["runtime"] / f"{module}.py"
        assert list(source.parent.glob(f"__pycache__/{source.stem}.cpython-*.pyc")), module

    instructions = dict(stages["runtime"].instructions)
    command = json.loads(instructions["CMD"])
    healthcheck = json.loads(instructions["HEALTHCHECK"].split(" CMD ", 1)[1])
    venv_bin = dirs["runtime"] / ".venv" / "bin"
    assert shutil.which(command[0], path=str(venv_bin)), (
        f"{command[0]} is not installed in the image's venv"
    )
    server_env = {
        **runtime_env,
        "PATH": f"{venv_bin}:{runtime_env['PATH']}",
        "PORT": str(PORT),
        "HOST": "127.0.0.1",  # the image listens on 0.0.0.0; tests stay on loopback
        "DATABASE_URL": database_url,
        "BETTER_AUTH_SECRET": "docker-steps-test-secret-0123456789abcdef",
        "BETTER_AUTH_URL": f"http://127.0.0.1:{PORT}",
    }
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [str(venv_bin / command[0]), *command[1:]],
        cwd=dirs["runtime"],
        env=server_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{PORT}") as client:
            deadline = time.monotonic() + 60
            while True:
                assert server.poll() is None, (tmp_path / "server.log").read_text()[-3000:]
                try:
                    health = client.get("/api/health")
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, (tmp_path / "server.log").read_text()[
                        -3000:
                    ]
                    time.sleep(0.3)
            assert health.status_code == 200, health.text
            assert health.json()["status"] == "ok" and health.json()["database"] == "up"
            page = client.get("/tasks")
            assert page.status_code == 200 and "<div id=" in page.text  # the SPA, with its fallback
        probe = subprocess.run(
            [sys.executable if healthcheck[0] == "python" else healthcheck[0], *healthcheck[1:]],
            env=server_env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert probe.returncode == 0, probe.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
