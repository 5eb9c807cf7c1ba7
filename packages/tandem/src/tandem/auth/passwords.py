"""Better Auth's scrypt password hashes (`<32 hex salt>:<128 hex key>`), computed off the event loop."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import secrets
import unicodedata
from concurrent.futures import ThreadPoolExecutor

N, R, P, KEY_LENGTH = 16384, 16, 1, 64
# scrypt needs 128·N·r = 32 MiB plus overhead; OpenSSL's default ceiling is exactly 32 MiB.
MAXMEM = 64 * 1024 * 1024

# Each hash holds 32 MiB and ~0.1 s of CPU. hashlib.scrypt releases the GIL, so the pool's size is the number
# of cores sign-ins may take: half of them, so a burst of sign-ins cannot starve every other request.
_pool = ThreadPoolExecutor(
    max_workers=max(1, (os.cpu_count() or 2) // 2), thread_name_prefix="scrypt"
)


class InvalidPasswordHash(ValueError):
    pass


def utf16_length(password: str) -> int:
    """JavaScript's `string.length`: characters outside the BMP count twice."""
    return len(password.encode("utf-16-le")) // 2


def _derive(password: str, salt: str) -> bytes:
    return hashlib.scrypt(
        unicodedata.normalize("NFKC", password).encode(),
        salt=salt.encode("ascii"),
        n=N,
        r=R,
        p=P,
        dklen=KEY_LENGTH,
        maxmem=MAXMEM,
    )


def hash_password_sync(password: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(16)
    return f"{salt}:{_derive(password, salt).hex()}"


def verify_password_sync(stored: str, password: str) -> bool:
    salt, sep, key = stored.partition(":")
    if not sep or not salt or not key:
        raise InvalidPasswordHash("Invalid password hash")
    try:
        derived = _derive(password, salt).hex()
    except (UnicodeEncodeError, ValueError) as exc:
        raise InvalidPasswordHash("Invalid password hash") from exc
    return hmac.compare_digest(derived, key.lower())


async def hash_password(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_pool, hash_password_sync, password)


async def verify_password(stored: str, password: str) -> bool:
    return await asyncio.get_running_loop().run_in_executor(
        _pool, verify_password_sync, stored, password
    )
