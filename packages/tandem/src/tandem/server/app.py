"""The ASGI application: one origin serving the API mounts, the health check and the built SPA.

Dispatch is a prefix table, not a router: a request costs a few string comparisons before it reaches tRPC or
auth. Mounted apps see Starlette's convention: `root_path` is the mount prefix, `path` stays the full path.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from tandem.db import Database
from tandem.server.health import health_endpoint
from tandem.server.middleware import RequestMiddleware
from tandem.server.responses import send_json
from tandem.server.static import SpaFiles

log = logging.getLogger("tandem.server")

Hook = Callable[[], Awaitable[None]]

# The SPA runs only its own bundled scripts and stylesheets (React sets styles through the CSSOM, which CSP
# allows); `img-src https:` is for the profile image URLs users enter.
SPA_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "font-src 'self' data:; connect-src 'self' {api}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class Dispatcher:
    def __init__(
        self,
        *,
        routes: Mapping[str, ASGIApp],
        mounts: Mapping[str, ASGIApp],
        fallback: ASGIApp,
        lifespan: Callable[[Scope, Receive, Send], Awaitable[None]],
    ) -> None:
        self.routes = dict(routes)
        self.mounts = sorted(
            ((p.rstrip("/"), a) for p, a in mounts.items()), key=lambda m: -len(m[0])
        )
        self.fallback = fallback
        self.lifespan = lifespan

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(scope, receive, send)
            return
        path: str = scope["path"]
        endpoint = self.routes.get(path)
        if endpoint is not None:
            await endpoint(scope, receive, send)
            return
        for prefix, app in self.mounts:
            if path.startswith(prefix) and (len(path) == len(prefix) or path[len(prefix)] == "/"):
                await app(
                    {**scope, "root_path": scope.get("root_path", "") + prefix}, receive, send
                )
                return
        if scope["type"] != "http":
            return
        if path == "/api" or path.startswith("/api/"):
            await send_json(send, 404, {"error": "Not Found", "path": path})
            return
        await self.fallback(scope, receive, send)


def _lifespan(
    database: Database, on_startup: Sequence[Hook], on_shutdown: Sequence[Hook]
) -> ASGIApp:
    async def lifespan(scope: Scope, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await database.connect()
                    for hook in on_startup:
                        await hook()
                except Exception as exc:
                    log.exception("startup failed")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                # Everything made at start-up lives as long as the process: moving it out of the collector's
                # reach keeps full collections (pauses every request waits on) short.
                gc.freeze()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                for hook in on_shutdown:
                    try:
                        await hook()
                    except Exception:
                        log.exception("shutdown hook failed")
                await database.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    return lifespan


def create_server(
    *,
    database: Database,
    mounts: Mapping[str, ASGIApp] = {},
    routes: Mapping[str, ASGIApp] = {},
    spa_dir: Path | None = None,
    production: bool = False,
    cors_origins: Sequence[str] = (),
    api_origin: str = "",
    on_startup: Sequence[Hook] = (),
    on_shutdown: Sequence[Hook] = (),
    access_log: bool = True,
    version: str = "0.1.0",
) -> ASGIApp:
    """Build the server. `mounts` maps prefixes (`/api/trpc`) to ASGI apps; `routes` maps exact paths."""
    csp = SPA_CONTENT_SECURITY_POLICY.format(api=api_origin).replace("  ", " ")
    spa = SpaFiles(
        spa_dir or Path("apps/web/dist"), extra_headers=[(b"content-security-policy", csp.encode())]
    )
    all_routes = {"/api/health": health_endpoint(database, version=version), **routes}
    app: ASGIApp = Dispatcher(
        routes=all_routes,
        mounts=mounts,
        fallback=spa,
        lifespan=_lifespan(database, on_startup, on_shutdown),
    )
    if cors_origins:
        app = CORSMiddleware(
            app,
            allow_origins=list(cors_origins),
            allow_credentials=True,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=[
                "content-type",
                "trpc-accept",
                "x-trpc-source",
                "authorization",
                "last-event-id",
            ],
            max_age=600,
        )
    return RequestMiddleware(app, production=production, access_log=access_log)
