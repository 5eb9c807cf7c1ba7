"""`httpBatchStreamLink`: a batch answered as JSON lines, each call sent as it completes.

Framing (trpc-protocol.md §5): a head object with one promise placeholder per call, then
`[id, status, payload]` chunks. An async-iterable output gets a `result` promise whose `data`
is an iterable, the shortest nesting the client decodes.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import TYPE_CHECKING, Any

from starlette.types import Receive, Send

from tandem.trpc.encoding import dumps
from tandem.trpc.shape import as_trpc_error
from tandem.trpc.streaming import aclose, pump

if TYPE_CHECKING:
    from tandem.trpc.http import Call, TRPCApp

HEADERS = [
    (b"content-type", b"application/json"),
    (b"vary", b"trpc-accept, accept"),
    (b"cache-control", b"no-cache"),
    (b"x-accel-buffering", b"no"),
]


async def serve_jsonl(
    app: TRPCApp, calls: list[Call], method: str, ctx: Any, receive: Receive, send: Send
) -> None:
    queue: asyncio.Queue[bytes | None] = asyncio.Queue()
    ids = itertools.count(len(calls))

    def put(line: Any) -> None:
        queue.put_nowait(dumps(app.wire(line)) + b"\n")

    async def run(call: Call) -> None:
        outcome = await app.run(call, method, ctx, True, streaming=True)
        i = call.index
        if not outcome.ok:
            put([i, 0, [[{"error": outcome.value}]]])
            return
        output = outcome.value
        if not hasattr(output, "__aiter__"):
            try:
                put([i, 0, [[{"result": {"data": output}}]]])
            except Exception as exc:  # an output that cannot be encoded
                error = as_trpc_error(exc, path=call.path, debug=app.debug)
                put([i, 0, [[{"error": app.shape(error, call.path)}]]])
            return
        result_id, data_id = next(ids), next(ids)
        put([i, 0, [[{"result": 0}], ["result", 0, result_id]]])
        put([result_id, 0, [[{"data": 0}], ["data", 1, data_id]]])
        try:
            async for item in output:
                put([data_id, 1, [[item]]])
        except Exception as exc:
            error = as_trpc_error(exc, path=call.path, debug=app.debug)
            put([data_id, 2, app.shape(error, call.path)])
            return
        finally:
            await aclose(output)
        put([data_id, 0, [[]]])

    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    head = {str(c.index): [[0], [None, 0, c.index]] for c in calls}
    await send(
        {"type": "http.response.body", "body": dumps(app.wire(head)) + b"\n", "more_body": True}
    )
    workers = [asyncio.create_task(run(c)) for c in calls]
    await pump(send, receive, queue, workers)
