"""The request bodies of the deploy flow, shaped by the official js-client's types (`Put…Data`).

Every body is a create-or-update (PUT) so that running the flow again updates, never duplicates.
"""

from __future__ import annotations

from typing import Any

from tandem.infra.northflank.api import ApiRequest
from tandem.infra.northflank.config import NorthflankConfig

APP_PORT = 3001
HEALTH_PATH = "/api/health"
POSTGRES_VERSION = "17-latest"


def project_body(config: NorthflankConfig) -> dict[str, Any]:
    return {
        "name": config.project_name,
        "region": config.region,
        "description": "Deployed by tandem infra deploy",
    }


def addon_body(config: NorthflankConfig) -> dict[str, Any]:
    return {
        "name": config.addon_id,
        "type": "postgresql",
        "version": POSTGRES_VERSION,
        "billing": {
            "deploymentPlan": config.plan,
            "storage": config.database_storage_mb,
            "replicas": 1,
        },
        "tlsEnabled": True,
        "externalAccessEnabled": False,
    }


def secret_group_body(config: NorthflankConfig, public_url: str | None) -> dict[str, Any]:
    """Runtime secrets of every service in the project.

    The addon link with an alias gives DATABASE_URL without ever reading the credentials; BETTER_AUTH_URL
    (the origin Better Auth trusts) is the service's public URL once Northflank has assigned it.
    """
    variables = {"BETTER_AUTH_SECRET": config.auth_secret, "NODE_ENV": "production"}
    if public_url:
        variables["BETTER_AUTH_URL"] = public_url
    return {
        "name": config.secret_group_id,
        "type": "secret",
        "secretType": "environment",
        "priority": 10,
        "secrets": {"variables": variables},
        "addonDependencies": [
            {
                "addonId": config.addon_id,
                "keys": [{"keyName": "POSTGRES_URI", "aliases": ["DATABASE_URL"]}],
            }
        ],
    }


def service_body(config: NorthflankConfig) -> dict[str, Any]:
    # disabledCI: only builds the deploy command (or the trunk workflow, after CI) asks for.
    return {
        "name": config.service_id,
        "billing": {"deploymentPlan": config.plan},
        "deployment": {"instances": 1, "docker": {"configType": "default"}},
        "vcsData": {
            "projectUrl": config.repo_url,
            "projectType": config.vcs_type,
            "projectBranch": config.branch,
        },
        "buildSettings": {
            "dockerfile": {
                "buildEngine": "buildkit",
                "dockerFilePath": "/Dockerfile",
                "dockerWorkDir": "/",
            }
        },
        "disabledCI": True,
        "buildArguments": {"VITE_API_URL": ""},
        "runtimeEnvironment": {"PORT": str(APP_PORT)},
        "ports": [{"name": "p01", "internalPort": APP_PORT, "public": True, "protocol": "HTTP"}],
        "healthChecks": [
            {
                "protocol": "HTTP",
                "type": "readinessProbe",
                "path": HEALTH_PATH,
                "port": APP_PORT,
                "initialDelaySeconds": 5,
                "periodSeconds": 10,
                "timeoutSeconds": 3,
                "failureThreshold": 3,
                "successThreshold": 1,
            },
            # Liveness stays off /api/health: a database outage must not restart every container.
            {
                "protocol": "TCP",
                "type": "livenessProbe",
                "port": APP_PORT,
                "initialDelaySeconds": 20,
                "periodSeconds": 30,
                "timeoutSeconds": 5,
                "failureThreshold": 3,
            },
        ],
    }


def provisioning_requests(config: NorthflankConfig) -> list[ApiRequest]:
    """Project → PostgreSQL addon → combined service, in dependency order."""
    project = f"/v1/projects/{config.project_id}"
    return [
        ApiRequest("PUT", "/v1/projects", project_body(config)),
        ApiRequest("PUT", f"{project}/addons", addon_body(config)),
        ApiRequest("PUT", f"{project}/services/combined", service_body(config)),
    ]


def secret_group_request(config: NorthflankConfig, public_url: str | None) -> ApiRequest:
    path = f"/v1/projects/{config.project_id}/secrets"
    return ApiRequest("PUT", path, secret_group_body(config, public_url))


def build_request(config: NorthflankConfig, sha: str | None) -> ApiRequest:
    """Build `sha`, or the branch's latest commit when None."""
    path = f"/v1/projects/{config.project_id}/services/{config.service_id}/build"
    return ApiRequest("POST", path, {"sha": sha} if sha else {})


def service_path(config: NorthflankConfig) -> str:
    return f"/v1/projects/{config.project_id}/services/{config.service_id}"
