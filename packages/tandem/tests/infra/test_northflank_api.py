"""The API client's retries and errors, the request bodies against the js-client schemas, the settings."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from tandem.infra.northflank import (
    ApiRequest,
    NorthflankApi,
    NorthflankError,
    provisioning_requests,
)
from tandem.infra.northflank.config import (
    ConfigError,
    NorthflankConfig,
    load_config,
    normalise_repo_url,
    save_config,
)
from tandem.infra.northflank.deploy import dry_run_plan
from tandem.infra.northflank.payloads import secret_group_request, service_body

from .fake_northflank import TOKEN, FakeNorthflank, schema_errors

CONFIG = NorthflankConfig(
    project_name="tandem", repo_url="https://github.com/acme/tandem", auth_secret="a" * 64
)
SCHEMA_BY_PATH = {
    "/v1/projects": "PutProjectData",
    "/v1/projects/tandem/addons": "PutAddonData",
    "/v1/projects/tandem/secrets": "PutSecretData",
    "/v1/projects/tandem/services/combined": "PutServiceCombinedData",
    "/v1/projects/tandem/services/tandem/build": "StartServiceBuildData",
}


class Sleeps(list[float]):
    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


def test_every_body_matches_the_official_client_types() -> None:
    plan = dry_run_plan(CONFIG, "262ed9817b3cad5142fbceabe0c9e371e390d616")
    bodies = [request for request in plan if request.body is not None]
    assert sorted(request.path for request in bodies) == sorted(SCHEMA_BY_PATH)
    for request in [*bodies, secret_group_request(CONFIG, None)]:
        assert schema_errors(SCHEMA_BY_PATH[request.path], request.body) == [], request.path


def test_the_schemas_reject_what_northflank_rejects() -> None:
    body = service_body(CONFIG)
    body["ports"][0]["protocol"] = "HTTPS"
    assert any(
        "'HTTPS' is not one of" in message
        for message in schema_errors("PutServiceCombinedData", body)
    )
    body = service_body(CONFIG)
    body["ports"][0]["name"] = "http-api-port"
    assert schema_errors("PutServiceCombinedData", body) == ["invalid port name 'http-api-port'"]
    body = service_body(CONFIG)
    del body["buildSettings"]
    assert schema_errors("PutServiceCombinedData", body)


async def test_rate_limits_wait_as_the_server_asks(fake: FakeNorthflank, api_url: str) -> None:
    fake.fail("GET", "/integrations/vcs$", 429, headers={"Retry-After": "7"})
    fake.fail(
        "GET", "/integrations/vcs$", 429, headers={"x-ratelimit-reset": str(int(time.time()) + 30)}
    )
    fake.fail("GET", "/integrations/vcs$", 429)
    sleeps = Sleeps()
    async with NorthflankApi(TOKEN, api_url, sleep=sleeps) as api:
        data = await api.get("/v1/integrations/vcs")
    assert data["vcsAccountLinks"][0]["login"] == "acme"
    assert sleeps[0] == 7
    assert 28 <= sleeps[1] <= 30
    assert sleeps[2] == 4  # no hint: exponential backoff (third attempt)


async def test_server_errors_are_retried_only_when_safe(fake: FakeNorthflank, api_url: str) -> None:
    fake.fail("GET", "/integrations/vcs$", 503, times=2)
    fake.fail("POST", "/build$", 503)
    sleeps = Sleeps()
    async with NorthflankApi(TOKEN, api_url, sleep=sleeps) as api:
        await api.get("/v1/integrations/vcs")
        assert sleeps == [1, 2]
        with pytest.raises(NorthflankError) as raised:
            await api.send(ApiRequest("POST", "/v1/projects/tandem/services/tandem/build", {}))
    assert raised.value.status == 503
    assert sleeps == [1, 2]
    assert [call.status for call in fake.calls] == [503, 503, 200, 503]


async def test_retries_stop_after_the_last_attempt(fake: FakeNorthflank, api_url: str) -> None:
    fake.fail("GET", "/integrations/vcs$", 500, times=10, message="boom")
    sleeps = Sleeps()
    async with NorthflankApi(TOKEN, api_url, sleep=sleeps, max_attempts=3) as api:
        with pytest.raises(
            NorthflankError, match=r"500 on GET /v1/integrations/vcs: .*server error.*\(boom\)"
        ):
            await api.get("/v1/integrations/vcs")
    assert len(fake.calls) == 3 and sleeps == [1, 2]


async def test_an_unreachable_api_is_one_line() -> None:
    sleeps = Sleeps()
    async with NorthflankApi(TOKEN, "http://127.0.0.1:18499", sleep=sleeps, max_attempts=2) as api:
        with pytest.raises(
            NorthflankError, match=r"^cannot reach the Northflank API at http://127.0.0.1:18499: "
        ):
            await api.get("/v1/regions")
    assert sleeps == [1]


async def test_the_fake_validates_bodies_like_the_api(fake: FakeNorthflank, api_url: str) -> None:
    async with NorthflankApi(TOKEN, api_url) as api:
        project, addon, _ = provisioning_requests(CONFIG)
        await api.send(project)
        with pytest.raises(
            NorthflankError, match="400 on PUT /v1/projects/tandem/addons"
        ) as raised:
            await api.send(ApiRequest("PUT", addon.path, {**(addon.body or {}), "billing": {}}))
        with pytest.raises(NorthflankError, match="409 on POST /v1/projects: conflicts"):
            await api.send(ApiRequest("POST", "/v1/projects", project.body))
    assert "$.billing: 'deploymentPlan' is a required property" in str(raised.value)


def test_settings_file_round_trip_is_private(tmp_path: Path) -> None:
    path = tmp_path / ".northflank.json"
    path.write_text("{}")
    path.chmod(0o644)
    save_config(path, CONFIG)
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_config(path, {}) == CONFIG


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    path = tmp_path / ".northflank.json"
    save_config(path, CONFIG)
    loaded = load_config(path, {"NORTHFLANK_PLAN": "nf-compute-50", "NORTHFLANK_REGION": ""})
    assert loaded.plan == "nf-compute-50"
    assert loaded.region == "europe-west"


def test_missing_settings_are_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path / ".northflank.json", {"NORTHFLANK_PROJECT_NAME": "tandem"})
    message = str(raised.value)
    assert "NORTHFLANK_REPO_URL" in message and "BETTER_AUTH_SECRET" in message
    assert "NORTHFLANK_PROJECT_NAME" not in message


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("git@github.com:acme/tandem.git", "https://github.com/acme/tandem"),
        ("https://github.com/acme/tandem.git", "https://github.com/acme/tandem"),
        ("github.com/acme/tandem/", "https://github.com/acme/tandem"),
        ("ssh://git@gitlab.com/acme/tandem.git", "https://gitlab.com/acme/tandem"),
    ],
)
def test_repository_urls_are_normalised(url: str, expected: str) -> None:
    assert normalise_repo_url(url) == expected


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"project_name": "ab"}, "project name 'ab' is invalid"),
        ({"project_name": "my--app"}, "is invalid"),
        ({"plan": "nf compute"}, "plan 'nf compute' is invalid"),
        ({"repo_url": "https://github.com/acme"}, "repository URL"),
        ({"auth_secret": "short"}, "at least 32 characters"),
    ],
)
def test_invalid_settings_are_refused(change: dict[str, str], message: str) -> None:
    values = {**CONFIG.__dict__, **change}
    with pytest.raises(ConfigError, match=message):
        NorthflankConfig(**values).validate()


def test_ids_follow_northflank_slugs() -> None:
    config = NorthflankConfig(project_name="My App", repo_url=CONFIG.repo_url, auth_secret="a" * 64)
    assert (config.project_id, config.addon_id, config.secret_group_id) == (
        "my-app",
        "my-app-db",
        "my-app-secrets",
    )
    assert config.vcs_type == "github" and config.repo_full_name == "acme/tandem"
