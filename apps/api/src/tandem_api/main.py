"""The app factory: the database, auth and tRPC, wired into one server."""

from __future__ import annotations

from starlette.types import ASGIApp
from tandem.db import Database
from tandem.server import create_server
from tandem.server.responses import send_json
from tandem.trpc import TRPCApp
from tandem.trpc.openapi import build_openapi

from tandem_api.auth import build_auth
from tandem_api.context import context_factory
from tandem_api.router import app_router, conformance_app_router
from tandem_api.settings import Settings

VERSION = "0.1.0"


def create_app(settings: Settings | None = None) -> ASGIApp:
    settings = settings or Settings()
    database = Database(
        settings.database_url or "",
        max_size=settings.pg_pool_max,
        transaction_pooler=settings.database_pooler,
    )
    auth = build_auth(settings, database)
    api = conformance_app_router() if settings.tandem_conformance else app_router
    trpc = TRPCApp(
        api, create_context=context_factory(database, auth), debug=not settings.is_production
    )
    openapi = build_openapi(api, title="Tandem API", version=VERSION)
    providers = {"providers": [p.id for p in auth.config.social_providers]}

    async def openapi_json(scope: object, receive: object, send: object) -> None:
        await send_json(send, 200, openapi)  # type: ignore[arg-type]

    async def auth_providers(scope: object, receive: object, send: object) -> None:
        await send_json(send, 200, providers)  # type: ignore[arg-type]

    return create_server(
        database=database,
        mounts={"/api/trpc": trpc, "/api/auth": auth.asgi_app},
        routes={"/api/openapi.json": openapi_json, "/api/auth/providers": auth_providers},
        spa_dir=settings.web_dist,
        production=settings.is_production,
        cors_origins=settings.trusted_origin_list,
        api_origin=settings.public_url if settings.vite_api_url else "",
        on_shutdown=[auth.close],
        version=VERSION,
    )
