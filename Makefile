# The two commands: `make start` (the app, from a fresh clone) and `make test` (every test).
export UV_PYTHON_DOWNLOADS := never
export DEBIAN_FRONTEND := noninteractive

.PHONY: setup setup-e2e start dev test lint

setup:
	@bash scripts/setup.sh

setup-e2e:
	@bash scripts/setup.sh --e2e

start: setup
	@uv run tandem start

dev: setup
	@uv run tandem dev

lint: setup
	@bash scripts/test.sh --lint-only

test:
	@bash scripts/test.sh
