"""The checked-in platform configs: rendered from the templates, and each one accepted by a validator."""

from __future__ import annotations

import fnmatch
import json
import runpy
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from tandem.infra.platforms import CONFIGS, ProjectValues, render_config

from .npm import npm_package

ROOT = Path(__file__).resolve().parents[4]
SCHEMAS = Path(__file__).parent / "schemas"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
CURRENT_ACTIONS = {
    "actions/checkout@v6",
    "actions/setup-node@v6",
    "actions/cache@v5",
    "actions/upload-artifact@v6",
    "astral-sh/setup-uv@v7",
    "pnpm/action-setup@v6",
    "./.github/workflows/ci.yml",
}


def tool(name: str) -> str:
    path = BIN / name
    assert path.exists(), f"{name} is missing: it comes with the dev dependencies (uv sync)"
    return str(path)


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False, timeout=120)


def schema_errors(schema: str, document: Any) -> list[str]:
    validator = jsonschema.Draft7Validator(json.loads((SCHEMAS / schema).read_text()))
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(document)]


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_checked_in_file_is_the_template_rendered_for_tandem(name: str) -> None:
    checked_in = (ROOT / CONFIGS[name].path).read_text()
    assert checked_in == render_config(name, ProjectValues("tandem")), (
        f"{CONFIGS[name].path} differs from its template: edit "
        f"packages/tandem/src/tandem/infra/templates/{CONFIGS[name].template} and run "
        f"`uv run tandem infra write {name} --project tandem --repo acme/tandem --force`"
    )


def test_rendering_fills_in_the_project() -> None:
    values = ProjectValues("My Shop", repo="shop/web", api_url="https://api.shop.test/")
    rendered = {name: render_config(name, values) for name in CONFIGS}
    assert all("__" not in text.replace("__pycache__", "") for text in rendered.values())
    render = yaml.safe_load(rendered["render"])
    assert render["services"][0]["name"] == "my-shop"
    assert render["databases"][0]["databaseName"] == "my_shop"
    assert tomllib.loads(rendered["fly"])["app"] == "my-shop"
    assert (
        json.loads(rendered["vercel"])["rewrites"][0]["destination"]
        == "https://api.shop.test/api/:path*"
    )
    assert 'github("shop/web", branch="main")' in rendered["railway"]


def test_workflows_pass_actionlint() -> None:
    result = run(tool("actionlint"), "-no-color", *map(str, WORKFLOWS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "ci.yml"
    broken.write_text(
        (ROOT / ".github/workflows/ci.yml")
        .read_text()
        .replace("persist-credentials: false", "fetch-dept: 0", 1)
    )
    result = run(tool("actionlint"), "-no-color", str(broken), cwd=tmp_path)
    assert result.returncode == 1
    assert '"fetch-dept" is not defined' in result.stdout


def test_workflows_match_the_github_workflow_schema(tmp_path: Path) -> None:
    check = tool("check-jsonschema")
    result = run(check, "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS))
    assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / "deploy.yml"
    broken.write_text(
        (ROOT / ".github/workflows/deploy.yml").read_text().replace("runs-on:", "run-on:")
    )
    assert run(check, "--builtin-schema", "vendor.github-workflows", str(broken)).returncode == 1


def test_workflows_pass_the_zizmor_security_audit(tmp_path: Path) -> None:
    config = str(ROOT / ".github/zizmor.yml")
    result = run(tool("zizmor"), "--offline", "--config", config, *map(str, WORKFLOWS))
    assert result.returncode == 0, result.stdout + result.stderr
    risky = tmp_path / "risky.yml"
    risky.write_text(
        (ROOT / ".github/workflows/northflank-setup.yml")
        .read_text()
        .replace('--project "$PROJECT"', "--project ${{ inputs.project }}")
        .replace("actions/checkout@v6", "someone/checkout@v6")
    )
    result = run(tool("zizmor"), "--offline", "--config", config, str(risky))
    assert result.returncode != 0
    assert "template-injection" in result.stdout and "unpinned-uses" in result.stdout


def _uses(document: Any) -> list[str]:
    if isinstance(document, dict):
        found = [document["uses"]] if isinstance(document.get("uses"), str) else []
        return found + [use for value in document.values() for use in _uses(value)]
    if isinstance(document, list):
        return [use for item in document for use in _uses(item)]
    return []


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_workflows_use_current_actions_with_least_privilege(workflow: Path) -> None:
    document = yaml.safe_load(workflow.read_text())
    assert set(_uses(document)) <= CURRENT_ACTIONS
    assert document["permissions"] == {"contents": "read"}
    for job in document["jobs"].values():
        assert job.get("permissions", {"contents": "read"}) == {"contents": "read"}
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("actions/checkout"):
                assert step["with"]["persist-credentials"] is False
    assert "${{ inputs." not in "".join(
        step.get("run", "") for job in document["jobs"].values() for step in job.get("steps", [])
    ), "inputs go through env, never straight into a shell script"


def test_the_trunk_deploy_runs_after_ci_for_the_pushed_commit() -> None:
    deploy = yaml.safe_load((ROOT / ".github/workflows/deploy.yml").read_text())
    assert deploy[True] == {
        "push": {"branches": ["main"]},
        "workflow_dispatch": None,
    }  # YAML 1.1: on → True
    assert deploy["jobs"]["ci"]["uses"] == "./.github/workflows/ci.yml"
    job = deploy["jobs"]["deploy"]
    assert job["needs"] == "ci"
    step = job["steps"][-1]
    assert 'tandem infra deploy --sha "$GITHUB_SHA"' in step["run"]
    assert step["env"]["NORTHFLANK_API_TOKEN"] == "${{ secrets.NORTHFLANK_API_TOKEN }}"
    assert step["env"]["BETTER_AUTH_SECRET"] == "${{ secrets.BETTER_AUTH_SECRET }}"
    ci = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())
    assert "workflow_call" in ci[True] and "pull_request" in ci[True]
    services = ci["jobs"]["python-tests"]["services"]["postgres"]
    assert ci["jobs"]["python-tests"]["env"]["TEST_DATABASE_URL"].startswith("postgresql://")
    assert services["image"].startswith("postgres:")


def test_dockerfile_passes_hadolint(tmp_path: Path) -> None:
    result = run(tool("hadolint"), str(ROOT / "Dockerfile"))
    assert result.returncode == 0, result.stdout + result.stderr
    sloppy = tmp_path / "Dockerfile"
    sloppy.write_text(
        "FROM python:3.11-slim\nRUN apt-get update && apt-get install -y curl\nUSER app\n"
    )
    result = run(tool("hadolint"), str(sloppy))
    assert result.returncode == 1 and "DL3008" in result.stdout


def _dockerignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule, roughly: the last pattern matching the path or one of its parents wins."""
    parts = path.split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    ignored = False
    for pattern in patterns:
        glob = pattern.removeprefix("!")
        globs = [glob, glob.removeprefix("**/")]
        if any(fnmatch.fnmatch(candidate, g) for candidate in candidates for g in globs):
            ignored = not pattern.startswith("!")
    return ignored


def test_dockerfile_copies_files_that_reach_the_build_context() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    copied = []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("COPY ") and "--from=" not in line:
            copied += line.split()[1:-1]
    assert "uv.lock" in copied and "pnpm-lock.yaml" in copied
    for source in copied:
        assert (ROOT / source).exists(), f"Dockerfile copies {source}, which the repository lacks"
        assert not _dockerignored(source, patterns), f".dockerignore excludes {source}"
    for secret in (".env", ".northflank.json", ".git", "apps/web/node_modules", ".venv"):
        assert _dockerignored(secret, patterns), f"{secret} would reach the Docker build context"


def test_render_yaml_matches_the_blueprint_schema() -> None:
    blueprint = yaml.safe_load((ROOT / "render.yaml").read_text())
    assert schema_errors("render-blueprint.subset.json", blueprint) == []
    service = blueprint["services"][0]
    assert service["healthCheckPath"] == "/api/health"
    assert {"key": "BETTER_AUTH_SECRET", "generateValue": True} in service["envVars"]
    database = next(var for var in service["envVars"] if var["key"] == "DATABASE_URL")[
        "fromDatabase"
    ]
    assert database["name"] == blueprint["databases"][0]["name"]
    broken = {**blueprint, "services": [{**service, "runtime": "dockerfile"}]}
    assert schema_errors("render-blueprint.subset.json", broken)


def test_fly_toml_matches_the_schema() -> None:
    fly = tomllib.loads((ROOT / "fly.toml").read_text())
    assert schema_errors("fly.subset.json", fly) == []
    assert fly["http_service"]["checks"][0]["path"] == "/api/health"
    assert fly["http_service"]["internal_port"] == int(fly["env"]["PORT"])
    legacy = {**fly, "http_service": {**fly["http_service"], "auto_stop_machines": True}}
    assert schema_errors("fly.subset.json", legacy)


def test_vercel_json_matches_the_vercel_config_type() -> None:
    vercel = json.loads((ROOT / "vercel.json").read_text())
    vercel.pop("$schema")  # the generated schema does not know the editor hint
    assert schema_errors("VercelConfig.json", vercel) == []
    assert vercel["rewrites"][-1] == {"source": "/((?!api/).*)", "destination": "/index.html"}
    assert schema_errors("VercelConfig.json", {**vercel, "rewrites": [{"from": "/a"}]})


def test_netlify_toml_proxies_the_api_and_falls_back_to_the_spa() -> None:
    netlify = tomllib.loads((ROOT / "netlify.toml").read_text())
    redirects = netlify["redirects"]
    assert (
        redirects[0]["from"] == "/api/*" and redirects[0]["status"] == 200 and redirects[0]["force"]
    )
    assert redirects[0]["to"].startswith("https://") and redirects[0]["to"].endswith("/api/:splat")
    assert redirects[-1] == {"from": "/*", "to": "/index.html", "status": 200}
    assets = next(rule for rule in netlify["headers"] if rule["for"] == "/assets/*")
    assert "immutable" in assets["values"]["Cache-Control"]
    assert netlify["build"]["publish"] == "apps/web/dist"


NETLIFY_CHECK = """
const { resolveConfig } = await import(process.argv[1] + '/node_modules/@netlify/config/lib/main.js')
try {
  await resolveConfig({ repositoryRoot: process.argv[2], cwd: process.argv[2], offline: true, buffer: true })
  console.log('valid')
} catch (error) { console.log(error.message); process.exit(1) }
"""


def test_netlify_config_accepts_netlify_toml(tmp_path: Path) -> None:
    netlify_config_module = npm_package("@netlify/config@24.6.0")
    node = shutil.which("node")
    assert node
    result = run(
        node, "--input-type=module", "-e", NETLIFY_CHECK, str(netlify_config_module), str(ROOT)
    )
    assert result.stdout.strip() == "valid", result.stdout + result.stderr
    (tmp_path / "netlify.toml").write_text("[build]\n  publish = 5\n")
    result = run(
        node, "--input-type=module", "-e", NETLIFY_CHECK, str(netlify_config_module), str(tmp_path)
    )
    assert result.returncode == 1 and "publish" in result.stdout


def test_railway_iac_compiles_to_a_graph() -> None:
    graph = runpy.run_path(str(ROOT / ".railway/railway.py"))["main"]().to_graph()
    resources = {resource["address"]: resource for resource in graph["resources"]}
    app = resources["service.tandem"]
    assert app["deploy"]["healthcheckPath"] == "/api/health"
    assert app["variables"]["DATABASE_URL"] == {
        "type": "reference",
        "resource": "database.postgres",
        "output": "DATABASE_URL",
    }
    assert app["variables"]["BETTER_AUTH_SECRET"] == {"type": "preserve"}
    assert resources["database.postgres"]["engine"] == "postgres"
