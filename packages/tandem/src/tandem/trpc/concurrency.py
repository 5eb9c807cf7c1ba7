"""Running a batch's calls concurrently without paying for a task per call that never waits.

Most procedures finish without suspending (or suspend only for I/O later on). Each coroutine's
first step runs right away; only those that suspend continue as tasks. On Python 3.12 this is
what `asyncio.eager_task_factory` does; 3.11 lacks it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


async def _resume(coro: Coroutine[Any, Any, T], waiting: Any) -> T:
    """Continues a coroutine that yielded `waiting` (a future, or None for a bare yield)."""
    while True:
        try:
            if waiting is None:
                await asyncio.sleep(0)
            else:
                waiting._asyncio_future_blocking = False
                await asyncio.wait([waiting])
        except asyncio.CancelledError:
            if waiting is not None:
                waiting.cancel()
            try:
                waiting = coro.throw(asyncio.CancelledError())
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            continue
        try:
            waiting = coro.send(None)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]


async def gather_eagerly(*coros: Coroutine[Any, Any, T]) -> list[T]:
    """Like `asyncio.gather` for coroutines that do not raise (they return their outcomes)."""
    results: list[Any] = [None] * len(coros)
    pending: dict[int, asyncio.Task[T]] = {}
    for index, coro in enumerate(coros):
        try:
            waiting = coro.send(None)
        except StopIteration as stop:
            results[index] = stop.value
        else:
            pending[index] = asyncio.ensure_future(_resume(coro, waiting))
    if pending:
        done = await asyncio.gather(*pending.values())
        for index, value in zip(pending, done, strict=True):
            results[index] = value
    return results
