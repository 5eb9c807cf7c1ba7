"""Random identifiers in Better Auth's alphabets, drawn without modulo bias."""

from __future__ import annotations

import secrets
import string

ALPHANUMERIC = string.ascii_letters + string.digits
URL_SAFE = ALPHANUMERIC + "-_"
LOWER_ALPHANUMERIC = string.digits + string.ascii_lowercase


def random_string(length: int, alphabet: str = ALPHANUMERIC) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def new_id() -> str:
    """Row ids and session tokens: 32 characters of `[A-Za-z0-9]`."""
    return random_string(32)
