"""update-user, change-password, change-email and delete-user."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from auth_helpers import AuthFactory, Browser, Outbox, browsers_for
from tandem.db.database import Database


async def test_update_user(browser: Callable[..., Browser], database: Database) -> None:
    b = browser()
    up = await b.sign_up("u1@example.com")
    response = await b.post(
        "/update-user",
        {
            "name": "Grace",
            "image": "https://img.example/g.png",
            "emailVerified": True,
            "role": "admin",
        },
    )
    assert response.json() == {"status": True}
    assert len(response.headers.get_list("set-cookie")) == 1  # the session cookie, re-sent
    user = (await b.get("/get-session")).json()["user"]
    assert user["name"] == "Grace" and user["image"] == "https://img.example/g.png"
    assert user["emailVerified"] is False and user["updatedAt"] >= up["user"]["updatedAt"]
    cleared = await b.post("/update-user", {"image": None})
    assert cleared.status_code == 200
    email = await b.post("/update-user", {"email": "x@example.com"})
    assert email.status_code == 400 and email.json()["code"] == "EMAIL_CAN_NOT_BE_UPDATED"
    nothing = await b.post("/update-user", {"emailVerified": True})
    assert nothing.status_code == 400 and nothing.json() == {"message": "No fields to update"}
    wrong_type = await b.post("/update-user", {"name": 5})
    assert wrong_type.json()["code"] == "VALIDATION_ERROR"
    not_object = await b.post("/update-user", [1])
    assert not_object.json()["code"] == "BODY_MUST_BE_AN_OBJECT"
    assert (
        await database.fetchval('SELECT name FROM "user" WHERE id = $1', up["user"]["id"])
        == "Grace"
    )


async def test_change_password(browser: Callable[..., Browser]) -> None:
    b = browser()
    up = await b.sign_up("u2@example.com", password="old password 1")
    other = browser()
    await other.post("/sign-in/email", {"email": "u2@example.com", "password": "old password 1"})
    wrong = await b.post(
        "/change-password", {"currentPassword": "nope nope nope", "newPassword": "new password 1"}
    )
    assert wrong.status_code == 400 and wrong.json() == {
        "message": "Invalid password",
        "code": "INVALID_PASSWORD",
    }
    short = await b.post(
        "/change-password", {"currentPassword": "old password 1", "newPassword": "short"}
    )
    assert short.json()["code"] == "PASSWORD_TOO_SHORT"
    kept = await b.post(
        "/change-password", {"currentPassword": "old password 1", "newPassword": "new password 1"}
    )
    assert kept.json()["token"] is None and kept.json()["user"]["id"] == up["user"]["id"]
    assert "set-cookie" not in kept.headers
    assert (await other.get("/get-session")).json() is not None
    revoked = await b.post(
        "/change-password",
        {
            "currentPassword": "new password 1",
            "newPassword": "new password 2",
            "revokeOtherSessions": True,
        },
    )
    token = revoked.json()["token"]
    assert token and token != up["token"]
    assert (await other.get("/get-session")).json() is None
    assert (await b.get("/get-session")).json()["session"]["token"] == token
    old = await browser().post(
        "/sign-in/email", {"email": "u2@example.com", "password": "new password 1"}
    )
    assert old.status_code == 401
    assert (
        await browser().post(
            "/sign-in/email", {"email": "u2@example.com", "password": "new password 2"}
        )
    ).status_code == 200


async def test_change_email_mails_the_new_address_and_applies_on_verify(
    browser: Callable[..., Browser], outbox: Outbox
) -> None:
    b = browser()
    await b.sign_up("u3@example.com")
    await browser().sign_up("taken@example.com")
    same = await b.post("/change-email", {"newEmail": "U3@example.com"})
    assert same.status_code == 400 and same.json() == {"message": "Email is the same"}
    taken = await b.post("/change-email", {"newEmail": "taken@example.com"})
    assert taken.json() == {"status": True} and outbox.to("taken@example.com") == []
    response = await b.post(
        "/change-email", {"newEmail": "New@example.com", "callbackURL": "/settings"}
    )
    assert response.json() == {"status": True}
    [mail] = outbox.to("new@example.com")
    link = next(w for w in mail.text.split() if w.startswith("http"))
    parts = urlsplit(link)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert (await b.get("/get-session")).json()["user"]["email"] == "u3@example.com"
    followed = await b.get("/verify-email", params=query)
    assert followed.status_code == 302 and followed.headers["location"] == "/settings"
    assert (await b.get("/get-session")).json()["user"]["email"] == "new@example.com"


async def test_change_email_applied_at_once_when_configured(
    make_auth: AuthFactory, outbox: Outbox
) -> None:
    auth = await make_auth(update_email_without_verification=True)
    async with browsers_for(auth) as browser:
        b = browser()
        await b.sign_up("u4@example.com")
        response = await b.post("/change-email", {"newEmail": "u4-new@example.com"})
        assert response.json() == {"status": True} and response.headers.get_list("set-cookie")
        assert (await b.get("/get-session")).json()["user"]["email"] == "u4-new@example.com"
        assert [m.subject for m in outbox.to("u4-new@example.com")] == ["Verify your email address"]


async def test_delete_user(browser: Callable[..., Browser], database: Database) -> None:
    b = browser()
    up = await b.sign_up("u5@example.com")
    wrong = await b.post("/delete-user", {"password": "wrong password"})
    assert wrong.status_code == 400 and wrong.json()["code"] == "INVALID_PASSWORD"
    response = await b.post("/delete-user", {"password": "correct horse battery"})
    assert response.json() == {"success": True, "message": "User deleted"}
    assert len(response.headers.get_list("set-cookie")) == 3
    assert (
        await database.fetchval('SELECT count(*) FROM "user" WHERE id = $1', up["user"]["id"]) == 0
    )
    assert (
        await database.fetchval(
            'SELECT count(*) FROM account WHERE "userId" = $1', up["user"]["id"]
        )
        == 0
    )


async def test_delete_user_without_password_needs_a_fresh_session(
    browser: Callable[..., Browser], database: Database
) -> None:
    b = browser()
    up = await b.sign_up("u6@example.com")
    await database.execute(
        'UPDATE session SET "createdAt" = "createdAt" - interval \'2 days\' WHERE token = $1',
        up["token"],
    )
    stale = await b.post("/delete-user", {})
    assert stale.status_code == 400 and stale.json()["code"] == "SESSION_EXPIRED"
    await database.execute('UPDATE session SET "createdAt" = now() WHERE token = $1', up["token"])
    assert (await b.post("/delete-user", {})).json()["success"] is True


async def test_delete_user_can_be_disabled(make_auth: AuthFactory) -> None:
    auth = await make_auth(delete_user_enabled=False)
    async with browsers_for(auth) as browser:
        b = browser()
        await b.sign_up("u7@example.com")
        response = await b.post("/delete-user", {"password": "correct horse battery"})
        assert response.status_code == 404 and response.content == b""


async def test_verify_password(browser: Callable[..., Browser]) -> None:
    b = browser()
    await b.sign_up("u8@example.com")
    assert (await b.post("/verify-password", {"password": "correct horse battery"})).json() == {
        "status": True
    }
    wrong = await b.post("/verify-password", {"password": "nope nope nope"})
    assert wrong.status_code == 400 and wrong.json()["code"] == "INVALID_PASSWORD"
    assert (await browser().post("/verify-password", {"password": "x"})).status_code == 401


def test_config_is_checked() -> None:
    import pytest
    from tandem.auth import AuthConfig

    with pytest.raises(ValueError, match="secret"):
        AuthConfig(secret="", base_url="http://127.0.0.1:3001")
    with pytest.raises(ValueError, match="base_url"):
        AuthConfig(secret="s", base_url="127.0.0.1:3001")
    config = AuthConfig(secret="s", base_url="https://example.com/auth/")
    assert config.auth_url == "https://example.com/auth" and config.mount_path == "/auth"
    assert config.cookie_policy().is_secure
    assert AuthConfig(secret="s", base_url="http://h:1").auth_url == "http://h:1/api/auth"
