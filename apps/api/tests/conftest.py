"""Fixtures for the example app's tests: a project root whose SPA build the test controls."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
MIGRATIONS = REPO / "apps/api/src/tandem_api/migrations"


def make_project(tmp_path: Path, *, with_build: bool) -> Path:
    """A project root whose SPA build lives in tmp_path (so tests control it); everything else is the repo's."""
    web = tmp_path / "web"
    (web / "src").mkdir(parents=True)
    (web / "src" / "main.tsx").write_text("export {}")
    if with_build:
        (web / "dist" / "assets").mkdir(parents=True)
        (web / "dist" / "assets" / "index-12345678.js").write_text("")
        (web / "dist" / "index.html").write_text(
            '<script src="/assets/index-12345678.js"></script>'
        )
    (tmp_path / "pyproject.toml").write_text(
        "[tool.tandem]\n"
        'settings = "tandem_api.settings:Settings"\n'
        'app = "tandem_api.main:create_app"\n'
        'router = "tandem_api.router:app_router"\n'
        'metadata = "tandem_api.models:metadata"\n'
        'seed = "tandem_api.seed:seed"\n'
        f'migrations = "{MIGRATIONS}"\n'
        f'web = "{web}"\n'
        f'typescript = "{tmp_path / "app-router.ts"}"\n'
    )
    return tmp_path


@pytest.fixture
def project_factory(tmp_path: Path) -> Callable[..., Path]:
    """`project_factory(with_build=True)` → a project root in tmp_path using the repo's app and migrations."""

    def make(*, with_build: bool = True) -> Path:
        return make_project(tmp_path, with_build=with_build)

    return make
