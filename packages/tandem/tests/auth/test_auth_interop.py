"""Interop with the real `better-auth` 1.7.25 package (run with node from the conformance kit)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from tandem.auth import cookies
from tandem.auth.passwords import hash_password, verify_password
from tandem.auth.tokens import sign_jwt, verify_jwt

KIT = Path("/work/shared/conformance")
SECRET = "tandem-interop-secret-0123456789abcdefghijkl"
PASSWORDS = ["correct horse battery staple", "Pässwörd-ﬁ①", "😀😀😀😀"]

pytestmark = pytest.mark.skipif(
    not (KIT / "node_modules" / "better-auth").is_dir() or shutil.which("node") is None,
    reason="needs node and the conformance kit's node_modules (better-auth 1.7.25)",
)


def node(script: str, payload: Any) -> Any:
    """Run an ES module snippet with better-auth importable; `input` holds the payload, print JSON."""
    program = f"import * as crypto from 'better-auth/crypto';\nconst input = {json.dumps(payload)};\n{script}"
    result = subprocess.run(
        ["node", "--input-type=module", "-e", program],
        cwd=KIT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


async def test_better_auth_hashes_verify_in_python() -> None:
    hashes = node(
        "const out = []; for (const p of input) out.push(await crypto.hashPassword(p));"
        "console.log(JSON.stringify(out));",
        PASSWORDS,
    )
    for password, stored in zip(PASSWORDS, hashes, strict=True):
        assert await verify_password(stored, password)
        assert not await verify_password(stored, password + "x")


async def test_python_hashes_verify_in_better_auth() -> None:
    pairs = [[p, await hash_password(p)] for p in PASSWORDS]
    results = node(
        "const out = []; for (const [p, h] of input) {"
        " out.push([await crypto.verifyPassword({hash: h, password: p}),"
        "           await crypto.verifyPassword({hash: h, password: p + 'x'})]); }"
        "console.log(JSON.stringify(out));",
        pairs,
    )
    assert results == [[True, False]] * len(PASSWORDS)
    nfkc = node(
        "console.log(JSON.stringify(await crypto.verifyPassword({hash: input, password: 'Pässwörd-fi1'})));",
        pairs[1][1],
    )
    assert nfkc is True


def test_cookie_signatures_match_better_auth() -> None:
    token = "zkCqP4AQuyEkcVhHkyHeVeqFVlxcQaRO"
    signature = node(
        "console.log(JSON.stringify(await crypto.makeSignature(input.token, input.secret)));",
        {"token": token, "secret": SECRET},
    )
    cookie_value = node(
        "const { createHmac } = await import('node:crypto');"
        "const sig = createHmac('sha256', input.secret).update(input.token).digest('base64');"
        "console.log(JSON.stringify(encodeURIComponent(`${input.token}.${sig}`)));",
        {"token": token, "secret": SECRET},
    )
    assert signature == cookies.signature(token, SECRET)
    assert cookies.unsign(cookie_value, SECRET) == token
    assert cookies.sign(token, SECRET) == cookie_value


def test_verification_jwts_cross_verify() -> None:
    theirs = node(
        "console.log(JSON.stringify(await crypto.signJWT({email: 'a@example.com', userId: 'u1'}, input, 3600)));",
        SECRET,
    )
    payload = verify_jwt(theirs, SECRET)
    assert payload["email"] == "a@example.com" and payload["exp"] - payload["iat"] == 3600
    ours = sign_jwt({"email": "a@example.com", "userId": "u1"}, SECRET, 3600)
    assert ours.split(".")[0] == theirs.split(".")[0]  # header exactly {"alg":"HS256"}
    decoded = node(
        "const { jwtVerify } = await import('jose');"
        "const { payload } = await jwtVerify(input.token, new TextEncoder().encode(input.secret));"
        "console.log(JSON.stringify(payload));",
        {"token": ours, "secret": SECRET},
    )
    assert decoded["email"] == "a@example.com" and decoded["userId"] == "u1"
