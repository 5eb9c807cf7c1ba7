"""A stand-in server for running the conformance kit's tRPC files against tandem.trpc alone.

    uv run python packages/tandem/tests/trpc/conformance_server.py 18110

Mounts the app's health and conformance routers at /api/trpc with a context that has no
session (auth is wired by the app), and answers GET /api/auth/ok for the kit's preflight.
"""

from __future__ import annotations

import sys

import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route
from tandem.trpc import ContextRequest, TRPCApp, router
from tandem_api.routers.conformance import conformance_router
from tandem_api.routers.health import health_router


class AnonymousContext:
    async def get_session(self) -> None:
        return None


async def create_context(request: ContextRequest) -> AnonymousContext:
    return AnonymousContext()


async def auth_ok(request: object) -> JSONResponse:
    return JSONResponse({"ok": True})


def build_app() -> Starlette:
    trpc = TRPCApp(
        router(health=health_router, conformance=conformance_router),
        create_context=create_context,
    )
    return Starlette(routes=[Route("/api/auth/ok", auth_ok), Mount("/api/trpc", trpc)])


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 18110
    uvicorn.run(build_app(), host="127.0.0.1", port=port, log_level="warning")
