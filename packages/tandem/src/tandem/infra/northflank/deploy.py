"""The deploy flow: preflight, provision (idempotent PUTs), build one commit, wait until it runs."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tandem.infra.northflank.api import ApiRequest, NorthflankApi, NorthflankError, Sleep
from tandem.infra.northflank.config import NorthflankConfig
from tandem.infra.northflank.payloads import (
    build_request,
    provisioning_requests,
    secret_group_request,
    service_path,
)

Progress = Callable[[str], None]

FAILED_BUILD = {"ABORTED", "FAILURE", "SUBMISSION_FAILURE", "CRASHED", "UNSCHEDULABLE"}

__all__ = ["Progress", "deploy", "dry_run_plan", "preflight", "public_url"]
URL_PLACEHOLDER = "https://<public DNS name of the service, read back from Northflank>"


def dry_run_plan(config: NorthflankConfig, sha: str | None) -> list[ApiRequest]:
    """Every request `deploy` sends, in order (the status polls shown once)."""
    service = service_path(config)
    return [
        ApiRequest("GET", "/v1/integrations/vcs"),
        ApiRequest(
            "GET",
            "/v1/integrations/vcs/repos",
            params={"vcs_service": config.vcs_type, "per_page": "100"},
        ),
        *provisioning_requests(config),
        ApiRequest("GET", service),
        secret_group_request(config, URL_PLACEHOLDER),
        build_request(config, sha),
        ApiRequest("GET", f"{service}/build/<build id>"),
        ApiRequest("GET", service),
    ]


async def preflight(api: NorthflankApi, config: NorthflankConfig) -> str:
    """Check the token and that Northflank can clone the repository; returns the linked account's login."""
    data = await api.get("/v1/integrations/vcs")
    links = [
        link
        for link in data.get("vcsAccountLinks", [])
        if link.get("vcsService") == config.vcs_type
    ]
    if not links:
        raise NorthflankError(
            f"no {config.vcs_type} account is linked to your Northflank team: open Team → "
            f"Integrations → Git, link {config.vcs_type} and grant access to {config.repo_full_name}"
        )
    if not await _repo_visible(api, config):
        logins = ", ".join(str(link.get("login")) for link in links)
        raise NorthflankError(
            f"the linked {config.vcs_type} account ({logins}) cannot see {config.repo_full_name}: "
            "grant the Northflank app access to that repository"
        )
    return str(links[0].get("login"))


async def _repo_visible(api: NorthflankApi, config: NorthflankConfig) -> bool:
    wanted = config.repo_full_name.lower()
    params = {"vcs_service": config.vcs_type, "per_page": "100"}
    for _ in range(50):
        data, pagination = await api.page("/v1/integrations/vcs/repos", params)
        for repo in data.get("repos") or []:
            if str(repo.get("full_name", "")).lower() == wanted:
                return True
        if not pagination.get("hasNextPage"):
            return False
        params = {**params, "cursor": str(pagination.get("cursor"))}
    return False


def public_url(service: dict[str, Any]) -> str | None:
    for port in service.get("ports") or []:
        if port.get("public") and port.get("dns"):
            return f"https://{port['dns']}"
    return None


async def deploy(
    api: NorthflankApi,
    config: NorthflankConfig,
    sha: str | None,
    *,
    progress: Progress,
    wait: bool = True,
    poll_interval: float = 5.0,
    max_wait: float = 1800.0,
    sleep: Sleep = asyncio.sleep,
) -> str | None:
    """Provision everything, build `sha` and (with `wait`) return the public URL once it serves."""
    for request in provisioning_requests(config):
        name = request.body["name"] if request.body else ""
        progress(f"{request.method} {request.path} ({name})")
        await api.send(request)
    url = public_url(await api.get(service_path(config)))
    secrets = secret_group_request(config, url)
    progress(f"{secrets.method} {secrets.path} ({config.secret_group_id})")
    await api.send(secrets)
    build = await api.send(build_request(config, sha))
    progress(f"build {build['id']} started for {sha or 'the latest commit of ' + config.branch}")
    if not wait:
        return url
    poller = _Poller(api, progress, time.monotonic() + max_wait, poll_interval, sleep)
    built_sha = await _wait_for_build(poller, config, str(build["id"])) or sha
    service = await _wait_for_deployment(poller, config, built_sha)
    url = public_url(service) or url
    if url is None:
        raise NorthflankError(
            f"service {config.service_id} runs but has no public port with a DNS name"
        )
    return url


@dataclass
class _Poller:
    api: NorthflankApi
    progress: Progress
    deadline: float
    interval: float
    sleep: Sleep
    last: str = ""

    def report(self, label: str, status: str) -> None:
        """Print a status once, when it changes."""
        if f"{label}: {status}" != self.last:
            self.last = f"{label}: {status}"
            self.progress(self.last)

    async def tick(self, what: str) -> None:
        if time.monotonic() + self.interval > self.deadline:
            raise NorthflankError(
                f"timed out waiting for {what}; it may still finish on Northflank"
            )
        await self.sleep(self.interval)


async def _wait_for_build(poller: _Poller, config: NorthflankConfig, build_id: str) -> str | None:
    """Poll the build until it concludes; returns the commit it built, raises if it failed."""
    path = f"{service_path(config)}/build/{build_id}"
    while True:
        build = await poller.api.get(path)
        status = str(build.get("status", ""))
        poller.report(f"build {build_id}", status)
        if build.get("concluded") or status == "SUCCESS" or status in FAILED_BUILD:
            break
        await poller.tick(f"build {build_id}")
    if status in FAILED_BUILD or not build.get("success", status == "SUCCESS"):
        reason = build.get("message") or status
        raise NorthflankError(
            f"build {build_id} failed ({reason}); see the build logs on Northflank"
        )
    return build.get("sha") or None


async def _wait_for_deployment(
    poller: _Poller, config: NorthflankConfig, sha: str | None
) -> dict[str, Any]:
    """Poll the service until the deployment of `sha` completed (the previous one may still show)."""
    while True:
        service: dict[str, Any] = await poller.api.get(service_path(config))
        deployment = (service.get("status") or {}).get("deployment") or {}
        status = str(deployment.get("status", ""))
        poller.report("deployment", status)
        if status == "FAILED":
            raise NorthflankError(
                f"deployment of {config.service_id} failed ({deployment.get('reason') or status}); "
                "see the service logs on Northflank"
            )
        deployed = ((service.get("deployment") or {}).get("internal") or {}).get("deployedSHA")
        if status == "COMPLETED" and (not sha or not deployed or _same_commit(sha, deployed)):
            return service
        await poller.tick("the deployment")


def _same_commit(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)
