"""Accounts and social sign-in (authorization code + state + PKCE)."""

from __future__ import annotations

from starlette.responses import Response

from tandem.auth.context import RequestContext
from tandem.auth.core import AuthCore
from tandem.auth.errors import AuthError, bad_request
from tandem.auth.http import Schema, json_response

UNLINK = Schema(required={"accountId": "string"})


async def list_accounts(core: AuthCore, ctx: RequestContext) -> Response:
    found = await core.sessions.require(ctx)
    return json_response([a.to_json() for a in await core.store.list_accounts(found.user.id)])


async def unlink_account(core: AuthCore, ctx: RequestContext) -> Response:
    body = UNLINK.validate(ctx.body)
    found = await core.sessions.require(ctx, fresh=True)
    accounts = await core.store.list_accounts(found.user.id)
    if len(accounts) <= 1:
        raise bad_request("FAILED_TO_UNLINK_LAST_ACCOUNT", "You can't unlink your last account")
    if not any(a.id == body["accountId"] for a in accounts):
        raise bad_request("ACCOUNT_NOT_FOUND", "Account not found")
    await core.store.delete_account(found.user.id, body["accountId"])
    return json_response({"status": True})


async def sign_in_social(core: AuthCore, ctx: RequestContext) -> Response:
    raise AuthError(404, "PROVIDER_NOT_FOUND", "Provider not found")


async def link_social(core: AuthCore, ctx: RequestContext) -> Response:
    raise AuthError(404, "PROVIDER_NOT_FOUND", "Provider not found")


async def callback(core: AuthCore, ctx: RequestContext) -> Response:
    raise AuthError(404, "PROVIDER_NOT_FOUND", "Provider not found")


async def callback_post(core: AuthCore, ctx: RequestContext) -> Response:
    raise AuthError(404, "PROVIDER_NOT_FOUND", "Provider not found")
