"""`tandem infra`: set up and deploy on Northflank, and write the other platforms' config files."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import click

from tandem.cli.console import fail, ok, warn
from tandem.infra.northflank.api import DEFAULT_API_URL, NorthflankApi, NorthflankError
from tandem.infra.northflank.config import (
    CONFIG_FILE,
    DEFAULT_PLAN,
    DEFAULT_REGION,
    REGIONS,
    ConfigError,
    NorthflankConfig,
    generate_auth_secret,
    load_config,
    normalise_repo_url,
    read_config_file,
    save_config,
)
from tandem.infra.northflank.deploy import deploy as run_deploy
from tandem.infra.northflank.deploy import dry_run_plan, preflight
from tandem.infra.northflank.manual import manual_steps
from tandem.infra.platforms import CONFIGS, ProjectValues, render_config, write_config
from tandem.infra.platforms import DEFAULT_API_URL as EXAMPLE_API_URL


@click.group()
def infra() -> None:
    """Deploy: Northflank through its API; config files for Railway, Render, Fly, Vercel, Netlify."""


config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    default=CONFIG_FILE,
    help="settings file (git-ignored; holds BETTER_AUTH_SECRET)",
)


def _git(*args: str) -> str | None:
    try:
        result = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
    except OSError:
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None


def _default_project_name() -> str:
    try:
        name = json.loads(Path("package.json").read_text()).get("name")
    except (OSError, ValueError):
        name = None
    name = str(name or Path.cwd().name).rsplit("/", 1)[-1]
    return name if len(name) >= 3 else f"{name}-app"


def _api() -> tuple[str | None, str]:
    token = os.environ.get("NORTHFLANK_API_TOKEN") or None
    return token, os.environ.get("NORTHFLANK_API_URL") or DEFAULT_API_URL


def _ensure_git_ignored(path: Path) -> None:
    """Secrets never reach a tracked file: add the settings file to .gitignore when git would see it."""
    check = subprocess.run(
        ["git", "check-ignore", "-q", str(path)], capture_output=True, check=False
    )
    if check.returncode != 1:  # 0: ignored already; 128: not a git repository
        return
    top = _git("rev-parse", "--show-toplevel")
    if top is None:
        return
    gitignore = Path(top) / ".gitignore"
    existing = gitignore.read_text() if gitignore.exists() else ""
    separator = "" if not existing or existing.endswith("\n") else "\n"
    gitignore.write_text(f"{existing}{separator}{path.name}\n")
    click.echo(f"added {path.name} to {gitignore}")


@infra.command()
@click.option("--non-interactive", is_flag=True, help="no prompts: flags, the file or defaults")
@click.option("--project", help="Northflank project name")
@click.option("--repo", help="git repository URL (default: the origin remote)")
@click.option("--branch", help="branch to deploy (default: current)")
@click.option("--region", help=f"region (default {DEFAULT_REGION})")
@click.option("--plan", help=f"compute plan of service and database ({DEFAULT_PLAN})")
@click.option("--rotate-secret", is_flag=True, help="generate a new BETTER_AUTH_SECRET")
@config_option
def setup(
    non_interactive: bool,
    project: str | None,
    repo: str | None,
    branch: str | None,
    region: str | None,
    plan: str | None,
    rotate_secret: bool,
    config_path: Path,
) -> None:
    """Choose the Northflank project settings and save them; check the API token when it is set."""
    try:
        saved = read_config_file(config_path)
    except ConfigError as error:
        fail(str(error))
    origin = _git("remote", "get-url", "origin")
    current_branch = _git("rev-parse", "--abbrev-ref", "HEAD")
    defaults = {
        "project_name": project or saved.get("project_name") or _default_project_name(),
        "repo_url": repo or saved.get("repo_url") or (origin and normalise_repo_url(origin)) or "",
        "branch": branch
        or saved.get("branch")
        or (current_branch if current_branch != "HEAD" else None)
        or "main",
        "region": region or saved.get("region") or DEFAULT_REGION,
        "plan": plan or saved.get("plan") or DEFAULT_PLAN,
    }
    values = {key: str(value) for key, value in defaults.items()}
    if not non_interactive:
        values["project_name"] = click.prompt("Project name", default=values["project_name"])
        values["repo_url"] = click.prompt("Git repository URL", default=values["repo_url"] or None)
        values["branch"] = click.prompt("Branch to deploy", default=values["branch"])
        click.echo("Regions: " + ", ".join(REGIONS))
        values["region"] = click.prompt("Region", default=values["region"])
        values["plan"] = click.prompt("Compute plan", default=values["plan"])
    if not values["repo_url"]:
        fail("no git repository URL: pass --repo https://github.com/OWNER/NAME")
    secret = (
        os.environ.get("BETTER_AUTH_SECRET")
        or (None if rotate_secret else saved.get("auth_secret"))
        or generate_auth_secret()
    )
    try:
        config = NorthflankConfig(
            project_name=values["project_name"],
            repo_url=normalise_repo_url(values["repo_url"]),
            auth_secret=str(secret),
            branch=values["branch"],
            region=values["region"],
            plan=values["plan"],
            database_storage_mb=int(str(saved.get("database_storage_mb", 4096))),
        ).validate()
    except ConfigError as error:
        fail(str(error))
    if config.region not in REGIONS:
        warn(f"{config.region} is not a region Tandem knows; using it anyway")
    if os.environ.get("BETTER_AUTH_SECRET"):
        click.echo("using BETTER_AUTH_SECRET from the environment")
    save_config(config_path, config)
    _ensure_git_ignored(config_path)
    ok(f"saved {config_path} (mode 600; it holds BETTER_AUTH_SECRET)")
    token, base_url = _api()
    if token is None:
        click.echo(
            "NORTHFLANK_API_TOKEN is not set: the token and the git link were not checked. "
            "Create a token under Team → Settings → API → Tokens."
        )
    else:
        try:
            login = asyncio.run(_preflight(token, base_url, config))
        except NorthflankError as error:
            fail(str(error))
        ok(f"API token accepted; {config.vcs_type} account {login} can see {config.repo_full_name}")
    click.echo(
        "Next: `pnpm infra:deploy` (or `uv run tandem infra deploy`). For the Deploy workflow, set "
        "the repository secrets NORTHFLANK_API_TOKEN and BETTER_AUTH_SECRET (the authSecret in "
        f"{config_path.name}) and the variable NORTHFLANK_PROJECT_NAME={config.project_name}."
    )


async def _preflight(token: str, base_url: str, config: NorthflankConfig) -> str:
    async with NorthflankApi(token, base_url) as api:
        return await preflight(api, config)


@infra.command()
@click.option("--sha", help="commit to build (default: HEAD of this checkout)")
@click.option("--dry-run", is_flag=True, help="print the requests (secrets masked), send none")
@click.option("--wait/--no-wait", default=True, help="wait until the new build serves")
@click.option("--timeout", type=float, default=1800, help="seconds to wait for build and deploy")
@click.option("--poll-interval", type=float, default=5.0, help="seconds between status polls")
@click.option(
    "--github-output",
    type=click.Path(path_type=Path),
    help="append url=<public URL> to this file ($GITHUB_OUTPUT)",
)
@config_option
def deploy(
    sha: str | None,
    dry_run: bool,
    wait: bool,
    timeout: float,
    poll_interval: float,
    github_output: Path | None,
    config_path: Path,
) -> None:
    """Provision (idempotently) and deploy one commit on Northflank, then print the public URL."""
    try:
        config = load_config(config_path)
    except ConfigError as error:
        fail(str(error))
    commit = sha or _git("rev-parse", "HEAD")
    token, base_url = _api()
    if dry_run:
        click.echo(f"Dry run against {base_url}: nothing is sent.\n")
        for number, request in enumerate(dry_run_plan(config, commit), 1):
            click.echo(f"{number}. {request.describe()}\n")
        return
    if token is None:
        click.echo(manual_steps(config))
        fail("NORTHFLANK_API_TOKEN is not set: nothing was deployed (steps above)")
    try:
        url = asyncio.run(_deploy(token, base_url, config, commit, wait, timeout, poll_interval))
    except NorthflankError as error:
        fail(str(error))
    if not wait:
        ok(f"build started; not waiting for it (--no-wait). URL: {url or '-'}")
        return
    ok(f"deployed: {url}")
    if github_output is not None:
        with github_output.open("a") as file:
            file.write(f"url={url}\n")


async def _deploy(
    token: str,
    base_url: str,
    config: NorthflankConfig,
    sha: str | None,
    wait: bool,
    max_wait: float,
    poll_interval: float,
) -> str | None:
    def progress(message: str) -> None:
        click.echo(f"  {message}")

    async with NorthflankApi(token, base_url) as api:
        progress(f"checking the token and the {config.vcs_type} link")
        await preflight(api, config)
        return await run_deploy(
            api,
            config,
            sha,
            progress=progress,
            wait=wait,
            poll_interval=poll_interval,
            max_wait=max_wait,
        )


def _project_options(command: Callable[..., None]) -> Callable[..., None]:
    for option in reversed(
        [
            click.option("--project", help="project name (default: package.json's name)"),
            click.option("--repo", help="GitHub owner/name (default: the origin remote)"),
            click.option(
                "--api-url",
                default=EXAMPLE_API_URL,
                show_default=True,
                help="where the API runs, for SPA-only hosts (Vercel, Netlify)",
            ),
        ]
    ):
        command = option(command)
    return command


def _values(project: str | None, repo: str | None, api_url: str) -> ProjectValues:
    origin = _git("remote", "get-url", "origin")
    repo = repo or (origin and normalise_repo_url(origin).split("/", 3)[-1])
    name = project or _default_project_name()
    return ProjectValues(name, repo, api_url) if repo else ProjectValues(name, api_url=api_url)


def _config_names() -> str:
    return ", ".join(CONFIGS)


@infra.command()
@click.argument("config")
@_project_options
def render(config: str, project: str | None, repo: str | None, api_url: str) -> None:
    """Print one platform config file for this project."""
    if config not in CONFIGS:
        fail(f"unknown config {config!r}; choose one of: {_config_names()}")
    click.echo(render_config(config, _values(project, repo, api_url)), nl=False)


@infra.command()
@click.argument("configs", nargs=-1)
@_project_options
@click.option(
    "--dir", "directory", type=click.Path(path_type=Path), default=Path(), help="project root"
)
@click.option("--force", is_flag=True, help="overwrite files that differ")
def write(
    configs: tuple[str, ...],
    project: str | None,
    repo: str | None,
    api_url: str,
    directory: Path,
    force: bool,
) -> None:
    """Write platform config files into the project (existing, different files are kept)."""
    names = list(configs) or list(CONFIGS)
    unknown = [name for name in names if name not in CONFIGS]
    if unknown:
        fail(f"unknown config {unknown[0]!r}; choose from: {_config_names()}")
    values = _values(project, repo, api_url)
    kept = False
    for name in names:
        outcome = write_config(directory, name, values, force=force)
        kept = kept or outcome == "kept"
        click.echo(f"{outcome:>9}  {CONFIGS[name].path}")
    if kept:
        click.echo("files marked kept differ from the template; --force overwrites them")


@infra.command("list")
def list_configs() -> None:
    """The platform configs `render` and `write` know."""
    for config in CONFIGS.values():
        click.echo(f"{config.name:<24} {config.path:<40} {config.description}")
