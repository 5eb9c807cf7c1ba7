"""tRPC v11 server for Python: procedures, routers, the HTTP protocol, TypeScript codegen."""

from annotated_types import Ge, Gt, Interval, Le, Len, Lt

from tandem.trpc.errors import ERROR_CODES, ErrorCode, TRPCError
from tandem.trpc.http import ContextRequest, CreateContext, TRPCApp
from tandem.trpc.procedure import (
    Middleware,
    Next,
    Procedure,
    ProcedureBuilder,
    Tracked,
    procedure,
    tracked,
)
from tandem.trpc.router import Router, router
from tandem.trpc.shape import ErrorFormatter
from tandem.trpc.validation import Input, InputValidationError, Omittable

__all__ = [
    "ERROR_CODES",
    "ContextRequest",
    "CreateContext",
    "ErrorCode",
    "ErrorFormatter",
    "Ge",
    "Gt",
    "Input",
    "InputValidationError",
    "Interval",
    "Le",
    "Len",
    "Lt",
    "Middleware",
    "Next",
    "Omittable",
    "Procedure",
    "ProcedureBuilder",
    "Router",
    "TRPCApp",
    "TRPCError",
    "Tracked",
    "procedure",
    "router",
    "tracked",
]
