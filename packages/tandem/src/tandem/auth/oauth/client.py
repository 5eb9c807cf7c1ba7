"""Talking to an identity provider: discovery, the authorize URL, the code exchange and the profile."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from tandem.auth.oauth.jwt_verify import IdTokenError, split_jwt, verify_signature
from tandem.auth.oauth.provider import OAuthProvider

if TYPE_CHECKING:
    import httpx


class OAuthError(Exception):
    """`code` is the lower-case error Better Auth puts on the error redirect."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class Endpoints:
    issuer: str | None
    authorization: str
    token: str
    userinfo: str | None
    jwks: str | None


@dataclass(frozen=True)
class Tokens:
    access_token: str | None
    refresh_token: str | None
    id_token: str | None
    expires_in: int | None
    scope: str | None


@dataclass(frozen=True)
class Profile:
    id: str
    email: str | None
    email_verified: bool
    name: str
    image: str | None


def profile_from_claims(claims: dict[str, Any]) -> Profile:
    if not claims.get("sub"):
        raise OAuthError("unable_to_get_user_info", "no subject")
    email = claims.get("email")
    picture = claims.get("picture")
    return Profile(
        id=str(claims["sub"]),
        email=email.lower() if isinstance(email, str) and email else None,
        email_verified=claims.get("email_verified") is True,
        name=str(claims.get("name") or ""),
        image=picture if isinstance(picture, str) else None,
    )


class ProviderClient:
    def __init__(self, provider: OAuthProvider, http: httpx.AsyncClient) -> None:
        self.provider = provider
        self.http = http
        self._endpoints: Endpoints | None = None
        self._jwks: list[dict[str, Any]] | None = None

    async def endpoints(self) -> Endpoints:
        if self._endpoints is not None:
            return self._endpoints
        p = self.provider
        doc: dict[str, Any] = {}
        if p.discovery_url and not (p.authorization_endpoint and p.token_endpoint):
            response = await self.http.get(p.discovery_url, headers={"accept": "application/json"})
            response.raise_for_status()
            doc = response.json()
        authorization = p.authorization_endpoint or doc.get("authorization_endpoint")
        token = p.token_endpoint or doc.get("token_endpoint")
        if not authorization or not token:
            raise OAuthError("oauth_provider_not_found", "provider endpoints unknown")
        self._endpoints = Endpoints(
            issuer=p.issuer or doc.get("issuer"),
            authorization=authorization,
            token=token,
            userinfo=p.userinfo_endpoint or doc.get("userinfo_endpoint"),
            jwks=p.jwks_uri or doc.get("jwks_uri"),
        )
        return self._endpoints

    async def authorization_url(
        self,
        *,
        state: str,
        redirect_uri: str,
        code_challenge: str,
        nonce: str | None,
        scopes: list[str],
        login_hint: str | None,
    ) -> str:
        endpoints = await self.endpoints()
        params = {
            "response_type": "code",
            "client_id": self.provider.client_id,
            "state": state,
            "scope": " ".join(dict.fromkeys([*self.provider.scopes, *scopes])),
            "redirect_uri": redirect_uri,
            "code_challenge_method": "S256",
            "code_challenge": code_challenge,
        }
        if nonce:
            params["nonce"] = nonce
        if login_hint:
            params["login_hint"] = login_hint
        separator = "&" if "?" in endpoints.authorization else "?"
        return endpoints.authorization + separator + urlencode(params)

    async def exchange(self, code: str, code_verifier: str, redirect_uri: str) -> Tokens:
        endpoints = await self.endpoints()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": code_verifier,
            "redirect_uri": redirect_uri,
            "client_id": self.provider.client_id,
            "client_secret": self.provider.client_secret,
        }
        try:
            response = await self.http.post(
                endpoints.token, data=form, headers={"accept": "application/json"}
            )
            data = response.json()
        except (_http_error(), ValueError) as exc:
            raise OAuthError("invalid_code", str(exc)) from exc
        if (
            response.status_code != 200
            or not isinstance(data, dict)
            or not data.get("access_token")
        ):
            raise OAuthError("invalid_code", str(data)[:200])
        expires = data.get("expires_in")
        scope = data.get("scope")
        return Tokens(
            access_token=str(data["access_token"]),
            refresh_token=data.get("refresh_token"),
            id_token=data.get("id_token"),
            expires_in=int(expires)
            if isinstance(expires, int | float | str) and str(expires).isdigit()
            else None,
            scope=scope if isinstance(scope, str) else None,
        )

    async def _keys(self, refresh: bool = False) -> list[dict[str, Any]]:
        if self._jwks is None or refresh:
            endpoints = await self.endpoints()
            if not endpoints.jwks:
                return []
            response = await self.http.get(endpoints.jwks)
            response.raise_for_status()
            self._jwks = list(response.json().get("keys", []))
        return self._jwks

    async def verify_id_token(self, token: str, nonce: str | None) -> dict[str, Any]:
        endpoints = await self.endpoints()
        try:
            header = split_jwt(token)[0]
            keys = await self._keys() if header.get("alg") == "RS256" else []
            if header.get("alg") == "RS256" and header.get("kid") not in {
                k.get("kid") for k in keys
            }:
                keys = await self._keys(refresh=True)  # the issuer may have rotated its keys
            claims = verify_signature(token, keys=keys, client_secret=self.provider.client_secret)
        except (IdTokenError, _http_error(), ValueError) as exc:
            raise OAuthError("unable_to_get_user_info", f"id_token: {exc}") from exc
        if endpoints.issuer and claims.get("iss") != endpoints.issuer:
            raise OAuthError("issuer_mismatch")
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.provider.client_id not in audiences:
            raise OAuthError("unable_to_get_user_info", "id_token audience")
        exp = claims.get("exp")
        if not isinstance(exp, int | float) or exp <= time.time():
            raise OAuthError("unable_to_get_user_info", "id_token expired")
        if nonce is not None and claims.get("nonce") != nonce:
            raise OAuthError("unable_to_get_user_info", "id_token nonce")
        return claims

    async def profile(self, tokens: Tokens, nonce: str | None) -> Profile:
        if self.provider.kind == "github":
            return await self._github_profile(tokens)
        claims: dict[str, Any] = {}
        if tokens.id_token:
            claims = await self.verify_id_token(tokens.id_token, nonce)
        endpoints = await self.endpoints()
        if endpoints.userinfo and (not claims or not claims.get("email")):
            info = await self._get_json(endpoints.userinfo, tokens.access_token)
            if not isinstance(info, dict):
                raise OAuthError("unable_to_get_user_info", "userinfo is not an object")
            if claims and info.get("sub") != claims.get("sub"):
                raise OAuthError("unable_to_get_user_info", "userinfo subject differs")
            claims = {**info, **claims}
        return profile_from_claims(claims)

    async def _get_json(self, url: str, access_token: str | None) -> Any:
        if not access_token:
            raise OAuthError("unable_to_get_user_info", "no access token")
        try:
            response = await self.http.get(
                url,
                headers={
                    "authorization": f"Bearer {access_token}",
                    "accept": "application/json",
                    "user-agent": "tandem-auth",
                },
            )
            data = response.json()
        except (_http_error(), ValueError) as exc:
            raise OAuthError("unable_to_get_user_info", str(exc)) from exc
        if response.status_code != 200:
            raise OAuthError("unable_to_get_user_info", f"status {response.status_code}")
        return data

    async def _github_profile(self, tokens: Tokens) -> Profile:
        user = await self._get_json(self.provider.userinfo_endpoint or "", tokens.access_token)
        if not isinstance(user, dict) or "id" not in user:
            raise OAuthError("unable_to_get_user_info", "no id")
        email = user.get("email")
        verified = False
        if self.provider.emails_endpoint:
            emails = await self._get_json(self.provider.emails_endpoint, tokens.access_token)
            entries: list[dict[str, Any]] = emails if isinstance(emails, list) else []
            chosen = next((e for e in entries if e.get("primary")), None) or next(
                (e for e in entries if e.get("email") == email), None
            )
            if chosen:
                email = chosen.get("email")
                verified = chosen.get("verified") is True
        return Profile(
            id=str(user["id"]),
            email=email.lower() if isinstance(email, str) and email else None,
            email_verified=verified,
            name=str(user.get("name") or user.get("login") or ""),
            image=user.get("avatar_url"),
        )


def _http_error() -> type[Exception]:
    # httpx is loaded with the first provider request (see AuthCore.http); importing it here at module level
    # would cost every server start, social sign-in or not. An except clause is evaluated only when matching.
    import httpx

    return httpx.HTTPError
