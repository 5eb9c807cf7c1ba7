"""One normaliser for every shape of `DATABASE_URL` that hosting providers hand out.

asyncpg turns unknown query parameters into server settings (which PostgreSQL rejects), SQLAlchemy's
asyncpg dialect chokes on `sslmode`, Render uses `postgres://`, and transaction-mode poolers break
prepared statements. Everything is decided here, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, cast, get_args
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_SCHEMES = {
    "postgres",
    "postgresql",
    "postgresql+asyncpg",
    "postgresql+psycopg",
    "postgresql+psycopg2",
}
# libpq parameters asyncpg would wrongly forward to the server as settings.
_LIBPQ_ONLY = {
    "channel_binding",
    "sslcert",
    "sslkey",
    "sslrootcert",
    "sslcrl",
    "sslcompression",
    "gssencmode",
    "krbsrvname",
    "target_session_attrs",
    "pgbouncer",
    "prepared_statements",
    "pool_mode",
}
SslMode = Literal["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]
_SSL_MODES: set[str] = set(get_args(SslMode))


class DatabaseUrlError(ValueError):
    """The URL cannot be used to reach PostgreSQL."""


@dataclass(frozen=True)
class ConnectionConfig:
    """What the drivers need, derived from one `DATABASE_URL`."""

    dsn: str
    """`postgresql://` DSN for asyncpg: no driver suffix, no libpq-only parameters, no `sslmode`."""
    ssl: SslMode | None
    """The `sslmode` to pass to asyncpg as `ssl=`, or None for the driver's default."""
    transaction_pooler: bool
    """True behind a transaction-mode pooler (PgBouncer, Neon `-pooler`, Supabase :6543)."""
    server_settings: dict[str, str] = field(default_factory=dict)

    @property
    def statement_cache_size(self) -> int:
        return 0 if self.transaction_pooler else 1024

    @property
    def sqlalchemy_url(self) -> str:
        return "postgresql+asyncpg://" + self.dsn.split("://", 1)[1]

    def connect_kwargs(self) -> dict[str, object]:
        kwargs: dict[str, object] = {"statement_cache_size": self.statement_cache_size}
        if self.ssl is not None:
            kwargs["ssl"] = self.ssl
        if self.server_settings:
            kwargs["server_settings"] = dict(self.server_settings)
        return kwargs


def _looks_like_transaction_pooler(host: str, port: int | None, params: dict[str, str]) -> bool:
    if params.get("pgbouncer", "").lower() in {"1", "true", "yes"}:
        return True
    if params.get("pool_mode", "").lower() == "transaction":
        return True
    if params.get("prepared_statements", "").lower() in {"0", "false", "no"}:
        return True
    if "-pooler." in host:  # Neon's pooled endpoint
        return True
    return host.endswith(".pooler.supabase.com") and port == 6543


def normalize_database_url(url: str, *, transaction_pooler: bool | None = None) -> ConnectionConfig:
    """Turn any provider's `DATABASE_URL` into a `ConnectionConfig`.

    `transaction_pooler` overrides the detection from the host name and query parameters.
    """
    raw = url.strip()
    if not raw:
        raise DatabaseUrlError("DATABASE_URL is empty")
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        raise DatabaseUrlError(
            f"DATABASE_URL must start with postgresql:// or postgres:// (got {scheme or 'no scheme'}://)"
        )
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    host_param = params.get("host", "")
    if not parts.hostname and not host_param:
        raise DatabaseUrlError("DATABASE_URL has no host")
    try:
        port = parts.port
    except ValueError as exc:
        raise DatabaseUrlError("DATABASE_URL has an invalid port") from exc

    ssl = params.pop("sslmode", None) or params.pop("ssl", None)
    if ssl is not None:
        ssl = ssl.lower()
        if ssl in {"true", "1"}:
            ssl = "require"
        if ssl in {"false", "0"}:
            ssl = "disable"
        if ssl not in _SSL_MODES:
            raise DatabaseUrlError(f"DATABASE_URL has an unknown sslmode {ssl!r}")
    pooler = _looks_like_transaction_pooler(parts.hostname or host_param, port, params)
    if transaction_pooler is not None:
        pooler = transaction_pooler
    kept = {k: v for k, v in params.items() if k not in _LIBPQ_ONLY}
    server_settings = {
        k: v
        for k, v in kept.items()
        if k
        not in {
            "host",
            "port",
            "user",
            "password",
            "dbname",
            "database",
            "connect_timeout",
            "application_name",
        }
    }
    passthrough = {k: v for k, v in kept.items() if k not in server_settings}
    dsn = urlunsplit(("postgresql", parts.netloc, parts.path, urlencode(passthrough), ""))
    return ConnectionConfig(
        dsn=dsn,
        ssl=cast(SslMode | None, ssl),
        transaction_pooler=pooler,
        server_settings=server_settings,
    )
