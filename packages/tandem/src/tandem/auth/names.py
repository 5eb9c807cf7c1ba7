"""Physical table and column names of the auth schema, remappable to match an existing Better Auth database.

Kept apart from `schema.py` so that serving requests never imports SQLAlchemy (only migrations need it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AuthTableNames:
    """Physical names. `columns` maps `"<logical table>.<logical field>"` (e.g. `"user.emailVerified"`)."""

    user: str = "user"
    session: str = "session"
    account: str = "account"
    verification: str = "verification"
    rate_limit: str = "rateLimit"
    columns: Mapping[str, str] = field(default_factory=dict)

    def table(self, logical: str) -> str:
        return {
            "user": self.user,
            "session": self.session,
            "account": self.account,
            "verification": self.verification,
            "rateLimit": self.rate_limit,
        }[logical]

    def column(self, logical_table: str, logical_field: str) -> str:
        return self.columns.get(f"{logical_table}.{logical_field}", logical_field)
