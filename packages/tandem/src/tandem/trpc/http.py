"""The tRPC v11 HTTP protocol as an ASGI app, mounted below a prefix such as `/api/trpc`."""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes

import orjson
from starlette.datastructures import FormData
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from tandem.trpc import superjson
from tandem.trpc.concurrency import gather_eagerly
from tandem.trpc.encoding import dumps
from tandem.trpc.errors import TRPCError
from tandem.trpc.procedure import Procedure
from tandem.trpc.router import Router
from tandem.trpc.shape import ErrorFormatter, as_trpc_error, default_shape
from tandem.trpc.sse import serve_subscription
from tandem.trpc.stream import serve_jsonl
from tandem.trpc.uploads import OctetStream, limit_body
from tandem.trpc.validation import UNDEFINED

CreateContext = Callable[["ContextRequest"], Awaitable[Any]]

JSON_HEADERS = [(b"content-type", b"application/json"), (b"vary", b"trpc-accept, accept")]
STREAM_LIKE = "Cannot use stream-like response in non-streaming request - use httpBatchStreamLink"
PATH_SEPARATORS = (".", "_", "~", "-")
BODY_INPUT_TYPES = (b"multipart/form-data", b"application/octet-stream")
_BROKEN_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")


@dataclass(frozen=True, slots=True)
class ContextRequest:
    """What `create_context` gets: the HTTP request and the link's `connectionParams`."""

    request: Request
    connection_params: Mapping[str, str] | None


@dataclass(slots=True)
class Call:
    """One procedure call of a request: its path, procedure (None if unknown) and raw input."""

    index: int
    path: str
    procedure: Procedure | None
    raw_input: Any  # parsed JSON, UNDEFINED, or a TRPCError to raise when the input is read


@dataclass(slots=True)
class Outcome:
    ok: bool
    value: Any  # the output (maybe an async iterator) or the error shape
    encoded: bytes | None = None  # the output already on the wire, for plain JSON responses
    status: int = 200
    method_not_supported: bool = False


class TRPCApp:
    """ASGI app answering every tRPC request below its mount point.

    `create_context` runs once per HTTP request; `debug` exposes unexpected exceptions' messages
    (never stacks); `superjson` switches the transformer on; `error_formatter` rewrites shapes;
    `max_upload_size` bounds form data and byte-stream bodies (`max_body_size` bounds JSON ones);
    `path_separator` lets URLs join a procedure's path with `_`, `~` or `-` instead of `.` (tRPC 11.25's
    `pathSeparator`; the client link needs the same option, and dotted URLs keep working).
    """

    def __init__(
        self,
        router: Router,
        *,
        create_context: CreateContext | None = None,
        debug: bool = False,
        superjson: bool = False,
        error_formatter: ErrorFormatter | None = None,
        max_batch_size: int = 100,
        max_body_size: int = 1 << 20,
        max_upload_size: int = 32 << 20,
        sse_ping_interval: float | None = 15.0,
        path_separator: str = ".",
    ) -> None:
        if path_separator not in PATH_SEPARATORS:
            raise ValueError(f"path_separator must be one of {', '.join(PATH_SEPARATORS)}")
        if path_separator != ".":
            for path in router.procedures:
                if path_separator in path:
                    raise ValueError(
                        f'procedure "{path}" contains the path separator {path_separator!r}, '
                        "so its URL would be ambiguous: rename it or pick another separator"
                    )
        self.path_separator = path_separator
        self.router = router
        self.procedures = router.procedures
        self.create_context = create_context
        self.debug = debug
        self.superjson = superjson
        self.error_formatter = error_formatter
        self.max_batch_size = max_batch_size
        self.max_body_size = max_body_size
        self.max_upload_size = max_upload_size
        self.sse_ping_interval = sse_ping_interval

    # -- encoding ---------------------------------------------------------------------------

    def wire(self, value: Any) -> Any:
        """A payload as it travels: as is, or superjson-wrapped."""
        return superjson.serialize(value) if self.superjson else value

    def shape(self, error: TRPCError, path: str | None) -> dict[str, Any]:
        shape = default_shape(error, path)
        if self.error_formatter is not None:
            shape = self.error_formatter(shape, error)
        return shape

    def error_body(self, shape: dict[str, Any]) -> bytes:
        return b'{"error":' + dumps(self.wire(shape)) + b"}"

    def envelope(self, outcome: Outcome) -> bytes:
        if outcome.ok:
            data = outcome.encoded or dumps(self.wire(outcome.value))
            return b'{"result":{"data":' + data + b"}}"
        return self.error_body(outcome.value)

    # -- ASGI -------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        method: str = scope["method"]
        if method == "HEAD":
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        try:
            await self._handle(scope, receive, send, method)
        except TRPCError as error:
            body = self.error_body(self.shape(error, None))
            await _respond(send, error.http_status, body, JSON_HEADERS)
        except Exception as exc:
            # A bug of ours or of a hook (formatter, context): still a tRPC-shaped 500.
            internal = as_trpc_error(exc, path=None, debug=self.debug)
            body = b'{"error":' + dumps(default_shape(internal, None)) + b"}"
            await _respond(send, 500, body, JSON_HEADERS)

    async def _handle(self, scope: Scope, receive: Receive, send: Send, method: str) -> None:
        path = _procedure_path(scope)
        if self.path_separator != ".":
            path = path.replace(self.path_separator, ".")

        query: dict[str, str] = {}
        if scope["query_string"]:
            for key, value in parse_qsl(
                scope["query_string"].decode("utf-8", "replace"), keep_blank_values=True
            ):
                query.setdefault(key, value)
        headers: dict[bytes, bytes] = dict(scope["headers"])
        if _media_type(headers) in BODY_INPUT_TYPES:
            await self._serve_body_input(scope, receive, send, method, path, headers)
            return

        is_batch = query.get("batch") == "1"
        paths = path.split(",") if is_batch else [path]
        if len(paths) > self.max_batch_size:
            raise TRPCError("BAD_REQUEST", "Batch call exceeds maximum size")
        wants_jsonl = _wants_jsonl(headers)
        if wants_jsonl and not is_batch:
            raise TRPCError(
                "BAD_REQUEST", "Streaming requests must be batched (you can do a batch of 1)"
            )

        raw: str | bytes | None
        if method == "GET":
            raw = query.get("input") or None
        else:
            _check_content_type(headers)
            raw = await _read_body(receive, headers, self.max_body_size) or None

        procedures = [self.procedures.get(p) for p in paths]
        if is_batch:
            kinds = list(dict.fromkeys(p.kind for p in procedures if p is not None))
            if len(kinds) > 1:
                raise TRPCError(
                    "BAD_REQUEST", f"Cannot mix procedure types in call: {', '.join(kinds)}"
                )
        connection_params = _connection_params(query) if "connectionParams" in query else None

        calls = self._calls(paths, procedures, raw, is_batch)
        ctx_or_error = await self._context(scope, receive, connection_params)

        if not is_batch and procedures[0] is not None and procedures[0].kind == "subscription":
            call = calls[0]
            call.raw_input = _with_last_event_id(call.raw_input, headers, query)
            await serve_subscription(self, call, method, ctx_or_error, receive, send)
            return
        if wants_jsonl:
            await serve_jsonl(self, calls, method, ctx_or_error, receive, send)
            return

        if not is_batch:
            outcome = await self.run(calls[0], method, ctx_or_error, False, streaming=False)
            await _respond(send, outcome.status, self.envelope(outcome), _headers([outcome], calls))
            return
        outcomes = await gather_eagerly(
            *(self.run(c, method, ctx_or_error, True, streaming=False) for c in calls)
        )
        statuses = {o.status for o in outcomes}
        status = statuses.pop() if len(statuses) == 1 else 207
        body = b"[" + b",".join(self.envelope(o) for o in outcomes) + b"]"
        await _respond(send, status, body, _headers(outcomes, calls))

    async def _serve_body_input(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        method: str,
        path: str,
        headers: dict[bytes, bytes],
    ) -> None:
        """One call whose input is the body itself (form data or bytes): a POST, never batched."""
        media_type = _media_type(headers)
        if method != "POST":
            raise TRPCError(
                "METHOD_NOT_SUPPORTED",
                f"Only POST requests are supported for {media_type.decode()} requests",
            )
        call = Call(0, path, self.procedures.get(path), UNDEFINED)
        ctx_or_error = await self._context(scope, receive, None)
        body = limit_body(receive, self.max_upload_size)
        form: FormData | None = None
        proc = call.procedure
        if proc is not None and proc.kind != "subscription" and proc.has_input:
            if media_type == b"application/octet-stream":
                call.raw_input = OctetStream(body)
            elif not isinstance(ctx_or_error, _ContextFailure):
                try:
                    form = await Request(scope, body).form()
                    call.raw_input = form
                except TRPCError as error:
                    call.raw_input = error
                except (
                    Exception
                ) as exc:  # the parser's own errors, and KeyErrors on malformed parts
                    message = exc.message if isinstance(exc, MultiPartException) else ""
                    call.raw_input = TRPCError(
                        "BAD_REQUEST", message or "Invalid multipart/form-data body"
                    )
        try:
            outcome = await self.run(call, method, ctx_or_error, False, streaming=False)
        finally:
            if form is not None:
                await form.close()
        await _respond(send, outcome.status, self.envelope(outcome), _headers([outcome], [call]))

    def _calls(
        self,
        paths: list[str],
        procedures: list[Procedure | None],
        raw: str | bytes | None,
        is_batch: bool,
    ) -> list[Call]:
        parsed: Any = UNDEFINED
        if raw is not None and any(p is not None and p.has_input for p in procedures):
            try:
                parsed = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                parsed = TRPCError("BAD_REQUEST", str(exc))
        calls = []
        for index, (path, proc) in enumerate(zip(paths, procedures, strict=True)):
            raw_input: Any = parsed
            if is_batch and not isinstance(parsed, TRPCError):
                if isinstance(parsed, dict):
                    raw_input = parsed.get(str(index), UNDEFINED)
                elif parsed is not UNDEFINED:
                    raw_input = TRPCError(
                        "BAD_REQUEST", '"input" needs to be an object when doing a batch call'
                    )
            if self.superjson and not isinstance(raw_input, TRPCError):
                raw_input = superjson.deserialize(raw_input)
            calls.append(Call(index, path, proc, raw_input))
        return calls

    async def _context(
        self, scope: Scope, receive: Receive, connection_params: Mapping[str, str] | None
    ) -> Any:
        if self.create_context is None:
            return None
        try:
            return await self.create_context(
                ContextRequest(Request(scope, receive), connection_params)
            )
        except Exception as exc:
            return _ContextFailure(exc)

    async def run(
        self, call: Call, method: str, ctx: Any, is_batch: bool, *, streaming: bool
    ) -> Outcome:
        """Runs one call to its outcome: an output, or an error shape with the call's path."""
        try:
            output = await self._invoke(call, method, ctx, is_batch)
            if inspect.isasyncgen(output) or hasattr(output, "__aiter__"):
                if not streaming:
                    if inspect.isasyncgen(output):
                        await output.aclose()
                    raise TRPCError("UNSUPPORTED_MEDIA_TYPE", STREAM_LIKE)
            elif not streaming:
                # Encode now, so an unserializable output is this call's error, not the batch's.
                return Outcome(True, output, dumps(self.wire(output)))
            return Outcome(True, output)
        except Exception as exc:
            error = as_trpc_error(exc, path=call.path, debug=self.debug)
            return Outcome(
                False,
                self.shape(error, call.path),
                status=error.http_status,
                method_not_supported=error.code == "METHOD_NOT_SUPPORTED",
            )

    async def _invoke(self, call: Call, method: str, ctx: Any, is_batch: bool) -> Any:
        proc = call.procedure
        if proc is None:
            raise TRPCError("NOT_FOUND", f'No procedure found on path "{call.path}"')
        if (proc.kind == "mutation" and method != "POST") or method not in ("GET", "POST"):
            raise TRPCError(
                "METHOD_NOT_SUPPORTED",
                f'Unsupported {method}-request to {proc.kind} procedure at path "{call.path}"',
            )
        if proc.kind == "subscription" and is_batch:
            raise TRPCError("BAD_REQUEST", "Cannot batch subscription calls")
        if isinstance(ctx, _ContextFailure):
            raise ctx.error
        if isinstance(call.raw_input, TRPCError) and proc.has_input:
            raise call.raw_input
        return await proc.call(ctx, call.raw_input)


_ALLOW = {"query": "GET", "mutation": "POST", "subscription": "GET"}


def _headers(outcomes: list[Outcome], calls: list[Call]) -> list[tuple[bytes, bytes]]:
    """JSON headers, plus `Allow` when a call was refused for its method."""
    if not any(o.method_not_supported for o in outcomes):
        return JSON_HEADERS
    allow = sorted({_ALLOW[c.procedure.kind] for c in calls if c.procedure is not None})
    return [*JSON_HEADERS, (b"allow", ", ".join(allow).encode())]


@dataclass(slots=True)
class _ContextFailure:
    error: BaseException


async def _respond(
    send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*headers, (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def _wants_jsonl(headers: dict[bytes, bytes]) -> bool:
    accept = headers.get(b"trpc-accept")
    if accept is not None:
        return accept.strip().lower() == b"application/jsonl"
    listed = headers.get(b"accept")
    return listed is not None and any(
        part.split(b";")[0].strip().lower() == b"application/jsonl" for part in listed.split(b",")
    )


def _procedure_path(scope: Scope) -> str:
    """The URL path below the mount point, percent-decoded as JavaScript's `decodeURIComponent` does:
    a broken escape or bytes that are not UTF-8 make the request itself wrong."""
    root: str = scope.get("root_path", "")
    raw: bytes | None = scope.get("raw_path")
    if raw is None or b"%" not in raw or not raw.startswith(root.encode("latin-1")):
        path: str = scope["path"]  # nothing escaped: the server's decoding is the same
        return (path[len(root) :] if root and path.startswith(root) else path).strip("/")
    # httpx's ASGI transport leaves the query string on raw_path; servers do not
    encoded = raw[len(root) :].split(b"?", 1)[0].strip(b"/")
    try:
        if _BROKEN_ESCAPE.search(encoded):
            raise ValueError("broken percent-escape")
        return unquote_to_bytes(encoded).decode("utf-8")
    except ValueError:  # UnicodeDecodeError included
        text = encoded.decode("latin-1")
        raise TRPCError("BAD_REQUEST", f'Invalid URL-encoding in path "{text}"') from None


def _media_type(headers: dict[bytes, bytes]) -> bytes:
    return headers.get(b"content-type", b"").split(b";")[0].strip().lower()


def _check_content_type(headers: dict[bytes, bytes]) -> None:
    content_type = headers.get(b"content-type")
    if content_type is None:
        raise TRPCError("UNSUPPORTED_MEDIA_TYPE", "Missing content-type header")
    if content_type.split(b";")[0].strip().lower() != b"application/json":
        text = content_type.decode("latin-1")
        raise TRPCError("UNSUPPORTED_MEDIA_TYPE", f'Unsupported content-type "{text}')


async def _read_body(receive: Receive, headers: dict[bytes, bytes], limit: int) -> bytes:
    too_large = TRPCError("PAYLOAD_TOO_LARGE", "Request body too large")
    declared = headers.get(b"content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise TRPCError("CLIENT_CLOSED_REQUEST")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _connection_params(query: dict[str, str]) -> dict[str, str] | None:
    raw = query.get("connectionParams")
    if raw is None:
        return None
    try:
        params = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise TRPCError("PARSE_ERROR", "Not JSON-parsable query params") from None
    if params is None:
        return None
    if not isinstance(params, dict) or not all(isinstance(v, str) for v in params.values()):
        raise TRPCError("PARSE_ERROR", "Invalid connection params shape")
    return params


def _with_last_event_id(raw_input: Any, headers: dict[bytes, bytes], query: dict[str, str]) -> Any:
    header = headers.get(b"last-event-id")
    last_id = (
        header.decode("latin-1")
        if header is not None
        else query.get("lastEventId", query.get("Last-Event-Id"))
    )
    if last_id is None:
        return raw_input
    if isinstance(raw_input, dict):
        return {**raw_input, "lastEventId": last_id}
    if raw_input is UNDEFINED or raw_input is None:
        return {"lastEventId": last_id}
    return raw_input
