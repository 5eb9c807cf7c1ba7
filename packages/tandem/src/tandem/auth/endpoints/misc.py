"""`GET /ok` and the default OAuth error page `GET /error`."""

from __future__ import annotations

import re
from html import escape

from starlette.responses import HTMLResponse, Response

from tandem.auth.context import RequestContext
from tandem.auth.core import AuthCore
from tandem.auth.http import json_response

SAFE_CODE = re.compile(r"[A-Za-z0-9_'-]+")


async def ok(core: AuthCore, ctx: RequestContext) -> Response:
    return json_response({"ok": True})


async def error_page(core: AuthCore, ctx: RequestContext) -> Response:
    code = ctx.query.get("error") or "UNKNOWN"
    if not SAFE_CODE.fullmatch(code):
        code = "UNKNOWN"
    description = escape(ctx.query.get("error_description") or "")
    return HTMLResponse(
        "<!doctype html><html><head><title>Sign-in error</title></head><body>"
        f"<h1>Something went wrong</h1><p><code>{escape(code)}</code></p><p>{description}</p>"
        "</body></html>"
    )
