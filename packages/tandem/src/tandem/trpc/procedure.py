"""Procedures and the tRPC-style builder that defines them.

    procedure = ProcedureBuilder()
    protected = procedure.use(require_user)

    @protected.query
    async def whoami(ctx: SignedIn[AppContext]) -> Me: ...

The function's signature is the schema: the parameter after `ctx` (if any) is the input, its
annotation the input type; a default value makes the input optional. The return annotation is
the output type. An async generator is a streamed query or a subscription.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from tandem.trpc.uploads import RAW_INPUT_TYPES, RawInputParser
from tandem.trpc.validation import InputParser

ProcedureKind = Literal["query", "mutation", "subscription"]
T = TypeVar("T")

Next = Callable[[Any], Awaitable[Any]]
Middleware = Callable[[Any, Next], Awaitable[Any]]
"""`async def mw(ctx, call_next)`: returns `await call_next(new_ctx)`, or raises."""


@dataclass(frozen=True, slots=True)
class Tracked(Generic[T]):
    """A subscription value with an SSE event id, so clients can resume after it."""

    id: str
    data: T


def tracked(id: str, data: T) -> Tracked[T]:
    if not id or any(c in id for c in "\0\r\n"):
        raise ValueError("tracked ids must be non-empty and free of NUL, CR and LF")
    return Tracked(id, data)


class Procedure:
    """One callable endpoint, with its input parser and middleware chain precomputed."""

    __slots__ = (
        "_invoke",
        "description",
        "fn",
        "input_parser",
        "input_type",
        "kind",
        "middlewares",
        "output_type",
        "streams",
    )

    def __init__(
        self, kind: ProcedureKind, fn: Callable[..., Any], middlewares: tuple[Middleware, ...]
    ) -> None:
        self.kind: ProcedureKind = kind
        self.fn = fn
        self.middlewares = middlewares
        self.description = inspect.getdoc(fn)
        hints = typing.get_type_hints(fn, include_extras=True)
        params = list(inspect.signature(fn).parameters.values())
        if not params or len(params) > 2:
            raise TypeError(f"{fn.__qualname__}: expected (ctx) or (ctx, input) parameters")
        self.input_type: Any = None
        self.input_parser: InputParser | RawInputParser | None = None
        if len(params) == 2:
            param = params[1]
            if param.name not in hints:
                raise TypeError(f"{fn.__qualname__}: annotate the input parameter {param.name!r}")
            self.input_type = hints[param.name]
            optional = param.default is not inspect.Parameter.empty
            default = param.default if optional else None
            self.input_parser = (
                RawInputParser(self.input_type, optional=optional, default=default)
                if self.input_type in RAW_INPUT_TYPES
                else InputParser(self.input_type, optional=optional, default=default)
            )
        self.output_type: Any = hints.get("return", Any)
        self.streams = inspect.isasyncgenfunction(fn)
        if kind == "subscription" and not self.streams:
            raise TypeError(f"{fn.__qualname__}: a subscription must be an async generator")
        if kind == "mutation" and self.streams:
            raise TypeError(f"{fn.__qualname__}: a mutation cannot stream")
        self._invoke = self._compose()

    @property
    def has_input(self) -> bool:
        return self.input_parser is not None

    def _compose(self) -> Callable[[Any, Any], Awaitable[Any]]:
        fn, parser, streams = self.fn, self.input_parser, self.streams

        async def endpoint(ctx: Any, raw_input: Any) -> Any:
            result = fn(ctx) if parser is None else fn(ctx, parser.parse(raw_input))
            return result if streams else await result

        chain: Callable[[Any, Any], Awaitable[Any]] = endpoint
        for middleware in reversed(self.middlewares):
            chain = _wrap(middleware, chain)
        return chain

    async def call(self, ctx: Any, raw_input: Any) -> Any:
        """Runs middlewares, validates the raw input and calls the function.

        Returns the output; for streaming procedures an async iterator.
        """
        return await self._invoke(ctx, raw_input)

    def __repr__(self) -> str:
        return f"<{self.kind} {self.fn.__qualname__}>"


def _wrap(
    middleware: Middleware, inner: Callable[[Any, Any], Awaitable[Any]]
) -> Callable[[Any, Any], Awaitable[Any]]:
    async def run(ctx: Any, raw_input: Any) -> Any:
        async def call_next(next_ctx: Any) -> Any:
            return await inner(next_ctx, raw_input)

        return await middleware(ctx, call_next)

    return run


F = TypeVar("F", bound=Callable[..., Any])


class ProcedureBuilder:
    """Immutable: `.use()` returns a new builder with one more middleware."""

    __slots__ = ("middlewares",)

    def __init__(self, middlewares: tuple[Middleware, ...] = ()) -> None:
        self.middlewares = middlewares

    def use(self, middleware: Middleware) -> ProcedureBuilder:
        return ProcedureBuilder((*self.middlewares, middleware))

    def query(self, fn: Callable[..., Any]) -> Procedure:
        return Procedure("query", fn, self.middlewares)

    def mutation(self, fn: Callable[..., Any]) -> Procedure:
        return Procedure("mutation", fn, self.middlewares)

    def subscription(self, fn: Callable[..., AsyncIterator[Any]]) -> Procedure:
        return Procedure("subscription", fn, self.middlewares)


procedure = ProcedureBuilder()
"""The base builder: no middleware."""
