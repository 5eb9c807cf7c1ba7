"""How the CLI talks to people: short progress lines, one clear line per problem, no tracebacks.

Plain writes with a coloured mark, not rich: `tandem start` prints through here on every server boot, and
rich's import alone is a tenth of a second of it.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn, TextIO

_COLOURS = {"cyan": 36, "green": 32, "yellow": 33, "red": 31}


def _say(stream: TextIO, mark: str, colour: str, message: str) -> None:
    if stream.isatty() and "NO_COLOR" not in os.environ:
        mark = f"\x1b[{_COLOURS[colour]}m{mark}\x1b[0m"
    print(f"{mark} {message}", file=stream, flush=True)


def step(message: str) -> None:
    _say(sys.stdout, "›", "cyan", message)


def ok(message: str) -> None:
    _say(sys.stdout, "✓", "green", message)


def warn(message: str) -> None:
    _say(sys.stderr, "!", "yellow", message)


def problem(message: str, stream: TextIO | None = None) -> None:
    _say(stream or sys.stderr, "✗", "red", message)


def fail(message: str, code: int = 1) -> NoReturn:
    problem(message)
    sys.exit(code)
