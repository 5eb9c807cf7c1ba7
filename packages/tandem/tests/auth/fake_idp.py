"""A faithful local identity provider for tests: OIDC (discovery, RS256/HS256 id_tokens, userinfo, JWKS)
and GitHub-shaped endpoints. It checks what a real provider checks: client credentials, registered
redirect URIs, PKCE S256 verifiers, single-use codes, bearer tokens."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _probable_prime(bits: int) -> int:
    while True:
        candidate = secrets.randbits(bits) | (1 << (bits - 1)) | 1
        if all(candidate % p for p in (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)) and _miller_rabin(
            candidate
        ):
            return candidate


def _miller_rabin(n: int, rounds: int = 24) -> bool:
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    for _ in range(rounds):
        x = pow(secrets.randbelow(n - 3) + 2, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


@dataclass
class RsaKey:
    n: int
    e: int
    d: int
    kid: str

    @classmethod
    def generate(cls, bits: int = 2048) -> RsaKey:
        e = 65537
        while True:
            p, q = _probable_prime(bits // 2), _probable_prime(bits // 2)
            phi = (p - 1) * (q - 1)
            if p != q and phi % e:
                return cls(n=p * q, e=e, d=pow(e, -1, phi), kid=secrets.token_hex(4))

    def sign(self, message: bytes) -> bytes:
        size = (self.n.bit_length() + 7) // 8
        digest = SHA256_DIGEST_INFO + hashlib.sha256(message).digest()
        padded = b"\x00\x01" + b"\xff" * (size - 3 - len(digest)) + b"\x00" + digest
        return pow(int.from_bytes(padded, "big"), self.d, self.n).to_bytes(size, "big")

    def jwk(self) -> dict[str, str]:
        def enc(i: int) -> str:
            return b64url(i.to_bytes((i.bit_length() + 7) // 8, "big"))

        return {
            "kty": "RSA",
            "kid": self.kid,
            "use": "sig",
            "alg": "RS256",
            "n": enc(self.n),
            "e": enc(self.e),
        }


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str | None
    scope: str
    claims: dict[str, Any]
    used: bool = False


@dataclass
class FakeIdP:
    port: int
    client_id: str = "fake-client"
    client_secret: str = "fake-secret"
    redirect_uris: set[str] = field(default_factory=set)
    id_token_alg: str = "RS256"
    key: RsaKey = field(default_factory=RsaKey.generate)
    next_claims: dict[str, Any] = field(default_factory=dict)
    """Who signs in at the next /authorize (sub, email, email_verified, name, picture)."""
    id_token_overrides: dict[str, Any] = field(default_factory=dict)
    forger: RsaKey | None = None
    """When set, id_tokens are signed with this key (under its kid) while the JWKS still publishes `key`."""
    grants: dict[str, Grant] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self.discovery),
                Route("/authorize", self.authorize),
                Route("/token", self.token, methods=["POST"]),
                Route("/userinfo", self.userinfo),
                Route("/jwks", self.jwks),
                Route("/login/oauth/authorize", self.authorize),
                Route("/login/oauth/access_token", self.token, methods=["POST"]),
                Route("/user", self.github_user),
                Route("/user/emails", self.github_emails),
            ]
        )

    async def discovery(self, request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "userinfo_endpoint": f"{self.issuer}/userinfo",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "id_token_signing_alg_values_supported": ["RS256", "HS256"],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    async def authorize(self, request: Request) -> Response:
        q = request.query_params
        problems = []
        if q.get("response_type") != "code":
            problems.append("response_type")
        if q.get("client_id") != self.client_id:
            problems.append("client_id")
        if q.get("redirect_uri") not in self.redirect_uris:
            problems.append("redirect_uri")
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            problems.append("pkce")
        if not q.get("state"):
            problems.append("state")
        if problems:
            return JSONResponse({"error": "invalid_request", "problems": problems}, 400)
        code = secrets.token_urlsafe(16)
        self.grants[code] = Grant(
            client_id=q["client_id"],
            redirect_uri=q["redirect_uri"],
            challenge=q["code_challenge"],
            nonce=q.get("nonce"),
            scope=q.get("scope", ""),
            claims=dict(self.next_claims),
        )
        return RedirectResponse(
            f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}", 302
        )

    async def token(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode()))
        self.token_requests.append(form)
        client_id, secret = form.get("client_id"), form.get("client_secret")
        basic = request.headers.get("authorization", "")
        if basic.startswith("Basic "):
            client_id, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
        if client_id != self.client_id or secret != self.client_secret:
            return JSONResponse({"error": "invalid_client"}, 401)
        grant = self.grants.get(form.get("code", ""))
        if form.get("grant_type") != "authorization_code" or grant is None or grant.used:
            return JSONResponse({"error": "invalid_grant"}, 400)
        grant.used = True
        if form.get("redirect_uri") != grant.redirect_uri:
            return JSONResponse(
                {"error": "invalid_grant", "error_description": "redirect_uri"}, 400
            )
        verifier = form.get("code_verifier", "")
        if b64url(hashlib.sha256(verifier.encode()).digest()) != grant.challenge:
            return JSONResponse({"error": "invalid_grant", "error_description": "pkce"}, 400)
        access = secrets.token_urlsafe(16)
        self.tokens[access] = grant.claims
        body: dict[str, Any] = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": 3600,
            "refresh_token": secrets.token_urlsafe(16),
            "scope": grant.scope,
        }
        if request.url.path == "/token" and "openid" in grant.scope.split():
            body["id_token"] = self.id_token(grant)
        return JSONResponse(body)

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            **grant.claims,
        }
        if grant.nonce:
            claims["nonce"] = grant.nonce
        claims.update(self.id_token_overrides)
        header = {"alg": self.id_token_alg, "typ": "JWT"}
        signer = self.forger or self.key
        if self.id_token_alg == "RS256":
            header["kid"] = signer.kid
        signing_input = (
            f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}".encode()
        )
        if self.id_token_alg == "HS256":
            signature = hmac.new(
                self.client_secret.encode(), signing_input, hashlib.sha256
            ).digest()
        else:
            signature = signer.sign(signing_input)
        return f"{signing_input.decode()}.{b64url(signature)}"

    def _bearer(self, request: Request) -> dict[str, Any] | None:
        auth = request.headers.get("authorization", "")
        return self.tokens.get(auth[7:]) if auth.startswith("Bearer ") else None

    async def userinfo(self, request: Request) -> Response:
        claims = self._bearer(request)
        return (
            JSONResponse(claims)
            if claims is not None
            else JSONResponse({"error": "invalid_token"}, 401)
        )

    async def jwks(self, request: Request) -> Response:
        return JSONResponse({"keys": [self.key.jwk()]})

    async def github_user(self, request: Request) -> Response:
        claims = self._bearer(request)
        if claims is None:
            return JSONResponse({"message": "Bad credentials"}, 401)
        return JSONResponse(
            {
                "id": int(claims["sub"]),
                "login": claims.get("login", "octo"),
                "name": claims.get("name"),
                "email": None,
                "avatar_url": claims.get("picture"),
            }
        )

    async def github_emails(self, request: Request) -> Response:
        claims = self._bearer(request)
        if claims is None:
            return JSONResponse({"message": "Bad credentials"}, 401)
        return JSONResponse(
            [
                {"email": "secondary@example.com", "primary": False, "verified": True},
                {
                    "email": claims["email"],
                    "primary": True,
                    "verified": claims.get("email_verified", False),
                },
            ]
        )


class ServedIdP:
    """Runs a FakeIdP with uvicorn on a real port for the duration of a test."""

    def __init__(self, idp: FakeIdP) -> None:
        self.idp = idp
        self.server = uvicorn.Server(
            uvicorn.Config(idp.app(), host="127.0.0.1", port=idp.port, log_level="warning")
        )
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> FakeIdP:
        self.task = asyncio.get_running_loop().create_task(self.server.serve())
        for _ in range(500):  # uvicorn offers no startup event to wait on
            if self.server.started:
                return self.idp
            await asyncio.sleep(0.01)
        raise RuntimeError("the fake identity provider did not start")

    async def __aexit__(self, *exc: object) -> None:
        self.server.should_exit = True
        if self.task is not None:
            await self.task
