"""The fake Northflank API on a real port, and a project checkout for the CLI to work in."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from .fake_northflank import TOKEN, FakeNorthflank

FAKE_PORT = 18410


@pytest.fixture(scope="session")
def _fake_server() -> Iterator[FakeNorthflank]:
    fake = FakeNorthflank()
    server = uvicorn.Server(
        uvicorn.Config(
            fake.app, host="127.0.0.1", port=FAKE_PORT, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"the fake Northflank API did not start on port {FAKE_PORT}")
        time.sleep(0.02)
    yield fake
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def fake(_fake_server: FakeNorthflank) -> FakeNorthflank:
    """The fake, emptied for this test."""
    _fake_server.reset()
    return _fake_server


@pytest.fixture
def api_url() -> str:
    return f"http://127.0.0.1:{FAKE_PORT}"


@pytest.fixture
def env(api_url: str) -> dict[str, str]:
    """Environment for CLI runs: the fake's URL and token, nothing inherited that could change the result."""
    return {
        "NORTHFLANK_API_URL": api_url,
        "NORTHFLANK_API_TOKEN": TOKEN,
        "BETTER_AUTH_SECRET": "",
        "NORTHFLANK_PROJECT_NAME": "",
        "NORTHFLANK_REPO_URL": "",
        "NORTHFLANK_BRANCH": "",
        "NORTHFLANK_REGION": "",
        "NORTHFLANK_PLAN": "",
    }


@pytest.fixture
def project_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git checkout of a user's project (origin on GitHub, one commit), as the working directory."""
    (tmp_path / "package.json").write_text(json.dumps({"name": "tandem", "private": True}))

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("remote", "add", "origin", "git@github.com:acme/tandem.git")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "init")
    monkeypatch.chdir(tmp_path)
    return tmp_path
