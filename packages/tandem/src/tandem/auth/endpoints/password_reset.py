"""Password reset: request (mail), the link's redirect, and the reset itself."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from starlette.responses import Response

from tandem.auth.context import RequestContext
from tandem.auth.cookies import encode_uri_component
from tandem.auth.core import AuthCore
from tandem.auth.endpoints._common import check_new_password
from tandem.auth.errors import bad_request, invalid_token
from tandem.auth.http import Schema, json_response, redirect
from tandem.auth.ids import random_string
from tandem.auth.mails import reset_password_mail
from tandem.auth.passwords import hash_password
from tandem.auth.timeutil import now

REQUEST = Schema(required={"email": "email"}, optional={"redirectTo": "string"})
CALLBACK_QUERY = Schema(required={"callbackURL": "string"}, where="query")
RESET = Schema(required={"newPassword": "string"}, optional={"token": "string"})
ANSWER = {
    "status": True,
    "message": "If this email exists in our system, check your email for the reset link",
}
PREFIX = "reset-password:"


def with_query(url: str, **params: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{urlencode(params)}"


async def request_password_reset(core: AuthCore, ctx: RequestContext) -> Response:
    body = REQUEST.validate(ctx.body)
    if core.mailer is None:
        raise bad_request("RESET_PASSWORD_DISABLED", "Reset password isn't enabled")
    token = random_string(24)
    at = now()
    user = await core.store.user_by_email(body["email"].lower())
    if user is None:
        # the same database work as for a known address, so timing tells nothing
        await core.store.find_verification(PREFIX + token, at)
        return json_response(ANSWER)
    expires = at + timedelta(seconds=core.config.reset_password_expires_in)
    await core.store.create_verification(PREFIX + token, user.id, expires, at)
    redirect_to = body.get("redirectTo")
    callback = encode_uri_component(redirect_to) if redirect_to else ""
    url = f"{core.config.auth_url}/reset-password/{token}?callbackURL={callback}"
    core.send_mail(reset_password_mail(user.email, url))
    return json_response(ANSWER)


async def reset_password_link(core: AuthCore, ctx: RequestContext) -> Response:
    callback: str = CALLBACK_QUERY.validate(dict(ctx.query))["callbackURL"]
    token = ctx.path_params["token"]
    if await core.store.find_verification(PREFIX + token, now()) is None:
        return redirect(with_query(callback, error="INVALID_TOKEN"))
    return redirect(with_query(callback, token=token))


async def reset_password(core: AuthCore, ctx: RequestContext) -> Response:
    body = RESET.validate(ctx.body)
    token = body.get("token") or ctx.query.get("token")
    if not token:
        raise invalid_token()
    check_new_password(core.config, body["newPassword"])
    if await core.store.find_verification(PREFIX + token, now()) is None:
        raise invalid_token()  # before paying for a hash
    password_hash = await hash_password(body["newPassword"])
    at = now()
    async with core.database.transaction() as conn:
        user_id = await core.store.consume_verification(PREFIX + token, at, conn)
        if user_id is None:
            raise invalid_token()
        if await core.store.user_by_id(user_id) is None:
            raise bad_request("USER_NOT_FOUND", "User not found")
        await core.store.set_password(conn, user_id, password_hash, at)
    return json_response({"status": True})
