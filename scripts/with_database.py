"""Run a command with DATABASE_URL pointing at a throwaway PostgreSQL, destroyed afterwards.

    uv run python scripts/with_database.py pnpm --filter @repo/web e2e

Tests must never touch the development database in .tandem/pg.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tandem.db.embedded import EmbeddedPostgres


def main(argv: list[str]) -> int:
    if not argv:
        sys.exit("usage: with_database.py COMMAND [ARGS...]")
    cluster = EmbeddedPostgres.throwaway("tandem-throwaway-", database="throwaway")
    try:
        url = cluster.start()
        return subprocess.run(argv, env={**os.environ, "DATABASE_URL": url}, check=False).returncode
    finally:
        cluster.destroy()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
