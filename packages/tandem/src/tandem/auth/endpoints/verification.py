"""Email verification: sending the mail and following its link (also for email changes)."""

from __future__ import annotations

import asyncio
import time

import asyncpg
from starlette.responses import Response

from tandem.auth.context import RequestContext
from tandem.auth.core import AuthCore
from tandem.auth.endpoints.password_reset import with_query
from tandem.auth.errors import AuthError, bad_request
from tandem.auth.http import Schema, json_response, redirect
from tandem.auth.timeutil import now
from tandem.auth.tokens import TokenError, verify_jwt

SEND = Schema(required={"email": "email"}, optional={"callbackURL": "string"})
VERIFY_QUERY = Schema(
    required={"token": "string"}, optional={"callbackURL": "string"}, where="query"
)
ANONYMOUS_FLOOR = 0.5  # seconds: known and unknown addresses take equally long
MESSAGES = {
    "INVALID_TOKEN": "Invalid token",
    "TOKEN_EXPIRED": "Token expired",
    "USER_NOT_FOUND": "User not found",
    "INVALID_USER": "Invalid user",
}


async def send_verification_email(core: AuthCore, ctx: RequestContext) -> Response:
    body = SEND.validate(ctx.body)
    if core.mailer is None:
        raise bad_request("VERIFICATION_EMAIL_NOT_ENABLED", "Verification email isn't enabled")
    email = body["email"].lower()
    callback = body.get("callbackURL")
    found = await core.sessions.lookup(ctx.cookies, ctx=ctx)
    if found is not None:
        if email != found.user.email.lower():
            raise bad_request("EMAIL_MISMATCH", "Email mismatch")
        if found.user.email_verified:
            raise bad_request("EMAIL_ALREADY_VERIFIED", "Email is already verified")
        core.send_verification(found.user.email, found.user.id, callback)
        return json_response({"status": True})
    started = time.monotonic()
    user = await core.store.user_by_email(email)
    if user is not None and not user.email_verified:
        core.send_verification(user.email, user.id, callback)
    await asyncio.sleep(max(0.0, ANONYMOUS_FLOOR - (time.monotonic() - started)))
    return json_response({"status": True})


async def verify_email(core: AuthCore, ctx: RequestContext) -> Response:
    query = VERIFY_QUERY.validate(dict(ctx.query))
    callback: str | None = query.get("callbackURL")

    def fail(code: str) -> Response:
        if callback:
            return redirect(with_query(callback, error=code))
        raise AuthError(401, code, MESSAGES[code])

    def done() -> Response:
        return redirect(callback) if callback else json_response({"status": True, "user": None})

    try:
        payload = verify_jwt(query["token"], core.config.secret)
    except TokenError as exc:
        return fail("TOKEN_EXPIRED" if exc.expired else "INVALID_TOKEN")
    email = payload.get("email")
    if not isinstance(email, str):
        return fail("INVALID_TOKEN")
    user = await core.store.user_by_email(email.lower())
    if user is None:
        return fail("USER_NOT_FOUND")
    token_user = payload.get("userId")
    if token_user is not None and token_user != user.id:
        return fail("INVALID_USER")

    update_to = payload.get("updateTo")
    if isinstance(update_to, str):
        current = await core.sessions.lookup(ctx.cookies, ctx=ctx)
        if current is not None and current.user.id != user.id:
            return fail("INVALID_USER")
        try:
            await core.store.update_user(user.id, {"email": update_to.lower()}, now())
        except asyncpg.UniqueViolationError:
            return fail("INVALID_TOKEN")
        if current is not None:
            core.sessions.reissue(ctx, current.session.token)
        return done()

    if not user.email_verified:
        await core.store.update_user(user.id, {"emailVerified": True}, now())
    return done()
