#!/usr/bin/env bash
# Installs what a fresh machine lacks: uv, the Python environment, pnpm, the web dependencies,
# and with --e2e the browser and load tools from Debian. Idempotent and quiet when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never

say() { printf '\033[36m›\033[0m %s\n' "$*"; }

if ! command -v uv >/dev/null 2>&1; then
  say "installing uv"
  python3 -m pip install --quiet uv==0.13.9
  hash -r
  # Under pyenv a module install creates no shim until a rehash.
  command -v uv >/dev/null 2>&1 || { command -v pyenv >/dev/null 2>&1 && pyenv rehash; }
  command -v uv >/dev/null 2>&1 || { echo "uv was installed but is not on PATH" >&2; exit 1; }
fi
if [ ! -x .venv/bin/tandem ] || [ uv.lock -nt .venv/.tandem-synced ] || [ pyproject.toml -nt .venv/.tandem-synced ]; then
  say "installing Python dependencies (uv sync)"
  # Bytecode up front, as in the image: where PYTHONDONTWRITEBYTECODE is set, every `tandem` start would
  # otherwise compile what it imports from source (about 1 s instead of 0.3 s).
  uv sync --frozen --quiet --compile-bytecode
  touch .venv/.tandem-synced
fi
if ! command -v pnpm >/dev/null 2>&1; then
  say "installing pnpm"
  npm install --global --silent pnpm@12.21.0
fi
if [ ! -d node_modules ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  say "installing web dependencies (pnpm install)"
  pnpm install --frozen-lockfile --reporter=silent
fi
if [ "${1:-}" = "--e2e" ]; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} from Debian"
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
