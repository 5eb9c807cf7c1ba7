"""Session endpoints: get-session, list-sessions, the three revokes and sign-out."""

from __future__ import annotations

import logging

from starlette.responses import Response

from tandem.auth.context import RequestContext
from tandem.auth.cookies import SESSION_DATA, SESSION_TOKEN
from tandem.auth.core import AuthCore
from tandem.auth.errors import AuthError
from tandem.auth.http import Schema, flag, json_response
from tandem.auth.timeutil import now

log = logging.getLogger("tandem.auth")

NO_STORE = {"cache-control": "no-store", "pragma": "no-cache"}
REVOKE = Schema(required={"token": "string"})


async def get_session(core: AuthCore, ctx: RequestContext) -> Response:
    sessions = core.sessions
    # The cookie cache is not supported; a stale cache cookie is expired, as Better Auth does.
    if sessions.policy.name(SESSION_DATA) in ctx.cookies:
        ctx.set_cookies.append(sessions.policy.clear(SESSION_DATA))
    try:
        found = await sessions.lookup(
            ctx.cookies, refresh=not flag(ctx.query, "disableRefresh"), ctx=ctx
        )
    except AuthError:
        raise
    except Exception as exc:
        log.exception("get-session failed")
        raise AuthError(500, "FAILED_TO_GET_SESSION", "Failed to get session") from exc
    return json_response(found.to_json() if found else None, headers=NO_STORE)


async def get_session_post(core: AuthCore, ctx: RequestContext) -> Response:
    return json_response(
        {
            "message": "POST method requires deferSessionRefresh to be enabled in session config",
            "code": "METHOD_NOT_ALLOWED_DEFER_SESSION_REQUIRED",
        },
        405,
        NO_STORE,
    )


async def list_sessions(core: AuthCore, ctx: RequestContext) -> Response:
    found = await core.sessions.require(ctx, fresh=True)
    listed = await core.store.list_sessions(found.user.id, now())
    return json_response([s.to_json() for s in listed])


async def revoke_session(core: AuthCore, ctx: RequestContext) -> Response:
    body = REVOKE.validate(ctx.body)
    found = await core.sessions.require(ctx)
    await core.store.delete_user_session(found.user.id, body["token"])
    if body["token"] == found.session.token:
        core.sessions.clear(ctx)
    return json_response({"status": True})


async def revoke_sessions(core: AuthCore, ctx: RequestContext) -> Response:
    found = await core.sessions.require(ctx)
    await core.store.delete_user_sessions(found.user.id)
    core.sessions.clear(ctx)
    return json_response({"status": True})


async def revoke_other_sessions(core: AuthCore, ctx: RequestContext) -> Response:
    found = await core.sessions.require(ctx)
    await core.store.delete_other_sessions(found.user.id, found.session.token)
    return json_response({"status": True})


async def sign_out(core: AuthCore, ctx: RequestContext) -> Response:
    token = core.sessions.signed_cookie(ctx.cookies, SESSION_TOKEN)
    if token is not None:
        try:
            await core.store.delete_session(token)
        except Exception as exc:  # Better Auth logs and still signs the browser out
            log.warning("sign-out could not delete the session: %s", exc)
    core.sessions.clear(ctx)
    return json_response({"success": True})
