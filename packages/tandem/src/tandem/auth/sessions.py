"""Session cookies and the session lookup shared by get-session, protected endpoints and `get_session`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import datetime, timedelta

from starlette.datastructures import Headers

from tandem.auth import cookies
from tandem.auth.client_ip import client_ip
from tandem.auth.config import DAY, AuthConfig
from tandem.auth.context import RequestContext
from tandem.auth.cookies import DONT_REMEMBER, SESSION_DATA, SESSION_TOKEN, CookiePolicy
from tandem.auth.errors import AuthError, unauthorized
from tandem.auth.http import user_agent
from tandem.auth.ids import new_id
from tandem.auth.models import Session, SessionWithUser, User
from tandem.auth.store import AuthStore
from tandem.auth.timeutil import now

log = logging.getLogger("tandem.auth")
CLEANUP_EVERY = timedelta(hours=1)


class Sessions:
    def __init__(self, config: AuthConfig, store: AuthStore) -> None:
        self.config = config
        self.store = store
        self.policy: CookiePolicy = config.cookie_policy()
        self.expires_in = timedelta(seconds=config.session_expires_in)
        self.update_age = timedelta(seconds=config.session_update_age)
        self._last_cleanup: datetime | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    # --- cookies ----------------------------------------------------------------------------------

    def signed_cookie(self, raw_cookies: Mapping[str, str], name: str) -> str | None:
        raw = raw_cookies.get(self.policy.name(name))
        return cookies.unsign(raw, self.config.secret) if raw else None

    def issue(self, ctx: RequestContext, token: str, *, dont_remember: bool) -> None:
        """Set the session cookie; a browser-session cookie (plus `dont_remember`) for rememberMe=false."""
        value = cookies.sign(token, self.config.secret)
        if dont_remember:
            ctx.set_cookies.append(self.policy.set(SESSION_TOKEN, value, None))
            ctx.set_cookies.append(
                self.policy.set(DONT_REMEMBER, cookies.sign("true", self.config.secret), None)
            )
        else:
            ctx.set_cookies.append(
                self.policy.set(SESSION_TOKEN, value, self.config.session_expires_in)
            )
            if self.policy.name(DONT_REMEMBER) in ctx.cookies:
                ctx.set_cookies.append(self.policy.clear(DONT_REMEMBER))

    def reissue(self, ctx: RequestContext, token: str) -> None:
        """Re-send the current session cookie with a fresh Max-Age (none while `dont_remember` holds)."""
        remembered = self.signed_cookie(ctx.cookies, DONT_REMEMBER) != "true"
        age = self.config.session_expires_in if remembered else None
        ctx.set_cookies.append(
            self.policy.set(SESSION_TOKEN, cookies.sign(token, self.config.secret), age)
        )

    def clear(self, ctx: RequestContext) -> None:
        for name in (SESSION_TOKEN, SESSION_DATA, DONT_REMEMBER):
            ctx.set_cookies.append(self.policy.clear(name))

    # --- lifecycle --------------------------------------------------------------------------------

    async def create(self, ctx: RequestContext, user: User, *, remember_me: bool = True) -> Session:
        at = now()
        expires = at + (self.expires_in if remember_me else timedelta(seconds=DAY))
        session = await self.store.create_session(
            user_id=user.id,
            token=new_id(),
            expires_at=expires,
            at=at,
            ip_address=client_ip(ctx.headers, self.config.client_ip_header) or "",
            user_agent=user_agent(ctx.headers),
        )
        self.issue(ctx, session.token, dont_remember=not remember_me)
        self._maybe_cleanup(at)
        return session

    def _maybe_cleanup(self, at: datetime) -> None:
        """Expired sessions and verification rows are swept at most once an hour, off the request."""
        if self._last_cleanup is not None and at - self._last_cleanup < CLEANUP_EVERY:
            return
        self._last_cleanup = at
        task = asyncio.get_running_loop().create_task(self._cleanup(at))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _cleanup(self, at: datetime) -> None:
        try:
            await self.store.delete_expired(at)
        except Exception:
            log.exception("sweeping expired sessions failed")

    async def close(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # --- lookup -----------------------------------------------------------------------------------

    async def lookup(
        self,
        raw_cookies: Mapping[str, str],
        *,
        refresh: bool = True,
        ctx: RequestContext | None = None,
    ) -> SessionWithUser | None:
        """The cookie's live session. Clears cookies (when `ctx` is given) for an unknown or expired
        token, and extends a session last extended `update_age` ago (re-issuing its cookie)."""
        token = self.signed_cookie(raw_cookies, SESSION_TOKEN)
        if token is None:
            return None
        found = await self.store.session_with_user(token)
        at = now()
        if found is None or found[0].expires_at <= at:
            if found is not None:
                await self.store.delete_session(token)
            if ctx is not None:
                self.clear(ctx)
            return None
        session, user = found
        if refresh and self.signed_cookie(raw_cookies, DONT_REMEMBER) != "true":
            last_extended = session.expires_at - self.expires_in
            if last_extended + self.update_age <= at:
                expires = at + self.expires_in
                if not await self.store.extend_session(session.id, expires, at):
                    if ctx is not None:
                        self.clear(ctx)
                    raise AuthError(401, "FAILED_TO_GET_SESSION", "Failed to get session")
                session = session.extended(expires, at)
                if ctx is not None:
                    self.reissue(ctx, session.token)
        return SessionWithUser(session, user)

    async def require(self, ctx: RequestContext, *, fresh: bool = False) -> SessionWithUser:
        found = await self.lookup(ctx.cookies, ctx=ctx)
        if found is None:
            raise unauthorized()
        fresh_age = timedelta(seconds=self.config.session_fresh_age)
        if fresh and fresh_age and found.session.created_at + fresh_age < now():
            raise AuthError(403, "SESSION_NOT_FRESH", "Session is not fresh")
        return found

    async def from_headers(self, headers: Headers | Mapping[str, str]) -> SessionWithUser | None:
        cookie = headers.get("cookie") or ""
        return await self.lookup(cookies.parse_cookie_header(cookie))
