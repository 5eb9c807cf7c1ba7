"""Social provider settings: GitHub (plain OAuth2), Google and any OpenID Connect issuer (discovery)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class OAuthProvider:
    id: str
    client_id: str
    client_secret: str
    kind: Literal["oidc", "github"] = "oidc"
    scopes: tuple[str, ...] = ("openid", "email", "profile")
    discovery_url: str | None = None
    """OIDC: `<issuer>/.well-known/openid-configuration`; fills the endpoints below when they are None."""
    issuer: str | None = None
    authorization_endpoint: str | None = None
    token_endpoint: str | None = None
    userinfo_endpoint: str | None = None
    jwks_uri: str | None = None
    emails_endpoint: str | None = None
    """GitHub only: where to find the primary address when the profile hides it."""


def github(
    client_id: str,
    client_secret: str,
    *,
    api_base: str = "https://api.github.com",
    web_base: str = "https://github.com",
) -> OAuthProvider:
    return OAuthProvider(
        id="github",
        client_id=client_id,
        client_secret=client_secret,
        kind="github",
        scopes=("read:user", "user:email"),
        authorization_endpoint=f"{web_base}/login/oauth/authorize",
        token_endpoint=f"{web_base}/login/oauth/access_token",
        userinfo_endpoint=f"{api_base}/user",
        emails_endpoint=f"{api_base}/user/emails",
    )


def google(client_id: str, client_secret: str) -> OAuthProvider:
    return oidc(
        "google",
        client_id,
        client_secret,
        discovery_url="https://accounts.google.com/.well-known/openid-configuration",
    )


def oidc(
    provider_id: str,
    client_id: str,
    client_secret: str,
    *,
    discovery_url: str,
    scopes: tuple[str, ...] = ("openid", "email", "profile"),
) -> OAuthProvider:
    return OAuthProvider(
        id=provider_id,
        client_id=client_id,
        client_secret=client_secret,
        kind="oidc",
        scopes=scopes,
        discovery_url=discovery_url,
    )
