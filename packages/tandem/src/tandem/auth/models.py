"""Users, sessions and accounts as the rest of the app sees them, and their JSON shapes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from tandem.auth.timeutil import iso


def _json_value(value: Any) -> Any:
    return iso(value) if isinstance(value, datetime) else value


@dataclass(frozen=True)
class User:
    id: str
    name: str
    email: str
    email_verified: bool
    image: str | None
    created_at: datetime
    updated_at: datetime
    extra: dict[str, Any] = field(default_factory=dict)
    """Server-owned additional columns (e.g. `role`), by physical column name."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "emailVerified": self.email_verified,
            "image": self.image,
            "createdAt": iso(self.created_at),
            "updatedAt": iso(self.updated_at),
            **{key: _json_value(value) for key, value in self.extra.items()},
        }


@dataclass(frozen=True)
class Session:
    id: str
    token: str
    user_id: str
    expires_at: datetime
    created_at: datetime
    updated_at: datetime
    ip_address: str | None
    user_agent: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "token": self.token,
            "userId": self.user_id,
            "expiresAt": iso(self.expires_at),
            "createdAt": iso(self.created_at),
            "updatedAt": iso(self.updated_at),
            "ipAddress": self.ip_address,
            "userAgent": self.user_agent,
        }

    def extended(self, expires_at: datetime, updated_at: datetime) -> Session:
        return replace(self, expires_at=expires_at, updated_at=updated_at)


@dataclass(frozen=True)
class SessionWithUser:
    session: Session
    user: User

    def to_json(self) -> dict[str, Any]:
        return {"session": self.session.to_json(), "user": self.user.to_json()}


@dataclass(frozen=True)
class Account:
    id: str
    account_id: str
    provider_id: str
    user_id: str
    scope: str | None
    created_at: datetime
    updated_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "accountId": self.account_id,
            "providerId": self.provider_id,
            "userId": self.user_id,
            "createdAt": iso(self.created_at),
            "updatedAt": iso(self.updated_at),
            "scopes": [s for s in (self.scope or "").split(",") if s],
        }
