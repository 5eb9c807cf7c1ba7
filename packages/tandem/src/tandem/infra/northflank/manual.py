"""Dashboard steps that do by hand what `deploy` does through the API, for users without an API token."""

from __future__ import annotations

from tandem.infra.northflank.config import NorthflankConfig
from tandem.infra.northflank.payloads import APP_PORT, HEALTH_PATH, POSTGRES_VERSION


def manual_steps(config: NorthflankConfig) -> str:
    version = POSTGRES_VERSION.split("-")[0]
    return f"""\
Deploy {config.project_name} on Northflank by hand (https://app.northflank.com):

 1. Team → Integrations → Git: link your {config.vcs_type} account and grant it access to
    {config.repo_full_name}.
 2. Create project: name "{config.project_name}", region "{config.region}".
 3. In the project, Create new → Addon: PostgreSQL {version}, name "{config.addon_id}",
    plan {config.plan}, storage {config.database_storage_mb} MB, 1 replica, TLS on,
    external access off.
 4. Create new → Secret group: name "{config.secret_group_id}", type "runtime variables", priority 10.
    Variables: BETTER_AUTH_SECRET = the authSecret in .northflank.json, NODE_ENV = production,
    and (once step 5 shows it) BETTER_AUTH_URL = the service's public URL.
    Linked addons: link "{config.addon_id}", key POSTGRES_URI with the alias DATABASE_URL.
 5. Create new → Service → Combined service: name "{config.service_id}",
    repository {config.repo_url}, branch {config.branch}; build type Dockerfile, Dockerfile
    /Dockerfile, build context /; turn continuous integration off; build argument VITE_API_URL = "";
    runtime variable PORT = {APP_PORT}; port p01 {APP_PORT} HTTP, public;
    plan {config.plan}; 1 instance.
 6. Health checks of the service: readiness HTTP {HEALTH_PATH} on port {APP_PORT}
    (initial delay 5 s, every 10 s, timeout 3 s, 3 failures); liveness TCP on port {APP_PORT}
    (initial delay 20 s, every 30 s, timeout 5 s, 3 failures).
 7. Start a build of the latest commit (Builds → Start build), wait until the deployment runs,
    and open the public URL shown under Ports (https://p01--{config.service_id}--….code.run).

To let `tandem infra deploy` do all of this: create an API token (Team → Settings → API → Tokens),
export NORTHFLANK_API_TOKEN=<token> and run the command again.
"""
