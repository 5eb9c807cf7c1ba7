"""The ASGI server: app factory, health check, SPA serving, logging."""

from tandem.server.app import create_server
from tandem.server.logging import configure_logging

__all__ = ["configure_logging", "create_server"]
