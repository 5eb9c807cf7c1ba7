"""Security: cookies, authorization across users, origin checks and CORS, response headers."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from tandem.auth.app import PARAM_ROUTES, ROUTES
from tandem_api.router import app_router

from .conftest import SPA_ORIGIN
from .harness import (
    REPO,
    Browser,
    Server,
    connect,
    report,
    seed_users,
    signed_cookie,
    trpc_error_problem,
    trpc_input,
)

EVIL_ORIGIN = "https://evil.example.test"


@pytest.fixture
def server(shared_server: Server) -> Server:
    return shared_server


@pytest.fixture
async def http(server: Server) -> AsyncIterator[httpx.AsyncClient]:
    async with connect(server) as client:
        yield client


async def _denied(browser: Browser) -> None:
    session = await browser.auth("/get-session", method="GET")
    assert session.status_code == 200 and session.json() is None, (browser.cookie, session.text)
    listed = await browser.query("task.list", {"limit": 1})
    assert listed.status_code == 401, listed.text
    assert trpc_error_problem(listed.json()) is None
    assert listed.json()["error"]["data"]["code"] == "UNAUTHORIZED"


async def test_tampered_cookies_give_no_access(server: Server, http: httpx.AsyncClient) -> None:
    browser = Browser(http, server.url)
    signed_up = await browser.sign_up()
    genuine = browser.cookie
    assert genuine is not None
    token = signed_up["token"]
    assert (await browser.query("task.list", {"limit": 1})).status_code == 200
    good = signed_cookie(token)
    flipped = "A" if good[40] != "A" else "B"
    variants = {
        "bad signature": good[:40] + flipped + good[41:],
        "truncated": good[: len(good) - 8],
        "signature removed": token,
        "other secret": signed_cookie(token, "another-secret-0123456789abcdefghijklmnop"),
        "other token, same signature": ("B" if token[0] != "B" else "C") + good[1:],
        "empty": "",
        "garbage": "%ZZ%00." + "x" * 44,
        "huge": "a" * 8000,
    }
    for cookie in variants.values():
        await _denied(Browser(http, server.url, cookie=cookie))
    report("cookie tampering", variants_refused=len(variants), kinds=sorted(variants))


async def test_expired_and_revoked_sessions_give_no_access(
    server: Server, http: httpx.AsyncClient
) -> None:
    first = Browser(http, server.url)
    signed_up = await first.sign_up()
    email = signed_up["user"]["email"]
    second = Browser(http, server.url)
    response = await second.auth(
        "/sign-in/email", {"email": email, "password": "correct horse battery staple"}
    )
    assert response.status_code == 200, response.text
    third = Browser(http, server.url)
    assert (
        await third.auth(
            "/sign-in/email", {"email": email, "password": "correct horse battery staple"}
        )
    ).status_code == 200
    # Revoked by another session of the same user.
    revoked = await first.auth("/revoke-session", {"token": response.json()["token"]})
    assert revoked.status_code == 200, revoked.text
    await _denied(second)
    # Expired: the row is there, its time is up.
    conn = await asyncpg.connect(server.database_url)
    try:
        token = third.cookie.split(".")[0] if third.cookie else ""
        updated = await conn.execute(
            "UPDATE session SET \"expiresAt\" = now() - interval '1 minute' WHERE token = $1", token
        )
        assert updated == "UPDATE 1"
    finally:
        await conn.close()
    await _denied(third)
    # Signed out.
    kept = first.cookie
    assert (await first.auth("/sign-out", {})).status_code == 200
    await _denied(Browser(http, server.url, cookie=kept))
    report(
        "expired and revoked sessions",
        expired_refused=True,
        revoked_refused=True,
        signed_out_refused=True,
    )


# --- authorization ---------------------------------------------------------------------------------------------


def _fill(schema: dict[str, Any], defs: dict[str, Any], value: str) -> Any:
    """A valid value for a JSON schema, with every string set to `value` (an id of the victim's)."""
    if "$ref" in schema:
        return _fill(defs[schema["$ref"].rsplit("/", 1)[1]], defs, value)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _fill(options[0], defs, value)
    kind = schema.get("type")
    if kind == "object":
        return {name: _fill(sub, defs, value) for name, sub in schema.get("properties", {}).items()}
    if kind == "string":
        return value
    if kind == "integer":
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1)
        high = schema.get("maximum", low + 100)
        return max(low, min(high, 50))
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    if kind == "array":
        return [_fill(schema.get("items", {}), defs, value)]
    return value


def _inputs(procedure: Any, values: list[str]) -> list[Any]:
    """Inputs for a procedure: none when it takes none, else its schema filled with each of `values`."""
    if procedure.input_type is None:
        return [None]
    from pydantic import TypeAdapter

    schema = TypeAdapter(procedure.input_type).json_schema()
    defs = schema.get("$defs", {})
    return [_fill(schema, defs, value) for value in values]


@pytest.fixture
async def victim(server: Server, http: httpx.AsyncClient) -> dict[str, Any]:
    """User A: a signed-up user with tasks whose titles are secrets, and two sessions."""
    browser = Browser(http, server.url)
    signed_up = await browser.sign_up()
    titles = [f"secret-{secrets.token_hex(8)}" for _ in range(3)]
    ids = []
    for title in titles:
        created = await browser.mutation("task.create", {"title": title})
        assert created.status_code == 200, created.text
        ids.append(created.json()["result"]["data"]["id"])
    return {
        "browser": browser,
        "user": signed_up["user"],
        "token": signed_up["token"],
        "titles": titles,
        "ids": ids,
    }


async def _snapshot(database_url: str, user_id: str) -> dict[str, Any]:
    conn = await asyncpg.connect(database_url)
    try:
        user = await conn.fetchrow('SELECT * FROM "user" WHERE id = $1', user_id)
        accounts = await conn.fetch(
            'SELECT * FROM account WHERE "userId" = $1 ORDER BY id', user_id
        )
        sessions = await conn.fetch(
            'SELECT * FROM session WHERE "userId" = $1 ORDER BY id', user_id
        )
        tasks = await conn.fetch('SELECT * FROM task WHERE "userId" = $1 ORDER BY id', user_id)
    finally:
        await conn.close()
    return {
        "user": dict(user) if user else None,
        "accounts": [dict(r) for r in accounts],
        "sessions": [dict(r) for r in sessions],
        "tasks": [dict(r) for r in tasks],
    }


async def test_user_b_cannot_touch_user_a_through_any_procedure_or_endpoint(
    server: Server, http: httpx.AsyncClient, victim: dict[str, Any]
) -> None:
    before = await _snapshot(server.database_url, victim["user"]["id"])
    session_ids = [s["id"] for s in before["sessions"]]
    a_values = [*victim["ids"], victim["token"], victim["user"]["id"], *session_ids]
    secrets_of_a = [*victim["titles"], victim["token"]]
    leaks: list[str] = []
    calls = 0

    # A fresh user B for every call, so that B ending its own session or account stops nothing.
    pool = await seed_users(server.database_url, 400)

    async def b_browser() -> Browser:
        _, cookie = pool.pop()
        return Browser(http, server.url, cookie=cookie)

    def check(label: str, response: httpx.Response, sent: str) -> None:
        assert response.status_code < 500, f"{label}: {response.status_code} {response.text[:300]}"
        # B may see a value B sent itself (an echoed title), never one it did not.
        leaks.extend(f"{label}: {s}" for s in secrets_of_a if s in response.text and s != sent)

    procedures = app_router.procedures
    assert {"task.list", "task.create", "task.update", "task.delete"} <= set(procedures)
    for path, procedure in sorted(procedures.items()):
        for value in _inputs(procedure, a_values):
            b = await b_browser()
            if procedure.kind == "mutation":
                response = await b.mutation(path, value)
            else:
                response = await b.query(path, value)
            calls += 1
            sent = next(iter(set(a_values) & set(json.dumps(value).split('"'))), "")
            check(f"{path} {json.dumps(value)}", response, sent)
            # Via a batch too, and via POST (method override) for queries.
            batched = await http.get(
                f"/api/trpc/{path},{path}?batch=1&input=" + trpc_input({"0": value, "1": value}),
                headers=b.headers(),
            )
            calls += 1
            check(f"{path} batch", batched, sent)

    routes = [
        *ROUTES,
        *(
            (method, f"{prefix}/{value}")
            for (method, prefix) in PARAM_ROUTES
            for value in a_values[:2]
        ),
    ]
    for method, path in routes:
        for value in (victim["ids"][0], victim["token"], victim["user"]["id"], session_ids[0]):
            b = await b_browser()
            body = {
                "token": value,
                "id": value,
                "userId": value,
                "sessionId": value,
                "email": victim["user"]["email"],
                "newEmail": victim["user"]["email"],
                "name": "changed by B",
                "image": "https://evil.example.test/x.png",
                # B does not know A's password (knowing it would make B A).
                "password": "a guess by user B",
                "currentPassword": "a guess by user B",
                "newPassword": "new password by B 123",
                "callbackURL": "/",
                "redirectTo": "/",
                "providerId": "credential",
                "accountId": value,
            }
            if method == "GET":
                response = await b.client.get(
                    "/api/auth" + path,
                    params={"token": value, "callbackURL": "/"},
                    headers=b.headers(),
                )
            else:
                response = await b.client.post("/api/auth" + path, json=body, headers=b.headers())
            calls += 1
            check(f"{method} {path}", response, value)

    after = await _snapshot(server.database_url, victim["user"]["id"])
    assert not leaks, leaks[:10]
    assert after == before, "user A's rows changed"
    # A still works.
    listed = await victim["browser"].query("task.list", {"limit": 10})
    assert sorted(t["title"] for t in listed.json()["result"]["data"]["items"]) == sorted(
        victim["titles"]
    )
    report(
        "authorization",
        procedures=len(procedures),
        auth_endpoints=len(ROUTES) + len(PARAM_ROUTES),
        calls_as_user_b=calls,
        leaks=len(leaks),
        rows_of_a_changed=0,
    )


# --- origin, CSRF and CORS ----------------------------------------------------------------------------------


async def test_foreign_origins_cannot_change_auth_state(
    server: Server, http: httpx.AsyncClient
) -> None:
    browser = Browser(http, server.url)
    signed_up = await browser.sign_up()
    email = signed_up["user"]["email"]
    refused: dict[str, tuple[int, str | None]] = {}

    async def attempt(
        label: str, path: str, body: Any, origin: str | None, cookie: bool
    ) -> httpx.Response:
        headers = {"x-forwarded-for": browser.address}
        if origin is not None:
            headers["origin"] = origin
        if cookie and browser.cookie:
            headers["cookie"] = f"better-auth.session_token={browser.cookie}"
        response = await http.post("/api/auth" + path, json=body, headers=headers)
        refused[label] = (
            response.status_code,
            response.json().get("code") if response.status_code == 403 else None,
        )
        return response

    await attempt(
        "sign-in from a foreign origin",
        "/sign-in/email",
        {"email": email, "password": "correct horse battery staple"},
        EVIL_ORIGIN,
        False,
    )
    await attempt(
        "sign-up from a foreign origin",
        "/sign-up/email",
        {"email": f"x-{secrets.token_hex(4)}@example.com", "password": "p" * 12, "name": "X"},
        EVIL_ORIGIN,
        False,
    )
    await attempt("sign-out from a foreign origin", "/sign-out", {}, EVIL_ORIGIN, True)
    await attempt(
        "update-user from a foreign origin", "/update-user", {"name": "csrf"}, EVIL_ORIGIN, True
    )
    await attempt("revoke-sessions without an origin", "/revoke-sessions", {}, None, True)
    await attempt(
        "change-password with origin null",
        "/change-password",
        {"currentPassword": "correct horse battery staple", "newPassword": "csrf csrf csrf"},
        "null",
        True,
    )
    for label, (status, code) in refused.items():
        assert status == 403, f"{label}: {status}"
        expected = (
            "MISSING_OR_NULL_ORIGIN"
            if "origin null" in label or "without" in label
            else "INVALID_ORIGIN"
        )
        assert code == expected, f"{label}: {code}"
    session = await browser.auth("/get-session", method="GET")
    assert session.json()["user"]["name"] == "Rel", "a refused request changed something"
    trusted = await http.post(
        "/api/auth/sign-in/email",
        json={"email": email, "password": "correct horse battery staple"},
        headers={"origin": SPA_ORIGIN, "x-forwarded-for": browser.address},
    )
    assert trusted.status_code == 200, trusted.text
    # A form post cannot reach tRPC: only application/json is accepted.
    form = await http.post(
        "/api/trpc/task.create",
        content=b'{"title":"csrf"}',
        headers={
            "content-type": "text/plain",
            "origin": EVIL_ORIGIN,
            "cookie": f"better-auth.session_token={browser.cookie}",
        },
    )
    assert form.status_code == 415, form.text
    report(
        "csrf / origin",
        refused=len(refused),
        trusted_origin_sign_in=trusted.status_code,
        trpc_text_plain=form.status_code,
    )


async def test_cors_only_for_trusted_origins(http: httpx.AsyncClient) -> None:
    checked = 0
    for path in ("/api/trpc/task.list", "/api/auth/get-session", "/api/auth/sign-in/email"):
        preflight = await http.options(
            path,
            headers={
                "origin": SPA_ORIGIN,
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type",
            },
        )
        assert preflight.headers.get("access-control-allow-origin") == SPA_ORIGIN, preflight.headers
        assert preflight.headers.get("access-control-allow-credentials") == "true"
        simple = await http.get(path, headers={"origin": SPA_ORIGIN})
        assert simple.headers.get("access-control-allow-origin") == SPA_ORIGIN
        assert simple.headers.get("access-control-allow-credentials") == "true"
        for origin in (EVIL_ORIGIN, "null", SPA_ORIGIN + ".evil.test", "http://spa.example.test"):
            foreign = await http.options(
                path, headers={"origin": origin, "access-control-request-method": "POST"}
            )
            assert "access-control-allow-origin" not in foreign.headers, (origin, foreign.headers)
            plain = await http.get(path, headers={"origin": origin})
            assert "access-control-allow-origin" not in plain.headers, (origin, plain.headers)
            checked += 2
    report("cors", trusted_origin=SPA_ORIGIN, foreign_origin_requests_without_acao=checked)


# --- headers ------------------------------------------------------------------------------------------------------

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)


def csp_directives(value: str) -> dict[str, list[str]]:
    directives = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


async def test_security_headers_and_a_csp_the_spa_runs_under(http: httpx.AsyncClient) -> None:
    index = await http.get("/")
    assert index.status_code == 200
    csp = csp_directives(index.headers["content-security-policy"])
    scripts = csp.get("script-src", csp.get("default-src", []))
    assert scripts and "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, scripts
    assert csp.get("frame-ancestors") == ["'none'"]
    assert csp.get("object-src", csp.get("default-src")) in (["'none'"], ["'self'"])
    assert not any("*" in sources for sources in csp.values())
    # The SPA runs under it: no inline script, every script and stylesheet same-origin and served.
    assets = 0
    for attributes, body in _SCRIPT.findall(index.text):
        assert "src=" in attributes and not body.strip(), (
            f"inline script blocked by the CSP: {body[:80]}"
        )
    for url in re.findall(r'(?:src|href)="([^"]+)"', index.text):
        assert url.startswith("/") and not url.startswith("//"), url
        asset = await http.get(url)
        assert asset.status_code == 200, url
        assets += 1
        if url.endswith(".js"):
            assert "javascript" in asset.headers["content-type"]
            assert "eval(" not in asset.text and "new Function(" not in asset.text, url
    responses = {
        "spa": index,
        "health": await http.get("/api/health"),
        "trpc": await http.get("/api/trpc/health.ping"),
        "trpc error": await http.get("/api/trpc/nope"),
        "auth": await http.get("/api/auth/ok"),
        "auth error": await http.post(
            "/api/auth/sign-in/email", content=b"{", headers={"content-type": "application/json"}
        ),
        "api 404": await http.get("/api/nothing"),
    }
    for label, response in responses.items():
        headers = response.headers
        assert headers.get("x-content-type-options") == "nosniff", label
        assert headers.get("referrer-policy") in (
            "strict-origin-when-cross-origin",
            "no-referrer",
            "same-origin",
        ), label
        assert "server" not in headers and "x-powered-by" not in headers, (label, headers)
        assert "strict-transport-security" not in headers, "HSTS belongs to production only"
        assert "traceback" not in response.text.lower()
    report(
        "security headers (development)",
        csp=index.headers["content-security-policy"],
        spa_assets_loaded=assets,
        responses_checked=len(responses),
    )


def test_csp_parser_sees_unsafe_inline() -> None:
    assert (
        "'unsafe-inline'"
        in csp_directives("default-src 'self'; script-src 'self' 'unsafe-inline'")["script-src"]
    )


def test_spa_build_exists() -> None:
    assert (REPO / "apps/web/dist/index.html").exists(), (
        "build the SPA first (pnpm --filter @repo/web build)"
    )
