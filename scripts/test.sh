#!/usr/bin/env bash
# Every test: static checks, web unit tests and build, the conformance kit (twice: rate limits off and on),
# browser end-to-end tests, then pytest last so its summary is the closing line.
set -uo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never
bash scripts/setup.sh --e2e || exit 1

failed=()
section() { printf '\n\033[1;36m== %s\033[0m\n' "$*"; }
run() { local name=$1; shift; section "$name"; "$@" || failed+=("$name"); }

run "ruff" uv run ruff check .
run "ruff format" uv run ruff format --check .
run "mypy" uv run mypy
run "generated types are current" uv run tandem gen --check
if [ "${1:-}" = "--lint-only" ]; then
  [ ${#failed[@]} -eq 0 ] || { echo "failed: ${failed[*]}"; exit 1; }
  exit 0
fi
run "web: lint" pnpm --filter @repo/web lint
run "web: typecheck" pnpm --filter @repo/web typecheck
run "web: unit tests" pnpm --filter @repo/web test
run "web: build" pnpm --filter @repo/web build
run "conformance kit" uv run python scripts/conformance.py
run "conformance kit, AUTH_RATE_LIMIT=1" env AUTH_RATE_LIMIT=1 uv run python scripts/conformance.py
run "browser end-to-end" uv run python scripts/with_database.py pnpm --filter @repo/web e2e
run "browser end-to-end, split deploy" uv run python scripts/with_database.py pnpm --filter @repo/web e2e:split

section "pytest"
uv run pytest
status=$?
if [ ${#failed[@]} -gt 0 ]; then
  printf '\nfailed before pytest: %s\n' "${failed[*]}"
  exit 1
fi
exit $status
