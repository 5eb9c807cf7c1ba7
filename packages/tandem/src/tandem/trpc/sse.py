"""Subscriptions over Server-Sent Events (`httpSubscriptionLink`).

`connected` first, one unnamed event per value (`id:` for tracked values), `ping` when idle,
then `return`; a failure is `serialized-error` and the stream closes. When the client goes
away the generator is cancelled and closed.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from starlette.types import Receive, Send

from tandem.trpc.encoding import dumps
from tandem.trpc.procedure import Tracked
from tandem.trpc.shape import as_trpc_error
from tandem.trpc.streaming import aclose, pump

if TYPE_CHECKING:
    from tandem.trpc.http import Call, TRPCApp

HEADERS = [
    (b"content-type", b"text/event-stream"),
    (b"cache-control", b"no-cache, no-transform"),
    (b"x-accel-buffering", b"no"),
    (b"vary", b"trpc-accept, accept"),
]

CONNECTED = b"event: connected\ndata: {}\n\n"
PING = b"event: ping\ndata: \n\n"
RETURN = b"event: return\ndata: \n\n"


async def serve_subscription(
    app: TRPCApp, call: Call, method: str, ctx: Any, receive: Receive, send: Send
) -> None:
    queue: asyncio.Queue[bytes | None] = asyncio.Queue()

    def fail(exc: Exception) -> None:
        error = as_trpc_error(exc, path=call.path, debug=app.debug)
        data = dumps(app.wire(app.shape(error, call.path)))
        queue.put_nowait(b"event: serialized-error\ndata: " + data + b"\n\n")
        queue.put_nowait(None)

    async def run() -> None:
        outcome = await app.run(call, method, ctx, False, streaming=True)
        if not outcome.ok:
            data = dumps(app.wire(outcome.value))
            queue.put_nowait(b"event: serialized-error\ndata: " + data + b"\n\n")
            queue.put_nowait(None)
            return
        output = outcome.value
        last_id = _resumed_id(call.raw_input)
        try:
            async for item in output:
                if isinstance(item, Tracked):
                    last_id = item.id.encode()
                    data = dumps(app.wire(item.data))
                    queue.put_nowait(b"id: " + last_id + b"\ndata: " + data + b"\n\n")
                elif last_id is None:
                    queue.put_nowait(b"data: " + dumps(app.wire(item)) + b"\n\n")
                else:
                    # EventSource would stamp the last id on an id-less event: clear it for
                    # this event, then restore it so a reconnect still resumes from there.
                    data = dumps(app.wire(item))
                    queue.put_nowait(
                        b"data: "
                        + data
                        + b"\nid: \n\nevent: restore-id\ndata: \nid: "
                        + last_id
                        + b"\n\n"
                    )
        except Exception as exc:
            fail(exc)
            return
        finally:
            await aclose(output)
        queue.put_nowait(RETURN)
        queue.put_nowait(None)

    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": CONNECTED, "more_body": True})
    worker = asyncio.create_task(run())
    await pump(send, receive, queue, [worker], idle_timeout=app.sse_ping_interval, idle_chunk=PING)


def _resumed_id(raw_input: Any) -> bytes | None:
    last_id = raw_input.get("lastEventId") if isinstance(raw_input, dict) else None
    return last_id.encode() if isinstance(last_id, str) and last_id else None
