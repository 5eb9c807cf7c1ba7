"""`POST /sign-up/email` and `POST /sign-in/email`."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from tandem.auth.context import RequestContext
from tandem.auth.core import AuthCore
from tandem.auth.endpoints._common import check_max_length, check_new_password
from tandem.auth.errors import AuthError, bad_request
from tandem.auth.http import Schema, is_email, json_response
from tandem.auth.passwords import InvalidPasswordHash, hash_password, verify_password
from tandem.auth.store import CREDENTIAL
from tandem.auth.timeutil import now

SIGN_UP = Schema(
    required={"name": "string", "email": "email", "password": "string"},
    optional={"image": "string", "callbackURL": "string", "rememberMe": "boolean"},
)
SIGN_IN = Schema(
    required={"email": "string", "password": "string"},
    optional={"callbackURL": "string", "rememberMe": "boolean"},
)


def _user_exists() -> AuthError:
    # Decision (spec §10.2): Better Auth's default, 422 for a taken address. It reveals that the address
    # is registered; the alternative (a generic 200 without sign-in) would change the SPA's flow.
    return AuthError(
        422, "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL", "User already exists. Use another email."
    )


async def sign_up(core: AuthCore, ctx: RequestContext) -> Response:
    body = SIGN_UP.validate(ctx.body)
    check_new_password(core.config, body["password"])
    email = body["email"].lower()
    if await core.store.user_by_email(email) is not None:
        raise _user_exists()
    password_hash = await hash_password(body["password"])
    at = now()
    async with core.database.transaction() as conn:
        user = await core.store.create_user(
            conn,
            name=body["name"],
            email=email,
            email_verified=False,
            image=body.get("image"),
            at=at,
        )
        if user is None:
            raise _user_exists()
        await core.store.create_account(
            conn,
            user_id=user.id,
            provider_id=CREDENTIAL,
            account_id=user.id,
            at=at,
            password=password_hash,
        )
    session = await core.sessions.create(ctx, user, remember_me=body.get("rememberMe") is not False)
    return json_response({"token": session.token, "user": user.to_json()})


async def sign_in(core: AuthCore, ctx: RequestContext) -> Response:
    body = SIGN_IN.validate(ctx.body)
    if not is_email(body["email"]):
        raise bad_request("INVALID_EMAIL", "Invalid email")
    password: str = body["password"]
    check_max_length(core.config, password)
    found = await core.store.user_with_password(body["email"].lower())
    invalid = AuthError(401, "INVALID_EMAIL_OR_PASSWORD", "Invalid email or password")
    if found is None or not found[1]:
        await hash_password(password)  # the same cost as a real check, so timing reveals nothing
        raise invalid
    user, stored = found
    try:
        ok = await verify_password(stored, password)  # type: ignore[arg-type]
    except InvalidPasswordHash:
        ok = False
    if not ok:
        raise invalid
    session = await core.sessions.create(ctx, user, remember_me=body.get("rememberMe") is not False)
    answer: dict[str, Any] = {"redirect": False, "token": session.token, "user": user.to_json()}
    callback = body.get("callbackURL")
    if callback:
        answer = {"redirect": True, "token": session.token, "url": callback, "user": user.to_json()}
        return json_response(answer, headers={"location": callback})
    return json_response(answer)
