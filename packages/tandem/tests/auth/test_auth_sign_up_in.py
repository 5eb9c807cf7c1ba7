"""Sign-up and sign-in over HTTP: shapes, cookies, errors, validation and the wire rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from urllib.parse import unquote

import httpx
from auth_helpers import BASE_URL, SECRET, Browser
from tandem.auth import Auth, cookies
from tandem.db.database import Database

TOKEN = re.compile(r"^[A-Za-z0-9]{32}$")
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


async def test_sign_up_answers_token_and_user_and_sets_the_exact_cookie(
    browser: Callable[..., Browser], database: Database
) -> None:
    b = browser()
    response = await b.post(
        "/sign-up/email",
        {
            "name": "Alice",
            "email": "Alice@Example.com",
            "password": "correct horse battery",
            "role": "admin",
        },
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert TOKEN.match(body["token"])
    user = body["user"]
    assert set(user) == {"id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt"}
    assert (
        user["email"] == "alice@example.com"
        and user["emailVerified"] is False
        and user["image"] is None
    )
    assert ISO.match(user["createdAt"]) and TOKEN.match(user["id"])
    [line] = response.headers.get_list("set-cookie")
    assert line == (
        f"better-auth.session_token={cookies.sign(body['token'], SECRET)}; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax"
    )
    account = await database.fetchrow(
        'SELECT "providerId", "accountId", password FROM account WHERE "userId" = $1', user["id"]
    )
    assert account is not None
    assert account["providerId"] == "credential" and account["accountId"] == user["id"]
    assert re.fullmatch(r"[0-9a-f]{32}:[0-9a-f]{128}", account["password"])
    session = await database.fetchrow(
        'SELECT "ipAddress", "userAgent" FROM session WHERE token = $1', body["token"]
    )
    assert (
        session is not None
        and session["ipAddress"] == ""
        and session["userAgent"] == "pytest-browser"
    )


async def test_duplicate_sign_up_in_any_case_is_422_without_cookie(
    browser: Callable[..., Browser],
) -> None:
    await browser().sign_up("dup@example.com")
    again = await browser().post(
        "/sign-up/email", {"name": "B", "email": "DUP@example.com", "password": "another password"}
    )
    assert again.status_code == 422
    assert again.json() == {
        "message": "User already exists. Use another email.",
        "code": "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL",
    }
    assert "set-cookie" not in again.headers


async def test_sign_up_password_length_in_utf16_units(browser: Callable[..., Browser]) -> None:
    b = browser()
    short = await b.post(
        "/sign-up/email", {"name": "B", "email": "b@example.com", "password": "1234567"}
    )
    assert short.status_code == 400 and short.json() == {
        "message": "Password too short",
        "code": "PASSWORD_TOO_SHORT",
    }
    long = await b.post(
        "/sign-up/email", {"name": "B", "email": "b@example.com", "password": "x" * 129}
    )
    assert long.json()["code"] == "PASSWORD_TOO_LONG"
    emoji_short = await b.post(
        "/sign-up/email", {"name": "B", "email": "b@example.com", "password": "😀" * 3}
    )
    assert emoji_short.json()["code"] == "PASSWORD_TOO_SHORT"
    emoji_ok = await b.post(
        "/sign-up/email", {"name": "B", "email": "b@example.com", "password": "😀" * 4}
    )
    assert emoji_ok.status_code == 200


async def test_sign_up_validation_errors(browser: Callable[..., Browser]) -> None:
    b = browser()
    bad_email = await b.post(
        "/sign-up/email", {"name": "B", "email": "not-an-email", "password": "12345678"}
    )
    assert bad_email.status_code == 400
    assert bad_email.json() == {
        "message": "[body.email] Invalid email address",
        "code": "VALIDATION_ERROR",
    }
    missing = await b.post("/sign-up/email", {"email": "bob@example.com"})
    assert missing.json() == {
        "message": "[body.name] Invalid input: expected string, received undefined; "
        "[body.password] Invalid input: expected string, received undefined",
        "code": "VALIDATION_ERROR",
    }
    not_object = await b.post("/sign-up/email", [1, 2])
    assert not_object.json()["code"] == "VALIDATION_ERROR"


async def test_sign_up_never_lets_clients_set_server_fields(
    browser: Callable[..., Browser], database: Database
) -> None:
    body = await browser().sign_up("owned@example.com")
    await browser().post(
        "/sign-up/email",
        {"name": "x", "email": "x@example.com", "password": "12345678", "emailVerified": True},
    )
    assert (
        await database.fetchval(
            'SELECT "emailVerified" FROM "user" WHERE email = $1', "x@example.com"
        )
        is False
    )
    assert body["user"]["emailVerified"] is False


async def test_sign_in_success_and_failures(browser: Callable[..., Browser]) -> None:
    up = await browser().sign_up("carol@example.com", password="carol password 1")
    b = browser()
    wrong = await b.post(
        "/sign-in/email", {"email": "carol@example.com", "password": "wrong password"}
    )
    unknown = await b.post(
        "/sign-in/email", {"email": "nobody@example.com", "password": "wrong password"}
    )
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert response.json() == {
            "message": "Invalid email or password",
            "code": "INVALID_EMAIL_OR_PASSWORD",
        }
        assert "set-cookie" not in response.headers
    ok = await b.post(
        "/sign-in/email", {"email": "CAROL@example.com", "password": "carol password 1"}
    )
    assert ok.status_code == 200
    body = ok.json()
    assert body["redirect"] is False and "url" not in body
    assert body["token"] != up["token"] and body["user"]["id"] == up["user"]["id"]
    assert unquote(b.jar["better-auth.session_token"]).startswith(body["token"] + ".")
    invalid = await b.post("/sign-in/email", {"email": "nope", "password": "x"})
    assert invalid.json() == {"message": "Invalid email", "code": "INVALID_EMAIL"}
    too_long = await b.post("/sign-in/email", {"email": "carol@example.com", "password": "x" * 129})
    assert too_long.json()["code"] == "PASSWORD_TOO_LONG"


async def test_sign_in_with_callback_url_redirects_in_json(browser: Callable[..., Browser]) -> None:
    await browser().sign_up("dave@example.com")
    response = await browser().post(
        "/sign-in/email",
        {
            "email": "dave@example.com",
            "password": "correct horse battery",
            "callbackURL": "/dashboard",
        },
    )
    assert response.status_code == 200
    assert response.headers["location"] == "/dashboard"
    assert response.json()["redirect"] is True and response.json()["url"] == "/dashboard"


async def test_remember_me_false_gives_browser_session_cookies(
    browser: Callable[..., Browser],
) -> None:
    await browser().sign_up("erin@example.com")
    b = browser()
    response = await b.post(
        "/sign-in/email",
        {"email": "erin@example.com", "password": "correct horse battery", "rememberMe": False},
    )
    token = response.json()["token"]
    assert response.headers.get_list("set-cookie") == [
        f"better-auth.session_token={cookies.sign(token, SECRET)}; Path=/; HttpOnly; SameSite=Lax",
        f"better-auth.dont_remember={cookies.sign('true', SECRET)}; Path=/; HttpOnly; SameSite=Lax",
    ]
    session = (await b.get("/get-session")).json()["session"]
    lifetime = datetime.fromisoformat(session["expiresAt"]) - datetime.fromisoformat(
        session["createdAt"]
    )
    assert abs(lifetime.total_seconds() - 86_400) < 5
    # a later normal sign-in in the same browser expires dont_remember
    again = await b.post(
        "/sign-in/email", {"email": "erin@example.com", "password": "correct horse battery"}
    )
    assert (
        "better-auth.dont_remember=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"
        in again.headers.get_list("set-cookie")
    )


async def test_form_bodies_are_accepted_on_sign_in_only(
    browser: Callable[..., Browser], client: httpx.AsyncClient
) -> None:
    await browser().sign_up("form@example.com")
    form = await client.post(
        "/api/auth/sign-in/email",
        content="email=form%40example.com&password=correct+horse+battery",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 200
    other = await client.post(
        "/api/auth/request-password-reset",
        content="email=form%40example.com",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert other.status_code == 415


async def test_wire_rules(client: httpx.AsyncClient) -> None:
    text = await client.post(
        "/api/auth/sign-in/email", content="hello", headers={"content-type": "text/plain"}
    )
    assert text.status_code == 415
    assert text.json() == {
        "message": 'Content-Type "text/plain" is not allowed. Allowed types: application/json, application/x-www-form-urlencoded',
        "code": "UNSUPPORTED_MEDIA_TYPE",
    }
    broken = await client.post(
        "/api/auth/update-user", content="{nope", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 400
    assert broken.json() == {"message": "Invalid JSON in request body", "code": "BAD_REQUEST"}
    for method, path in [
        ("GET", "/nope"),
        ("GET", "/get-session/"),
        ("GET", "/sign-in/email"),
        ("OPTIONS", "/get-session"),
        ("POST", "/forget-password"),
        ("POST", "/set-password"),
        ("GET", "//get-session"),
    ]:
        response = await client.request(method, "/api/auth" + path)
        assert response.status_code == 404, (method, path)
        assert response.content == b"" and "content-type" not in response.headers
    ok = await client.get("/api/auth/ok")
    assert ok.json() == {"ok": True}
    page = await client.get(
        "/api/auth/error", params={"error": "<script>", "error_description": "<b>x</b>"}
    )
    assert page.status_code == 200 and "UNKNOWN" in page.text and "&lt;b&gt;" in page.text


async def test_oversized_bodies_are_refused(client: httpx.AsyncClient) -> None:
    huge = b'{"email":"' + b"a" * (1024 * 1024) + b'"}'
    response = await client.post(
        "/api/auth/sign-in/email", content=huge, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["code"] == "PAYLOAD_TOO_LARGE"


async def test_the_app_works_mounted_or_given_full_paths(auth: Auth) -> None:
    transport = httpx.ASGITransport(app=auth.asgi_app)  # no Mount: full paths, no root_path
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as bare:
        assert (await bare.get("/api/auth/ok")).json() == {"ok": True}
        assert (await bare.get("/ok")).json() == {"ok": True}
        assert (await bare.get("/api/auth/nope")).status_code == 404
