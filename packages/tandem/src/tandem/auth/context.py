"""One auth request as the endpoints see it: parsed input plus the cookies the answer will set."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import Headers, QueryParams
from starlette.requests import Request

from tandem.auth.cookies import parse_cookie_header


@dataclass
class RequestContext:
    request: Request
    path: str
    """Relative to the auth base path, e.g. `/sign-in/email`."""
    body: dict[str, Any] | None = None
    path_params: dict[str, str] = field(default_factory=dict)
    set_cookies: list[str] = field(default_factory=list)
    _cookies: dict[str, str] | None = None

    @property
    def headers(self) -> Headers:
        return self.request.headers

    @property
    def query(self) -> QueryParams:
        return self.request.query_params

    @property
    def cookies(self) -> dict[str, str]:
        if self._cookies is None:
            self._cookies = parse_cookie_header(self.headers.get("cookie", ""))
        return self._cookies
