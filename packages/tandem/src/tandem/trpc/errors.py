"""tRPC error codes and the exception procedures raise."""

from __future__ import annotations

from typing import Literal

ErrorCode = Literal[
    "PARSE_ERROR",
    "BAD_REQUEST",
    "UNAUTHORIZED",
    "PAYMENT_REQUIRED",
    "FORBIDDEN",
    "NOT_FOUND",
    "METHOD_NOT_SUPPORTED",
    "TIMEOUT",
    "CONFLICT",
    "PRECONDITION_FAILED",
    "PAYLOAD_TOO_LARGE",
    "UNSUPPORTED_MEDIA_TYPE",
    "UNPROCESSABLE_CONTENT",
    "PRECONDITION_REQUIRED",
    "TOO_MANY_REQUESTS",
    "CLIENT_CLOSED_REQUEST",
    "INTERNAL_SERVER_ERROR",
    "NOT_IMPLEMENTED",
    "BAD_GATEWAY",
    "SERVICE_UNAVAILABLE",
    "GATEWAY_TIMEOUT",
]

# data.code -> (JSON-RPC number, HTTP status), as @trpc/server 11 defines them.
ERROR_CODES: dict[str, tuple[int, int]] = {
    "PARSE_ERROR": (-32700, 400),
    "BAD_REQUEST": (-32600, 400),
    "UNAUTHORIZED": (-32001, 401),
    "PAYMENT_REQUIRED": (-32002, 402),
    "FORBIDDEN": (-32003, 403),
    "NOT_FOUND": (-32004, 404),
    "METHOD_NOT_SUPPORTED": (-32005, 405),
    "TIMEOUT": (-32008, 408),
    "CONFLICT": (-32009, 409),
    "PRECONDITION_FAILED": (-32012, 412),
    "PAYLOAD_TOO_LARGE": (-32013, 413),
    "UNSUPPORTED_MEDIA_TYPE": (-32015, 415),
    "UNPROCESSABLE_CONTENT": (-32022, 422),
    "PRECONDITION_REQUIRED": (-32028, 428),
    "TOO_MANY_REQUESTS": (-32029, 429),
    "CLIENT_CLOSED_REQUEST": (-32099, 499),
    "INTERNAL_SERVER_ERROR": (-32603, 500),
    "NOT_IMPLEMENTED": (-32603, 501),
    "BAD_GATEWAY": (-32603, 502),
    "SERVICE_UNAVAILABLE": (-32603, 503),
    "GATEWAY_TIMEOUT": (-32603, 504),
}


class TRPCError(Exception):
    """An error with a tRPC code; its message defaults to the code, as upstream."""

    def __init__(
        self, code: ErrorCode, message: str | None = None, cause: BaseException | None = None
    ) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown tRPC error code {code!r}")
        super().__init__(message or code)
        self.code: ErrorCode = code
        self.message: str = message or code
        self.cause = cause
        if cause is not None:
            self.__cause__ = cause

    @property
    def http_status(self) -> int:
        return ERROR_CODES[self.code][1]

    @property
    def rpc_code(self) -> int:
        return ERROR_CODES[self.code][0]

    def __repr__(self) -> str:
        return f"TRPCError({self.code!r}, {self.message!r})"
