"""How the CLI talks to people: short progress lines, one clear line per problem, no tracebacks."""

from __future__ import annotations

import sys
from typing import NoReturn

from rich.console import Console
from rich.markup import escape

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def step(message: str) -> None:
    out.print(f"[cyan]›[/] {escape(message)}")


def ok(message: str) -> None:
    out.print(f"[green]✓[/] {escape(message)}")


def warn(message: str) -> None:
    err.print(f"[yellow]![/] {escape(message)}")


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[red]✗[/] {escape(message)}")
    sys.exit(code)
