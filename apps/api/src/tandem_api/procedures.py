"""The app's procedure builders: public, and protected (a signed-in user is required)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from tandem.trpc import Next, TRPCError, procedure


class SessionUser(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def email(self) -> str: ...


class Session(Protocol):
    @property
    def user(self) -> SessionUser: ...


class SessionContext(Protocol):
    """What the app's tRPC context must offer: the request's session, resolved lazily."""

    async def get_session(self) -> Session | None: ...


C = TypeVar("C", bound=SessionContext)


@dataclass(frozen=True, slots=True)
class SignedIn(Generic[C]):
    """The context protected procedures get: the app context plus the session."""

    context: C
    session: Session

    @property
    def user(self) -> SessionUser:
        return self.session.user


async def require_session(ctx: SessionContext, call_next: Next) -> Any:
    session = await ctx.get_session()
    if session is None:
        raise TRPCError("UNAUTHORIZED")
    return await call_next(SignedIn(ctx, session))


public_procedure = procedure
protected_procedure = procedure.use(require_session)
