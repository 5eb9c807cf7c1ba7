"""Better Auth's CSRF defences: the Origin check on POSTs and the validation of redirect targets."""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from urllib.parse import urljoin, urlsplit

from starlette.datastructures import Headers

from tandem.auth.errors import AuthError

FORM_CSRF_PATHS = frozenset({"/sign-in/email", "/sign-up/email"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DUMMY = "http://dummy.invalid"

# body/query key -> (code, message) of a refused redirect target
REDIRECT_KEYS = {
    "callbackURL": ("INVALID_CALLBACK_URL", "Invalid callbackURL"),
    "redirectTo": ("INVALID_REDIRECT_URL", "Invalid redirectURL"),
    "errorCallbackURL": ("INVALID_ERROR_CALLBACK_URL", "Invalid errorCallbackURL"),
    "newUserCallbackURL": ("INVALID_NEW_USER_CALLBACK_URL", "Invalid newUserCallbackURL"),
}


def origin_of(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


class OriginPolicy:
    def __init__(self, own_origin: str, trusted: tuple[str, ...]) -> None:
        self.own_origin = own_origin.lower()
        self.exact = {self.own_origin}
        self.patterns: list[str] = []
        for entry in trusted:
            entry = entry.strip().rstrip("/").lower()
            if not entry:
                continue
            if "*" in entry or "?" in entry:
                self.patterns.append(entry)
            else:
                self.exact.add(origin_of(entry) or entry)

    def is_trusted_origin(self, origin: str) -> bool:
        origin = origin.lower()
        if origin in self.exact:
            return True
        host = urlsplit(origin).netloc
        for pattern in self.patterns:
            target = origin if "://" in pattern else host
            if fnmatchcase(target, pattern):
                return True
        return False

    def is_allowed_redirect(self, target: str) -> bool:
        if is_safe_relative_path(target):
            return True
        origin = origin_of(target)
        return origin is not None and self.is_trusted_origin(origin)

    def check_request_origin(self, method: str, path: str, headers: Headers) -> None:
        """Raise the 403 Better Auth gives a cross-site POST; GET/HEAD/OPTIONS pass untouched."""
        if method in ("GET", "HEAD", "OPTIONS"):
            return
        if headers.get("cookie"):
            self._validate_origin_header(headers)
            return
        if path not in FORM_CSRF_PATHS:
            return
        if any(name.startswith("sec-fetch-") for name in headers):
            if (
                headers.get("sec-fetch-site") == "cross-site"
                and headers.get("sec-fetch-mode") == "navigate"
            ):
                raise AuthError(
                    403,
                    "CROSS_SITE_NAVIGATION_LOGIN_BLOCKED",
                    "Cross-site navigation login blocked. This request appears to be a CSRF attack.",
                )
            self._validate_origin_header(headers)
        elif headers.get("origin") or headers.get("referer"):
            self._validate_origin_header(headers)

    def _validate_origin_header(self, headers: Headers) -> None:
        value = headers.get("origin") or headers.get("referer") or ""
        if value == "null" and headers.get("sec-fetch-site") == "same-origin":
            value = self.own_origin
        if not value or value == "null":
            raise AuthError(403, "MISSING_OR_NULL_ORIGIN", "Missing or null Origin")
        origin = origin_of(value)
        if origin is None or not self.is_trusted_origin(origin):
            raise AuthError(403, "INVALID_ORIGIN", "Invalid origin")

    def check_redirect(self, key: str, value: object) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            raise AuthError(400, None, f"Invalid {key}: expected a string")
        if not self.is_allowed_redirect(value):
            code, message = REDIRECT_KEYS[key]
            raise AuthError(403, code, message)


def is_safe_relative_path(target: str) -> bool:
    if not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or _CONTROL.search(target):
        return False
    path = target.split("?", 1)[0].split("#", 1)[0].lower()
    if "%2f" in path or "%5c" in path:
        return False
    return origin_of(urljoin(_DUMMY, target)) == _DUMMY
