"""Small, fast response helpers: orjson straight to bytes, no framework objects on the hot path."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.types import Send


def json_bytes(value: Any) -> bytes:
    return orjson.dumps(value)


async def send_json(
    send: Send, status: int, value: Any, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = orjson.dumps(value)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
