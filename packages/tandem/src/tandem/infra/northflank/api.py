"""A small async client for Northflank's REST API: bearer auth, the `{"data": …}` envelope, retries, errors.

Every failure becomes one `NorthflankError` whose message fits on one line and says what to do. Rate limits
(429) are waited out as the server asks (`Retry-After`, else `x-ratelimit-reset`); server errors (5xx) are
retried with backoff only for requests that are safe to repeat (GET, PUT).
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

DEFAULT_API_URL = "https://api.northflank.com"
USER_AGENT = "tandem-infra"
MAX_RETRY_WAIT = 120.0
_IDEMPOTENT = {"GET", "PUT", "DELETE"}
_MASK = "********"

_HINTS = {
    400: "Northflank rejected the request",
    401: "the API token was rejected; check NORTHFLANK_API_TOKEN (Team → Settings → API → Tokens)",
    403: "the API token's role lacks the permission for this call (Team → Settings → API → Roles)",
    404: "not found",
    409: "conflicts with an existing resource",
    422: "Northflank rejected the request",
    429: "rate limit reached (1000 requests per hour); wait and run the command again",
}


class NorthflankError(Exception):
    """A failed API call or an unreachable API; `str(error)` is a one-line explanation."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class ApiRequest:
    method: str
    path: str
    body: dict[str, Any] | None = None
    params: dict[str, str] = field(default_factory=dict)

    @property
    def target(self) -> str:
        query = "&".join(f"{key}={value}" for key, value in self.params.items())
        return f"{self.path}?{query}" if query else self.path

    def masked_body(self) -> dict[str, Any] | None:
        """The body with secret values replaced, for printing."""
        if self.body is None or "secrets" not in self.body:
            return self.body
        secrets = dict(self.body["secrets"])
        for kind in ("variables", "files"):
            if kind in secrets:
                secrets[kind] = dict.fromkeys(secrets[kind], _MASK)
        return {**self.body, "secrets": secrets}

    def describe(self) -> str:
        text = f"{self.method} {self.target}"
        body = self.masked_body()
        if body is not None:
            text += "\n" + json.dumps(body, indent=2)
        return text


Sleep = Callable[[float], Awaitable[None]]


class NorthflankApi:
    """`async with NorthflankApi(token) as api: data = await api.send(ApiRequest("GET", "/v1/regions"))`."""

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_API_URL,
        *,
        max_attempts: int = 5,
        sleep: Sleep = asyncio.sleep,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._max_attempts = max_attempts
        self._sleep = sleep
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=timeout,
            headers={"Authorization": f"Bearer {token}", "User-Agent": USER_AGENT},
        )

    async def __aenter__(self) -> NorthflankApi:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._client.aclose()

    async def get(self, path: str, **params: str) -> Any:
        return await self.send(ApiRequest("GET", path, params=params))

    async def send(self, request: ApiRequest) -> Any:
        """The response's `data`; raises NorthflankError once retrying cannot help."""
        return (await self._envelope(request)).get("data")

    async def page(self, path: str, params: dict[str, str]) -> tuple[Any, dict[str, Any]]:
        """One page of a list endpoint: its `data` and its `pagination` (`hasNextPage`, `cursor`)."""
        envelope = await self._envelope(ApiRequest("GET", path, params=params))
        pagination = envelope.get("pagination")
        return envelope.get("data"), pagination if isinstance(pagination, dict) else {}

    async def _envelope(self, request: ApiRequest) -> dict[str, Any]:
        for attempt in range(1, self._max_attempts + 1):
            try:
                response = await self._client.request(
                    request.method, request.path, params=request.params or None, json=request.body
                )
            except httpx.TransportError as error:
                if request.method in _IDEMPOTENT and attempt < self._max_attempts:
                    await self._sleep(_backoff(attempt))
                    continue
                raise NorthflankError(
                    f"cannot reach the Northflank API at {self.base_url}: {error or type(error).__name__}"
                ) from error
            if response.status_code == 200:
                return _envelope(request, response)
            delay = _retry_delay(request, response, attempt)
            if delay is None or attempt == self._max_attempts:
                raise _error(request, response)
            await self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover


def _backoff(attempt: int) -> float:
    return float(min(2 ** (attempt - 1), 30))


def _retry_delay(request: ApiRequest, response: httpx.Response, attempt: int) -> float | None:
    """Seconds to wait before the next attempt, or None when the failure is final."""
    if response.status_code == 429:
        delay = _server_wait(response.headers)
        delay = _backoff(attempt) if delay is None else delay
        return delay if delay <= MAX_RETRY_WAIT else None
    if response.status_code >= 500 and request.method in _IDEMPOTENT:
        return _backoff(attempt)
    return None


def _server_wait(headers: httpx.Headers) -> float | None:
    retry_after = headers.get("retry-after")
    if retry_after:
        if retry_after.strip().isdigit():
            return float(retry_after)
        when = email.utils.parsedate_to_datetime(retry_after)
        return max(0.0, when.timestamp() - time.time())
    reset = headers.get("x-ratelimit-reset")
    if reset and reset.strip().replace(".", "", 1).isdigit():
        value = float(reset)
        # An epoch timestamp or a number of seconds; both forms are seen.
        return max(0.0, value - time.time()) if value > 1e9 else value
    return None


def _envelope(request: ApiRequest, response: httpx.Response) -> dict[str, Any]:
    try:
        payload = response.json()
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise NorthflankError(
            f"Northflank API 200 on {request.method} {request.path}: the body is not a JSON object",
            200,
        )
    return payload


def _error(request: ApiRequest, response: httpx.Response) -> NorthflankError:
    status = response.status_code
    message, details = _error_body(response)
    hint = _HINTS.get(status) or (
        "Northflank server error; try again later" if status >= 500 else "unexpected answer"
    )
    wait = _server_wait(response.headers) if status == 429 else None
    if wait is not None:
        hint = f"rate limit reached; try again in {round(wait)} s"
    text = f"Northflank API {status} on {request.method} {request.path}: {hint}"
    if message:
        text += f" ({message}"
        text += f"; {details})" if details else ")"
    return NorthflankError(text, status)


def _error_body(response: httpx.Response) -> tuple[str, str]:
    try:
        payload = response.json()
    except ValueError:
        return response.text.strip()[:200].replace("\n", " "), ""
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        return "", ""
    details = error.get("details")
    rendered = json.dumps(details, separators=(",", ":"))[:300] if details else ""
    return str(error.get("message") or ""), rendered
