"""Walks Python type annotations for the code generators (TypeScript and JSON Schema)."""

from __future__ import annotations

import collections.abc as cabc
import dataclasses
import datetime as dt
import decimal
import enum
import inspect
import types
import typing
import uuid
from typing import Any, Literal

from pydantic import BaseModel
from typing_extensions import is_typeddict

from tandem.trpc.validation import NOT_NULL

Mode = Literal["input", "output"]

STRING_LIKE = (dt.datetime, dt.date, dt.time, uuid.UUID, decimal.Decimal)
SEQUENCES = (
    list,
    set,
    frozenset,
    cabc.Sequence,
    cabc.MutableSequence,
    cabc.Set,
    cabc.MutableSet,
    cabc.Iterable,
)
MAPPINGS = (dict, cabc.Mapping, cabc.MutableMapping)
ASYNC_ITERABLES = (cabc.AsyncIterator, cabc.AsyncIterable, cabc.AsyncGenerator)


def unwrap_annotated(tp: Any) -> tuple[Any, list[Any]]:
    metadata: list[Any] = []
    while typing.get_origin(tp) is typing.Annotated:
        metadata.extend(tp.__metadata__)
        tp = tp.__origin__
    return tp, metadata


def is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


def is_not_null(metadata: list[Any]) -> bool:
    return any(m is NOT_NULL for m in metadata)


def is_model(tp: Any) -> bool:
    return isinstance(tp, type) and (
        issubclass(tp, BaseModel)
        or is_typeddict(tp)
        or (dataclasses.is_dataclass(tp) and not issubclass(tp, BaseModel))
    )


@dataclasses.dataclass(frozen=True)
class FieldInfo:
    name: str
    annotation: Any
    required: bool
    not_null: bool
    description: str | None


def model_fields(model: type, mode: Mode) -> list[FieldInfo]:
    """The fields of a model class as the wire sees them in this mode."""
    fields: list[FieldInfo] = []
    if issubclass(model, BaseModel):
        for name, field in model.model_fields.items():
            wire_name = field.serialization_alias if mode == "output" else field.validation_alias
            if not isinstance(wire_name, str):
                wire_name = field.alias or name
            annotation: Any = field.annotation
            if field.metadata:
                annotation = typing.Annotated[(annotation, *field.metadata)]
            fields.append(
                FieldInfo(
                    wire_name,
                    annotation,
                    mode == "output" or field.is_required(),
                    is_not_null(list(field.metadata)),
                    field.description,
                )
            )
    elif is_typeddict(model):
        hints = typing.get_type_hints(model, include_extras=True)
        required_keys: frozenset[str] = getattr(model, "__required_keys__", frozenset(hints))
        for name, annotation in hints.items():
            fields.append(FieldInfo(name, annotation, name in required_keys, False, None))
    else:
        hints = typing.get_type_hints(model, include_extras=True)
        for dc_field in dataclasses.fields(model):  # type: ignore[arg-type]
            has_default = (
                dc_field.default is not dataclasses.MISSING
                or dc_field.default_factory is not dataclasses.MISSING
            )
            required = mode == "output" or not has_default
            fields.append(FieldInfo(dc_field.name, hints[dc_field.name], required, False, None))
    return fields


def model_doc(model: type) -> str | None:
    doc = model.__doc__
    if not doc or doc == BaseModel.__doc__ or doc.startswith(f"{model.__name__}("):
        return None
    return inspect.cleandoc(doc)


def enum_values(tp: type[enum.Enum]) -> list[Any]:
    return [member.value for member in tp]
