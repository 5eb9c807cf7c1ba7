"""ID-token signature checks: RS256 against the issuer's JWKS (pure Python, PKCS#1 v1.5) and HS256."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import orjson

from tandem.auth.tokens import b64url_decode

# DER prefix of a SHA-256 DigestInfo (RFC 8017 §9.2, note 1)
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


class IdTokenError(ValueError):
    pass


def split_jwt(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    """(header, payload, signing input, signature); raises IdTokenError when malformed."""
    parts = token.split(".")
    if len(parts) != 3:
        raise IdTokenError("malformed token")
    try:
        header = orjson.loads(b64url_decode(parts[0]))
        payload = orjson.loads(b64url_decode(parts[1]))
        signature = b64url_decode(parts[2])
    except ValueError as exc:
        raise IdTokenError("malformed token") from exc
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise IdTokenError("malformed token")
    return header, payload, f"{parts[0]}.{parts[1]}".encode(), signature


def rsa_sha256_verify(jwk: dict[str, Any], signing_input: bytes, signature: bytes) -> bool:
    n = int.from_bytes(b64url_decode(jwk["n"]), "big")
    e = int.from_bytes(b64url_decode(jwk["e"]), "big")
    size = (n.bit_length() + 7) // 8
    if len(signature) != size:
        return False
    s = int.from_bytes(signature, "big")
    if s >= n:
        return False
    encoded = pow(s, e, n).to_bytes(size, "big")
    digest = SHA256_DIGEST_INFO + hashlib.sha256(signing_input).digest()
    expected = b"\x00\x01" + b"\xff" * (size - 3 - len(digest)) + b"\x00" + digest
    return hmac.compare_digest(encoded, expected)


def verify_signature(
    token: str, *, keys: list[dict[str, Any]], client_secret: str
) -> dict[str, Any]:
    """The payload of a correctly signed token (RS256 with a matching JWK, or HS256 with the secret)."""
    header, payload, signing_input, signature = split_jwt(token)
    alg = header.get("alg")
    if alg == "HS256":
        expected = hmac.new(client_secret.encode(), signing_input, hashlib.sha256).digest()
        if not hmac.compare_digest(expected, signature):
            raise IdTokenError("bad signature")
        return payload
    if alg != "RS256":
        raise IdTokenError(f"unsupported alg {alg!r}")
    kid = header.get("kid")
    candidates = [k for k in keys if k.get("kty") == "RSA" and (kid is None or k.get("kid") == kid)]
    if not any(rsa_sha256_verify(k, signing_input, signature) for k in candidates):
        raise IdTokenError("bad signature")
    return payload
