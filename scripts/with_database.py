"""Run a command with DATABASE_URL pointing at a throwaway PostgreSQL, destroyed afterwards.

    uv run python scripts/with_database.py pnpm --filter @repo/web e2e

Tests must never touch the development database in .tandem/pg.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tandem.db.embedded import EmbeddedPostgres


def main(argv: list[str]) -> int:
    if not argv:
        sys.exit("usage: with_database.py COMMAND [ARGS...]")
    root = Path(tempfile.mkdtemp(prefix="tandem-throwaway-"))
    root.chmod(0o755)
    cluster = EmbeddedPostgres(root=root / "pg", durable=False, database="throwaway")
    try:
        url = cluster.start()
        return subprocess.run(argv, env={**os.environ, "DATABASE_URL": url}, check=False).returncode
    finally:
        cluster.destroy()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
