"""The servers under test: Tandem (ours) and the TypeScript reference, each with its own PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import asyncpg
import httpx
from tandem.db.embedded import EmbeddedPostgres

REPO = Path(__file__).resolve().parent.parent
REFERENCE_DIR = Path(os.environ.get("TS_REFERENCE_DIR", "/work/shared/reference/ts-stack"))
SECRET = "tandem-bench-secret-not-for-production-0123456789"
# what a developer's shell may hold that would point a server somewhere else
FOREIGN_ENV = ("PORT", "HOST", "NITRO_PORT", "WEB_CONCURRENCY", "WORKERS", "TANDEM_CONFORMANCE")


def reference_environment() -> dict[str, str]:
    """A clean environment for the reference: its scripts read DATABASE_URL, PORT, BETTER_AUTH_* … from it."""
    return {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}


class TargetError(RuntimeError):
    pass


class Target(Protocol):
    name: str

    @property
    def base_url(self) -> str: ...

    @property
    def pid(self) -> int:
        """The root of the server's process tree."""
        ...

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def delete_bench_tasks(self) -> None: ...


def wait_healthy(base_url: str, alive: object, log: Path, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(alive) and not alive():
            raise TargetError(f"server exited during start-up:\n{_tail(log)}")
        try:
            if httpx.get(base_url + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TargetError(f"{base_url} did not become healthy in {timeout:.0f} s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no log at {log})"


def _delete_bench_tasks(database_url: str) -> None:
    async def run() -> None:
        connection = await asyncpg.connect(database_url)
        try:
            await connection.execute("""DELETE FROM "task" WHERE "title" = 'bench task'""")
        finally:
            await connection.close()

    asyncio.run(run())


@dataclass
class TandemServer:
    """`tandem start` in production mode against a fresh, durable PostgreSQL cluster under `workdir`."""

    workdir: Path
    port: int
    pg_port: int
    workers: int = 1
    server: str = "uvicorn"
    name: str = "tandem"
    _process: subprocess.Popen[bytes] | None = None
    _cluster: EmbeddedPostgres | None = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.workdir / "server.log"

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._cluster = EmbeddedPostgres(
            root=self.workdir / "pg", port=self.pg_port, database="tandem", durable=True
        )
        database_url = self._cluster.start()
        env = {k: v for k, v in os.environ.items() if k not in FOREIGN_ENV}
        env |= {
            "NODE_ENV": "production",
            "BETTER_AUTH_SECRET": SECRET,
            "BETTER_AUTH_URL": self.base_url,
            "DATABASE_URL": database_url,
            "AUTH_RATE_LIMIT": "0",
        }
        argv = ["uv", "run", "--no-sync", "tandem", "start", "--no-build"]
        argv += ["--host", "127.0.0.1", "--port", str(self.port)]
        argv += ["--workers", str(self.workers), "--server", self.server]
        with self.log.open("wb") as log:
            self._process = subprocess.Popen(
                argv,
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = self._process
        wait_healthy(self.base_url, lambda: process.poll() is None, self.log)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            # the server runs in its own session: signal its whole group (uv, master, workers)
            os.killpg(self._process.pid, signal.SIGTERM)
            try:
                self._process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait()
        if self._cluster is not None:
            self._cluster.destroy()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def delete_bench_tasks(self) -> None:
        assert self._cluster is not None
        _delete_bench_tasks(self._cluster.url)


@dataclass
class ReferenceServer:
    """The TypeScript reference via its own run.sh / stop.sh (PostgreSQL on 55432, server on 3001)."""

    directory: Path = REFERENCE_DIR
    name: str = "reference"
    base_url: str = "http://127.0.0.1:3001"
    database_url: str = "postgresql://postgres@127.0.0.1:55432/tsref"

    @property
    def pid(self) -> int:
        return int((self.directory / ".run" / "server.pid").read_text())

    def _script(self, *argv: str) -> None:
        done = subprocess.run(
            ["bash", *argv],
            cwd=self.directory,
            env=reference_environment(),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise TargetError(f"reference {' '.join(argv)}: {done.stderr or done.stdout}")

    def start(self) -> None:
        if not (self.directory / ".output" / "server" / "index.mjs").exists():
            raise TargetError(
                f"the reference is not built: cd {self.directory} && npm ci && npm run build"
            )
        self._script("stop.sh", "--keep-db")
        self._script("run.sh", "--reset")
        wait_healthy(self.base_url, None, Path("/tmp/ts-stack-server.log"))

    def stop(self) -> None:
        try:
            self._script("stop.sh")
        except TargetError as exc:
            print(f"warning: {exc}", file=sys.stderr)

    def delete_bench_tasks(self) -> None:
        _delete_bench_tasks(self.database_url)
