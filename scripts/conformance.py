"""Run the shared conformance kit against a real Tandem server on a throwaway PostgreSQL.

The server runs as in production (`NODE_ENV=production`), with the kit's settings; `AUTH_RATE_LIMIT` is
passed through (unset = limiter off, as the kit expects). Exits with the kit's status.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tandem.db.embedded import EmbeddedPostgres, free_port

ROOT = Path(__file__).resolve().parent.parent
KIT = Path(os.environ.get("CONFORMANCE_KIT", ROOT.parent / "shared" / "conformance"))
SECRET = "tandem-conformance-secret-0123456789abcdef"


def wait_until_healthy(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited with {server.returncode} before it was healthy")
        try:
            with urllib.request.urlopen(url + "/api/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("the server did not become healthy in time")


def main() -> int:
    if not KIT.is_dir():
        sys.exit(f"conformance kit not found at {KIT}")
    if not (KIT / "node_modules").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=KIT, check=True)
    rate_limit = os.environ.get("AUTH_RATE_LIMIT", "")
    port = free_port(int(os.environ.get("CONFORMANCE_PORT", "18080")))
    smtp_port = free_port(int(os.environ.get("CONFORMANCE_SMTP_PORT", "18025")))
    base_url = f"http://127.0.0.1:{port}"
    smtp_url = f"smtp://127.0.0.1:{smtp_port}"
    cluster = EmbeddedPostgres.throwaway("tandem-conformance-", database="conformance")
    root = cluster.root
    server: subprocess.Popen[bytes] | None = None
    log = open(root / "tandem-server.log", "wb")  # noqa: SIM115
    try:
        database_url = cluster.start()
        env = {
            **os.environ,
            "NODE_ENV": "production",
            "TANDEM_CONFORMANCE": "1",
            "DATABASE_URL": database_url,
            "BETTER_AUTH_SECRET": SECRET,
            "BETTER_AUTH_URL": base_url,
            "SMTP_URL": smtp_url,
            "EMAIL_FROM": "no-reply@tandem.test",
            "AUTH_RATE_LIMIT": "1" if rate_limit == "1" else "0",
            "HOST": "127.0.0.1",
            "PORT": str(port),
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "tandem.cli.main", "start", "--no-build"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until_healthy(base_url, server)
        kit_env = {
            **os.environ,
            "CONFORMANCE_BASE_URL": base_url,
            "SMTP_URL": smtp_url,
            "EMAIL_FROM": "no-reply@tandem.test",
            "BETTER_AUTH_SECRET": SECRET,
        }
        if rate_limit == "1":
            kit_env["AUTH_RATE_LIMIT"] = "1"
        else:
            kit_env.pop("AUTH_RATE_LIMIT", None)
        result = subprocess.run(["bash", "run.sh"], cwd=KIT, env=kit_env, check=False)
        if result.returncode != 0:
            print(f"--- server log ({root / 'tandem-server.log'}), last lines:")
            print((root / "tandem-server.log").read_text(errors="replace")[-4000:])
        return result.returncode
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        log.close()
        cluster.destroy()


if __name__ == "__main__":
    sys.exit(main())
