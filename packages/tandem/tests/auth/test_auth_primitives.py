"""The byte-exact pieces against the spec's test vectors: scrypt, cookie signatures, JWTs, emails, URLs."""

from __future__ import annotations

import time

import pytest
from starlette.datastructures import Headers
from tandem.auth import cookies
from tandem.auth.client_ip import client_ip, rate_limit_subject
from tandem.auth.cookies import CookiePolicy
from tandem.auth.http import is_email
from tandem.auth.origin import OriginPolicy, is_safe_relative_path
from tandem.auth.passwords import (
    InvalidPasswordHash,
    hash_password,
    hash_password_sync,
    utf16_length,
    verify_password,
    verify_password_sync,
)
from tandem.auth.rate_limit import Rule, rule_for
from tandem.auth.timeutil import iso
from tandem.auth.tokens import TokenError, sign_jwt, verify_jwt

EXAMPLE_SECRET = "tandem-example-secret-0123456789abcdefghijklmnopqrstu"


def test_scrypt_vector_from_the_spec() -> None:
    expected = (
        "00112233445566778899aabbccddeeff:73122e887cfc14f91396cdef78dfe4b9dec28d459037601c4904cedba5a637ab"
        "97b39b40c236df5d42881d0109ca8cf0f85e39dbaba2911c190915bd8f30fe85"
    )
    assert hash_password_sync("password123", "00112233445566778899aabbccddeeff") == expected
    assert verify_password_sync(expected, "password123")
    assert not verify_password_sync(expected, "password124")


@pytest.mark.parametrize(
    ("password", "stored"),
    [
        (
            "correct horse battery staple",
            "dcd719c528244134d172177907c8235f:9e1aa30682cbb7c3aa3e904f1b7410387d71bf7e1b3dbc9028ea39011c1a90c542ce22fa27efeab5498ec249a93d839c5a4aae06705b51fd771b130c053fb766",
        ),
        (
            "Pässwörd-ﬁ①",
            "dcc03d9094037434eb2ab6e2a8754320:d483e015f1f0c337fad43f62e1b67fc1fbfa133e3b97ffecefa9f598a3e60f9bfa8cea4038bd4fa429be8532a5d5c9bd7acbd5210c066e15dd884138fdd2b3aa",
        ),
    ],
)
async def test_hashes_made_by_better_auth_verify(password: str, stored: str) -> None:
    assert await verify_password(stored, password)
    assert not await verify_password(stored, password + "x")


async def test_nfkc_normalisation_and_fresh_salts() -> None:
    first, second = await hash_password("Pässwörd-ﬁ①"), await hash_password("Pässwörd-ﬁ①")
    assert first != second and len(first) == 161
    assert await verify_password(first, "Pässwörd-fi1")


def test_malformed_hash_is_an_error() -> None:
    with pytest.raises(InvalidPasswordHash):
        verify_password_sync("no-colon-here", "x")


def test_utf16_length_counts_astral_characters_twice() -> None:
    assert utf16_length("😀" * 4) == 8
    assert utf16_length("abc") == 3


def test_cookie_vectors_from_the_spec() -> None:
    assert (
        cookies.sign("zkCqP4AQuyEkcVhHkyHeVeqFVlxcQaRO", EXAMPLE_SECRET)
        == "zkCqP4AQuyEkcVhHkyHeVeqFVlxcQaRO.6%2BPSgDmVi4bodBHv7ZMuZBmDr9zmAgnGqNiAFtjUolE%3D"
    )
    assert (
        cookies.sign("true", EXAMPLE_SECRET)
        == "true.phlpd%2FnzTUS%2BbNIN8OFbF5zG0x5uiegQLXacXx4QriI%3D"
    )


def test_unsign_rejects_tampering() -> None:
    good = cookies.sign("token123", EXAMPLE_SECRET)
    assert cookies.unsign(good, EXAMPLE_SECRET) == "token123"
    assert cookies.unsign(good.replace("token123", "token124"), EXAMPLE_SECRET) is None
    assert cookies.unsign("token123", EXAMPLE_SECRET) is None
    assert cookies.unsign(good, EXAMPLE_SECRET + "x") is None
    assert cookies.unsign("." + good.split(".", 1)[1], EXAMPLE_SECRET) is None


def test_set_cookie_lines() -> None:
    plain = CookiePolicy()
    assert plain.set("session_token", "v", 604800) == (
        "better-auth.session_token=v; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax"
    )
    assert (
        plain.clear("dont_remember")
        == "better-auth.dont_remember=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"
    )
    secure = CookiePolicy(secure=True)
    assert secure.set("session_token", "v", None) == (
        "__Secure-better-auth.session_token=v; Path=/; HttpOnly; Secure; SameSite=Lax"
    )
    split = CookiePolicy(same_site="None")
    assert split.set("state", "s", 300).endswith("; Secure; SameSite=None")
    assert split.name("state") == "__Secure-better-auth.state"


def test_cookie_header_parsing_keeps_values_encoded() -> None:
    parsed = cookies.parse_cookie_header('a=1; b="x%2By"; a=2; junk')
    assert parsed == {"a": "1", "b": "x%2By"}


def test_jwt_vector_from_the_spec() -> None:
    token = (
        "eyJhbGciOiJIUzI1NiJ9.eyJlbWFpbCI6ImFsaWNlQGV4YW1wbGUuY29tIiwidXNlcklkIjoiV045OTl1cG5teEI5NFEzY2Js"
        "SlhENVFxcXpjNlVQdWgiLCJpYXQiOjE3OTU1NDg3NTcsImV4cCI6MTc5NTU1MjM1N30.SqXBzXQawyK_sUcmf-IpVKUi7Y-N_vZSHeRoN8xv7T8"
    )
    if time.time() < 1795552357:
        assert verify_jwt(token, EXAMPLE_SECRET)["email"] == "alice@example.com"
    else:
        with pytest.raises(TokenError) as caught:
            verify_jwt(token, EXAMPLE_SECRET)
        assert caught.value.expired
    with pytest.raises(TokenError) as forged:
        verify_jwt(token, "another-secret")
    assert not forged.value.expired


def test_jwt_round_trip_and_expiry() -> None:
    token = sign_jwt({"email": "a@example.com", "userId": "u1"}, EXAMPLE_SECRET, 3600)
    payload = verify_jwt(token, EXAMPLE_SECRET)
    assert payload["exp"] - payload["iat"] == 3600
    assert list(payload) == ["email", "userId", "iat", "exp"]
    with pytest.raises(TokenError) as expired:
        verify_jwt(sign_jwt({"email": "a@example.com"}, EXAMPLE_SECRET, -1), EXAMPLE_SECRET)
    assert expired.value.expired
    for bad in ("not.a.jwt", "abc", "", "a.b.c.d"):
        with pytest.raises(TokenError):
            verify_jwt(bad, EXAMPLE_SECRET)


@pytest.mark.parametrize(
    ("email", "valid"),
    [
        ("alice@example.com", True),
        ("Alice.B+tag@sub.example.co", True),
        ("not-an-email", False),
        ("a@b.c", False),
        (".a@example.com", False),
        ("a..b@example.com", False),
        ("a b@example.com", False),
        (" a@example.com", False),
        ("ä@example.com", False),
    ],
)
def test_email_rule(email: str, valid: bool) -> None:
    assert is_email(email) is valid


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/dashboard", True),
        ("/a?b=c#d", True),
        ("//evil.example", False),
        ("/\\evil.example", False),
        ("/a%2Fb", False),
        ("/a\nb", False),
        ("dashboard", False),
        ("https://evil.example/", False),
    ],
)
def test_safe_relative_paths(target: str, safe: bool) -> None:
    assert is_safe_relative_path(target) is safe


def test_trusted_origins_and_patterns() -> None:
    policy = OriginPolicy("http://127.0.0.1:3001", ("https://app.example.com", "*.preview.example"))
    assert policy.is_trusted_origin("http://127.0.0.1:3001")
    assert policy.is_trusted_origin("https://app.example.com")
    assert policy.is_trusted_origin("https://pr-1.preview.example")
    assert not policy.is_trusted_origin("https://evil.example")
    assert policy.is_allowed_redirect("https://app.example.com/x")
    assert not policy.is_allowed_redirect("https://app.example.com.evil.example/x")


def test_client_ip_only_from_a_single_valid_address() -> None:
    def ip(value: str) -> str | None:
        return client_ip(Headers({"x-forwarded-for": value}), "x-forwarded-for")

    assert ip("198.18.0.1") == "198.18.0.1"
    assert ip("198.18.0.1, 10.0.0.1") is None
    assert ip("garbage") is None
    assert ip("::ffff:198.18.0.7") == "198.18.0.7"
    assert client_ip(Headers({}), "x-forwarded-for") is None
    assert rate_limit_subject(None) == "no-trusted-ip"
    assert rate_limit_subject("2001:db8::1") == rate_limit_subject("2001:db8::2") == "2001:db8::/64"


def test_rate_limit_rules() -> None:
    default = Rule(10, 100)
    assert rule_for("/sign-in/email", default) == Rule(10, 3)
    assert rule_for("/change-email", default) == Rule(10, 3)
    assert rule_for("/request-password-reset", default) == Rule(60, 3)
    assert rule_for("/get-session", default) == default


def test_iso_dates_have_milliseconds_and_z() -> None:
    from datetime import UTC, datetime

    assert iso(datetime(2026, 11, 24, 19, 23, 38, 637512, tzinfo=UTC)) == "2026-11-24T19:23:38.637Z"
