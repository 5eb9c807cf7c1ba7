"""A real server for the conformance kit's auth files: the auth app plus two tRPC stubs the kit calls.

    uv run python packages/tandem/tests/auth/serve_auth.py --port 18201 [--rate-limit]

Environment: BETTER_AUTH_SECRET, SMTP_URL, EMAIL_FROM (as the kit's README says). The database is a
throwaway cluster under /tmp/auth-pg.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson
import uvicorn
from auth_helpers import create_tables  # this file runs as a script, beside it
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from tandem.auth import Auth, AuthConfig, create_auth
from tandem.db.database import Database
from tandem.db.embedded import EmbeddedPostgres
from tandem.mail import SmtpMailSender


def trpc_stubs(auth: Auth) -> list[Route]:
    """`conformance.noInput` (the kit's preflight) and `conformance.whoami` (session over tRPC)."""

    def envelope(request: Request, value: Any, status: int = 200) -> Response:
        body = [value] if request.query_params.get("batch") == "1" else value
        return Response(orjson.dumps(body), status, media_type="application/json")

    async def no_input(request: Request) -> Response:
        return envelope(
            request, {"result": {"data": {"ok": True, "at": "2020-01-01T00:00:00.000Z"}}}
        )

    async def whoami(request: Request) -> Response:
        found = await auth.get_session(request.headers)
        if found is None:
            error = {
                "message": "UNAUTHORIZED",
                "code": -32001,
                "data": {
                    "code": "UNAUTHORIZED",
                    "httpStatus": 401,
                    "path": "conformance.whoami",
                    "zodError": None,
                },
            }
            return envelope(request, {"error": error}, 401)
        return envelope(
            request, {"result": {"data": {"userId": found.user.id, "email": found.user.email}}}
        )

    return [
        Route("/api/trpc/conformance.noInput", no_input),
        Route("/api/trpc/conformance.whoami", whoami),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=18201)
    parser.add_argument("--rate-limit", action="store_true")
    args = parser.parse_args()
    url = EmbeddedPostgres(root=Path("/tmp/auth-pg"), durable=False).start()
    asyncio.run(create_tables(url))
    database = Database(url)
    base_url = f"http://127.0.0.1:{args.port}"
    auth = create_auth(
        AuthConfig(
            secret=os.environ.get(
                "BETTER_AUTH_SECRET", "tandem-conformance-secret-0123456789abcdef"
            ),
            base_url=base_url,
            rate_limit=args.rate_limit or os.environ.get("AUTH_RATE_LIMIT") == "1",
            mail_sender=SmtpMailSender(
                os.environ.get("SMTP_URL", "smtp://127.0.0.1:18225"),
                os.environ.get("EMAIL_FROM", "no-reply@tandem.test"),
            ),
        ),
        database,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await database.connect()
        yield
        await auth.close()
        await database.close()

    app = Starlette(
        routes=[*trpc_stubs(auth), Mount(auth.mount_path, app=auth.asgi_app)],
        lifespan=lifespan,
    )
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
