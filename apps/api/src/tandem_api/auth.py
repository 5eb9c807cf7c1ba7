"""Auth for this app: Better Auth's behaviour, configured from the settings."""

from __future__ import annotations

from tandem.auth import Auth, AuthConfig, create_auth
from tandem.auth.oauth.provider import OAuthProvider, github, google, oidc
from tandem.db import Database
from tandem.mail.console import ConsoleMailSender
from tandem.mail.message import MailSender
from tandem.mail.smtp import SmtpMailSender

from tandem_api.settings import Settings


def social_providers(settings: Settings) -> tuple[OAuthProvider, ...]:
    providers = []
    if settings.github_client_id and settings.github_client_secret:
        providers.append(github(settings.github_client_id, settings.github_client_secret))
    if settings.google_client_id and settings.google_client_secret:
        providers.append(google(settings.google_client_id, settings.google_client_secret))
    if settings.oidc_issuer and settings.oidc_client_id and settings.oidc_client_secret:
        discovery = settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration"
        providers.append(
            oidc(
                "oidc",
                settings.oidc_client_id,
                settings.oidc_client_secret,
                discovery_url=discovery,
            )
        )
    return tuple(providers)


def mail_sender(settings: Settings) -> MailSender:
    if settings.smtp_url:
        return SmtpMailSender(settings.smtp_url, settings.email_from)
    return ConsoleMailSender()


def build_auth(settings: Settings, database: Database) -> Auth:
    split_deploy = any(not o.startswith(settings.public_url) for o in settings.trusted_origin_list)
    config = AuthConfig(
        secret=settings.development_secret(),
        base_url=settings.public_url,
        trusted_origins=tuple(settings.trusted_origin_list),
        rate_limit=settings.rate_limit_enabled,
        mail_sender=mail_sender(settings),
        social_providers=social_providers(settings),
        # A SPA on another site can only send the cookie cross-site with SameSite=None (which implies Secure).
        same_site="None" if split_deploy and settings.public_url.startswith("https://") else "Lax",
    )
    return create_auth(config, database)
