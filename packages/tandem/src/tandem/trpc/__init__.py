"""tRPC v11 server for Python: procedures, routers, the HTTP protocol, TypeScript codegen.

    from tandem.trpc import Input, Len, Omittable, TRPCApp, TRPCError, procedure, router

    class EchoInput(Input):                      # strict like zod, unknown keys dropped
        text: Annotated[str, Len(1, 100)]        # lengths in code points
        n: Omittable[int] = None                 # may be absent, not null

    @procedure.query
    async def echo(ctx: AppContext, input: EchoInput) -> Echo: ...

    app_router = router(conformance=router(echo=echo))
    asgi_app = TRPCApp(app_router, create_context=create_context)   # mount at /api/trpc

Non-JSON inputs (what httpLink sends for a FormData, File, Blob or Uint8Array): annotate the input
`FormData` or `OctetStream` (see `tandem.trpc.uploads`).

Middleware: `async def mw(ctx, call_next): return await call_next(new_ctx)`, attached with
`procedure.use(mw)`. Codegen: `tandem.trpc.codegen.render_typescript(router)`; OpenAPI:
`tandem.trpc.openapi.build_openapi(router, title=..., version=...)`.
"""

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
from tandem.trpc.uploads import FormData, OctetStream, UploadFile
from tandem.trpc.validation import Input, InputValidationError, Omittable

__all__ = [
    "ERROR_CODES",
    "ContextRequest",
    "CreateContext",
    "ErrorCode",
    "ErrorFormatter",
    "FormData",
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
    "OctetStream",
    "Omittable",
    "Procedure",
    "ProcedureBuilder",
    "Router",
    "TRPCApp",
    "TRPCError",
    "Tracked",
    "UploadFile",
    "procedure",
    "router",
    "tracked",
]
