"""Request parsing and response building in Better Auth's wire conventions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.datastructures import Headers, QueryParams
from starlette.requests import Request
from starlette.responses import Response

from tandem.auth.errors import AuthError

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"

# zod 4's email rule (ASCII only, TLD >= 2 letters, no leading/trailing/double dots)
EMAIL_RE = re.compile(
    r"^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$"
)


def is_email(value: str) -> bool:
    return EMAIL_RE.fullmatch(value) is not None


def json_response(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(value), status_code=status, media_type=JSON, headers=headers)


def error_response(error: AuthError) -> Response:
    body = error.body()
    if body is None:
        return Response(b"", status_code=error.status)
    return json_response(body, error.status)


def redirect(location: str) -> Response:
    return Response(b"", status_code=302, headers={"location": location}, media_type=JSON)


MAX_BODY = 1024 * 1024


async def _bounded_body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise AuthError(413, "PAYLOAD_TOO_LARGE", "Request body is too large")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise AuthError(413, "PAYLOAD_TOO_LARGE", "Request body is too large")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_body(request: Request, *, allow_form: bool) -> dict[str, Any] | None:
    """The JSON (or form) object of the body; None when there is no body at all."""
    raw = await _bounded_body(request)
    if not raw:
        return None
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";", 1)[0].strip().lower()
    if media == FORM and allow_form:
        return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    if media != JSON:
        allowed = f"{JSON}, {FORM}" if allow_form else JSON
        raise AuthError(
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            f'Content-Type "{content_type}" is not allowed. Allowed types: {allowed}',
        )
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise AuthError(400, "BAD_REQUEST", "Invalid JSON in request body") from None
    if isinstance(value, dict):
        return value
    return {"__not_an_object__": value}


def _zod_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


@dataclass
class Schema:
    """A body (or query) schema: field -> kind (string, email, boolean, object or array)."""

    required: dict[str, str] = field(default_factory=dict)
    optional: dict[str, str] = field(default_factory=dict)
    where: str = "body"

    def validate(self, data: dict[str, Any] | None) -> dict[str, Any]:
        data = {} if data is None else data
        if "__not_an_object__" in data:
            raise AuthError(400, "VALIDATION_ERROR", f"[{self.where}] Invalid input")
        problems: list[str] = []
        clean: dict[str, Any] = {}
        for name, kind in [*self.required.items(), *self.optional.items()]:
            present = name in data
            value = data.get(name)
            if not present and name in self.optional:
                continue
            if present and value is None and name in self.optional and kind != "email":
                continue
            problem = _check(kind, value, present)
            if problem:
                problems.append(f"[{self.where}.{name}] {problem}")
            else:
                clean[name] = value
        if problems:
            raise AuthError(400, "VALIDATION_ERROR", "; ".join(problems))
        return clean


def _check(kind: str, value: Any, present: bool) -> str | None:
    expected = {
        "string": "string",
        "email": "string",
        "boolean": "boolean",
        "object": "object",
        "array": "array",
    }[kind]
    received = _zod_type(value) if present else "undefined"
    if received != expected:
        return f"Invalid input: expected {expected}, received {received}"
    if kind == "email" and not is_email(value):
        return "Invalid email address"
    return None


def flag(query: QueryParams, name: str) -> bool:
    """Better Auth's coerced query booleans: any non-empty value counts as true."""
    return bool(query.get(name))


def user_agent(headers: Headers) -> str:
    return headers.get("user-agent", "")
