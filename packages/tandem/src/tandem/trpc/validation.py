"""Input validation with zod 4's rules on top of Pydantic.

zod 4 is strict (no coercion), counts string lengths in code points, accepts integral floats as
integers, drops unknown keys and keeps "optional" apart from "nullable". Pydantic in strict JSON
mode does all of that once integral floats are turned into ints, so inputs are normalised, dumped
and validated with ``validate_json``. Errors keep zod's wire shape: a pretty JSON issue list as the
message and ``{formErrors, fieldErrors}`` as ``data.zodError``.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, TypeVar

import orjson
from pydantic import AfterValidator, BaseModel, ConfigDict, TypeAdapter, ValidationError

from tandem.trpc.errors import TRPCError

T = TypeVar("T")

MAX_SAFE_INTEGER = 2**53 - 1


class Input(BaseModel):
    """Base for procedure inputs: strict types, unknown keys dropped, like a zod object."""

    model_config = ConfigDict(strict=True, extra="ignore", use_attribute_docstrings=True)


def _reject_null(value: T) -> T:
    if value is None:
        raise ValueError("Invalid input: expected a value, received null")
    return value


NOT_NULL = AfterValidator(_reject_null)

# `n: Omittable[int] = None` may be absent but not null (zod's `.optional()`); a plain
# `n: int | None = None` is optional *and* nullable (`.nullish()`).
Omittable = Annotated[T | None, NOT_NULL]


def normalize(value: Any) -> Any:
    """Numbers as JavaScript sees them: integral floats in the safe range are integers, and
    integers beyond it are floats (so zod's integer check, and ours, refuses them)."""
    if isinstance(value, float):
        if value.is_integer() and -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            return int(value)
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            return value
        try:
            return float(value)
        except OverflowError:
            return value
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    return value


class InputValidationError(Exception):
    """The cause of a BAD_REQUEST input error: zod-shaped issues."""

    def __init__(self, issues: list[dict[str, Any]]) -> None:
        super().__init__(issues)
        self.issues = issues

    def pretty(self) -> str:
        return orjson.dumps(self.issues, option=orjson.OPT_INDENT_2).decode()

    def flatten(self) -> dict[str, Any]:
        form_errors: list[str] = []
        field_errors: dict[str, list[str]] = {}
        for issue in self.issues:
            path = issue["path"]
            if path:
                field_errors.setdefault(str(path[0]), []).append(issue["message"])
            else:
                form_errors.append(issue["message"])
        return {"formErrors": form_errors, "fieldErrors": field_errors}

    def to_trpc(self) -> TRPCError:
        return TRPCError("BAD_REQUEST", self.pretty(), cause=self)


class _Undefined:
    """JavaScript's `undefined`: an input that was not sent at all."""

    _instance: _Undefined | None = None

    def __new__(cls) -> _Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNDEFINED"

    def __bool__(self) -> bool:
        return False


UNDEFINED = _Undefined()


def js_type(value: Any) -> str:
    if value is UNDEFINED:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "nan" if isinstance(value, float) and math.isnan(value) else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


_EXPECTED = {
    "string_type": "string",
    "int_type": "int",
    "int_from_float": "int",
    "int_parsing": "int",
    "float_type": "number",
    "float_parsing": "number",
    "bool_type": "boolean",
    "bool_parsing": "boolean",
    "model_type": "object",
    "model_attributes_type": "object",
    "dict_type": "record",
    "list_type": "array",
    "tuple_type": "tuple",
    "set_type": "array",
    "none_required": "null",
    "datetime_type": "string",
    "datetime_parsing": "string",
    "date_type": "string",
    "date_parsing": "string",
    "uuid_type": "string",
    "uuid_parsing": "string",
}


def _issue(error: Any) -> dict[str, Any]:
    kind = error["type"]
    path = [part for part in error["loc"] if not _is_union_tag(part)]
    ctx = error.get("ctx") or {}
    received = js_type(error.get("input"))
    if kind == "missing":
        return {
            "expected": "nonoptional",
            "code": "invalid_type",
            "path": path,
            "message": "Invalid input: expected nonoptional, received undefined",
        }
    if kind in _EXPECTED:
        expected = _EXPECTED[kind]
        return {
            "expected": expected,
            "code": "invalid_type",
            "path": path,
            "message": f"Invalid input: expected {expected}, received {received}",
        }
    if kind in ("string_too_short", "too_short"):
        origin = "string" if kind == "string_too_short" else "array"
        minimum = ctx.get("min_length", 0)
        unit = "characters" if origin == "string" else "items"
        return {
            "origin": origin,
            "code": "too_small",
            "minimum": minimum,
            "inclusive": True,
            "path": path,
            "message": f"Too small: expected {origin} to have >={minimum} {unit}",
        }
    if kind in ("string_too_long", "too_long"):
        origin = "string" if kind == "string_too_long" else "array"
        maximum = ctx.get("max_length", 0)
        unit = "characters" if origin == "string" else "items"
        return {
            "origin": origin,
            "code": "too_big",
            "maximum": maximum,
            "inclusive": True,
            "path": path,
            "message": f"Too big: expected {origin} to have <={maximum} {unit}",
        }
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        op = ">=" if kind == "greater_than_equal" else ">"
        return {
            "origin": "number",
            "code": "too_small",
            "minimum": bound,
            "inclusive": kind == "greater_than_equal",
            "path": path,
            "message": f"Too small: expected number to be {op}{bound}",
        }
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        op = "<=" if kind == "less_than_equal" else "<"
        return {
            "origin": "number",
            "code": "too_big",
            "maximum": bound,
            "inclusive": kind == "less_than_equal",
            "path": path,
            "message": f"Too big: expected number to be {op}{bound}",
        }
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", ""))
        return {
            "code": "invalid_value",
            "path": path,
            "message": f"Invalid option: expected one of {expected}",
        }
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        return {
            "origin": "string",
            "code": "invalid_format",
            "format": "regex",
            "pattern": f"/{pattern}/",
            "path": path,
            "message": f"Invalid string: must match pattern /{pattern}/",
        }
    message = str(error.get("msg", "Invalid input"))
    return {"code": "custom", "path": path, "message": message.removeprefix("Value error, ")}


def _is_union_tag(part: str | int) -> bool:
    # Pydantic puts union member tags ("int", "function-after[...]") into `loc`; zod paths hold
    # only keys and indices.
    return isinstance(part, str) and (part.endswith("]") or part in _TAGS)


_TAGS = frozenset({"int", "str", "float", "bool", "none", "list", "dict", "tuple", "set"})


class InputParser:
    """Validates a raw (JSON-parsed) input against a type, precompiled once per procedure."""

    __slots__ = ("adapter", "default", "optional")

    def __init__(self, annotation: Any, *, optional: bool, default: Any = None) -> None:
        self.adapter: TypeAdapter[Any] = TypeAdapter(annotation)
        self.optional = optional
        self.default = default

    def parse(self, raw: Any) -> Any:
        if raw is UNDEFINED:
            if self.optional:
                return self.default
            raise InputValidationError(
                [
                    {
                        "expected": "object",
                        "code": "invalid_type",
                        "path": [],
                        "message": "Invalid input: expected object, received undefined",
                    }
                ]
            ).to_trpc()
        try:
            document = orjson.dumps(normalize(raw))
        except TypeError:  # form data or a byte stream, sent to a procedure that takes JSON
            received = type(raw).__name__
            issue = {
                "code": "invalid_type",
                "path": [],
                "message": f"Invalid input: expected JSON, received {received}",
            }
            raise InputValidationError([issue]).to_trpc() from None
        try:
            return self.adapter.validate_json(document, strict=True)
        except ValidationError as exc:
            raise InputValidationError([_issue(e) for e in exc.errors()]).to_trpc() from None
