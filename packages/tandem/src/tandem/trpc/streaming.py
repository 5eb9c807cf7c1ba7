"""Plumbing shared by the JSONL and SSE responses: a line queue, disconnects, iteration."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

from starlette.types import Receive, Send


async def wait_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def aclose(iterator: Any) -> None:
    if inspect.isasyncgen(iterator):
        await iterator.aclose()


async def pump(
    send: Send,
    receive: Receive,
    queue: asyncio.Queue[bytes | None],
    workers: list[asyncio.Task[None]],
    *,
    idle_timeout: float | None = None,
    idle_chunk: bytes = b"",
) -> None:
    """Sends queued chunks until a None arrives, the workers finish, or the client leaves.

    When nothing was sent for `idle_timeout` seconds, `idle_chunk` goes out (keep-alive).
    """

    async def finish() -> None:
        await asyncio.gather(*workers, return_exceptions=True)
        queue.put_nowait(None)

    finisher = asyncio.create_task(finish())
    watcher = asyncio.create_task(wait_disconnect(receive))
    watcher.add_done_callback(lambda _: queue.put_nowait(None))
    try:
        while True:
            try:
                chunk = await asyncio.wait_for(queue.get(), idle_timeout)
            except TimeoutError:
                chunk = idle_chunk
            if chunk is None or watcher.done():
                break
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        if not watcher.done():
            await send({"type": "http.response.body", "body": b"", "more_body": False})
    except OSError:
        pass  # the client went away while we were writing
    finally:
        for task in (*workers, finisher, watcher):
            task.cancel()
        await asyncio.gather(*workers, finisher, watcher, return_exceptions=True)
