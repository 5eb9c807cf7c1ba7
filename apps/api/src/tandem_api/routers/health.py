"""`health.ping`: a public liveness check that touches nothing."""

from __future__ import annotations

from typing import Literal

from tandem.trpc import router
from typing_extensions import TypedDict

from tandem_api.procedures import public_procedure


class Pong(TypedDict):
    pong: Literal[True]


@public_procedure.query
async def ping(ctx: object) -> Pong:
    """Answers `{pong: true}`."""
    return {"pong": True}


health_router = router(ping=ping)
