"""Every SQL statement the auth server runs, written once from the configured table and column names."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from tandem.auth.ids import new_id
from tandem.auth.models import Account, Session, User
from tandem.auth.names import AuthTableNames
from tandem.db.database import Database

USER_FIELDS = ("id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt")
SESSION_FIELDS = (
    "id",
    "token",
    "userId",
    "expiresAt",
    "createdAt",
    "updatedAt",
    "ipAddress",
    "userAgent",
)
ACCOUNT_FIELDS = ("id", "accountId", "providerId", "userId", "scope", "createdAt", "updatedAt")
CREDENTIAL = "credential"

Conn: TypeAlias = "asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]"
"""A connection inside `Database.transaction()`."""


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


class _Names:
    def __init__(self, names: AuthTableNames) -> None:
        self.names = names

    def t(self, table: str) -> str:
        return quote(self.names.table(table))

    def c(self, table: str, field: str) -> str:
        return quote(self.names.column(table, field))

    def select(self, table: str, fields: tuple[str, ...], alias: str, prefix: str = "") -> str:
        return ", ".join(f"{alias}.{self.c(table, f)} AS {quote(prefix + f)}" for f in fields)


class AuthStore:
    def __init__(
        self, database: Database, names: AuthTableNames, extra_user_columns: tuple[str, ...]
    ) -> None:
        self.db = database
        self.extra = extra_user_columns
        n = _Names(names)
        self._n = n
        u, s, a, v = n.t("user"), n.t("session"), n.t("account"), n.t("verification")

        def uc(f: str) -> str:
            return n.c("user", f)

        def sc(f: str) -> str:
            return n.c("session", f)

        def ac(f: str) -> str:
            return n.c("account", f)

        def vc(f: str) -> str:
            return n.c("verification", f)

        extra = "".join(f", u.{quote(col)} AS {quote('x_' + col)}" for col in self.extra)
        user_cols = n.select("user", USER_FIELDS, "u", "u_") + extra
        session_cols = n.select("session", SESSION_FIELDS, "s", "s_")
        account_cols = n.select("account", ACCOUNT_FIELDS, "a", "a_")

        self.sql_user_by_email = f"SELECT {user_cols} FROM {u} u WHERE u.{uc('email')} = $1"
        self.sql_user_by_id = f"SELECT {user_cols} FROM {u} u WHERE u.{uc('id')} = $1"
        self.sql_user_with_credential = (
            f"SELECT {user_cols}, a.{ac('password')} AS password FROM {u} u "
            f"LEFT JOIN {a} a ON a.{ac('userId')} = u.{uc('id')} AND a.{ac('providerId')} = '{CREDENTIAL}' "
            f"AND a.{ac('accountId')} = u.{uc('id')} WHERE u.{uc('email')} = $1 LIMIT 1"
        )
        self.sql_credential_password = (
            f"SELECT a.{ac('password')} FROM {a} a WHERE a.{ac('userId')} = $1 "
            f"AND a.{ac('providerId')} = '{CREDENTIAL}' LIMIT 1"
        )
        self.sql_insert_user = (
            f"INSERT INTO {u} ({uc('id')}, {uc('name')}, {uc('email')}, {uc('emailVerified')}, "
            f"{uc('image')}, {uc('createdAt')}, {uc('updatedAt')}) VALUES ($1, $2, $3, $4, $5, $6, $6) "
            f"ON CONFLICT ({uc('email')}) DO NOTHING RETURNING {n.select('user', USER_FIELDS, u, 'u_')}"
            + "".join(f", {u}.{quote(col)} AS {quote('x_' + col)}" for col in self.extra)
        )
        self.sql_insert_account = (
            f"INSERT INTO {a} ({ac('id')}, {ac('accountId')}, {ac('providerId')}, {ac('userId')}, "
            f"{ac('password')}, {ac('accessToken')}, {ac('refreshToken')}, {ac('idToken')}, "
            f"{ac('accessTokenExpiresAt')}, {ac('refreshTokenExpiresAt')}, {ac('scope')}, "
            f"{ac('createdAt')}, {ac('updatedAt')}) "
            f"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)"
        )
        self.sql_set_credential_password = (
            f"UPDATE {a} SET {ac('password')} = $2, {ac('updatedAt')} = $3 "
            f"WHERE {ac('userId')} = $1 AND {ac('providerId')} = '{CREDENTIAL}'"
        )
        self.sql_insert_session = (
            f"INSERT INTO {s} ({sc('id')}, {sc('token')}, {sc('userId')}, {sc('expiresAt')}, "
            f"{sc('createdAt')}, {sc('updatedAt')}, {sc('ipAddress')}, {sc('userAgent')}) "
            f"VALUES ($1, $2, $3, $4, $5, $5, $6, $7)"
        )
        self.sql_session_with_user = (
            f"SELECT {session_cols}, {user_cols} FROM {s} s "
            f"JOIN {u} u ON u.{uc('id')} = s.{sc('userId')} WHERE s.{sc('token')} = $1"
        )
        self.sql_extend_session = (
            f"UPDATE {s} SET {sc('expiresAt')} = $2, {sc('updatedAt')} = $3 WHERE {sc('id')} = $1"
        )
        self.sql_delete_session_by_token = f"DELETE FROM {s} WHERE {sc('token')} = $1"
        self.sql_delete_user_session_by_token = (
            f"DELETE FROM {s} WHERE {sc('token')} = $1 AND {sc('userId')} = $2"
        )
        self.sql_delete_user_sessions = f"DELETE FROM {s} WHERE {sc('userId')} = $1"
        self.sql_delete_other_sessions = (
            f"DELETE FROM {s} WHERE {sc('userId')} = $1 AND {sc('token')} <> $2"
        )
        self.sql_list_sessions = (
            f"SELECT {session_cols} FROM {s} s WHERE s.{sc('userId')} = $1 AND s.{sc('expiresAt')} > $2 "
            f"ORDER BY s.{sc('createdAt')}"
        )
        self.sql_delete_expired_sessions = f"DELETE FROM {s} WHERE {sc('expiresAt')} < $1"
        self.sql_delete_user = f"DELETE FROM {u} WHERE {uc('id')} = $1"
        self.sql_delete_user_accounts = f"DELETE FROM {a} WHERE {ac('userId')} = $1"
        self.sql_insert_verification = (
            f"INSERT INTO {v} ({vc('id')}, {vc('identifier')}, {vc('value')}, {vc('expiresAt')}, "
            f"{vc('createdAt')}, {vc('updatedAt')}) VALUES ($1, $2, $3, $4, $5, $5)"
        )
        self.sql_find_verification = (
            f"SELECT {vc('value')} FROM {v} WHERE {vc('identifier')} = $1 AND {vc('expiresAt')} > $2 "
            f"ORDER BY {vc('createdAt')} DESC LIMIT 1"
        )
        # Consuming deletes every row of the identifier, so a token works once even if raced.
        self.sql_consume_verification = (
            f"DELETE FROM {v} WHERE {vc('identifier')} = $1 "
            f"RETURNING {vc('value')} AS value, {vc('expiresAt')} > $2 AS live, {vc('createdAt')} AS created"
        )
        self.sql_delete_expired_verifications = f"DELETE FROM {v} WHERE {vc('expiresAt')} < $1"
        self.sql_list_accounts = f"SELECT {account_cols} FROM {a} a WHERE a.{ac('userId')} = $1 ORDER BY a.{ac('createdAt')}"
        self.sql_find_account = f"SELECT {account_cols} FROM {a} a WHERE a.{ac('providerId')} = $1 AND a.{ac('accountId')} = $2"
        self.sql_update_account_tokens = (
            f"UPDATE {a} SET {ac('accessToken')} = $2, {ac('refreshToken')} = COALESCE($3, {ac('refreshToken')}), "
            f"{ac('idToken')} = COALESCE($4, {ac('idToken')}), {ac('accessTokenExpiresAt')} = $5, "
            f"{ac('updatedAt')} = $6 WHERE {ac('id')} = $1"
        )
        self.sql_delete_account = f"DELETE FROM {a} WHERE {ac('id')} = $1 AND {ac('userId')} = $2"

    # --- rows -> models ---------------------------------------------------------------------------

    def _user(self, row: asyncpg.Record) -> User:
        return User(
            id=row["u_id"],
            name=row["u_name"],
            email=row["u_email"],
            email_verified=row["u_emailVerified"],
            image=row["u_image"],
            created_at=row["u_createdAt"],
            updated_at=row["u_updatedAt"],
            extra={col: row["x_" + col] for col in self.extra},
        )

    @staticmethod
    def _session(row: asyncpg.Record) -> Session:
        return Session(
            id=row["s_id"],
            token=row["s_token"],
            user_id=row["s_userId"],
            expires_at=row["s_expiresAt"],
            created_at=row["s_createdAt"],
            updated_at=row["s_updatedAt"],
            ip_address=row["s_ipAddress"],
            user_agent=row["s_userAgent"],
        )

    @staticmethod
    def _account(row: asyncpg.Record) -> Account:
        return Account(
            id=row["a_id"],
            account_id=row["a_accountId"],
            provider_id=row["a_providerId"],
            user_id=row["a_userId"],
            scope=row["a_scope"],
            created_at=row["a_createdAt"],
            updated_at=row["a_updatedAt"],
        )

    # --- users ------------------------------------------------------------------------------------

    async def user_by_email(self, email: str) -> User | None:
        row = await self.db.fetchrow(self.sql_user_by_email, email)
        return self._user(row) if row else None

    async def user_by_id(self, user_id: str) -> User | None:
        row = await self.db.fetchrow(self.sql_user_by_id, user_id)
        return self._user(row) if row else None

    async def user_with_password(self, email: str) -> tuple[User, str | None] | None:
        row = await self.db.fetchrow(self.sql_user_with_credential, email)
        return (self._user(row), row["password"]) if row else None

    async def credential_password(self, user_id: str) -> str | None:
        value: str | None = await self.db.fetchval(self.sql_credential_password, user_id)
        return value

    async def create_user(
        self,
        conn: Conn,
        *,
        name: str,
        email: str,
        email_verified: bool,
        image: str | None,
        at: datetime,
    ) -> User | None:
        """None when the email is taken."""
        row = await conn.fetchrow(
            self.sql_insert_user, new_id(), name, email, email_verified, image, at
        )
        return self._user(row) if row else None

    async def create_account(
        self,
        conn: Conn | None,
        *,
        user_id: str,
        provider_id: str,
        account_id: str,
        at: datetime,
        password: str | None = None,
        access_token: str | None = None,
        refresh_token: str | None = None,
        id_token: str | None = None,
        access_token_expires_at: datetime | None = None,
        refresh_token_expires_at: datetime | None = None,
        scope: str | None = None,
    ) -> str:
        row_id = new_id()
        args = (
            row_id,
            account_id,
            provider_id,
            user_id,
            password,
            access_token,
            refresh_token,
            id_token,
            access_token_expires_at,
            refresh_token_expires_at,
            scope,
            at,
        )
        if conn is None:
            await self.db.execute(self.sql_insert_account, *args)
        else:
            await conn.execute(self.sql_insert_account, *args)
        return row_id

    async def update_user(self, user_id: str, fields: dict[str, Any], at: datetime) -> User | None:
        """`fields` by logical name (`name`, `image`, `email`, `emailVerified`)."""
        n = self._n
        assignments = [f"{n.c('user', key)} = ${i}" for i, key in enumerate(fields, start=3)]
        sql = (
            f"UPDATE {n.t('user')} u SET {', '.join([*assignments, n.c('user', 'updatedAt') + ' = $2'])} "
            f"WHERE u.{n.c('user', 'id')} = $1 RETURNING "
            + n.select("user", USER_FIELDS, "u", "u_")
            + "".join(f", u.{quote(col)} AS {quote('x_' + col)}" for col in self.extra)
        )
        row = await self.db.fetchrow(sql, user_id, at, *fields.values())
        return self._user(row) if row else None

    async def set_password(
        self, conn: Conn, user_id: str, password_hash: str, at: datetime
    ) -> None:
        """Replace the credential password, creating the credential account when the user has none."""
        status = await conn.execute(self.sql_set_credential_password, user_id, password_hash, at)
        if status.endswith(" 0"):
            await self.create_account(
                conn,
                user_id=user_id,
                provider_id=CREDENTIAL,
                account_id=user_id,
                at=at,
                password=password_hash,
            )

    async def delete_user(self, user_id: str) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(self.sql_delete_user_sessions, user_id)
            await conn.execute(self.sql_delete_user_accounts, user_id)
            await conn.execute(self.sql_delete_user, user_id)

    # --- sessions ---------------------------------------------------------------------------------

    async def create_session(
        self,
        *,
        user_id: str,
        token: str,
        expires_at: datetime,
        at: datetime,
        ip_address: str,
        user_agent: str,
        conn: Conn | None = None,
    ) -> Session:
        session_id = new_id()
        args = (session_id, token, user_id, expires_at, at, ip_address, user_agent)
        if conn is None:
            await self.db.execute(self.sql_insert_session, *args)
        else:
            await conn.execute(self.sql_insert_session, *args)
        return Session(session_id, token, user_id, expires_at, at, at, ip_address, user_agent)

    async def session_with_user(self, token: str) -> tuple[Session, User] | None:
        row = await self.db.fetchrow(self.sql_session_with_user, token)
        return (self._session(row), self._user(row)) if row else None

    async def extend_session(self, session_id: str, expires_at: datetime, at: datetime) -> bool:
        return not (
            await self.db.execute(self.sql_extend_session, session_id, expires_at, at)
        ).endswith(" 0")

    async def delete_session(self, token: str) -> None:
        await self.db.execute(self.sql_delete_session_by_token, token)

    async def delete_user_session(self, user_id: str, token: str) -> None:
        await self.db.execute(self.sql_delete_user_session_by_token, token, user_id)

    async def delete_user_sessions(self, user_id: str, conn: Conn | None = None) -> None:
        if conn is None:
            await self.db.execute(self.sql_delete_user_sessions, user_id)
        else:
            await conn.execute(self.sql_delete_user_sessions, user_id)

    async def delete_other_sessions(self, user_id: str, keep_token: str) -> None:
        await self.db.execute(self.sql_delete_other_sessions, user_id, keep_token)

    async def list_sessions(self, user_id: str, at: datetime) -> list[Session]:
        return [self._session(r) for r in await self.db.fetch(self.sql_list_sessions, user_id, at)]

    async def delete_expired(self, at: datetime) -> None:
        await self.db.execute(self.sql_delete_expired_sessions, at)
        await self.db.execute(self.sql_delete_expired_verifications, at)

    # --- verification rows ------------------------------------------------------------------------

    async def create_verification(
        self, identifier: str, value: str, expires_at: datetime, at: datetime
    ) -> None:
        await self.db.execute(
            self.sql_insert_verification, new_id(), identifier, value, expires_at, at
        )

    async def find_verification(self, identifier: str, at: datetime) -> str | None:
        value: str | None = await self.db.fetchval(self.sql_find_verification, identifier, at)
        return value

    async def consume_verification(
        self, identifier: str, at: datetime, conn: Conn | None = None
    ) -> str | None:
        """The newest live value, deleting every row of the identifier; None when none is live."""
        if conn is None:
            rows = await self.db.fetch(self.sql_consume_verification, identifier, at)
        else:
            rows = await conn.fetch(self.sql_consume_verification, identifier, at)
        live = sorted((r for r in rows if r["live"]), key=lambda r: r["created"])
        return str(live[-1]["value"]) if live else None

    # --- accounts ---------------------------------------------------------------------------------

    async def list_accounts(self, user_id: str) -> list[Account]:
        return [self._account(r) for r in await self.db.fetch(self.sql_list_accounts, user_id)]

    async def find_accounts(self, provider_id: str, account_id: str) -> list[Account]:
        return [
            self._account(r)
            for r in await self.db.fetch(self.sql_find_account, provider_id, account_id)
        ]

    async def update_account_tokens(
        self,
        account_row_id: str,
        *,
        access_token: str | None,
        refresh_token: str | None,
        id_token: str | None,
        access_token_expires_at: datetime | None,
        at: datetime,
    ) -> None:
        await self.db.execute(
            self.sql_update_account_tokens,
            account_row_id,
            access_token,
            refresh_token,
            id_token,
            access_token_expires_at,
            at,
        )

    async def delete_account(self, user_id: str, account_row_id: str) -> bool:
        return not (
            await self.db.execute(self.sql_delete_account, account_row_id, user_id)
        ).endswith(" 0")
