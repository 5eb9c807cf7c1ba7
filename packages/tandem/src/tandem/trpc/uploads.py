"""Inputs that are not JSON: form data and raw bytes, as tRPC's `httpLink` sends a `FormData`, a `File`, a
`Blob` or a `Uint8Array` (never batched, always as a mutation).

A procedure asks for one by its input annotation:

    @procedure.mutation
    async def upload(ctx: AppContext, input: FormData) -> Saved:        # multipart/form-data
        image = input["image"]                                          # an UploadFile
        ...

    @procedure.mutation
    async def ingest(ctx: AppContext, input: OctetStream) -> Saved:     # application/octet-stream
        async for chunk in input: ...                                   # or: await input.read()
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.types import Message, Receive

from tandem.trpc.errors import TRPCError
from tandem.trpc.validation import UNDEFINED, InputValidationError

__all__ = ["FormData", "OctetStream", "RawInputParser", "UploadFile", "limit_body"]


def limit_body(receive: Receive, limit: int) -> Receive:
    """`receive`, refusing a request body longer than `limit` bytes as it arrives."""
    received = 0

    async def limited() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise TRPCError("PAYLOAD_TOO_LARGE", "Request body too large")
        return message

    return limited


class OctetStream:
    """The body of an `application/octet-stream` call, read as it arrives (once)."""

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self._done = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while not self._done:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                raise TRPCError("CLIENT_CLOSED_REQUEST", "The client went away")
            self._done = not message.get("more_body", False)
            if chunk := message.get("body", b""):
                yield chunk

    async def read(self) -> bytes:
        return b"".join([chunk async for chunk in self])


RAW_INPUT_TYPES: tuple[type, ...] = (FormData, OctetStream)


class RawInputParser:
    """Checks that a procedure asking for form data or bytes got them (zod's `instanceof` check)."""

    __slots__ = ("default", "kind", "optional")

    def __init__(self, kind: type, *, optional: bool, default: Any = None) -> None:
        self.kind = kind
        self.optional = optional
        self.default = default

    def parse(self, raw: Any) -> Any:
        if isinstance(raw, self.kind):
            return raw
        if raw is UNDEFINED and self.optional:
            return self.default
        issue = {
            "code": "custom",
            "path": [],
            "message": f"Input not instance of {self.kind.__name__}",
        }
        raise InputValidationError([issue]).to_trpc()
