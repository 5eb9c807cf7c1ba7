"""Serving the built SPA: hashed assets cached forever, `index.html` never, SPA fallback, precompressed files.

Files are read once at startup (the build is immutable while the server runs): a request costs a dict lookup
and never touches the disk from the event loop.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send

from tandem.server.responses import send_json

_HASHED = re.compile(r"[-.][A-Za-z0-9_-]{8,}\.[a-z0-9]+$")
IMMUTABLE = b"public, max-age=31536000, immutable"
NO_CACHE = b"no-cache"
_ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


@dataclass(frozen=True)
class StaticFile:
    path: Path
    content_type: str
    cache_control: bytes
    bodies: dict[str | None, bytes]
    """content encoding ('br', 'gzip', or None for identity) → bytes"""


def _content_type(path: Path) -> str:
    guessed, _ = mimetypes.guess_type(path.name)
    if path.suffix == ".js" or path.suffix == ".mjs":
        guessed = "text/javascript"
    guessed = guessed or "application/octet-stream"
    if guessed.startswith("text/") or guessed in {
        "application/json",
        "image/svg+xml",
        "application/manifest+json",
    }:
        guessed += "; charset=utf-8"
    return guessed


def index_directory(root: Path) -> dict[str, StaticFile]:
    """URL path → file, for every file under `root` (precompressed copies become variants)."""
    files: dict[str, StaticFile] = {}
    if not root.is_dir():
        return files
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix in {".br", ".gz"}:
            continue
        url = "/" + path.relative_to(root).as_posix()
        hashed = url.startswith("/assets/") and bool(_HASHED.search(path.name))
        bodies: dict[str | None, bytes] = {None: path.read_bytes()}
        for encoding, suffix in _ENCODINGS:
            compressed = path.with_name(path.name + suffix)
            if compressed.is_file():
                bodies[encoding] = compressed.read_bytes()
        files[url] = StaticFile(
            path, _content_type(path), IMMUTABLE if hashed else NO_CACHE, bodies
        )
    return files


def _accepts(headers: Headers, encoding: str) -> bool:
    accepted = headers.get("accept-encoding", "")
    return any(part.split(";")[0].strip() == encoding for part in accepted.split(","))


class SpaFiles:
    """ASGI app for everything outside `/api`: files of the build, else `index.html` for HTML navigations."""

    def __init__(self, root: Path, extra_headers: list[tuple[bytes, bytes]] | None = None) -> None:
        self.root = root
        self.files = index_directory(root)
        self.extra_headers = extra_headers or []

    @property
    def index(self) -> StaticFile | None:
        return self.files.get("/index.html")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope["method"]
        headers = Headers(scope=scope)
        path: str = scope["path"]
        found = self.files.get(path) or (
            self.files.get(path + "index.html") if path.endswith("/") else None
        )
        if found is None and method in ("GET", "HEAD") and self._wants_html(headers, path):
            found = self.index
        if found is None or method not in ("GET", "HEAD"):
            await send_json(send, 404, {"error": "Not Found", "path": path})
            return
        await self._send_file(found, headers, method == "HEAD", send)

    @staticmethod
    def _wants_html(headers: Headers, path: str) -> bool:
        accept = headers.get("accept", "")
        last = path.rsplit("/", 1)[-1]
        # A missing asset (`/assets/x.js`) must 404, not return HTML the browser would try to execute.
        return ("text/html" in accept or "*/*" in accept or not accept) and "." not in last

    async def _send_file(
        self, file: StaticFile, headers: Headers, head_only: bool, send: Send
    ) -> None:
        encoding = next(
            (e for e in ("br", "gzip") if e in file.bodies and _accepts(headers, e)), None
        )
        body = file.bodies[encoding]
        response_headers = [
            (b"content-type", file.content_type.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", file.cache_control),
            *self.extra_headers,
        ]
        if len(file.bodies) > 1:
            response_headers.append((b"vary", b"accept-encoding"))
        if encoding:
            response_headers.append((b"content-encoding", encoding.encode()))
        await send({"type": "http.response.start", "status": 200, "headers": response_headers})
        await send({"type": "http.response.body", "body": b"" if head_only else body})
