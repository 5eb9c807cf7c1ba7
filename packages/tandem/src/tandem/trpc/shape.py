"""Error shapes (the `error` member of an envelope) and the error-formatter hook."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from tandem.trpc.errors import TRPCError
from tandem.trpc.validation import InputValidationError

logger = logging.getLogger("tandem.trpc")

ErrorFormatter = Callable[[dict[str, Any], TRPCError], dict[str, Any]]
"""Gets the default shape and the error, returns the shape to send."""

INTERNAL_MESSAGE = "Internal server error"


def as_trpc_error(exc: BaseException, *, path: str | None, debug: bool) -> TRPCError:
    """Any exception as a TRPCError; unexpected ones are logged and, unless debugging, masked."""
    if isinstance(exc, TRPCError):
        return exc
    logger.error("unexpected error in %s", path or "tRPC request", exc_info=exc)
    return TRPCError("INTERNAL_SERVER_ERROR", str(exc) if debug else INTERNAL_MESSAGE, cause=exc)


def default_shape(error: TRPCError, path: str | None) -> dict[str, Any]:
    """`{message, code, data: {code, httpStatus, path?, zodError}}` (the zod formatter convention)."""
    data: dict[str, Any] = {"code": error.code, "httpStatus": error.http_status}
    if path is not None:
        data["path"] = path
    cause = error.cause
    data["zodError"] = cause.flatten() if isinstance(cause, InputValidationError) else None
    return {"message": error.message, "code": error.rpc_code, "data": data}
