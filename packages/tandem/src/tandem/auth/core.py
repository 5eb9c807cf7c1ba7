"""The services every endpoint uses, built once per `create_auth`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tandem.auth.config import AuthConfig
from tandem.auth.cookies import encode_uri_component
from tandem.auth.mails import verification_mail
from tandem.auth.origin import OriginPolicy
from tandem.auth.rate_limit import RateLimiter, Rule
from tandem.auth.sessions import Sessions
from tandem.auth.store import AuthStore
from tandem.auth.tokens import sign_jwt
from tandem.db.database import Database
from tandem.mail.background import BackgroundMailer
from tandem.mail.message import MailMessage

if TYPE_CHECKING:
    # Social sign-in only: an app without providers never loads the HTTP client.
    import httpx

    from tandem.auth.oauth.client import ProviderClient


class AuthCore:
    def __init__(self, config: AuthConfig, database: Database) -> None:
        self.config = config
        self.database = database
        self.store = AuthStore(database, config.tables, config.extra_user_columns)
        self.sessions = Sessions(config, self.store)
        self.origins = OriginPolicy(config.origin, config.trusted_origins)
        self.limiter = (
            RateLimiter(
                database, config.tables, Rule(config.rate_limit_window, config.rate_limit_max)
            )
            if config.rate_limit
            else None
        )
        self.mailer = BackgroundMailer(config.mail_sender) if config.mail_sender else None
        self._http: httpx.AsyncClient | None = None
        self._provider_clients: dict[str, ProviderClient] = {}

    @property
    def http(self) -> httpx.AsyncClient:
        """For talking to identity providers."""
        if self._http is None:
            import httpx

            self._http = httpx.AsyncClient(timeout=10.0, follow_redirects=False)
        return self._http

    def provider_client(self, provider_id: str) -> ProviderClient | None:
        if provider_id not in self._provider_clients:
            provider = self.config.provider(provider_id)
            if provider is None:
                return None
            from tandem.auth.oauth.client import ProviderClient

            self._provider_clients[provider_id] = ProviderClient(provider, self.http)
        return self._provider_clients[provider_id]

    def send_mail(self, message: MailMessage) -> None:
        if self.mailer is not None:
            self.mailer.submit(message)

    def send_verification(
        self,
        email: str,
        user_id: str,
        callback_url: str | None,
        extra: dict[str, Any] | None = None,
        to: str | None = None,
    ) -> None:
        payload: dict[str, Any] = {"email": email, **(extra or {}), "userId": user_id}
        token = sign_jwt(payload, self.config.secret, self.config.verification_expires_in)
        url = (
            f"{self.config.auth_url}/verify-email?token={token}"
            f"&callbackURL={encode_uri_component(callback_url or '/')}"
        )
        self.send_mail(verification_mail(to or email, url))

    async def close(self) -> None:
        if self.mailer is not None:
            await self.mailer.drain()
        await self.sessions.close()
        if self.limiter is not None:
            await self.limiter.close()
        if self._http is not None:
            await self._http.aclose()
            self._http = None
            self._provider_clients.clear()
