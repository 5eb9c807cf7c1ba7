"""`tandem infra setup` and `deploy` against the fake Northflank API, through the command group."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from tandem.infra.cli import infra

from .fake_northflank import FakeNorthflank

SHA = "262ed9817b3cad5142fbceabe0c9e371e390d616"
SETUP = ["setup", "--non-interactive", "--region", "europe-west-frankfurt"]
DEPLOY = ["deploy", "--sha", SHA, "--poll-interval", "0"]

runner = CliRunner()


def invoke(args: list[str], env: dict[str, str], input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(infra, args, env=env, input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def settings(project_dir: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((project_dir / ".northflank.json").read_text())
    return data


def test_setup_saves_private_settings_and_checks_the_token(
    project_dir: Path, env: dict[str, str], fake: FakeNorthflank
) -> None:
    code, output = invoke(SETUP, env)

    assert code == 0, output
    saved = settings(project_dir)
    assert saved["projectName"] == "tandem"
    assert saved["repoUrl"] == "https://github.com/acme/tandem"
    assert saved["branch"] == "main"
    assert saved["region"] == "europe-west-frankfurt"
    assert len(str(saved["authSecret"])) == 64
    assert stat.S_IMODE((project_dir / ".northflank.json").stat().st_mode) == 0o600
    # Not ignored in this fresh repository, so setup ignores it.
    assert (project_dir / ".gitignore").read_text() == ".northflank.json\n"
    assert fake.calls_summary() == ["GET /v1/integrations/vcs", "GET /v1/integrations/vcs/repos"]
    assert "API token accepted" in output


def test_setup_keeps_the_secret_unless_asked_to_rotate(
    project_dir: Path, env: dict[str, str], fake: FakeNorthflank
) -> None:
    invoke(SETUP, env)
    first = settings(project_dir)["authSecret"]
    invoke(SETUP, env)
    assert settings(project_dir)["authSecret"] == first
    invoke([*SETUP, "--rotate-secret"], env)
    assert settings(project_dir)["authSecret"] != first
    assert (project_dir / ".gitignore").read_text() == ".northflank.json\n"


def test_setup_prompts_with_defaults(
    project_dir: Path, env: dict[str, str], fake: FakeNorthflank
) -> None:
    answers = "My App\n\nrelease\n\nnf-compute-50\n"
    code, output = invoke(["setup"], {**env, "NORTHFLANK_API_TOKEN": ""}, input=answers)

    assert code == 0, output
    saved = settings(project_dir)
    assert saved["projectName"] == "My App"
    assert saved["repoUrl"] == "https://github.com/acme/tandem"  # the origin remote, accepted
    assert saved["branch"] == "release"
    assert saved["region"] == "europe-west"
    assert saved["plan"] == "nf-compute-50"
    assert "NORTHFLANK_API_TOKEN is not set" in output
    assert fake.calls == []


def test_setup_rejects_an_invalid_project_name(project_dir: Path, env: dict[str, str]) -> None:
    code, output = invoke([*SETUP, "--project", "9lives"], env)
    assert code == 1
    assert "project name '9lives' is invalid" in output
    assert not (project_dir / ".northflank.json").exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"vcs_links": []}, "no github account is linked to your Northflank team"),
        ({"repos": ["acme/other"]}, "cannot see acme/tandem"),
    ],
)
def test_setup_reports_a_missing_git_link(
    project_dir: Path,
    env: dict[str, str],
    fake: FakeNorthflank,
    change: dict[str, object],
    expected: str,
) -> None:
    for name, value in change.items():
        setattr(fake, name, value)
    code, output = invoke(SETUP, env)
    assert code == 1
    assert expected in output


def test_preflight_pages_through_the_repositories(
    project_dir: Path, env: dict[str, str], fake: FakeNorthflank
) -> None:
    fake.repos = [f"acme/repo-{n}" for n in range(150)] + ["acme/tandem"]
    code, output = invoke(SETUP, env)
    assert code == 0, output
    pages = [call.query.get("cursor") for call in fake.calls if call.path.endswith("/repos")]
    assert pages == [None, "100"]


def test_full_deploy(project_dir: Path, env: dict[str, str], fake: FakeNorthflank) -> None:
    invoke(SETUP, env)
    fake.calls.clear()

    code, output = invoke(DEPLOY, env)

    assert code == 0, output
    url = "https://p01--tandem--x7k2q9.code.run"
    assert f"deployed: {url}" in output
    calls = fake.calls_summary()
    assert calls[:8] == [
        "GET /v1/integrations/vcs",
        "GET /v1/integrations/vcs/repos",
        "PUT /v1/projects",
        "PUT /v1/projects/tandem/addons",
        "PUT /v1/projects/tandem/services/combined",
        "GET /v1/projects/tandem/services/tandem",
        "PUT /v1/projects/tandem/secrets",
        "POST /v1/projects/tandem/services/tandem/build",
    ]
    assert set(calls[8:]) == {
        "GET /v1/projects/tandem/services/tandem/build/build-1",
        "GET /v1/projects/tandem/services/tandem",
    }
    assert all(call.status == 200 for call in fake.calls)
    assert fake.projects["tandem"]["spec"]["region"] == "europe-west-frankfurt"
    secret = fake.secrets[("tandem", "tandem-secrets")]["spec"]
    assert secret["secrets"]["variables"] == {
        "BETTER_AUTH_SECRET": settings(project_dir)["authSecret"],
        "NODE_ENV": "production",
        "BETTER_AUTH_URL": url,
    }
    assert secret["addonDependencies"] == [
        {"addonId": "tandem-db", "keys": [{"keyName": "POSTGRES_URI", "aliases": ["DATABASE_URL"]}]}
    ]
    service = fake.services[("tandem", "tandem")]["spec"]
    assert service["vcsData"] == {
        "projectUrl": "https://github.com/acme/tandem",
        "projectType": "github",
        "projectBranch": "main",
    }
    assert service["ports"][0]["internalPort"] == 3001
    assert service["healthChecks"][0]["path"] == "/api/health"
    assert fake.builds["build-1"]["sha"] == SHA
    assert fake.services[("tandem", "tandem")]["deployment"]["status"] == "COMPLETED"


def test_second_deploy_changes_nothing(
    project_dir: Path, env: dict[str, str], fake: FakeNorthflank
) -> None:
    invoke(SETUP, env)
    assert invoke(DEPLOY, env)[0] == 0
    after_first = list(fake.changes)

    code, output = invoke(DEPLOY, env)

    assert code == 0, output
    assert fake.changes == after_first
    assert [kind for kind, _, _ in after_first] == ["project", "addon", "service", "secret"]
    assert (len(fake.projects), len(fake.addons), len(fake.secrets), len(fake.services)) == (
        1,
        1,
        1,
        1,
    )
    assert sorted(fake.builds) == ["build-1", "build-2"]
    assert not any(call.method == "POST" and "build" not in call.path for call in fake.calls)


def test_deploy_waits_for_the_new_commit_not_the_previous_deployment(
    project_dir: Path, env: dict[str, str], fake: FakeNorthflank
) -> None:
    invoke(SETUP, env)
    assert invoke(DEPLOY, env)[0] == 0
    fake.calls.clear()
    newer = "9" * 40

    code, output = invoke(["deploy", "--sha", newer, "--poll-interval", "0"], env)

    assert code == 0, output
    assert fake.services[("tandem", "tandem")]["deployed_sha"] == newer
    polls = [call for call in fake.calls if call.path == "/v1/projects/tandem/services/tandem"]
    assert len(polls) == 4  # provisioning read, the stale COMPLETED, IN_PROGRESS, COMPLETED
    assert "deployment: IN_PROGRESS" in output


def test_deploy_in_ci_without_a_settings_file(
    project_dir: Path, env: dict[str, str], fake: FakeNorthflank
) -> None:
    ci_env = {
        **env,
        "NORTHFLANK_PROJECT_NAME": "tandem",
        "NORTHFLANK_REPO_URL": "https://github.com/acme/tandem",
        "BETTER_AUTH_SECRET": "s" * 40,
    }
    output_file = project_dir / "github-output"
    code, output = invoke([*DEPLOY, "--github-output", str(output_file)], ci_env)
    assert code == 0, output
    assert output_file.read_text() == "url=https://p01--tandem--x7k2q9.code.run\n"
    variables = fake.secrets[("tandem", "tandem-secrets")]["spec"]["secrets"]["variables"]
    assert variables["BETTER_AUTH_SECRET"] == "s" * 40


def test_deploy_without_settings_says_what_is_missing(
    project_dir: Path, env: dict[str, str]
) -> None:
    code, output = invoke(DEPLOY, env)
    assert code == 1
    assert "NORTHFLANK_PROJECT_NAME" in output and "run `tandem infra setup` first" in output


def test_dry_run_prints_every_request_and_masks_secrets(
    project_dir: Path, env: dict[str, str], fake: FakeNorthflank
) -> None:
    invoke(SETUP, {**env, "NORTHFLANK_API_TOKEN": ""})
    secret = str(settings(project_dir)["authSecret"])

    code, output = invoke([*DEPLOY, "--dry-run"], env)

    assert code == 0, output
    assert fake.calls == []
    assert secret not in output
    assert '"BETTER_AUTH_SECRET": "********"' in output
    for line in (
        "PUT /v1/projects\n",
        "PUT /v1/projects/tandem/addons",
        "PUT /v1/projects/tandem/services/combined",
        "PUT /v1/projects/tandem/secrets",
        f'"sha": "{SHA}"',
        "GET /v1/integrations/vcs/repos?vcs_service=github&per_page=100",
    ):
        assert line in output


def test_deploy_without_token_prints_manual_steps(
    project_dir: Path, env: dict[str, str], fake: FakeNorthflank
) -> None:
    invoke(SETUP, env)
    fake.calls.clear()
    code, output = invoke(DEPLOY, {**env, "NORTHFLANK_API_TOKEN": ""})
    assert code == 1
    assert fake.calls == []
    assert 'Create project: name "tandem", region "europe-west-frankfurt"' in output
    assert "key POSTGRES_URI with the alias DATABASE_URL" in output
    assert "NORTHFLANK_API_TOKEN is not set: nothing was deployed" in output


@pytest.mark.parametrize(
    ("method", "path", "status", "expected"),
    [
        (
            "GET",
            r"/integrations/vcs$",
            401,
            "401 on GET /v1/integrations/vcs: the API token was rejected",
        ),
        (
            "PUT",
            r"/addons$",
            403,
            "403 on PUT /v1/projects/tandem/addons: the API token's role lacks",
        ),
        (
            "POST",
            r"/build$",
            404,
            "404 on POST /v1/projects/tandem/services/tandem/build: not found",
        ),
        (
            "PUT",
            r"/services/combined$",
            409,
            "409 on PUT /v1/projects/tandem/services/combined: conflicts",
        ),
        (
            "PUT",
            r"/secrets$",
            422,
            "422 on PUT /v1/projects/tandem/secrets: Northflank rejected the request",
        ),
        (
            "POST",
            r"/build$",
            502,
            "502 on POST /v1/projects/tandem/services/tandem/build: Northflank server error",
        ),
    ],
)
def test_api_errors_are_one_clear_line(
    project_dir: Path,
    env: dict[str, str],
    fake: FakeNorthflank,
    method: str,
    path: str,
    status: int,
    expected: str,
) -> None:
    invoke(SETUP, {**env, "NORTHFLANK_API_TOKEN": ""})
    fake.fail(method, path, status, message="injected failure")

    code, output = invoke(DEPLOY, env)

    assert code == 1
    errors = [line for line in output.splitlines() if line.startswith("✗")]
    assert len(errors) == 1, output
    assert expected in errors[0]
    assert errors[0].endswith("(injected failure)")
    assert output.endswith(errors[0] + "\n") and "Traceback" not in output


def test_a_wrong_token_is_reported(
    project_dir: Path, env: dict[str, str], fake: FakeNorthflank
) -> None:
    code, output = invoke(SETUP, {**env, "NORTHFLANK_API_TOKEN": "wrong"})
    assert code == 1
    assert "401" in output and "check NORTHFLANK_API_TOKEN" in output


def test_rate_limit_is_waited_out(
    project_dir: Path, env: dict[str, str], fake: FakeNorthflank
) -> None:
    invoke(SETUP, {**env, "NORTHFLANK_API_TOKEN": ""})
    fake.fail("PUT", r"/addons$", 429, headers={"Retry-After": "1"}, message="Too many requests")

    code, output = invoke(DEPLOY, env)

    assert code == 0, output
    addon_calls = [call.status for call in fake.calls if call.path.endswith("/addons")]
    assert addon_calls == [429, 200]


def test_a_long_rate_limit_fails_with_the_wait(
    project_dir: Path, env: dict[str, str], fake: FakeNorthflank
) -> None:
    invoke(SETUP, {**env, "NORTHFLANK_API_TOKEN": ""})
    fake.fail("PUT", r"/v1/projects$", 429, headers={"Retry-After": "3600"})
    code, output = invoke(DEPLOY, env)
    assert code == 1
    assert "429 on PUT /v1/projects: rate limit reached; try again in 3600 s" in output


def test_a_failed_build_is_reported(
    project_dir: Path, env: dict[str, str], fake: FakeNorthflank
) -> None:
    invoke(SETUP, env)
    fake.build_states = ("PENDING", "BUILDING", "FAILURE")
    code, output = invoke(DEPLOY, env)
    assert code == 1
    assert "build build-1 failed (Dockerfile step 7/12 failed)" in output
    assert "build build-1: BUILDING" in output


def test_a_failed_deployment_is_reported(
    project_dir: Path, env: dict[str, str], fake: FakeNorthflank
) -> None:
    invoke(SETUP, env)
    fake.deployment_outcome = "FAILED"
    code, output = invoke(DEPLOY, env)
    assert code == 1
    assert "deployment of tandem failed" in output


def test_no_wait_returns_after_starting_the_build(
    project_dir: Path, env: dict[str, str], fake: FakeNorthflank
) -> None:
    invoke(SETUP, env)
    code, output = invoke([*DEPLOY, "--no-wait"], env)
    assert code == 0, output
    assert "build started" in output
    assert fake.calls_summary()[-1] == "POST /v1/projects/tandem/services/tandem/build"


def test_render_prints_a_config_for_the_project(project_dir: Path, env: dict[str, str]) -> None:
    code, output = invoke(["render", "fly", "--project", "My Shop"], env)
    assert code == 0
    assert 'app = "my-shop"' in output
    code, output = invoke(["render", "heroku"], env)
    assert code == 1 and "unknown config 'heroku'" in output


def test_write_creates_keeps_and_overwrites(project_dir: Path, env: dict[str, str]) -> None:
    code, output = invoke(["write"], env)
    assert code == 0, output
    assert (project_dir / ".github/workflows/deploy.yml").exists()
    assert (
        'github("acme/tandem", branch="main")' in (project_dir / ".railway/railway.py").read_text()
    )
    render = project_dir / "render.yaml"
    render.write_text("services: []\n")

    code, output = invoke(["write"], env)
    assert "kept  render.yaml" in output and "unchanged  fly.toml" in output
    assert render.read_text() == "services: []\n"

    invoke(["write", "render", "--force"], env)
    assert "name: tandem" in render.read_text()
