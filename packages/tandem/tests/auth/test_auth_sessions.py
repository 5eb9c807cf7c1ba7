"""get-session (refresh, expiry, dont_remember), list/revoke, sign-out and `Auth.get_session`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from auth_helpers import SECRET, AuthFactory, Browser, browsers_for
from tandem.auth import Auth, cookies
from tandem.db.database import Database

CLEARED = [
    "better-auth.session_token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax",
    "better-auth.session_data=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax",
    "better-auth.dont_remember=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax",
]


async def age_session(
    database: Database, token: str, by: timedelta, *, created_too: bool = True
) -> None:
    await database.execute(
        'UPDATE session SET "expiresAt" = "expiresAt" - $2::interval, '
        '"createdAt" = CASE WHEN $3 THEN "createdAt" - $2::interval ELSE "createdAt" END WHERE token = $1',
        token,
        by,
        created_too,
    )


async def test_get_session_shape_and_headers(browser: Callable[..., Browser]) -> None:
    b = browser()
    up = await b.sign_up("s1@example.com")
    response = await b.get("/get-session")
    assert (
        response.headers["cache-control"] == "no-store" and response.headers["pragma"] == "no-cache"
    )
    assert "set-cookie" not in response.headers  # young session: no refresh
    body = response.json()
    assert set(body["session"]) == {
        "id",
        "token",
        "userId",
        "expiresAt",
        "createdAt",
        "updatedAt",
        "ipAddress",
        "userAgent",
    }
    assert body["session"]["token"] == up["token"] and body["user"] == up["user"]
    anonymous = await browser().get("/get-session")
    assert anonymous.status_code == 200 and anonymous.content == b"null"


async def test_post_get_session_is_405(browser: Callable[..., Browser]) -> None:
    response = await browser().post("/get-session", {})
    assert response.status_code == 405
    assert response.json()["code"] == "METHOD_NOT_ALLOWED_DEFER_SESSION_REQUIRED"
    assert response.headers["cache-control"] == "no-store"


async def test_sliding_refresh_after_update_age(
    browser: Callable[..., Browser], database: Database
) -> None:
    b = browser()
    up = await b.sign_up("s2@example.com")
    await age_session(database, up["token"], timedelta(days=2))
    response = await b.get("/get-session")
    assert response.headers.get_list("set-cookie") == [
        f"better-auth.session_token={cookies.sign(up['token'], SECRET)}; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax"
    ]
    session = response.json()["session"]
    assert session["updatedAt"] > session["createdAt"]
    disabled = await b.get("/get-session", params={"disableRefresh": "true"})
    assert "set-cookie" not in disabled.headers


async def test_dont_remember_sessions_are_never_extended(
    browser: Callable[..., Browser], database: Database
) -> None:
    await browser().sign_up("s3@example.com")
    b = browser()
    signed = await b.post(
        "/sign-in/email",
        {"email": "s3@example.com", "password": "correct horse battery", "rememberMe": False},
    )
    token = signed.json()["token"]
    await database.execute(
        "UPDATE session SET \"expiresAt\" = now() + interval '2 hours' WHERE token = $1", token
    )
    before = await database.fetchval('SELECT "expiresAt" FROM session WHERE token = $1', token)
    response = await b.get("/get-session")
    assert response.json()["session"]["token"] == token and "set-cookie" not in response.headers
    assert (
        await database.fetchval('SELECT "expiresAt" FROM session WHERE token = $1', token) == before
    )


async def test_expired_session_is_null_cleared_and_deleted(
    browser: Callable[..., Browser], database: Database
) -> None:
    b = browser()
    up = await b.sign_up("s4@example.com")
    await age_session(database, up["token"], timedelta(days=8))
    response = await b.get("/get-session")
    assert response.content == b"null"
    assert response.headers.get_list("set-cookie") == CLEARED
    assert (
        await database.fetchval("SELECT count(*) FROM session WHERE token = $1", up["token"]) == 0
    )


async def test_bad_signature_is_null_and_clears_nothing(browser: Callable[..., Browser]) -> None:
    b = browser()
    up = await b.sign_up("s5@example.com")
    forged = f"{up['token']}.{'A' * 43}="
    response = await b.get(
        "/get-session", headers={"cookie": f"better-auth.session_token={forged}"}
    )
    assert response.content == b"null" and "set-cookie" not in response.headers
    stale_cache = await b.get(
        "/get-session", headers={"cookie": b.cookie_header() + "; better-auth.session_data=x"}
    )
    assert stale_cache.headers.get_list("set-cookie") == [CLEARED[1]]


async def test_list_and_revoke_sessions(browser: Callable[..., Browser]) -> None:
    a = browser({"x-forwarded-for": "198.18.0.9"})
    up = await a.sign_up("s6@example.com")
    second, third = browser(), browser()
    t2 = (
        await second.post(
            "/sign-in/email", {"email": "s6@example.com", "password": "correct horse battery"}
        )
    ).json()["token"]
    t3 = (
        await third.post(
            "/sign-in/email", {"email": "s6@example.com", "password": "correct horse battery"}
        )
    ).json()["token"]
    listed = (await a.get("/list-sessions")).json()
    assert sorted(s["token"] for s in listed) == sorted([up["token"], t2, t3])
    assert next(s for s in listed if s["token"] == up["token"])["ipAddress"] == "198.18.0.9"
    stranger = browser()
    other = await stranger.sign_up("s6-other@example.com")
    # someone else's token is ignored
    assert (await stranger.post("/revoke-session", {"token": t2})).json() == {"status": True}
    assert (await second.get("/get-session")).json() is not None
    revoked = await a.post("/revoke-session", {"token": t2})
    assert revoked.json() == {"status": True} and "set-cookie" not in revoked.headers
    assert (await second.get("/get-session")).json() is None
    assert (await a.post("/revoke-other-sessions", {})).json() == {"status": True}
    assert (await third.get("/get-session")).json() is None
    assert [s["token"] for s in (await a.get("/list-sessions")).json()] == [up["token"]]
    own = await a.post("/revoke-session", {"token": up["token"]})
    assert own.headers.get_list("set-cookie") == CLEARED
    assert (await stranger.post("/revoke-sessions", {})).headers.get_list("set-cookie") == CLEARED
    assert (await stranger.get("/get-session")).json() is None
    assert other["token"]


async def test_session_endpoints_need_a_session(browser: Callable[..., Browser]) -> None:
    b = browser()
    for method, path in [
        ("GET", "/list-sessions"),
        ("POST", "/revoke-sessions"),
        ("POST", "/revoke-other-sessions"),
        ("POST", "/update-user"),
        ("POST", "/change-password"),
        ("GET", "/list-accounts"),
    ]:
        body = (
            {"currentPassword": "a-password", "newPassword": "b-password"}
            if path == "/change-password"
            else {"name": "x"}
        )
        response = await b.request(method, path, json=body if method == "POST" else None)
        assert response.status_code == 401, path
        assert response.json() == {"message": "Unauthorized", "code": "UNAUTHORIZED"}


async def test_list_sessions_needs_a_fresh_session(
    browser: Callable[..., Browser], database: Database
) -> None:
    b = browser()
    up = await b.sign_up("s7@example.com")
    await database.execute(
        'UPDATE session SET "createdAt" = "createdAt" - interval \'2 days\' WHERE token = $1',
        up["token"],
    )
    response = await b.get("/list-sessions")
    assert response.status_code == 403
    assert response.json() == {"message": "Session is not fresh", "code": "SESSION_NOT_FRESH"}


async def test_sign_out(browser: Callable[..., Browser], database: Database) -> None:
    b = browser()
    up = await b.sign_up("s8@example.com")
    replay = dict(b.jar)
    response = await b.post("/sign-out", {})
    assert response.json() == {"success": True}
    assert response.headers.get_list("set-cookie") == CLEARED
    assert (
        await database.fetchval("SELECT count(*) FROM session WHERE token = $1", up["token"]) == 0
    )
    again = browser()
    again.jar.update(replay)
    assert (await again.get("/get-session")).json() is None
    bare = await browser({"origin": None}).request("POST", "/sign-out")
    assert bare.status_code == 200 and bare.json() == {"success": True}


async def test_get_session_api_for_the_app(
    browser: Callable[..., Browser], auth: Auth, database: Database
) -> None:
    b = browser()
    up = await b.sign_up("s9@example.com")
    found = await auth.get_session({"cookie": b.cookie_header()})
    assert (
        found is not None
        and found.user.id == up["user"]["id"]
        and found.session.token == up["token"]
    )
    assert await auth.get_session({"cookie": f"better-auth.session_token={up['token']}"}) is None
    assert await auth.get_session({}) is None
    await age_session(database, up["token"], timedelta(days=8))
    assert await auth.get_session({"cookie": b.cookie_header()}) is None


async def test_secure_cookies_use_the_prefix_and_ignore_plain_names(make_auth: AuthFactory) -> None:
    auth = await make_auth(base_url="https://auth.example.test")
    async with browsers_for(auth, "https://auth.example.test") as browser:
        b = browser({"origin": "https://auth.example.test"})
        up = await b.sign_up("secure@example.com")
        [name] = b.jar
        assert name == "__Secure-better-auth.session_token"
        plain = await b.get(
            "/get-session", headers={"cookie": f"better-auth.session_token={b.jar[name]}"}
        )
        assert plain.json() is None
        assert (await b.get("/get-session")).json()["session"]["token"] == up["token"]


async def test_database_outage_gives_protocol_shaped_500s() -> None:
    from tandem.auth import AuthConfig, create_auth

    database = Database("postgresql://postgres@127.0.0.1:18299/nowhere")  # nothing listens there
    await database.connect()
    auth = create_auth(AuthConfig(secret=SECRET, base_url="http://127.0.0.1:18210"), database)
    try:
        async with browsers_for(auth) as browser:
            b = browser()
            b.jar["better-auth.session_token"] = cookies.sign("x" * 32, SECRET)
            session = await b.get("/get-session")
            assert session.status_code == 500
            assert session.json() == {
                "message": "Failed to get session",
                "code": "FAILED_TO_GET_SESSION",
            }
            sign_in = await b.post(
                "/sign-in/email", {"email": "a@example.com", "password": "x" * 8}
            )
            assert sign_in.status_code == 500
            assert sign_in.json()["code"] == "INTERNAL_SERVER_ERROR"
    finally:
        await auth.close()
        await database.close()
