"""The tRPC context: where the app meets auth. The session is looked up lazily, once per HTTP request."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from starlette.requests import Request
from tandem.auth import Auth, SessionWithUser
from tandem.db import Database
from tandem.trpc import ContextRequest, CreateContext


@dataclass(slots=True)
class AppContext:
    request: Request
    database: Database
    auth: Auth
    _session: asyncio.Task[SessionWithUser | None] | None = field(default=None, repr=False)

    async def get_session(self) -> SessionWithUser | None:
        """The signed-in session, or None. Calls of one batch share a single lookup."""
        if self._session is None:
            self._session = asyncio.ensure_future(self.auth.get_session(self.request.headers))
        return await asyncio.shield(self._session)


def context_factory(database: Database, auth: Auth) -> CreateContext:
    async def create_context(incoming: ContextRequest) -> AppContext:
        return AppContext(incoming.request, database, auth)

    return create_context
