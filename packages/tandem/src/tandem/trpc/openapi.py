"""An OpenAPI 3.1 description of a router's HTTP surface (served at /api/openapi.json).

Queries are `GET {prefix}/{path}?input=<JSON>`, mutations `POST` with a JSON body; both answer
`{"result":{"data": …}}` or an error envelope. Subscriptions are `GET` with an SSE response.
Schemas come from Pydantic (`mode="validation"` for inputs, `"serialization"` for outputs).
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterator
from typing import Any, NoReturn, NotRequired

from pydantic import PydanticUserError, TypeAdapter
from typing_extensions import TypedDict, is_typeddict

from tandem.trpc.errors import ERROR_CODES
from tandem.trpc.procedure import Procedure, Tracked
from tandem.trpc.router import Router
from tandem.trpc.typeinfo import ASYNC_ITERABLES, unwrap_annotated
from tandem.trpc.uploads import FormData, OctetStream

REF = "#/components/schemas/{model}"

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["message", "code", "data"],
            "properties": {
                "message": {"type": "string"},
                "code": {"type": "integer", "enum": sorted({n for n, _ in ERROR_CODES.values()})},
                "data": {
                    "type": "object",
                    "required": ["code", "httpStatus", "zodError"],
                    "properties": {
                        "code": {"type": "string", "enum": list(ERROR_CODES)},
                        "httpStatus": {"type": "integer"},
                        "path": {"type": "string"},
                        "zodError": {
                            "anyOf": [
                                {"type": "null"},
                                {
                                    "type": "object",
                                    "properties": {
                                        "formErrors": {
                                            "type": "array",
                                            "items": {"type": "string"},
                                        },
                                        "fieldErrors": {
                                            "type": "object",
                                            "additionalProperties": {
                                                "type": "array",
                                                "items": {"type": "string"},
                                            },
                                        },
                                    },
                                },
                            ]
                        },
                    },
                },
            },
        }
    },
}


class _Schemas:
    def __init__(self) -> None:
        self.components: dict[str, Any] = {"TRPCError": ERROR_SCHEMA}

    def of(self, tp: Any, mode: typing.Literal["validation", "serialization"]) -> dict[str, Any]:
        bare, _ = unwrap_annotated(tp)
        origin = typing.get_origin(bare)
        if bare is NoReturn or bare is typing.Never:
            return {"not": {}}
        if origin in ASYNC_ITERABLES:
            (item,) = typing.get_args(bare)[:1] or (Any,)
            return {"type": "array", "items": self.of(item, mode)}
        if origin is Tracked:
            return {
                "type": "object",
                "required": ["id", "data"],
                "properties": {
                    "id": {"type": "string"},
                    "data": self.of(typing.get_args(bare)[0], mode),
                },
            }
        try:
            schema = TypeAdapter(_describable(tp)).json_schema(ref_template=REF, mode=mode)
        except PydanticUserError:
            return {}  # a type Pydantic cannot describe: any JSON value

        for name, definition in schema.pop("$defs", {}).items():
            self._add(name, definition, mode)
        title = schema.get("title")
        if schema.get("type") == "object" and isinstance(title, str) and isinstance(bare, type):
            return {"$ref": REF.format(model=self._add(title, schema, mode))}
        return schema

    def _add(self, name: str, schema: dict[str, Any], mode: str) -> str:
        existing = self.components.get(name)
        if existing is None or existing == schema:
            self.components[name] = schema
            return name
        alternative = f"{name}-{'Input' if mode == 'validation' else 'Output'}"
        self.components[alternative] = schema
        return alternative


@functools.cache
def _describable(tp: Any) -> Any:
    """The type with `typing.TypedDict`s (which Pydantic refuses on Python 3.11) rebuilt as
    `typing_extensions.TypedDict`s, recursively."""
    if is_typeddict(tp) and type(tp).__module__ == "typing":
        hints = typing.get_type_hints(tp, include_extras=True)
        required = getattr(tp, "__required_keys__", frozenset(hints))
        fields = {
            name: _describable(hint) if name in required else NotRequired[_describable(hint)]
            for name, hint in hints.items()
        }
        rebuilt = TypedDict(tp.__name__, fields)  # type: ignore[misc]
        rebuilt.__doc__ = tp.__doc__
        return rebuilt
    args = typing.get_args(tp)
    if not args:
        return tp
    if typing.get_origin(tp) is typing.Annotated:
        return typing.Annotated[(_describable(args[0]), *tp.__metadata__)]
    converted = tuple(_describable(a) for a in args)
    if converted == args:
        return tp
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return typing.Union[converted]  # noqa: UP007
    return tp.copy_with(converted) if hasattr(tp, "copy_with") else origin[converted]


def _walk(router: Router, prefix: str = "") -> Iterator[tuple[str, Procedure]]:
    for name, child in router.children.items():
        if isinstance(child, Router):
            yield from _walk(child, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", child


def build_openapi(
    router: Router, *, title: str, version: str, prefix: str = "/api/trpc"
) -> dict[str, Any]:
    schemas = _Schemas()
    paths: dict[str, Any] = {}
    errors = {"default": _json_response("Error", {"$ref": REF.format(model="TRPCError")})}
    for path, proc in _walk(router):
        output = schemas.of(proc.output_type, "serialization")
        operation: dict[str, Any] = {"operationId": path, "tags": [path.split(".")[0]]}
        if proc.description:
            summary, _, rest = proc.description.partition("\n")
            operation["summary"] = summary
            if rest.strip():
                operation["description"] = rest.strip()
        body_type = BODY_INPUTS.get(proc.input_type) if proc.has_input else None
        input_schema = (
            schemas.of(proc.input_type, "validation") if proc.has_input and not body_type else None
        )
        if body_type is not None:
            media_type, schema = body_type
            operation["requestBody"] = {
                "required": not proc.input_parser or not proc.input_parser.optional,
                "content": {media_type: {"schema": schema}},
            }
        elif proc.kind == "mutation":
            if input_schema is not None:
                operation["requestBody"] = {
                    "required": not proc.input_parser or not proc.input_parser.optional,
                    "content": {"application/json": {"schema": input_schema}},
                }
        elif input_schema is not None:
            operation["parameters"] = [
                {
                    "name": "input",
                    "in": "query",
                    "required": not proc.input_parser or not proc.input_parser.optional,
                    "description": "The input, JSON-encoded.",
                    "content": {"application/json": {"schema": input_schema}},
                }
            ]
        if proc.kind == "subscription":
            success = {
                "description": "Server-sent events: `connected`, one event per value, `return`",
                "content": {"text/event-stream": {"schema": output}},
            }
        else:
            envelope = {
                "type": "object",
                "required": ["result"],
                "properties": {"result": {"type": "object", "properties": {"data": output}}},
            }
            success = _json_response("Success", envelope)
        operation["responses"] = {"200": success, **errors}
        method = "post" if proc.kind == "mutation" or body_type else "get"
        paths[f"{prefix}/{path}"] = {method: operation}
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {"schemas": dict(sorted(schemas.components.items()))},
    }


BODY_INPUTS: dict[Any, tuple[str, dict[str, Any]]] = {
    FormData: ("multipart/form-data", {"type": "object"}),
    OctetStream: ("application/octet-stream", {"type": "string", "format": "binary"}),
}


def _json_response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}
