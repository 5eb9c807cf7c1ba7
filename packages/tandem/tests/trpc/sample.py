"""A router exercising every feature, used by the in-process and wire tests."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, NoReturn

from pydantic import BaseModel, Field
from tandem.trpc import (
    ContextRequest,
    ErrorCode,
    FormData,
    Input,
    Interval,
    Len,
    Next,
    OctetStream,
    Omittable,
    Tracked,
    TRPCError,
    UploadFile,
    procedure,
    router,
    tracked,
)


@dataclass
class Ctx:
    """The test context: the user named by the `x-user` header or connection params."""

    user: str | None
    connection_params: Any = None
    calls: list[str] = field(default_factory=list)


@dataclass
class Probe:
    """Counts what ran, so tests can check that nothing ran."""

    contexts: int = 0
    runs: int = 0
    closed: list[str] = field(default_factory=list)


probe = Probe()


async def create_context(request: ContextRequest) -> Ctx:
    probe.contexts += 1
    if request.request.headers.get("x-context") == "fail":
        raise TRPCError("FORBIDDEN", "context refused")
    params = request.connection_params
    user = request.request.headers.get("x-user") or (params or {}).get("user")
    return Ctx(user=user, connection_params=params)


@dataclass
class Authed:
    user: str


async def require_user(ctx: Ctx, call_next: Next) -> Any:
    if ctx.user is None:
        raise TRPCError("UNAUTHORIZED")
    return await call_next(Authed(ctx.user))


authed = procedure.use(require_user)


class EchoInput(Input):
    """What `echo` takes."""

    text: Annotated[str, Len(1, 100)] = Field(description="Some text.")
    n: Omittable[int] = None


class Echo(BaseModel):
    text: str
    n: int | None


class Types(Input):
    flag: Omittable[bool] = None
    number: Omittable[float] = None
    big: Omittable[int] = None
    maybe: str | None = None
    choice: Omittable[Literal["a", "b"]] = None
    tags: Omittable[list[Annotated[str, Len(1, 3)]]] = None


class FailInput(Input):
    code: ErrorCode
    message: str | None = None


class Slow(Input):
    ms: Annotated[int, Interval(ge=0, le=2000)]


class TickerInput(Input):
    count: Annotated[int, Interval(ge=1, le=20)]
    intervalMs: Annotated[int, Interval(ge=0, le=5000)] = 0
    failAt: Omittable[int] = None
    lastEventId: str | None = None


class Tick(BaseModel):
    i: int


@procedure.query
async def ping(ctx: Ctx) -> dict[str, bool]:
    """Answers pong."""
    probe.runs += 1
    return {"pong": True}


@procedure.query
async def echo(ctx: Ctx, input: EchoInput) -> Echo:
    return Echo(text=input.text, n=input.n)


@procedure.mutation
async def echo_mutation(ctx: Ctx, input: EchoInput) -> Echo:
    return Echo(text=input.text, n=input.n)


@procedure.mutation
async def touch(ctx: Ctx) -> str:
    probe.runs += 1
    return "touched"


@procedure.query
async def types(ctx: Ctx, input: Types) -> dict[str, Any]:
    return input.model_dump(exclude_unset=True)


@procedure.query
async def when(ctx: Ctx) -> dict[str, Any]:
    return {
        "at": dt.datetime(2020, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC),
        "naive": dt.datetime(2021, 1, 1),
        "day": dt.date(2022, 2, 3),
        "tags": {"x"},
    }


@procedure.query
async def fail(ctx: Ctx, input: FailInput) -> NoReturn:
    raise TRPCError(input.code, input.message)


@procedure.query
async def crash(ctx: Ctx) -> NoReturn:
    raise RuntimeError("secret internals")


@procedure.query
async def slow(ctx: Ctx, input: Slow) -> dict[str, int]:
    await asyncio.sleep(input.ms / 1000)
    return {"ms": input.ms}


@procedure.query
async def unserializable(ctx: Ctx) -> object:
    return object()


@authed.query
async def whoami(ctx: Authed) -> dict[str, str]:
    return {"user": ctx.user}


@procedure.query
async def context_params(ctx: Ctx) -> Any:
    return ctx.connection_params


@procedure.query
async def numbers(
    ctx: Ctx, input: Omittable[Annotated[int, Interval(ge=1, le=3)]] = None
) -> AsyncIterator[int]:
    fail_at = input
    try:
        for i in (1, 2, 3):
            if i == fail_at:
                raise TRPCError("CONFLICT", f"failed at {i}")
            yield i
    finally:
        probe.closed.append("numbers")


@procedure.subscription
async def ticker(ctx: Ctx, input: TickerInput) -> AsyncIterator[Tracked[Tick]]:
    start = int(input.lastEventId) + 1 if input.lastEventId else 1
    try:
        for i in range(start, input.count + 1):
            if i > start:
                await asyncio.sleep(input.intervalMs / 1000)
            if i == input.failAt:
                raise TRPCError("CONFLICT", f"ticker failed at {i}")
            yield tracked(str(i), Tick(i=i))
    finally:
        probe.closed.append("ticker")


@procedure.subscription
async def plain(ctx: Ctx) -> AsyncIterator[str]:
    yield "a"
    yield "b"


class Received(BaseModel):
    fields: dict[str, str]
    files: dict[str, str]
    """name -> "filename:content-type:size" of each uploaded file"""


@procedure.mutation
async def upload(ctx: Ctx, input: FormData) -> Received:
    fields: dict[str, str] = {}
    files: dict[str, str] = {}
    for name, value in input.multi_items():
        if isinstance(value, UploadFile):
            size = len(await value.read())
            files[name] = f"{value.filename}:{value.content_type}:{size}"
        else:
            fields[name] = value
    return Received(fields=fields, files=files)


class Digest(BaseModel):
    size: int
    chunks: int
    head: str


@procedure.mutation
async def ingest(ctx: Ctx, input: OctetStream) -> Digest:
    size = chunks = 0
    head = b""
    async for chunk in input:
        size, chunks = size + len(chunk), chunks + 1
        head = head or chunk[:8]
    return Digest(size=size, chunks=chunks, head=head.decode("latin-1"))


sample_router = router(
    ping=ping,
    echo=echo,
    echoMutation=echo_mutation,
    touch=touch,
    types=types,
    when=when,
    fail=fail,
    crash=crash,
    slow=slow,
    unserializable=unserializable,
    whoami=whoami,
    contextParams=context_params,
    numbers=numbers,
    ticker=ticker,
    plain=plain,
    nested=router(deeper=router(ping=ping)),
    upload=upload,
    ingest=ingest,
)
