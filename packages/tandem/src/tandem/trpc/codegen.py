"""Renders a router as a type-only TypeScript file exporting `AppRouter` (trpc-protocol.md §8).

The file holds only `import type`/`export type`/interfaces plus the `IsAny` guard constant,
so a frontend imports it with `import type` and nothing reaches its bundle. Input types are
rendered in validation mode (fields with defaults are optional; `Omittable` fields are not
nullable), output types in serialization mode (every field present). Docstrings become JSDoc.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
import typing
from collections.abc import Iterable
from typing import Any, NoReturn

from tandem.trpc.procedure import Procedure, Tracked
from tandem.trpc.router import Router
from tandem.trpc.typeinfo import (
    ASYNC_ITERABLES,
    MAPPINGS,
    SEQUENCES,
    STRING_LIKE,
    Mode,
    enum_values,
    is_model,
    is_not_null,
    is_union,
    model_doc,
    model_fields,
    unwrap_annotated,
)
from tandem.trpc.uploads import FormData, OctetStream

_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_PROCEDURE_TYPES = {
    "query": "TRPCQueryProcedure",
    "mutation": "TRPCMutationProcedure",
    "subscription": "TRPCSubscriptionProcedure",
}


def _key(name: str) -> str:
    return name if _IDENTIFIER.match(name) else json.dumps(name)


def _jsdoc(text: str | None, indent: str) -> str:
    if not text:
        return ""
    lines = text.replace("*/", "*\\/").splitlines()
    if len(lines) == 1:
        return f"{indent}/** {lines[0]} */\n"
    body = "".join(f"{indent} *{' ' + line if line else ''}\n" for line in lines)
    return f"{indent}/**\n{body}{indent} */\n"


class _Renderer:
    def __init__(self, *, transformer: bool) -> None:
        self.transformer = transformer
        # (model, mode) -> interface name, and name -> rendered declaration
        self.names: dict[tuple[type, Mode], str] = {}
        self.declarations: dict[str, str] = {}
        self.bodies: dict[str, str] = {}

    def ts(self, tp: Any, mode: Mode, *, strip_null: bool = False) -> str:
        tp, metadata = unwrap_annotated(tp)
        strip_null = strip_null or is_not_null(metadata)
        if tp is Any or tp is object:
            return "unknown"
        if tp is FormData:
            return "FormData"
        if tp is OctetStream:
            return "Blob | Uint8Array | File"  # what httpLink sends as application/octet-stream
        if tp is NoReturn or tp is typing.Never:
            return "never"
        if tp is None or tp is type(None):
            return "null"
        if tp is str:
            return "string"
        if tp is bool:
            return "boolean"
        if tp in (int, float):
            return "number"
        if isinstance(tp, type) and issubclass(tp, STRING_LIKE):
            return "Date" if self.transformer and issubclass(tp, dt.datetime) else "string"
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return " | ".join(json.dumps(v) for v in enum_values(tp)) or "never"
        if isinstance(tp, type) and is_model(tp):
            return self.model(tp, mode)
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if is_union(tp):
            members = [a for a in args if not (strip_null and a is type(None))]
            rendered = list(dict.fromkeys(self.ts(a, mode) for a in members))
            return " | ".join(rendered)
        if origin is typing.Literal:
            return " | ".join(json.dumps(v.value if isinstance(v, enum.Enum) else v) for v in args)
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return self._array(args[0], mode)
            return "[" + ", ".join(self.ts(a, mode) for a in args) + "]"
        if origin in (set, frozenset) and self.transformer:
            return f"Set<{self.ts(args[0], mode) if args else 'unknown'}>"
        if origin in SEQUENCES:
            return self._array(args[0] if args else Any, mode)
        if origin in MAPPINGS:
            value = self.ts(args[1], mode) if len(args) == 2 else "unknown"
            return f"Record<string, {value}>"
        if origin in ASYNC_ITERABLES:
            return f"AsyncIterable<{self.ts(args[0] if args else Any, mode)}>"
        if origin is Tracked:
            return f"{{ id: string; data: {self.ts(args[0], mode)} }}"
        if tp in (list, set, frozenset, tuple):
            return "unknown[]"
        if tp is dict:
            return "Record<string, unknown>"
        raise TypeError(f"cannot render {tp!r} as a TypeScript type")

    def _array(self, item: Any, mode: Mode) -> str:
        inner = self.ts(item, mode)
        return f"({inner})[]" if " " in inner else f"{inner}[]"

    def model(self, model: type, mode: Mode) -> str:
        key = (model, mode)
        if key in self.names:
            return self.names[key]
        twin = self.names.get((model, "output" if mode == "input" else "input"))
        base = f"{model.__name__}Input" if twin == model.__name__ else model.__name__
        name, n = base, 2
        while name in self.bodies:
            name, n = f"{base}{n}", n + 1
        self.names[key] = name
        self.bodies[name] = ""  # reserved while the fields render (recursive models)
        body = "".join(
            _jsdoc(field.description, "  ")
            + f"  {_key(field.name)}{'' if field.required else '?'}: "
            + f"{self.ts(field.annotation, mode, strip_null=field.not_null)};\n"
            for field in model_fields(model, mode)
        )
        if twin is not None and self.bodies.get(twin) == body:
            # Rendered the same in both modes: one interface serves both.
            del self.bodies[name]
            self.names[key] = twin
            return twin
        self.bodies[name] = body
        doc = _jsdoc(model_doc(model), "")
        self.declarations[name] = f"{doc}export interface {name} {{\n{body}}}\n"
        return name

    def procedure(self, proc: Procedure) -> str:
        if proc.input_parser is None:
            input_ts = "void"
        else:
            input_ts = self.ts(proc.input_type, "input")
            if proc.input_parser.optional:
                input_ts = f"{input_ts} | void"
        output_ts = self.ts(proc.output_type, "output")
        if proc.streams and not output_ts.startswith("AsyncIterable<"):
            output_ts = f"AsyncIterable<{output_ts}>"
        kind = _PROCEDURE_TYPES[proc.kind]
        return f"{kind}<{{ input: {input_ts}; output: {output_ts}; meta: object }}>"

    def router(self, router: Router, indent: str) -> str:
        lines = []
        for name, child in router.children.items():
            if isinstance(child, Router):
                inner = self.router(child, indent + "  ")
                lines.append(f"{indent}{_key(name)}: {{\n{inner}{indent}}};\n")
            else:
                lines.append(
                    _jsdoc(child.description, indent)
                    + f"{indent}{_key(name)}: {self.procedure(child)};\n"
                )
        return "".join(lines)


def _kinds(router: Router) -> Iterable[str]:
    return {p.kind for p in router.procedures.values()}


def render_typescript(router: Router, *, transformer: bool = False) -> str:
    """The TypeScript source of `AppRouter` for this router (deterministic)."""
    renderer = _Renderer(transformer=transformer)
    tree = renderer.router(router, "    ")
    imports = sorted(
        {"TRPCBuiltRouter", "TRPCDefaultErrorShape"} | {_PROCEDURE_TYPES[k] for k in _kinds(router)}
    )
    parts = [
        "// Generated by tandem.trpc from the Python router. Do not edit.\n"
        "// Types only: import it with `import type`.\n",
        "import type {\n"
        + "".join(f"  {name},\n" for name in imports)
        + '} from "@trpc/server";\n',
    ]
    parts.extend(renderer.declarations[name] for name in sorted(renderer.declarations))
    parts.append(
        "export type ErrorShape = TRPCDefaultErrorShape & {\n"
        '  data: TRPCDefaultErrorShape["data"] & {\n'
        "    zodError: { formErrors: string[]; fieldErrors: Record<string, string[] | undefined> } | null;\n"
        "  };\n"
        "};\n"
    )
    flag = "true" if transformer else "false"
    parts.append(
        "export type AppRouter = TRPCBuiltRouter<\n"
        f"  {{ ctx: object; meta: object; errorShape: ErrorShape; transformer: {flag} }},\n"
        f"  {{\n{tree}  }}\n"
        ">;\n"
    )
    parts.append(
        "type IsAny<T> = 0 extends 1 & T ? true : false;\n"
        "export const __appRouterIsNotAny: IsAny<AppRouter> extends false ? true : never = true;\n"
    )
    return "\n".join(parts)
