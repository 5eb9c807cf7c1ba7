"""Better Auth's tables as SQLAlchemy Core objects (Kysely flavour: quoted camelCase, timestamptz).

They describe the schema for Alembic only; runtime SQL is written from the same names in `store.py`.
Physical table and column names can be remapped to match an existing Better Auth database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    text,
)

from tandem.auth.names import AuthTableNames

NOW = text("CURRENT_TIMESTAMP")


@dataclass(frozen=True)
class AuthTables:
    names: AuthTableNames
    user: Table
    session: Table
    account: Table
    verification: Table
    rate_limit: Table
    extra_user_columns: tuple[str, ...]
    """Physical names of server-owned user columns: returned in user objects, never client-settable."""


def _timestamp(name: str, *, nullable: bool = False, default: bool = False) -> Column[object]:
    return Column(
        name, DateTime(timezone=True), nullable=nullable, server_default=NOW if default else None
    )


def define_auth_tables(
    metadata: MetaData,
    names: AuthTableNames | None = None,
    extra_user_columns: Sequence[Column[object]] = (),
) -> AuthTables:
    n = names or AuthTableNames()

    def c(table: str, name: str) -> str:
        return n.column(table, name)

    user = Table(
        n.user,
        metadata,
        Column(c("user", "id"), Text, primary_key=True),
        Column(c("user", "name"), Text, nullable=False),
        Column(c("user", "email"), Text, nullable=False, unique=True),
        Column(c("user", "emailVerified"), Boolean, nullable=False),
        Column(c("user", "image"), Text),
        _timestamp(c("user", "createdAt"), default=True),
        _timestamp(c("user", "updatedAt"), default=True),
        *extra_user_columns,
    )
    user_id = f"{n.user}.{c('user', 'id')}"
    session = Table(
        n.session,
        metadata,
        Column(c("session", "id"), Text, primary_key=True),
        _timestamp(c("session", "expiresAt")),
        Column(c("session", "token"), Text, nullable=False, unique=True),
        _timestamp(c("session", "createdAt"), default=True),
        _timestamp(c("session", "updatedAt")),
        Column(c("session", "ipAddress"), Text),
        Column(c("session", "userAgent"), Text),
        Column(
            c("session", "userId"), Text, ForeignKey(user_id, ondelete="CASCADE"), nullable=False
        ),
    )
    Index(f"{n.session}_userId_idx", session.c[c("session", "userId")])
    account = Table(
        n.account,
        metadata,
        Column(c("account", "id"), Text, primary_key=True),
        Column(c("account", "accountId"), Text, nullable=False),
        Column(c("account", "providerId"), Text, nullable=False),
        Column(
            c("account", "userId"), Text, ForeignKey(user_id, ondelete="CASCADE"), nullable=False
        ),
        Column(c("account", "accessToken"), Text),
        Column(c("account", "refreshToken"), Text),
        Column(c("account", "idToken"), Text),
        _timestamp(c("account", "accessTokenExpiresAt"), nullable=True),
        _timestamp(c("account", "refreshTokenExpiresAt"), nullable=True),
        Column(c("account", "scope"), Text),
        Column(c("account", "password"), Text),
        _timestamp(c("account", "createdAt"), default=True),
        _timestamp(c("account", "updatedAt")),
    )
    Index(f"{n.account}_userId_idx", account.c[c("account", "userId")])
    verification = Table(
        n.verification,
        metadata,
        Column(c("verification", "id"), Text, primary_key=True),
        Column(c("verification", "identifier"), Text, nullable=False),
        Column(c("verification", "value"), Text, nullable=False),
        _timestamp(c("verification", "expiresAt")),
        _timestamp(c("verification", "createdAt"), default=True),
        _timestamp(c("verification", "updatedAt"), default=True),
    )
    Index(f"{n.verification}_identifier_idx", verification.c[c("verification", "identifier")])
    rate_limit = Table(
        n.rate_limit,
        metadata,
        Column(c("rateLimit", "id"), Text, primary_key=True),
        Column(c("rateLimit", "key"), Text, nullable=False, unique=True),
        Column(c("rateLimit", "count"), Integer, nullable=False),
        Column(c("rateLimit", "lastRequest"), BigInteger, nullable=False),
    )
    return AuthTables(
        names=n,
        user=user,
        session=session,
        account=account,
        verification=verification,
        rate_limit=rate_limit,
        extra_user_columns=tuple(col.name for col in extra_user_columns),
    )
