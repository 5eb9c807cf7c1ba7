"""The `conformance` router the conformance kit drives (mounted with TANDEM_CONFORMANCE=1)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from typing import Annotated, Literal, NoReturn

from pydantic import BaseModel, Field
from tandem.trpc import (
    ErrorCode,
    Input,
    Interval,
    Len,
    Omittable,
    Tracked,
    TRPCError,
    router,
    tracked,
)

from tandem_api.procedures import SessionContext, SignedIn, protected_procedure, public_procedure


class EchoInput(Input):
    text: Annotated[str, Len(1, 100)]
    n: Omittable[int] = None


class Echo(BaseModel):
    text: str
    n: int | None


class NoInputOutput(BaseModel):
    ok: Literal[True]
    at: dt.datetime


class FailInput(Input):
    code: ErrorCode
    message: Annotated[str, Len(1, 200)]


class SlowInput(Input):
    ms: Annotated[int, Interval(ge=0, le=2000)]


class Slow(BaseModel):
    ms: int


class WhoAmI(BaseModel):
    userId: str
    email: str


class TickerInput(Input):
    count: Annotated[int, Interval(ge=1, le=20)]
    intervalMs: Annotated[int, Interval(ge=0, le=1000)]
    failAt: Omittable[Annotated[int, Interval(ge=1, le=20)]] = None
    lastEventId: Annotated[str, Field(pattern=r"^(0|[1-9][0-9]{0,5})$")] | None = None


class Tick(BaseModel):
    i: int


class IterateInput(Input):
    failAt: Omittable[Annotated[int, Interval(ge=1, le=3)]] = None


async def _echo(input: EchoInput) -> Echo:
    return Echo(text=input.text, n=input.n)


@public_procedure.query
async def echo(ctx: object, input: EchoInput) -> Echo:
    """Returns the text and the optional integer it was given."""
    return await _echo(input)


@public_procedure.mutation
async def echoMutation(ctx: object, input: EchoInput) -> Echo:
    """`echo` as a mutation."""
    return await _echo(input)


@public_procedure.query
async def noInput(ctx: object) -> NoInputOutput:
    """A fixed date value, to check the date encoding."""
    return NoInputOutput(ok=True, at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))


@public_procedure.query
async def fail(ctx: object, input: FailInput) -> NoReturn:
    """Always fails with the given code and message."""
    raise TRPCError(input.code, input.message)


@public_procedure.query
async def crash(ctx: object) -> NoReturn:
    """Raises an unexpected exception."""
    raise RuntimeError("conformance crash: an unexpected exception")


@public_procedure.query
async def slow(ctx: object, input: SlowInput) -> Slow:
    """Waits `ms` milliseconds."""
    await asyncio.sleep(input.ms / 1000)
    return Slow(ms=input.ms)


@protected_procedure.query
async def whoami(ctx: SignedIn[SessionContext]) -> WhoAmI:
    """The signed-in user."""
    return WhoAmI(userId=ctx.user.id, email=ctx.user.email)


@public_procedure.subscription
async def ticker(ctx: object, input: TickerInput) -> AsyncIterator[Tracked[Tick]]:
    """Tracked ticks `lastEventId + 1 .. count`, `intervalMs` apart; fails at `failAt`."""
    start = int(input.lastEventId) + 1 if input.lastEventId is not None else 1
    for i in range(start, input.count + 1):
        if i > start:
            await asyncio.sleep(input.intervalMs / 1000)
        if i == input.failAt:
            raise TRPCError("CONFLICT", f"ticker failed at {i}")
        yield tracked(str(i), Tick(i=i))


@public_procedure.query
async def iterate(ctx: object, input: IterateInput | None = None) -> AsyncIterator[Tick]:
    """Yields `{i: 1}`, `{i: 2}`, `{i: 3}`; with `failAt = k` fails with CONFLICT at k."""
    fail_at = input.failAt if input is not None else None
    for i in (1, 2, 3):
        if i == fail_at:
            raise TRPCError("CONFLICT", f"iterate failed at {i}")
        yield Tick(i=i)


conformance_router = router(
    echo=echo,
    echoMutation=echoMutation,
    noInput=noInput,
    fail=fail,
    crash=crash,
    slow=slow,
    whoami=whoami,
    ticker=ticker,
    iterate=iterate,
)
