"""The app's API: every router, under its namespace. The generated TypeScript `AppRouter` mirrors this."""

from __future__ import annotations

from tandem.trpc import Router, router

from tandem_api.routers.health import health_router
from tandem_api.routers.task import task_router

app_router = router(health=health_router, task=task_router)


def conformance_app_router() -> Router:
    """The app's routers plus `conformance.*`, for the protocol test kit (TANDEM_CONFORMANCE=1)."""
    from tandem_api.routers.conformance import conformance_router

    return router(health=health_router, task=task_router, conformance=conformance_router)
