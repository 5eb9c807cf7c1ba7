"""The superjson (v2, `"v": 1`) wire format, for servers that opt into the transformer.

Outputs: `serialize` annotates datetimes (`Date`), sets (`set`), NaN/±Infinity (`number`) and
missing values (`undefined`). Inputs: `deserialize` unwraps `json` and applies the annotations
that matter before JSON-mode validation (dropped `undefined` keys, `bigint` strings); dates stay
ISO strings, which Pydantic parses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import math
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from tandem.trpc.encoding import iso_datetime
from tandem.trpc.validation import UNDEFINED

Node = list[Any]


def _escape(key: str) -> str:
    return key.replace("\\", "\\\\").replace(".", "\\.")


def _walk(value: Any, path: str, notes: dict[str, Node]) -> Any:
    if value is UNDEFINED:
        notes[path] = ["undefined"]
        return None
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            notes[path] = ["number"]
            return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        return value
    if isinstance(value, dt.datetime):
        notes[path] = ["Date"]
        return iso_datetime(value)
    if isinstance(value, enum.Enum):
        return _walk(value.value, path, notes)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, BaseModel):
        return _walk(value.model_dump(by_alias=True), path, notes)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _walk(dataclasses.asdict(value), path, notes)
    if isinstance(value, (set, frozenset)):
        children: dict[str, Node] = {}
        items = [_walk(item, str(i), children) for i, item in enumerate(value)]
        notes[path] = ["set", children] if children else ["set"]
        return items
    if isinstance(value, Mapping):
        return {
            str(k): _walk(v, f"{path}.{_escape(str(k))}" if path else _escape(str(k)), notes)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [_walk(v, f"{path}.{i}" if path else str(i), notes) for i, v in enumerate(value)]
    raise TypeError(f"{type(value).__name__} is not serializable")


def serialize(value: Any) -> dict[str, Any]:
    notes: dict[str, Node] = {}
    data = _walk(value, "", notes)
    if not notes:
        return {"json": data}
    values: Any = notes.get("", notes)
    return {"json": data, "meta": {"values": values, "v": 1}}


def _split(path: str) -> list[str]:
    parts, current, i = [], "", 0
    while i < len(path):
        c = path[i]
        if c == "\\" and i + 1 < len(path):
            current += path[i + 1]
            i += 2
            continue
        if c == ".":
            parts.append(current)
            current = ""
        else:
            current += c
        i += 1
    parts.append(current)
    return parts


def _apply(container: Any, keys: list[str], node: Any) -> Any:
    """Applies one annotation at `keys` below `container`; returns the new container."""
    if not keys:
        return _convert(container, node)
    key, rest = keys[0], keys[1:]
    if isinstance(container, dict) and key in container:
        converted = _apply(container[key], rest, node)
        if converted is UNDEFINED:
            del container[key]
        else:
            container[key] = converted
    elif isinstance(container, list) and key.isdigit() and int(key) < len(container):
        converted = _apply(container[int(key)], rest, node)
        container[int(key)] = None if converted is UNDEFINED else converted
    return container


def _convert(value: Any, node: Any) -> Any:
    # Annotations come from the client: anything that is not a well-formed node is ignored.
    if not isinstance(node, list) or not node:
        return value
    kind = node[0]
    if kind == "undefined":
        return UNDEFINED
    if kind == "bigint" and isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return value
    children = node[1] if len(node) > 1 else None
    if isinstance(children, dict) and isinstance(value, list):
        for sub, child in children.items():
            if isinstance(sub, str):
                value = _apply(value, _split(sub), child)
    return value


def deserialize(payload: Any) -> Any:
    """The input a superjson client sent; an object without `json` is no input at all."""
    if not isinstance(payload, dict) or "json" not in payload:
        return UNDEFINED
    value = payload["json"]
    meta = payload.get("meta")
    values = meta.get("values") if isinstance(meta, dict) else None
    if isinstance(values, list):
        return _convert(value, values)
    if isinstance(values, dict):
        for path, node in values.items():
            value = _apply(value, _split(path), node)
    return value
