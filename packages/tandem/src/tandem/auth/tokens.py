"""Compact HS256 JWTs, as Better Auth writes its email-verification tokens (header `{"alg":"HS256"}`)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from typing import Any

import orjson

HEADER = b'{"alg":"HS256"}'


class TokenError(ValueError):
    """`expired` tells an outdated token from a forged or malformed one."""

    def __init__(self, expired: bool) -> None:
        super().__init__("Token expired" if expired else "Invalid token")
        self.expired = expired


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_jwt(payload: dict[str, Any], secret: str, expires_in: int) -> str:
    iat = int(time.time())
    body = {**payload, "iat": iat, "exp": iat + expires_in}
    signing_input = f"{b64url(HEADER)}.{b64url(orjson.dumps(body))}"
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def verify_jwt(token: str, secret: str) -> dict[str, Any]:
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenError(expired=False)
    try:
        header = orjson.loads(b64url_decode(parts[0]))
        payload = orjson.loads(b64url_decode(parts[1]))
        signature = b64url_decode(parts[2])
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        raise TokenError(expired=False) from None
    if (
        not isinstance(header, dict)
        or header.get("alg") != "HS256"
        or not isinstance(payload, dict)
    ):
        raise TokenError(expired=False)
    expected = hmac.new(secret.encode(), f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, signature):
        raise TokenError(expired=False)
    exp = payload.get("exp")
    if isinstance(exp, int | float) and exp <= time.time():
        raise TokenError(expired=True)
    return payload
