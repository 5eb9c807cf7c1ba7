"""Profile and credentials: update-user, change-password, change-email, delete-user."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.responses import Response

from tandem.auth.context import RequestContext
from tandem.auth.core import AuthCore
from tandem.auth.endpoints._common import check_max_length, check_new_password
from tandem.auth.errors import (
    AuthError,
    bad_request,
    credential_account_not_found,
    invalid_password,
    invalid_token,
    not_found,
)
from tandem.auth.http import Schema, json_response, redirect
from tandem.auth.passwords import InvalidPasswordHash, hash_password, verify_password
from tandem.auth.timeutil import now

CHANGE_PASSWORD = Schema(
    required={"currentPassword": "string", "newPassword": "string"},
    optional={"revokeOtherSessions": "boolean"},
)
CHANGE_EMAIL = Schema(required={"newEmail": "email"}, optional={"callbackURL": "string"})
DELETE_USER = Schema(optional={"password": "string", "token": "string", "callbackURL": "string"})
VERIFY_PASSWORD = Schema(required={"password": "string"})
UPDATABLE = {"name": "string", "image": "string"}


async def update_user(core: AuthCore, ctx: RequestContext) -> Response:
    found = await core.sessions.require(ctx)
    body = ctx.body or {}
    if "__not_an_object__" in body:
        raise bad_request("BODY_MUST_BE_AN_OBJECT", "Body must be an object")
    if "email" in body:
        raise bad_request("EMAIL_CAN_NOT_BE_UPDATED", "Email can not be updated")
    problems = []
    fields: dict[str, Any] = {}
    for name in UPDATABLE:
        if name not in body:
            continue
        value = body[name]
        if isinstance(value, str) or (name == "image" and value is None):
            fields[name] = value
        else:
            received = "null" if value is None else type(value).__name__
            problems.append(f"[body.{name}] Invalid input: expected string, received {received}")
    if problems:
        raise bad_request("VALIDATION_ERROR", "; ".join(problems))
    if not fields:
        raise AuthError(400, None, "No fields to update")
    await core.store.update_user(found.user.id, fields, now())
    core.sessions.reissue(ctx, found.session.token)
    return json_response({"status": True})


async def _check_password(core: AuthCore, user_id: str, password: str) -> None:
    stored = await core.store.credential_password(user_id)
    if not stored:
        raise credential_account_not_found()
    try:
        ok = await verify_password(stored, password)
    except InvalidPasswordHash:
        ok = False
    if not ok:
        raise invalid_password()


async def verify_password_endpoint(core: AuthCore, ctx: RequestContext) -> Response:
    body = VERIFY_PASSWORD.validate(ctx.body)
    found = await core.sessions.require(ctx)
    check_max_length(core.config, body["password"])
    await _check_password(core, found.user.id, body["password"])
    return json_response({"status": True})


async def change_password(core: AuthCore, ctx: RequestContext) -> Response:
    body = CHANGE_PASSWORD.validate(ctx.body)
    found = await core.sessions.require(ctx)
    check_new_password(core.config, body["newPassword"])
    check_max_length(core.config, body["currentPassword"])
    await _check_password(core, found.user.id, body["currentPassword"])
    new_hash = await hash_password(body["newPassword"])
    revoke = body.get("revokeOtherSessions") is True
    async with core.database.transaction() as conn:
        await core.store.set_password(conn, found.user.id, new_hash, now())
        if revoke:
            await core.store.delete_user_sessions(found.user.id, conn)
    token = None
    if revoke:
        session = await core.sessions.create(ctx, found.user)
        token = session.token
    return json_response({"token": token, "user": found.user.to_json()})


async def change_email(core: AuthCore, ctx: RequestContext) -> Response:
    body = CHANGE_EMAIL.validate(ctx.body)
    found = await core.sessions.require(ctx)
    config = core.config
    if not config.change_email_enabled:
        raise bad_request("CHANGE_EMAIL_DISABLED", "Change email is disabled")
    user = found.user
    new_email = body["newEmail"].lower()
    if new_email == user.email:
        raise AuthError(400, None, "Email is the same")
    can_apply_now = not user.email_verified and config.update_email_without_verification
    if not can_apply_now and core.mailer is None:
        raise AuthError(400, None, "Verification email isn't enabled")
    if await core.store.user_by_email(new_email) is not None:
        return json_response({"status": True})  # no enumeration: nothing happens
    callback = body.get("callbackURL")
    if can_apply_now:
        await core.store.update_user(user.id, {"email": new_email, "emailVerified": False}, now())
        core.sessions.reissue(ctx, found.session.token)
        core.send_verification(new_email, user.id, callback)
    else:
        core.send_verification(
            user.email,
            user.id,
            callback,
            {"updateTo": new_email, "requestType": "change-email-verification"},
            to=new_email,
        )
    return json_response({"status": True})


async def delete_user(core: AuthCore, ctx: RequestContext) -> Response:
    if not core.config.delete_user_enabled:
        raise not_found()
    body = DELETE_USER.validate(ctx.body)
    found = await core.sessions.require(ctx)
    user_id = found.user.id
    if body.get("password") is not None:
        check_max_length(core.config, body["password"])
        await _check_password(core, user_id, body["password"])
    elif body.get("token") is not None:
        value = await core.store.consume_verification(f"delete-account-{body['token']}", now())
        if value != user_id:
            raise invalid_token(404)
    elif core.config.session_fresh_age and (
        found.session.created_at + timedelta(seconds=core.config.session_fresh_age) < now()
    ):
        raise bad_request(
            "SESSION_EXPIRED", "Session expired. Re-authenticate to perform this action."
        )
    await core.store.delete_user(user_id)
    core.sessions.clear(ctx)
    return json_response({"success": True, "message": "User deleted"})


async def delete_user_callback(core: AuthCore, ctx: RequestContext) -> Response:
    if not core.config.delete_user_enabled:
        raise AuthError(404, "NOT_FOUND", "Not found")
    found = await core.sessions.lookup(ctx.cookies, ctx=ctx)
    if found is None:
        raise AuthError(404, "FAILED_TO_GET_USER_INFO", "Failed to get user info")
    token = ctx.query.get("token") or ""
    value = await core.store.consume_verification(f"delete-account-{token}", now())
    if value != found.user.id:
        raise invalid_token(404)
    await core.store.delete_user(found.user.id)
    core.sessions.clear(ctx)
    callback = ctx.query.get("callbackURL")
    if callback:
        return redirect(callback)
    return json_response({"success": True, "message": "User deleted"})
