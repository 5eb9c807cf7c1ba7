"""Northflank: project → PostgreSQL addon → secret group → combined service built from git."""

from tandem.infra.northflank.api import ApiRequest, NorthflankApi, NorthflankError
from tandem.infra.northflank.config import NorthflankConfig, load_config, save_config
from tandem.infra.northflank.deploy import deploy, preflight
from tandem.infra.northflank.payloads import build_request, provisioning_requests

__all__ = [
    "ApiRequest",
    "NorthflankApi",
    "NorthflankConfig",
    "NorthflankError",
    "build_request",
    "deploy",
    "load_config",
    "preflight",
    "provisioning_requests",
    "save_config",
]
