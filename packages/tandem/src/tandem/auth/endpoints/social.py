"""Social sign-in and account linking (authorization code + state + PKCE S256), and account listing."""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import orjson
from starlette.responses import Response

from tandem.auth import cookies
from tandem.auth.context import RequestContext
from tandem.auth.cookies import STATE
from tandem.auth.core import AuthCore
from tandem.auth.endpoints.password_reset import with_query
from tandem.auth.errors import AuthError, bad_request
from tandem.auth.http import Schema, json_response, redirect
from tandem.auth.ids import URL_SAFE, random_string
from tandem.auth.models import User
from tandem.auth.oauth.client import (
    OAuthError,
    Profile,
    ProviderClient,
    Tokens,
    profile_from_claims,
)
from tandem.auth.timeutil import now
from tandem.auth.tokens import b64url

log = logging.getLogger("tandem.auth")
STATE_PREFIX = "auth-state:"
STATE_LIFETIME = timedelta(minutes=10)
STATE_COOKIE_MAX_AGE = 300

UNLINK = Schema(required={"accountId": "string"})
SOCIAL = Schema(
    required={"provider": "string"},
    optional={
        "callbackURL": "string",
        "errorCallbackURL": "string",
        "newUserCallbackURL": "string",
        "disableRedirect": "boolean",
        "scopes": "array",
        "loginHint": "string",
        "requestSignUp": "boolean",
        "idToken": "object",
        "additionalData": "object",
    },
)


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


# --- starting the flow ------------------------------------------------------------------------------


def _provider(core: AuthCore, provider_id: str) -> ProviderClient:
    client = core.provider_client(provider_id)
    if client is None:
        raise AuthError(404, "PROVIDER_NOT_FOUND", "Provider not found")
    return client


async def _start(
    core: AuthCore, ctx: RequestContext, body: dict[str, Any], link: dict[str, str] | None
) -> Response:
    client = _provider(core, body["provider"])
    if body.get("idToken") is not None:
        return await _with_id_token(core, ctx, client, body["idToken"], link)
    state = random_string(32, URL_SAFE)
    verifier = random_string(128, URL_SAFE)
    nonce = random_string(32) if client.provider.kind == "oidc" else None
    at = now()
    expires = at + STATE_LIFETIME
    record: dict[str, Any] = {
        **(body.get("additionalData") or {}),
        "callbackURL": body.get("callbackURL") or core.config.origin,
        "codeVerifier": verifier,
        "errorURL": body.get("errorCallbackURL"),
        "newUserURL": body.get("newUserCallbackURL"),
        "link": link,
        "requestSignUp": body.get("requestSignUp"),
        "idTokenNonce": nonce,
        "expiresAt": int(expires.timestamp() * 1000),
        "oauthState": state,
    }
    await core.store.create_verification(
        STATE_PREFIX + state, orjson.dumps(record).decode(), expires, at
    )
    policy = core.sessions.policy
    ctx.set_cookies.append(
        policy.set(STATE, cookies.sign(state, core.config.secret), STATE_COOKIE_MAX_AGE)
    )
    try:
        url = await client.authorization_url(
            state=state,
            redirect_uri=f"{core.config.auth_url}/callback/{client.provider.id}",
            code_challenge=b64url(hashlib.sha256(verifier.encode()).digest()),
            nonce=nonce,
            scopes=[str(s) for s in body.get("scopes") or []],
            login_hint=body.get("loginHint"),
        )
    except Exception as exc:
        log.warning("provider %s unreachable: %s", client.provider.id, exc)
        raise AuthError(500, "INTERNAL_SERVER_ERROR", "Internal Server Error") from exc
    if body.get("disableRedirect"):
        return json_response({"url": url, "redirect": False})
    return json_response({"url": url, "redirect": True}, headers={"location": url})


async def sign_in_social(core: AuthCore, ctx: RequestContext) -> Response:
    return await _start(core, ctx, SOCIAL.validate(ctx.body), None)


async def link_social(core: AuthCore, ctx: RequestContext) -> Response:
    body = SOCIAL.validate(ctx.body)
    found = await core.sessions.require(ctx)
    link = {"userId": found.user.id, "email": found.user.email, "sessionToken": found.session.token}
    return await _start(core, ctx, body, link)


LINK_ERRORS = {
    "email_does_not_match": AuthError(
        401,
        "LINKING_DIFFERENT_EMAILS_NOT_ALLOWED",
        "Account not linked - different emails not allowed",
    ),
    "account_already_linked_to_different_user": AuthError(
        409, "SOCIAL_ACCOUNT_ALREADY_LINKED", "Social account already linked"
    ),
}


async def _with_id_token(
    core: AuthCore,
    ctx: RequestContext,
    client: ProviderClient,
    id_token: dict[str, Any],
    link: dict[str, str] | None,
) -> Response:
    """Google-style sign-in (or linking) with an ID token the client already holds."""
    if client.provider.kind != "oidc":
        raise AuthError(404, "ID_TOKEN_NOT_SUPPORTED", "id_token not supported")
    token, nonce = id_token.get("token"), id_token.get("nonce")
    if not isinstance(token, str):
        raise AuthError(
            400, "VALIDATION_ERROR", "[body.idToken.token] Invalid input: expected string"
        )
    try:
        claims = await client.verify_id_token(token, nonce if isinstance(nonce, str) else None)
        profile = profile_from_claims(claims)
    except OAuthError:
        raise AuthError(401, "INVALID_TOKEN", "Invalid token") from None
    if not profile.email:
        raise AuthError(401, "USER_EMAIL_NOT_FOUND", "User email not found")
    access, refresh = id_token.get("accessToken"), id_token.get("refreshToken")
    tokens = Tokens(
        access_token=access if isinstance(access, str) else None,
        refresh_token=refresh if isinstance(refresh, str) else None,
        id_token=token,
        expires_in=None,
        scope=None,
    )
    if link is not None:
        try:
            await _link(core, client, link, profile, tokens)
        except OAuthError as exc:
            raise LINK_ERRORS.get(
                exc.code,
                AuthError(401, "LINKING_NOT_ALLOWED", "Account not linked - linking not allowed"),
            ) from None
        return json_response({"url": "", "status": True, "redirect": False})
    try:
        user, _ = await _resolve_user(core, client, profile, tokens)
    except OAuthError as exc:
        raise AuthError(401, "OAUTH_LINK_ERROR", exc.code.replace("_", " ")) from None
    session = await core.sessions.create(ctx, user)
    return json_response({"redirect": False, "token": session.token, "user": user.to_json()})


# --- the provider's redirect back -------------------------------------------------------------------


async def callback_post(core: AuthCore, ctx: RequestContext) -> Response:
    """Form-post responses (e.g. Apple) become the same callback as a GET."""
    params = {
        **dict(ctx.query),
        **{k: str(v) for k, v in (ctx.body or {}).items() if k != "__not_an_object__"},
    }
    return redirect(f"{core.config.auth_url}/callback/{ctx.path_params['id']}?{urlencode(params)}")


async def callback(core: AuthCore, ctx: RequestContext) -> Response:
    query = ctx.query
    error_url = f"{core.config.auth_url}/error"

    def fail(code: str, description: str | None = None) -> Response:
        params = {"error": code}
        if description:
            params["error_description"] = description
        return redirect(with_query(error_url, **params))

    state = query.get("state")
    if not state:
        return fail("state_not_found")
    at = now()
    raw = await core.store.find_verification(STATE_PREFIX + state, at)
    if raw is None:
        return fail("state_mismatch")
    try:
        record: dict[str, Any] = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return fail("state_invalid")
    error_url = record.get("errorURL") or error_url
    if core.sessions.signed_cookie(ctx.cookies, STATE) != state:
        return fail("state_mismatch")  # the row stays: the rightful browser may still come back
    if int(record.get("expiresAt") or 0) < time.time() * 1000:
        return fail("state_mismatch")
    await core.store.consume_verification(STATE_PREFIX + state, at)
    ctx.set_cookies.append(core.sessions.policy.clear(STATE))

    if query.get("error"):
        return fail(query["error"], query.get("error_description"))
    code = query.get("code")
    if not code:
        return fail("no_code")
    client = core.provider_client(ctx.path_params["id"])
    if client is None:
        return fail("oauth_provider_not_found")
    try:
        endpoints = await client.endpoints()
        if query.get("iss") and endpoints.issuer and query["iss"] != endpoints.issuer:
            return fail("issuer_mismatch")
        tokens = await client.exchange(
            code, record["codeVerifier"], f"{core.config.auth_url}/callback/{client.provider.id}"
        )
        profile = await client.profile(tokens, record.get("idTokenNonce"))
        if not profile.email:
            return fail("email_not_found")
        if record.get("link"):
            await _link(core, client, record["link"], profile, tokens)
            return redirect(str(record["callbackURL"]))
        user, is_new = await _resolve_user(core, client, profile, tokens)
    except OAuthError as exc:
        log.info("oauth callback for %s failed: %s", ctx.path_params["id"], exc)
        return fail(exc.code)
    await core.sessions.create(ctx, user)
    target = (
        record.get("newUserURL") if is_new and record.get("newUserURL") else record["callbackURL"]
    )
    return redirect(str(target))


def _token_fields(tokens: Tokens) -> dict[str, Any]:
    return {
        "access_token": tokens.access_token,
        "refresh_token": tokens.refresh_token,
        "id_token": tokens.id_token,
        "access_token_expires_at": now() + timedelta(seconds=tokens.expires_in)
        if tokens.expires_in
        else None,
    }


def _scope(client: ProviderClient, tokens: Tokens) -> str:
    granted = (
        tokens.scope.replace(",", " ").split() if tokens.scope else list(client.provider.scopes)
    )
    return ",".join(granted)


async def _resolve_user(
    core: AuthCore, client: ProviderClient, profile: Profile, tokens: Tokens
) -> tuple[User, bool]:
    store = core.store
    provider_id = client.provider.id
    accounts = await store.find_accounts(provider_id, profile.id)
    if len(accounts) > 1:
        raise OAuthError("account_not_linked", "several accounts share one provider subject")
    at = now()
    if accounts:
        user = await store.user_by_id(accounts[0].user_id)
        if user is None:
            raise OAuthError("unable_to_get_user_info", "account without user")
        await store.update_account_tokens(accounts[0].id, **_token_fields(tokens), at=at)
        if profile.email_verified and profile.email == user.email and not user.email_verified:
            user = await store.update_user(user.id, {"emailVerified": True}, at) or user
        return user, False
    assert profile.email is not None
    existing = await store.user_by_email(profile.email)
    if existing is not None:
        trusted = provider_id in core.config.trusted_providers or profile.email_verified
        if not (core.config.account_linking and trusted and existing.email_verified):
            raise OAuthError("account_not_linked")
        await store.create_account(
            None,
            user_id=existing.id,
            provider_id=provider_id,
            account_id=profile.id,
            at=at,
            scope=_scope(client, tokens),
            **_token_fields(tokens),
        )
        return existing, False
    async with core.database.transaction() as conn:
        user = await store.create_user(
            conn,
            name=profile.name,
            email=profile.email,
            email_verified=profile.email_verified,
            image=profile.image,
            at=at,
        )
        if user is None:
            raise OAuthError("unable_to_create_user")
        await store.create_account(
            conn,
            user_id=user.id,
            provider_id=provider_id,
            account_id=profile.id,
            at=at,
            scope=_scope(client, tokens),
            **_token_fields(tokens),
        )
    return user, True


async def _link(
    core: AuthCore, client: ProviderClient, link: dict[str, str], profile: Profile, tokens: Tokens
) -> None:
    store = core.store
    alive = await store.session_with_user(link["sessionToken"])
    if alive is None or alive[0].user_id != link["userId"] or alive[0].expires_at <= now():
        raise OAuthError("unable_to_link_account", "the session that started linking ended")
    trusted = client.provider.id in core.config.trusted_providers or profile.email_verified
    if not trusted:
        raise OAuthError("unable_to_link_account", "email not verified by the provider")
    if (profile.email or "") != link["email"].lower():
        raise OAuthError("email_does_not_match")
    accounts = await store.find_accounts(client.provider.id, profile.id)
    if any(a.user_id != link["userId"] for a in accounts):
        raise OAuthError("account_already_linked_to_different_user")
    if accounts:
        await store.update_account_tokens(accounts[0].id, **_token_fields(tokens), at=now())
        return
    await store.create_account(
        None,
        user_id=link["userId"],
        provider_id=client.provider.id,
        account_id=profile.id,
        at=now(),
        scope=_scope(client, tokens),
        **_token_fields(tokens),
    )
