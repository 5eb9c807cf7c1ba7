"""Social sign-in and linking against a local fake identity provider over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from auth_helpers import BASE_URL, SECRET, Browser, app_for
from fake_idp import FakeIdP, Grant, RsaKey, ServedIdP
from tandem.auth import Auth, cookies, github, oidc
from tandem.db.database import Database

IDP_PORT = 18230
CALLBACK = f"{BASE_URL}/api/auth/callback/idp"
ALICE = {
    "sub": "4242",
    "email": "Alice@Example.com",
    "email_verified": True,
    "name": "Alice",
    "picture": "https://img/a.png",
}


@pytest.fixture(scope="session")
def rsa_key() -> RsaKey:
    return RsaKey.generate()


@pytest.fixture
async def idp(rsa_key: RsaKey) -> AsyncIterator[FakeIdP]:
    fake = FakeIdP(
        port=IDP_PORT,
        key=rsa_key,
        redirect_uris={CALLBACK, f"{BASE_URL}/api/auth/callback/github"},
        next_claims=dict(ALICE),
    )
    async with ServedIdP(fake) as served:
        yield served


@pytest.fixture
async def social(
    make_auth: Callable[..., Any], idp: FakeIdP
) -> AsyncIterator[tuple[Auth, Callable[..., Browser]]]:
    auth: Auth = await make_auth(
        social_providers=(
            oidc(
                "idp",
                idp.client_id,
                idp.client_secret,
                discovery_url=f"{idp.issuer}/.well-known/openid-configuration",
            ),
            github(idp.client_id, idp.client_secret, api_base=idp.issuer, web_base=idp.issuer),
        )
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app_for(auth)), base_url=BASE_URL
    ) as client:
        yield auth, lambda headers=None: Browser(client, auth, headers)


async def start(b: Browser, provider: str = "idp", **extra: Any) -> str:
    response = await b.post("/sign-in/social", {"provider": provider, **extra})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["redirect"] is True and response.headers["location"] == body["url"]
    return str(body["url"])


async def consent(url: str) -> str:
    """The browser at the provider: it answers with a redirect to our callback."""
    async with httpx.AsyncClient() as c:
        response = await c.get(url)
    assert response.status_code == 302, response.text
    return response.headers["location"]


async def back(b: Browser, location: str) -> httpx.Response:
    assert location.startswith(BASE_URL + "/api/auth/")
    return await b.get(location[len(BASE_URL) + len("/api/auth") :])


async def test_oidc_sign_in_creates_then_finds_the_user(
    social: Any, idp: FakeIdP, database: Database
) -> None:
    _auth, browser = social
    b = browser()
    url = await start(b, callbackURL="/dashboard", newUserCallbackURL="/welcome")
    params = parse_qs(urlsplit(url).query)
    assert url.startswith(f"{idp.issuer}/authorize?")
    assert params["redirect_uri"] == [CALLBACK] and params["code_challenge_method"] == ["S256"]
    assert (
        params["scope"] == ["openid email profile"]
        and len(params["state"][0]) == 32
        and params["nonce"]
    )
    state_cookie = b.jar["better-auth.state"]
    assert cookies.unsign(state_cookie, SECRET) == params["state"][0]
    landed = await back(b, await consent(url))
    assert landed.status_code == 302 and landed.headers["location"] == "/welcome"
    assert "better-auth.state" not in b.jar
    assert idp.token_requests[-1]["client_secret"] == idp.client_secret
    session = (await b.get("/get-session")).json()
    assert (
        session["user"]["email"] == "alice@example.com" and session["user"]["emailVerified"] is True
    )
    assert session["user"]["name"] == "Alice" and session["user"]["image"] == "https://img/a.png"
    [account] = (await b.get("/list-accounts")).json()
    assert account["providerId"] == "idp" and account["accountId"] == "4242"
    assert account["scopes"] == ["openid", "email", "profile"]
    row = await database.fetchrow(
        'SELECT "accessToken", "idToken", "accessTokenExpiresAt" FROM account WHERE id = $1',
        account["id"],
    )
    assert row is not None and row["accessToken"] and row["idToken"] and row["accessTokenExpiresAt"]

    again = browser()
    landed = await back(
        again,
        await consent(await start(again, callbackURL="/dashboard", newUserCallbackURL="/welcome")),
    )
    assert landed.headers["location"] == "/dashboard"
    assert (await again.get("/get-session")).json()["user"]["id"] == session["user"]["id"]
    assert await database.fetchval('SELECT count(*) FROM "user"') == 1


async def test_state_is_bound_to_the_browser_and_single_use(social: Any, idp: FakeIdP) -> None:
    _, browser = social
    b = browser()
    location = await consent(await start(b, callbackURL="/d"))
    thief = browser()
    stolen = await back(thief, location)
    assert stolen.status_code == 302 and stolen.headers[
        "location"
    ] == "/api/auth/error?error=state_mismatch".replace("/api/auth", BASE_URL + "/api/auth")
    ok = await back(b, location)  # the row survived the forged attempt
    assert ok.headers["location"] == "/d"
    replay = await back(b, location)
    assert "error=state_mismatch" in replay.headers["location"]
    no_state = await b.get("/callback/idp?code=x")
    assert no_state.headers["location"].endswith("/api/auth/error?error=state_not_found")


async def test_provider_errors_and_bad_codes(social: Any, idp: FakeIdP) -> None:
    _, browser = social
    b = browser()
    url = await start(b, callbackURL="/d", errorCallbackURL="/oops")
    state = parse_qs(urlsplit(url).query)["state"][0]
    denied = await b.get(
        "/callback/idp",
        params={"state": state, "error": "access_denied", "error_description": "no"},
    )
    assert denied.headers["location"] == "/oops?error=access_denied&error_description=no"
    url = await start(b, callbackURL="/d", errorCallbackURL="/oops")
    state = parse_qs(urlsplit(url).query)["state"][0]
    bad_code = await b.get("/callback/idp", params={"state": state, "code": "made-up"})
    assert bad_code.headers["location"] == "/oops?error=invalid_code"


@pytest.mark.parametrize(
    ("overrides", "alg", "error"),
    [
        ({"aud": "someone-else"}, "RS256", "unable_to_get_user_info"),
        ({"nonce": "wrong"}, "RS256", "unable_to_get_user_info"),
        ({"exp": 1}, "RS256", "unable_to_get_user_info"),
        ({"iss": "http://evil.example"}, "RS256", "issuer_mismatch"),
        ({}, "HS256", None),
    ],
)
async def test_id_token_checks(
    social: Any, idp: FakeIdP, overrides: dict[str, Any], alg: str, error: str | None
) -> None:
    _, browser = social
    idp.id_token_overrides = overrides
    idp.id_token_alg = alg
    b = browser()
    landed = await back(
        b, await consent(await start(b, callbackURL="/d", errorCallbackURL="/oops"))
    )
    assert landed.headers["location"] == (f"/oops?error={error}" if error else "/d")


async def test_rs256_signatures_are_checked_against_the_jwks(social: Any, idp: FakeIdP) -> None:
    _, browser = social
    b = browser()
    assert (await back(b, await consent(await start(b, callbackURL="/d")))).headers[
        "location"
    ] == "/d"
    forger = RsaKey.generate(1024)
    forger.kid = idp.key.kid  # claims the genuine key id
    idp.forger = forger
    forged = await back(
        b, await consent(await start(b, callbackURL="/d", errorCallbackURL="/oops"))
    )
    assert forged.headers["location"] == "/oops?error=unable_to_get_user_info"
    idp.forger = None
    idp.key = RsaKey.generate(1024)  # the issuer rotates its key: the cached JWKS is refetched
    rotated = await back(b, await consent(await start(b, callbackURL="/d")))
    assert rotated.headers["location"] == "/d"


async def test_implicit_linking_rules(social: Any, idp: FakeIdP, database: Database) -> None:
    _, browser = social
    local = browser()
    up = await local.sign_up("alice@example.com")
    b = browser()
    refused = await back(
        b, await consent(await start(b, callbackURL="/d", errorCallbackURL="/oops"))
    )
    assert (
        refused.headers["location"] == "/oops?error=account_not_linked"
    )  # local address not verified
    await database.execute('UPDATE "user" SET "emailVerified" = true')
    linked = await back(b, await consent(await start(b, callbackURL="/d")))
    assert linked.headers["location"] == "/d"
    assert (await b.get("/get-session")).json()["user"]["id"] == up["user"]["id"]
    providers = sorted(a["providerId"] for a in (await local.get("/list-accounts")).json())
    assert providers == ["credential", "idp"]


async def test_github_flow(social: Any, idp: FakeIdP) -> None:
    _, browser = social
    idp.next_claims = {
        "sub": "77",
        "email": "octo@example.com",
        "email_verified": True,
        "login": "octocat",
    }
    b = browser()
    url = await start(b, provider="github", callbackURL="/gh")
    assert url.startswith(f"{idp.issuer}/login/oauth/authorize?") and "nonce" not in url
    landed = await back(b, await consent(url))
    assert landed.headers["location"] == "/gh"
    user = (await b.get("/get-session")).json()["user"]
    assert (
        user["email"] == "octo@example.com"
        and user["name"] == "octocat"
        and user["emailVerified"] is True
    )


async def test_link_social_and_unlink(social: Any, idp: FakeIdP) -> None:
    _, browser = social
    b = browser()
    await b.sign_up("alice@example.com")
    response = await b.post("/link-social", {"provider": "idp", "callbackURL": "/settings"})
    assert response.status_code == 200
    landed = await back(b, await consent(response.json()["url"]))
    assert landed.headers["location"] == "/settings"
    accounts = (await b.get("/list-accounts")).json()
    assert sorted(a["providerId"] for a in accounts) == ["credential", "idp"]
    credential = next(a for a in accounts if a["providerId"] == "credential")
    assert (await b.post("/unlink-account", {"accountId": "nope"})).json()[
        "code"
    ] == "ACCOUNT_NOT_FOUND"
    assert (await b.post("/unlink-account", {"accountId": credential["id"]})).json() == {
        "status": True
    }
    last = await b.post(
        "/unlink-account",
        {
            "accountId": accounts[0]["id"]
            if accounts[0]["providerId"] == "idp"
            else accounts[1]["id"]
        },
    )
    assert last.json()["code"] == "FAILED_TO_UNLINK_LAST_ACCOUNT"

    other = browser()
    await other.sign_up("bob@example.com")
    response = await other.post(
        "/link-social", {"provider": "idp", "callbackURL": "/settings", "errorCallbackURL": "/oops"}
    )
    landed = await back(other, await consent(response.json()["url"]))
    assert landed.headers["location"] == "/oops?error=email_does_not_match"


async def test_start_errors(social: Any) -> None:
    _, browser = social
    b = browser()
    unknown = await b.post("/sign-in/social", {"provider": "myspace"})
    assert unknown.status_code == 404 and unknown.json() == {
        "message": "Provider not found",
        "code": "PROVIDER_NOT_FOUND",
    }
    evil = await b.post(
        "/sign-in/social", {"provider": "idp", "callbackURL": "https://evil.example"}
    )
    assert evil.status_code == 403 and evil.json()["code"] == "INVALID_CALLBACK_URL"
    evil_error = await b.post(
        "/sign-in/social", {"provider": "idp", "errorCallbackURL": "//evil.example"}
    )
    assert evil_error.json()["code"] == "INVALID_ERROR_CALLBACK_URL"
    quiet = await b.post("/sign-in/social", {"provider": "idp", "disableRedirect": True})
    assert quiet.json()["redirect"] is False and "location" not in quiet.headers
    assert (await b.post("/link-social", {"provider": "idp"})).status_code == 401
    assert social[0].public_config() == {
        "emailAndPassword": True,
        "socialProviders": ["idp", "github"],
    }
    posted = await b.post("/callback/idp", {"state": "s", "code": "c"})
    assert (
        posted.status_code == 302
        and posted.headers["location"] == f"{BASE_URL}/api/auth/callback/idp?state=s&code=c"
    )


async def test_id_token_sign_in_and_link(social: Any, idp: FakeIdP, database: Database) -> None:
    _, browser = social
    grant = Grant(
        client_id=idp.client_id,
        redirect_uri=CALLBACK,
        challenge="",
        nonce="n-1",
        scope="openid",
        claims=dict(ALICE),
    )
    token = idp.id_token(grant)
    b = browser()
    signed = await b.post(
        "/sign-in/social", {"provider": "idp", "idToken": {"token": token, "nonce": "n-1"}}
    )
    assert signed.status_code == 200, signed.text
    body = signed.json()
    assert body["redirect"] is False and body["user"]["email"] == "alice@example.com"
    assert (await b.get("/get-session")).json()["session"]["token"] == body["token"]
    wrong_nonce = await b.post(
        "/sign-in/social", {"provider": "idp", "idToken": {"token": token, "nonce": "x"}}
    )
    assert wrong_nonce.status_code == 401 and wrong_nonce.json()["code"] == "INVALID_TOKEN"
    forged = await b.post(
        "/sign-in/social", {"provider": "idp", "idToken": {"token": token[:-4] + "AAAA"}}
    )
    assert forged.json()["code"] == "INVALID_TOKEN"
    github_style = await b.post(
        "/sign-in/social", {"provider": "github", "idToken": {"token": token}}
    )
    assert (
        github_style.status_code == 404 and github_style.json()["code"] == "ID_TOKEN_NOT_SUPPORTED"
    )

    bob = browser()
    await bob.sign_up("bob@example.com")
    taken = await bob.post("/link-social", {"provider": "idp", "idToken": {"token": token}})
    assert taken.status_code == 401  # Alice's address is not Bob's
    assert taken.json()["code"] == "LINKING_DIFFERENT_EMAILS_NOT_ALLOWED"
    bob_token = idp.id_token(
        Grant(
            idp.client_id,
            CALLBACK,
            "",
            None,
            "openid",
            {**ALICE, "sub": "99", "email": "bob@example.com"},
        )
    )
    linked = await bob.post("/link-social", {"provider": "idp", "idToken": {"token": bob_token}})
    assert linked.json() == {"url": "", "status": True, "redirect": False}
    assert await database.fetchval('SELECT count(*) FROM account WHERE "accountId" = $1', "99") == 1
