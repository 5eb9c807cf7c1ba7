"""Origin/CSRF checks, redirect-target validation and the PostgreSQL-backed rate limiter."""

from __future__ import annotations

from collections.abc import Callable

from auth_helpers import BASE_URL, AuthFactory, Browser, browsers_for


async def test_cookie_bearing_posts_need_a_trusted_origin(browser: Callable[..., Browser]) -> None:
    b = browser()
    await b.sign_up("o1@example.com")
    cases = [
        ({"origin": "https://evil.example"}, 403, "INVALID_ORIGIN"),
        ({"origin": None}, 403, "MISSING_OR_NULL_ORIGIN"),
        ({"origin": "null"}, 403, "MISSING_OR_NULL_ORIGIN"),
        ({"origin": None, "referer": "https://evil.example/page"}, 403, "INVALID_ORIGIN"),
    ]
    for headers, status, code in cases:
        response = await b.post("/update-user", {"name": "pwned"}, headers=headers)
        assert (response.status_code, response.json()["code"]) == (status, code), headers
        out = await b.post("/sign-out", {}, headers=headers)
        assert out.status_code == 403
    assert (await b.get("/get-session")).json()["user"]["name"] == "Ada"
    referer = await b.post(
        "/update-user", {"name": "ok"}, headers={"origin": None, "referer": f"{BASE_URL}/settings"}
    )
    assert referer.status_code == 200
    same_origin_null = await b.post(
        "/update-user", {"name": "ok2"}, headers={"origin": "null", "sec-fetch-site": "same-origin"}
    )
    assert same_origin_null.status_code == 200
    get_is_free = await b.get("/get-session", headers={"origin": "https://evil.example"})
    assert get_is_free.json() is not None


async def test_sign_in_and_sign_up_form_csrf(browser: Callable[..., Browser]) -> None:
    await browser().sign_up("o2@example.com")
    body = {"email": "o2@example.com", "password": "correct horse battery"}
    foreign = await browser({"origin": "https://evil.example"}).post("/sign-in/email", body)
    assert foreign.status_code == 403 and foreign.json()["code"] == "INVALID_ORIGIN"
    navigation = await browser(
        {"origin": None, "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate"}
    ).post("/sign-in/email", body)
    assert navigation.json()["code"] == "CROSS_SITE_NAVIGATION_LOGIN_BLOCKED"
    fetch_without_origin = await browser({"origin": None, "sec-fetch-mode": "cors"}).post(
        "/sign-in/email", body
    )
    assert fetch_without_origin.json()["code"] == "MISSING_OR_NULL_ORIGIN"
    server_to_server = await browser({"origin": None}).post("/sign-in/email", body)
    assert server_to_server.status_code == 200
    signup = await browser({"origin": "https://evil.example"}).post(
        "/sign-up/email", {"email": "o3@example.com", "password": "12345678", "name": "x"}
    )
    assert signup.status_code == 403
    # other cookie-less POSTs are not origin-checked
    reset = await browser({"origin": "https://evil.example"}).post(
        "/request-password-reset", {"email": "o2@example.com"}
    )
    assert reset.status_code == 200


async def test_redirect_targets(browser: Callable[..., Browser]) -> None:
    await browser().sign_up("o4@example.com")
    b = browser()
    body = {"email": "o4@example.com", "password": "correct horse battery"}
    for target, ok in [
        ("/dash", True),
        (f"{BASE_URL}/dash", True),
        ("//evil.example", False),
        ("https://evil.example/", False),
        ("/\\evil.example", False),
        ("javascript:alert(1)", False),
    ]:
        response = await b.post("/sign-in/email", {**body, "callbackURL": target})
        if ok:
            assert response.status_code == 200, target
        else:
            assert response.json() == {
                "message": "Invalid callbackURL",
                "code": "INVALID_CALLBACK_URL",
            }, target
    not_string = await b.post("/sign-in/email", {**body, "callbackURL": 5})
    assert not_string.status_code == 400 and not_string.json() == {
        "message": "Invalid callbackURL: expected a string"
    }


async def test_trusted_origins_config(make_auth: AuthFactory) -> None:
    auth = await make_auth(trusted_origins=("http://localhost:5173",))
    async with browsers_for(auth) as browser:
        b = browser({"origin": "http://localhost:5173"})
        await b.sign_up("o5@example.com")
        assert (await b.post("/update-user", {"name": "spa"})).status_code == 200
        ok = await b.post(
            "/sign-in/email",
            {
                "email": "o5@example.com",
                "password": "correct horse battery",
                "callbackURL": "http://localhost:5173/x",
            },
        )
        assert ok.status_code == 200


async def test_rate_limiter_is_shared_through_the_database(
    make_auth: AuthFactory,
) -> None:
    first = await make_auth(rate_limit=True)
    second = await make_auth(rate_limit=True)
    async with browsers_for(first) as on_first, browsers_for(second) as on_second:
        a = on_first({"x-forwarded-for": "198.18.1.1"})
        b = on_second({"x-forwarded-for": "198.18.1.1"})
        body = {"email": "rl@example.com", "password": "wrong password"}
        statuses = [(await x.post("/sign-in/email", body)).status_code for x in (a, b, a)]
        assert statuses == [401, 401, 401]
        limited = await b.post("/sign-in/email", body)
        assert limited.status_code == 429
        assert limited.json() == {"message": "Too many requests. Please try again later."}
        assert 1 <= int(limited.headers["x-retry-after"]) <= 10
        other_ip = on_first({"x-forwarded-for": "198.18.1.2"})
        assert (await other_ip.post("/sign-in/email", body)).status_code == 401
        assert (await a.get("/ok")).status_code == 200  # other paths count apart
        two_hops = on_first({"x-forwarded-for": "198.18.1.3, 10.0.0.1"})
        no_ip = on_first({"x-forwarded-for": None})
        assert [
            (await x.post("/sign-in/email", body)).status_code for x in (two_hops, no_ip, two_hops)
        ] == [401] * 3
        assert (await no_ip.post("/sign-in/email", body)).status_code == 429  # one shared bucket
        unknown = await a.get("/does-not-exist")
        assert unknown.status_code == 404


async def test_rate_limit_window_restarts_from_the_last_allowed_request(
    make_auth: AuthFactory,
) -> None:
    from tandem.auth.rate_limit import RateLimiter, Rule

    auth = await make_auth(rate_limit=True)
    limiter = auth.core.limiter
    assert isinstance(limiter, RateLimiter)
    assert [await limiter.hit("198.18.2.1", "/sign-in/email") for _ in range(3)] == [
        None,
        None,
        None,
    ]
    assert await limiter.hit("198.18.2.1", "/sign-in/email") is not None
    await limiter.db.execute('UPDATE "rateLimit" SET "lastRequest" = "lastRequest" - 10000')
    assert await limiter.hit("198.18.2.1", "/sign-in/email") is None
    assert limiter.default == Rule(10, 100)


async def test_idle_rate_limit_rows_are_swept(make_auth: AuthFactory) -> None:
    from tandem.auth.rate_limit import RateLimiter

    auth = await make_auth(rate_limit=True)
    limiter = auth.core.limiter
    assert isinstance(limiter, RateLimiter)
    await limiter.hit("198.18.3.1", "/ok")
    await limiter.close()
    await limiter.db.execute('UPDATE "rateLimit" SET "lastRequest" = 0')
    limiter._last_sweep = 0
    await limiter.hit("198.18.3.2", "/ok")
    await limiter.close()
    keys = [r["key"] for r in await limiter.db.fetch('SELECT key FROM "rateLimit"')]
    assert keys == ["198.18.3.2|/ok"]
