"""Better Auth's error answers: a status plus `{"message", "code"}` (a few carry no code or no body)."""

from __future__ import annotations


class AuthError(Exception):
    """An error answer. `code=None` gives a body with only `message`; `message=None` gives no body."""

    def __init__(self, status: int, code: str | None, message: str | None) -> None:
        super().__init__(message or code or str(status))
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> dict[str, str] | None:
        if self.message is None:
            return None
        if self.code is None:
            return {"message": self.message}
        return {"message": self.message, "code": self.code}


def unauthorized() -> AuthError:
    return AuthError(401, "UNAUTHORIZED", "Unauthorized")


def bad_request(code: str, message: str) -> AuthError:
    return AuthError(400, code, message)


def invalid_token(status: int = 400) -> AuthError:
    return AuthError(status, "INVALID_TOKEN", "Invalid token")


def password_too_short() -> AuthError:
    return bad_request("PASSWORD_TOO_SHORT", "Password too short")


def password_too_long() -> AuthError:
    return bad_request("PASSWORD_TOO_LONG", "Password too long")


def invalid_password() -> AuthError:
    return bad_request("INVALID_PASSWORD", "Invalid password")


def credential_account_not_found() -> AuthError:
    return bad_request("CREDENTIAL_ACCOUNT_NOT_FOUND", "Credential account not found")


def not_found() -> AuthError:
    """Unknown route or wrong method: 404 with no body and no content type."""
    return AuthError(404, None, None)
