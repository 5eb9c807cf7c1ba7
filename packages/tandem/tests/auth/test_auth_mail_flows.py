"""Password reset and email verification end to end (the mails are read from the sender's outbox)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from auth_helpers import BASE_URL, SECRET, AuthFactory, Browser, Outbox, browsers_for
from tandem.auth import Auth
from tandem.auth.tokens import sign_jwt
from tandem.db.database import Database

ANSWER = {
    "status": True,
    "message": "If this email exists in our system, check your email for the reset link",
}


def link_in(text: str) -> str:
    return str(re.findall(r"https?://\S+", text)[0])


async def test_password_reset_flow(
    browser: Callable[..., Browser], outbox: Outbox, database: Database
) -> None:
    owner = browser()
    await owner.sign_up("r1@example.com", password="first password")
    anon = browser()
    asked = await anon.post(
        "/request-password-reset", {"email": "R1@example.com", "redirectTo": "/reset"}
    )
    assert asked.json() == ANSWER
    [mail] = outbox.to("r1@example.com")
    assert mail.subject == "Reset your password"
    link = link_in(mail.text)
    assert link in mail.html.replace("&amp;", "&")
    match = re.fullmatch(
        rf"{BASE_URL}/api/auth/reset-password/([A-Za-z0-9]{{24}})\?callbackURL=%2Freset", link
    )
    assert match, link
    token = match.group(1)
    opened = await anon.get(link[len(BASE_URL) + len("/api/auth") :])
    assert opened.status_code == 302 and opened.headers["location"] == f"/reset?token={token}"
    short = await anon.post("/reset-password", {"newPassword": "short", "token": token})
    assert short.json()["code"] == "PASSWORD_TOO_SHORT"
    done = await anon.post("/reset-password", {"newPassword": "second password", "token": token})
    assert done.json() == {"status": True} and "set-cookie" not in done.headers
    again = await anon.post("/reset-password", {"newPassword": "third password", "token": token})
    assert again.status_code == 400 and again.json() == {
        "message": "Invalid token",
        "code": "INVALID_TOKEN",
    }
    used = await anon.get(f"/reset-password/{token}", params={"callbackURL": "/reset"})
    assert used.headers["location"] == "/reset?error=INVALID_TOKEN"
    assert (await owner.get("/get-session")).json() is not None  # sessions survive a reset
    assert (
        await browser().post(
            "/sign-in/email", {"email": "r1@example.com", "password": "first password"}
        )
    ).status_code == 401
    assert (
        await browser().post(
            "/sign-in/email", {"email": "r1@example.com", "password": "second password"}
        )
    ).status_code == 200


async def test_reset_edge_cases(
    browser: Callable[..., Browser], outbox: Outbox, database: Database
) -> None:
    await browser().sign_up("r2@example.com")
    anon = browser()
    unknown = await anon.post("/request-password-reset", {"email": "nobody@example.com"})
    assert unknown.json() == ANSWER and outbox.messages == []
    await anon.post("/request-password-reset", {"email": "r2@example.com"})
    link = link_in(outbox.to("r2@example.com")[0].text)
    assert link.endswith("?callbackURL=")
    token = link.rsplit("/", 1)[1].split("?")[0]
    missing = await anon.get(f"/reset-password/{token}")
    assert missing.status_code == 400 and missing.json()["code"] == "VALIDATION_ERROR"
    evil = await anon.get(
        f"/reset-password/{token}", params={"callbackURL": "https://evil.example/"}
    )
    assert evil.status_code == 403 and evil.json() == {
        "message": "Invalid callbackURL",
        "code": "INVALID_CALLBACK_URL",
    }
    absolute = await anon.get(
        f"/reset-password/{token}", params={"callbackURL": f"{BASE_URL}/reset?x=1"}
    )
    assert absolute.headers["location"] == f"{BASE_URL}/reset?x=1&token={token}"
    assert (await anon.post("/reset-password", {"newPassword": "whatever pass"})).json()[
        "code"
    ] == "INVALID_TOKEN"
    await database.execute("UPDATE verification SET \"expiresAt\" = now() - interval '1 second'")
    expired = await anon.post(f"/reset-password?token={token}", {"newPassword": "whatever pass"})
    assert expired.json()["code"] == "INVALID_TOKEN"
    bad_redirect = await anon.post(
        "/request-password-reset", {"email": "r2@example.com", "redirectTo": "https://evil.example"}
    )
    assert bad_redirect.status_code == 403 and bad_redirect.json()["code"] == "INVALID_REDIRECT_URL"


async def test_verification_flow(browser: Callable[..., Browser], outbox: Outbox) -> None:
    b = browser()
    await b.sign_up("v1@example.com")
    assert outbox.messages == []  # nothing at sign-up
    mismatch = await b.post("/send-verification-email", {"email": "other@example.com"})
    assert mismatch.json() == {"message": "Email mismatch", "code": "EMAIL_MISMATCH"}
    sent = await b.post(
        "/send-verification-email", {"email": "v1@example.com", "callbackURL": "/verified"}
    )
    assert sent.json() == {"status": True}
    [mail] = outbox.to("v1@example.com")
    assert mail.subject == "Verify your email address"
    link = urlsplit(link_in(mail.text))
    assert f"{link.scheme}://{link.netloc}{link.path}" == f"{BASE_URL}/api/auth/verify-email"
    query = {k: v[0] for k, v in parse_qs(link.query).items()}
    assert query["callbackURL"] == "/verified"
    verified = await b.get("/verify-email", params={"token": query["token"]})
    assert verified.json() == {"status": True, "user": None}
    assert (await b.get("/get-session")).json()["user"]["emailVerified"] is True
    again = await b.get("/verify-email", params=query)
    assert again.status_code == 302 and again.headers["location"] == "/verified"
    already = await b.post("/send-verification-email", {"email": "v1@example.com"})
    assert already.json()["code"] == "EMAIL_ALREADY_VERIFIED"


async def test_verification_without_session_is_uniform(
    browser: Callable[..., Browser], outbox: Outbox
) -> None:
    await browser().sign_up("v2@example.com")
    anon = browser()
    for address in ("v2@example.com", "ghost@example.com"):
        started = time.monotonic()
        response = await anon.post("/send-verification-email", {"email": address})
        assert response.json() == {"status": True}
        assert time.monotonic() - started >= 0.5
    assert [m.to for m in outbox.messages] == ["v2@example.com"]
    assert "callbackURL=%2F" in outbox.messages[0].text


async def test_bad_verification_tokens(browser: Callable[..., Browser]) -> None:
    b = browser()
    up = await b.sign_up("v3@example.com")
    bad = await b.get("/verify-email", params={"token": "not.a.jwt"})
    assert bad.status_code == 401 and bad.json() == {
        "message": "Invalid token",
        "code": "INVALID_TOKEN",
    }
    redirected = await b.get("/verify-email", params={"token": "abc", "callbackURL": "/v"})
    assert (
        redirected.status_code == 302 and redirected.headers["location"] == "/v?error=INVALID_TOKEN"
    )
    expired = sign_jwt({"email": "v3@example.com", "userId": up["user"]["id"]}, SECRET, -10)
    assert (await b.get("/verify-email", params={"token": expired})).json()[
        "code"
    ] == "TOKEN_EXPIRED"
    foreign = sign_jwt({"email": "v3@example.com"}, "another-secret", 3600)
    assert (await b.get("/verify-email", params={"token": foreign})).json()[
        "code"
    ] == "INVALID_TOKEN"
    ghost = sign_jwt({"email": "ghost@example.com"}, SECRET, 3600)
    assert (await b.get("/verify-email", params={"token": ghost})).json()[
        "code"
    ] == "USER_NOT_FOUND"
    evil = await b.get(
        "/verify-email", params={"token": "abc", "callbackURL": "https://evil.example"}
    )
    assert evil.status_code == 403


async def test_mail_endpoints_without_a_sender(make_auth: AuthFactory) -> None:
    auth = await make_auth(mail_sender=None)
    async with browsers_for(auth) as browser:
        b = browser()
        reset = await b.post("/request-password-reset", {"email": "a@example.com"})
        assert reset.json() == {
            "message": "Reset password isn't enabled",
            "code": "RESET_PASSWORD_DISABLED",
        }
        verify = await b.post("/send-verification-email", {"email": "a@example.com"})
        assert verify.json()["code"] == "VERIFICATION_EMAIL_NOT_ENABLED"


async def test_expired_rows_are_swept(
    browser: Callable[..., Browser], database: Database, auth: Auth
) -> None:
    b = browser()
    up = await b.sign_up("sweep@example.com")
    await database.execute("UPDATE session SET \"expiresAt\" = now() - interval '1 day'")
    last = auth.core.sessions._last_cleanup
    assert last is not None  # the sign-up scheduled a sweep
    auth.core.sessions._last_cleanup = last - timedelta(hours=2)
    await browser().post(
        "/sign-in/email", {"email": "sweep@example.com", "password": "correct horse battery"}
    )
    await auth.core.sessions.close()
    assert (
        await database.fetchval("SELECT count(*) FROM session WHERE token = $1", up["token"]) == 0
    )
