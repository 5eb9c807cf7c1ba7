"""`tandem start` as a user runs it: embedded PostgreSQL, migrations, serving, data kept across restarts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from tandem.db.embedded import EmbeddedPostgres, free_port


def start_server(project: Path, port: int) -> subprocess.Popen[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "NODE_ENV", "APP_ENV", "PORT"}
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tandem.cli.main", "start", "--no-build", "--port", str(port)],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_healthy(base: str, server: subprocess.Popen[str], timeout: float = 60) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        assert server.poll() is None, server.stdout.read() if server.stdout else ""
        try:
            if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("not healthy in time")


def stop(server: subprocess.Popen[str]) -> str:
    server.send_signal(signal.SIGTERM)
    output, _ = server.communicate(timeout=30)
    return output


def test_start_with_the_embedded_database_keeps_data_across_restarts(
    project_factory: Callable[..., Path],
) -> None:
    project = project_factory(with_build=True)
    port = free_port(18090)
    base = f"http://127.0.0.1:{port}"
    cluster = EmbeddedPostgres(root=project / ".tandem" / "pg")
    server = start_server(project, port)
    try:
        wait_healthy(base, server)
        signed_up = httpx.post(
            base + "/api/auth/sign-up/email",
            json={"email": "keep@example.com", "password": "keep-password-1", "name": "Keep"},
            headers={"origin": base},
        )
        assert signed_up.status_code == 200, signed_up.text
        page = httpx.get(base + "/", headers={"accept": "text/html"})
        assert page.status_code == 200 and "index-12345678.js" in page.text
    finally:
        output = stop(server)
    assert server.returncode == 0, output
    assert f"Tandem is running at http://127.0.0.1:{port}" in output
    assert not cluster.is_running(), "the embedded cluster must stop with the server"

    server = start_server(project, port)
    try:
        wait_healthy(base, server)
        signed_in = httpx.post(
            base + "/api/auth/sign-in/email",
            json={"email": "keep@example.com", "password": "keep-password-1"},
            headers={"origin": base},
        )
        assert signed_in.status_code == 200, signed_in.text
    finally:
        stop(server)
    assert not cluster.is_running()
