"""Checks several endpoints share."""

from __future__ import annotations

from tandem.auth.config import AuthConfig
from tandem.auth.errors import password_too_long, password_too_short
from tandem.auth.passwords import utf16_length


def check_new_password(config: AuthConfig, password: str) -> None:
    length = utf16_length(password)
    if length < config.min_password_length:
        raise password_too_short()
    if length > config.max_password_length:
        raise password_too_long()


def check_max_length(config: AuthConfig, password: str) -> None:
    if utf16_length(password) > config.max_password_length:
        raise password_too_long()
