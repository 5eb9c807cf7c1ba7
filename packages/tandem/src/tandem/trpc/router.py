"""Routers: nested name -> procedure tables, flattened once into a dotted path table."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from tandem.trpc.procedure import Procedure


class Router:
    __slots__ = ("children", "procedures")

    def __init__(self, children: Mapping[str, Procedure | Router]) -> None:
        for name, child in children.items():
            if not name or any(c in name for c in ".,/"):
                raise ValueError(f"invalid procedure or router name {name!r}")
            if not isinstance(child, (Procedure, Router)):
                raise TypeError(f"{name!r} is neither a procedure nor a router: {child!r}")
        self.children: dict[str, Procedure | Router] = dict(children)
        self.procedures: dict[str, Procedure] = dict(self._flatten(""))

    def _flatten(self, prefix: str) -> Iterator[tuple[str, Procedure]]:
        for name, child in self.children.items():
            if isinstance(child, Router):
                yield from child._flatten(f"{prefix}{name}.")
            else:
                yield f"{prefix}{name}", child

    def __repr__(self) -> str:
        return f"Router({sorted(self.procedures)})"


def router(**children: Procedure | Router) -> Router:
    """`router(ping=ping)`, `router(health=health_router, task=task_router)`."""
    return Router(children)
