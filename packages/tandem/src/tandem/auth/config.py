"""Everything the auth server can be told, with Better Auth's defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tandem.auth.cookies import CookiePolicy
from tandem.auth.names import AuthTableNames
from tandem.auth.oauth.provider import OAuthProvider
from tandem.mail.message import MailSender

DAY = 86_400


@dataclass(frozen=True)
class AuthConfig:
    secret: str
    base_url: str
    """The server's public URL (`BETTER_AUTH_URL`), e.g. `http://127.0.0.1:3001`; links and the trusted
    origin derive from it. A path in it replaces `base_path`."""
    base_path: str = "/api/auth"
    trusted_origins: tuple[str, ...] = ()
    """Further origins (`https://app.example.com`, `*.example.com`, `https://*.example.com`)."""

    session_expires_in: int = 7 * DAY
    session_update_age: int = DAY
    session_fresh_age: int = DAY

    rate_limit: bool = False
    rate_limit_window: int = 10
    rate_limit_max: int = 100
    client_ip_header: str | None = "x-forwarded-for"
    """Trusted only when it holds exactly one address; None = no client addresses at all."""

    min_password_length: int = 8
    max_password_length: int = 128

    mail_sender: MailSender | None = None
    """None turns password reset and email verification off (400 `RESET_PASSWORD_DISABLED` …)."""
    reset_password_expires_in: int = 3600
    verification_expires_in: int = 3600

    social_providers: tuple[OAuthProvider, ...] = ()
    account_linking: bool = True
    trusted_providers: tuple[str, ...] = ()
    """Providers whose emails link to an existing (verified) local user even if not marked verified."""

    change_email_enabled: bool = True
    update_email_without_verification: bool = False
    delete_user_enabled: bool = True

    secure_cookies: bool | None = None
    """None: secure (`__Secure-` prefix) exactly when `base_url` is https."""
    same_site: str = "Lax"
    """"None" for split deployments on different sites (forces `Secure`)."""
    cookie_prefix: str = "better-auth"

    tables: AuthTableNames = field(default_factory=AuthTableNames)
    extra_user_columns: tuple[str, ...] = ()
    """Physical names of server-owned user columns to return in user objects (see `define_auth_tables`)."""

    def __post_init__(self) -> None:
        if not self.secret:
            raise ValueError("AuthConfig.secret (BETTER_AUTH_SECRET) must be set")
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"AuthConfig.base_url must be an http(s) URL, got {self.base_url!r}")
        if self.same_site.lower() not in ("lax", "strict", "none"):
            raise ValueError(
                f"AuthConfig.same_site must be Lax, Strict or None, got {self.same_site!r}"
            )

    @property
    def auth_url(self) -> str:
        """`{B}`: the public URL of the auth routes."""
        parts = urlsplit(self.base_url)
        path = parts.path.rstrip("/")
        return f"{parts.scheme}://{parts.netloc}{path or self.base_path}"

    @property
    def mount_path(self) -> str:
        return urlsplit(self.auth_url).path

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}".lower()

    def cookie_policy(self) -> CookiePolicy:
        secure = self.secure_cookies
        if secure is None:
            secure = self.base_url.lower().startswith("https://")
        return CookiePolicy(prefix=self.cookie_prefix, secure=secure, same_site=self.same_site)

    def provider(self, provider_id: str) -> OAuthProvider | None:
        return next((p for p in self.social_providers if p.id == provider_id), None)
