"""The project the CLI and the server work on: found from `[tool.tandem]` in the nearest pyproject.toml."""

from __future__ import annotations

import importlib
import os
import sys
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any


class ProjectError(RuntimeError):
    pass


def import_object(spec: str) -> Any:
    """`package.module:attribute` → the attribute."""
    module_name, _, attribute = spec.partition(":")
    module = importlib.import_module(module_name)
    try:
        return getattr(module, attribute) if attribute else module
    except AttributeError as exc:
        raise ProjectError(f"{module_name} has no attribute {attribute!r}") from exc


@dataclass(frozen=True)
class Project:
    root: Path
    config: dict[str, str]

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        explicit = os.environ.get("TANDEM_PROJECT_ROOT")
        here = Path(explicit) if explicit else (start or Path.cwd())
        for directory in (here.resolve(), *here.resolve().parents):
            pyproject = directory / "pyproject.toml"
            if pyproject.is_file():
                data = tomllib.loads(pyproject.read_text())
                config = data.get("tool", {}).get("tandem")
                if config is not None:
                    return cls(directory, config)
        raise ProjectError("no pyproject.toml with a [tool.tandem] table here or above")

    def path(self, key: str) -> Path:
        return self.root / self.config[key]

    def load(self, key: str) -> Any:
        if key not in self.config:
            raise ProjectError(f"[tool.tandem] has no {key!r} entry")
        if str(self.root) not in sys.path:
            sys.path.insert(0, str(self.root))
        return import_object(self.config[key])

    @property
    def state_dir(self) -> Path:
        return self.root / ".tandem"

    @property
    def web_dir(self) -> Path:
        return self.path("web")

    @property
    def web_dist(self) -> Path:
        return self.web_dir / "dist"

    @cached_property
    def migrations_dir(self) -> Path:
        return self.path("migrations")
