"""Better Auth's cookies, byte for byte: names, signed values and `Set-Cookie` attributes.

Signed value: `encodeURIComponent(value + "." + base64(HMAC-SHA256(secret, value)))`. Headers are written by
hand because `http.cookies` quotes differently.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import quote, unquote

SESSION_TOKEN = "session_token"
SESSION_DATA = "session_data"
DONT_REMEMBER = "dont_remember"
STATE = "state"


def encode_uri_component(text: str) -> str:
    return quote(text, safe="-_.!~*'()")


def signature(value: str, secret: str) -> str:
    return base64.b64encode(
        hmac.new(secret.encode(), value.encode(), hashlib.sha256).digest()
    ).decode()


def sign(value: str, secret: str) -> str:
    """The cookie value as sent in `Set-Cookie`."""
    return encode_uri_component(f"{value}.{signature(value, secret)}")


def unsign(raw: str, secret: str) -> str | None:
    """The signed value inside a cookie, or None when it is malformed or its signature does not verify."""
    try:
        decoded = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        decoded = raw
    value, dot, sig = decoded.rpartition(".")
    if not dot or not value or len(sig) != 44 or not sig.endswith("="):
        return None
    if not hmac.compare_digest(signature(value, secret).encode(), sig.encode()):
        return None
    return value


def parse_cookie_header(header: str) -> dict[str, str]:
    """Raw (still percent-encoded) values by name; the first occurrence of a name wins."""
    cookies: dict[str, str] = {}
    for part in header.split(";"):
        name, eq, value = part.partition("=")
        name = name.strip()
        if not eq or not name or name in cookies:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        cookies[name] = value
    return cookies


@dataclass(frozen=True)
class CookiePolicy:
    """Names and attributes. `secure` adds the `__Secure-` prefix and `Secure`; SameSite=None implies it."""

    prefix: str = "better-auth"
    secure: bool = False
    same_site: str = "Lax"
    domain: str | None = None

    @property
    def is_secure(self) -> bool:
        return self.secure or self.same_site.lower() == "none"

    def name(self, cookie: str) -> str:
        full = f"{self.prefix}.{cookie}"
        return f"__Secure-{full}" if self.is_secure else full

    def _attributes(self) -> str:
        attributes = "; Path=/"
        if self.domain:
            attributes += f"; Domain={self.domain}"
        attributes += "; HttpOnly"
        if self.is_secure:
            attributes += "; Secure"
        return attributes + f"; SameSite={self.same_site}"

    def set(self, cookie: str, value: str, max_age: int | None) -> str:
        """A `Set-Cookie` value; `max_age=None` makes a browser-session cookie."""
        age = "" if max_age is None else f"; Max-Age={max_age}"
        return f"{self.name(cookie)}={value}{age}{self._attributes()}"

    def clear(self, cookie: str) -> str:
        return f"{self.name(cookie)}=; Max-Age=0{self._attributes()}"
