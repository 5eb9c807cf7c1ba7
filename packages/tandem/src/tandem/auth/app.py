"""The auth ASGI app (everything below the auth base path) and the `Auth` object apps hold."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from tandem.auth.client_ip import client_ip, rate_limit_subject
from tandem.auth.config import AuthConfig
from tandem.auth.context import RequestContext
from tandem.auth.core import AuthCore
from tandem.auth.endpoints import (
    email_password,
    misc,
    password_reset,
    session,
    social,
    user,
    verification,
)
from tandem.auth.errors import AuthError, not_found
from tandem.auth.http import error_response, json_response, read_body
from tandem.auth.models import SessionWithUser
from tandem.auth.origin import REDIRECT_KEYS
from tandem.db.database import Database
from tandem.mail.background import BackgroundMailer

log = logging.getLogger("tandem.auth")

Handler = Callable[[AuthCore, RequestContext], Awaitable[Response]]

ROUTES: dict[tuple[str, str], Handler] = {
    ("GET", "/ok"): misc.ok,
    ("GET", "/error"): misc.error_page,
    ("POST", "/sign-up/email"): email_password.sign_up,
    ("POST", "/sign-in/email"): email_password.sign_in,
    ("POST", "/sign-out"): session.sign_out,
    ("GET", "/get-session"): session.get_session,
    ("POST", "/get-session"): session.get_session_post,
    ("GET", "/list-sessions"): session.list_sessions,
    ("POST", "/revoke-session"): session.revoke_session,
    ("POST", "/revoke-sessions"): session.revoke_sessions,
    ("POST", "/revoke-other-sessions"): session.revoke_other_sessions,
    ("POST", "/update-user"): user.update_user,
    ("POST", "/change-email"): user.change_email,
    ("POST", "/change-password"): user.change_password,
    ("POST", "/verify-password"): user.verify_password_endpoint,
    ("POST", "/delete-user"): user.delete_user,
    ("GET", "/delete-user/callback"): user.delete_user_callback,
    ("POST", "/request-password-reset"): password_reset.request_password_reset,
    ("POST", "/reset-password"): password_reset.reset_password,
    ("POST", "/send-verification-email"): verification.send_verification_email,
    ("GET", "/verify-email"): verification.verify_email,
    ("POST", "/sign-in/social"): social.sign_in_social,
    ("POST", "/link-social"): social.link_social,
    ("GET", "/list-accounts"): social.list_accounts,
    ("POST", "/unlink-account"): social.unlink_account,
}
# One-segment parameters: `/reset-password/:token`, `/callback/:id`.
PARAM_ROUTES: dict[tuple[str, str], tuple[str, Handler]] = {
    ("GET", "/reset-password"): ("token", password_reset.reset_password_link),
    ("GET", "/callback"): ("id", social.callback),
    ("POST", "/callback"): ("id", social.callback_post),
}
FORM_PATHS = frozenset({"/sign-in/email", "/sign-up/email"})
# GET endpoints whose `callbackURL` query is a redirect target.
GET_REDIRECT_PATHS = frozenset({"/verify-email", "/delete-user/callback"})


def route_path(scope: Scope) -> str:
    """The path below the mount point (Starlette's `Mount` keeps the full path, sets `root_path`)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and path[len(root) : len(root) + 1] in ("", "/"):
        return path[len(root) :]
    return path


def match(method: str, path: str) -> tuple[Handler, dict[str, str]] | None:
    handler = ROUTES.get((method, path))
    if handler is not None:
        return handler, {}
    head, _, tail = path.rpartition("/")
    if head and tail and "/" not in tail:
        param = PARAM_ROUTES.get((method, head))
        if param is not None:
            return param[1], {param[0]: tail}
    return None


class AuthApp:
    def __init__(self, core: AuthCore) -> None:
        self.core = core

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            message = await receive()
            while message["type"] != "lifespan.shutdown":
                await send({"type": message["type"] + ".complete"})
                message = await receive()
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        response = await self.handle(request, self.relative_path(scope))
        await response(scope, receive, send)

    def relative_path(self, scope: Scope) -> str:
        """Below the mount point; a host that dispatches by prefix without setting `root_path`
        hands over the full path, which is then cut at the configured base path."""
        path = route_path(scope)
        mount = self.core.config.mount_path
        if not scope.get("root_path") and path.startswith(mount + "/"):
            return path[len(mount) :]
        return path

    async def handle(self, request: Request, path: str) -> Response:
        ctx = RequestContext(request=request, path=path)
        try:
            response = await self._limit_and_route(ctx)
        except AuthError as exc:
            response = error_response(exc)
        except Exception:
            log.exception("auth endpoint %s %s failed", request.method, path)
            response = json_response(
                {"message": "Internal Server Error", "code": "INTERNAL_SERVER_ERROR"}, 500
            )
        for cookie in ctx.set_cookies:
            response.raw_headers.append((b"set-cookie", cookie.encode("latin-1")))
        return response

    async def _limit_and_route(self, ctx: RequestContext) -> Response:
        core = self.core
        request = ctx.request
        if core.limiter is not None:
            subject = rate_limit_subject(client_ip(request.headers, core.config.client_ip_header))
            retry = await core.limiter.hit(subject, ctx.path.rstrip("/") or "/")
            if retry is not None:
                return json_response(
                    {"message": "Too many requests. Please try again later."},
                    429,
                    {"x-retry-after": str(retry)},
                )
        found = match(request.method, ctx.path)
        if found is None:
            raise not_found()
        handler, ctx.path_params = found
        return await self._run(handler, ctx)

    async def _run(self, handler: Handler, ctx: RequestContext) -> Response:
        core = self.core
        method = ctx.request.method
        if method == "POST":
            allow_form = ctx.path in FORM_PATHS or ctx.path.startswith("/callback/")
            ctx.body = await read_body(ctx.request, allow_form=allow_form)
        core.origins.check_request_origin(method, ctx.path, ctx.headers)
        if method == "POST":
            body = ctx.body if ctx.body and "__not_an_object__" not in ctx.body else {}
            for key in REDIRECT_KEYS:
                core.origins.check_redirect(key, body.get(key))
            core.origins.check_redirect("callbackURL", ctx.query.get("callbackURL"))
        elif ctx.path in GET_REDIRECT_PATHS or ctx.path.startswith("/reset-password/"):
            core.origins.check_redirect("callbackURL", ctx.query.get("callbackURL"))
        return await handler(core, ctx)


class Auth:
    """What an app holds: mount `asgi_app` at the auth base path, call `get_session` from its context."""

    def __init__(self, core: AuthCore) -> None:
        self.core = core
        self.config = core.config
        self.asgi_app = AuthApp(core)

    @property
    def mailer(self) -> BackgroundMailer | None:
        """Counts of mails `sent` and `failed` (for health reporting); None without a sender."""
        return self.core.mailer

    @property
    def mount_path(self) -> str:
        """Where `asgi_app` must be mounted (`/api/auth` by default)."""
        return self.config.mount_path

    async def get_session(self, headers: Headers | Mapping[str, str]) -> SessionWithUser | None:
        """The session of a request's cookie, by get-session's rules (signature, lookup, expiry, sliding
        refresh); None when there is none. One query (session JOIN user) unless a refresh is due."""
        return await self.core.sessions.from_headers(headers)

    def public_config(self) -> dict[str, Any]:
        """What the SPA may know: which sign-in methods to offer."""
        return {
            "emailAndPassword": True,
            "socialProviders": [p.id for p in self.config.social_providers],
        }

    async def close(self) -> None:
        """Wait for mails in flight and close provider connections (call at shutdown)."""
        await self.core.close()


def create_auth(config: AuthConfig, database: Database) -> Auth:
    return Auth(AuthCore(config, database))
