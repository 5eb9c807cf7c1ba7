"""The deploy flow: preflight, provision (idempotent PUTs), build one commit, wait until it runs."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
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
        progress(
            f"{request.method} {request.path} ({request.body['name'] if request.body else ''})"
        )
        await api.send(request)
    url = public_url(await api.get(service_path(config)))
    secrets = secret_group_request(config, url)
    progress(f"{secrets.method} {secrets.path} ({config.secret_group_id})")
    await api.send(secrets)
    build = await api.send(build_request(config, sha))
    build_id = str(build["id"])
    progress(f"build {build_id} started for {sha or 'the latest commit of ' + config.branch}")
    if not wait:
        return url
    deadline = time.monotonic() + max_wait
    build_path = f"{service_path(config)}/build/{build_id}"
    last = ""
    while True:
        build = await api.get(build_path)
        status = str(build.get("status", ""))
        if status != last:
            progress(f"build {build_id}: {status}")
            last = status
        if build.get("concluded") or status in FAILED_BUILD or status == "SUCCESS":
            break
        await _tick(deadline, f"build {build_id}", poll_interval, sleep)
    if not build.get("success", status == "SUCCESS") or status in FAILED_BUILD:
        reason = build.get("message") or status
        raise NorthflankError(
            f"build {build_id} failed ({reason}); see the build logs on Northflank"
        )
    last = ""
    while True:
        service = await api.get(service_path(config))
        deployment = (service.get("status") or {}).get("deployment") or {}
        status = str(deployment.get("status", ""))
        if status != last:
            progress(f"deployment: {status}")
            last = status
        if status == "COMPLETED":
            break
        if status == "FAILED":
            raise NorthflankError(
                f"deployment of {config.service_id} failed ({deployment.get('reason') or status}); "
                "see the service logs on Northflank"
            )
        await _tick(deadline, "the deployment", poll_interval, sleep)
    url = public_url(service) or url
    if url is None:
        raise NorthflankError(
            f"service {config.service_id} runs but has no public port with a DNS name"
        )
    return url


async def _tick(deadline: float, what: str, interval: float, sleep: Sleep) -> None:
    if time.monotonic() + interval > deadline:
        raise NorthflankError(f"timed out waiting for {what}; it may still finish on Northflank")
    await sleep(interval)
