"""`tandem infra`: set up and deploy on Northflank, and write the other platforms' config files."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

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

app = typer.Typer(
    help="Deploy: Northflank through its API; config files for Railway, Render, Fly, Vercel, Netlify.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ConfigPath = Annotated[
    Path, typer.Option("--config", help="settings file (git-ignored; holds BETTER_AUTH_SECRET)")
]


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _fail(message: str) -> typer.Exit:
    Console(stderr=True, highlight=False, soft_wrap=True).print(f"[red]✗[/] {message}")
    return typer.Exit(1)


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


def _ensure_git_ignored(path: Path, console: Console) -> None:
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
    console.print(f"added {path.name} to {gitignore}")


@app.command()
def setup(
    non_interactive: Annotated[
        bool, typer.Option("--non-interactive", help="no prompts: flags, the file or defaults")
    ] = False,
    project: Annotated[str | None, typer.Option(help="Northflank project name")] = None,
    repo: Annotated[
        str | None, typer.Option(help="git repository URL (default: the origin remote)")
    ] = None,
    branch: Annotated[str | None, typer.Option(help="branch to deploy (default: current)")] = None,
    region: Annotated[str | None, typer.Option(help=f"region (default {DEFAULT_REGION})")] = None,
    plan: Annotated[
        str | None, typer.Option(help=f"compute plan of service and database ({DEFAULT_PLAN})")
    ] = None,
    rotate_secret: Annotated[
        bool, typer.Option("--rotate-secret", help="generate a new BETTER_AUTH_SECRET")
    ] = False,
    config_path: ConfigPath = Path(CONFIG_FILE),
) -> None:
    """Choose the Northflank project settings and save them; check the API token when it is set."""
    console = _out()
    try:
        saved = read_config_file(config_path)
    except ConfigError as error:
        raise _fail(str(error)) from None
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
        values["project_name"] = typer.prompt("Project name", default=values["project_name"])
        values["repo_url"] = typer.prompt("Git repository URL", default=values["repo_url"] or None)
        values["branch"] = typer.prompt("Branch to deploy", default=values["branch"])
        console.print("Regions: " + ", ".join(REGIONS))
        values["region"] = typer.prompt("Region", default=values["region"])
        values["plan"] = typer.prompt("Compute plan", default=values["plan"])
    if not values["repo_url"]:
        raise _fail("no git repository URL: pass --repo https://github.com/OWNER/NAME")
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
        raise _fail(str(error)) from None
    if config.region not in REGIONS:
        console.print(f"[yellow]![/] {config.region} is not a region Tandem knows; using it anyway")
    if os.environ.get("BETTER_AUTH_SECRET"):
        console.print("using BETTER_AUTH_SECRET from the environment")
    save_config(config_path, config)
    _ensure_git_ignored(config_path, console)
    console.print(f"[green]✓[/] saved {config_path} (mode 600; it holds BETTER_AUTH_SECRET)")
    token, base_url = _api()
    if token is None:
        console.print(
            "NORTHFLANK_API_TOKEN is not set: the token and the git link were not checked. "
            "Create a token under Team → Settings → API → Tokens."
        )
    else:
        try:
            login = asyncio.run(_preflight(token, base_url, config))
        except NorthflankError as error:
            raise _fail(str(error)) from None
        console.print(
            f"[green]✓[/] API token accepted; {config.vcs_type} account {login} "
            f"can see {config.repo_full_name}"
        )
    console.print(
        "Next: `pnpm infra:deploy` (or `uv run tandem infra deploy`). For the Deploy workflow, set "
        "the repository secrets NORTHFLANK_API_TOKEN and BETTER_AUTH_SECRET (the authSecret in "
        f"{config_path.name}) and the variable NORTHFLANK_PROJECT_NAME={config.project_name}."
    )


async def _preflight(token: str, base_url: str, config: NorthflankConfig) -> str:
    async with NorthflankApi(token, base_url) as api:
        return await preflight(api, config)


@app.command()
def deploy(
    sha: Annotated[
        str | None, typer.Option(help="commit to build (default: HEAD of this checkout)")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="print the requests (secrets masked), send none")
    ] = False,
    wait: Annotated[bool, typer.Option(help="wait until the new build serves")] = True,
    timeout: Annotated[float, typer.Option(help="seconds to wait for build and deploy")] = 1800,
    poll_interval: Annotated[float, typer.Option(help="seconds between status polls")] = 5.0,
    github_output: Annotated[
        Path | None, typer.Option(help="append url=<public URL> to this file ($GITHUB_OUTPUT)")
    ] = None,
    config_path: ConfigPath = Path(CONFIG_FILE),
) -> None:
    """Provision (idempotently) and deploy one commit on Northflank, then print the public URL."""
    console = _out()
    try:
        config = load_config(config_path)
    except ConfigError as error:
        raise _fail(str(error)) from None
    commit = sha or _git("rev-parse", "HEAD")
    token, base_url = _api()
    if dry_run:
        console.print(f"Dry run against {base_url}: nothing is sent.\n")
        for number, request in enumerate(dry_run_plan(config, commit), 1):
            console.print(f"[bold]{number}.[/] {request.describe()}\n", markup=True)
        return
    if token is None:
        console.print(manual_steps(config))
        raise _fail("NORTHFLANK_API_TOKEN is not set: nothing was deployed (steps above)")
    try:
        url = asyncio.run(
            _deploy(token, base_url, config, commit, console, wait, timeout, poll_interval)
        )
    except NorthflankError as error:
        raise _fail(str(error)) from None
    if not wait:
        console.print(
            f"[green]✓[/] build started; not waiting for it (--no-wait). URL: {url or '-'}"
        )
        return
    console.print(f"[green]✓[/] deployed: {url}")
    if github_output is not None:
        with github_output.open("a") as file:
            file.write(f"url={url}\n")


async def _deploy(
    token: str,
    base_url: str,
    config: NorthflankConfig,
    sha: str | None,
    console: Console,
    wait: bool,
    max_wait: float,
    poll_interval: float,
) -> str | None:
    def progress(message: str) -> None:
        console.print(f"  {message}")

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


ProjectOption = Annotated[
    str | None, typer.Option("--project", help="project name (default: package.json's name)")
]
RepoOption = Annotated[
    str | None, typer.Option("--repo", help="GitHub owner/name (default: the origin remote)")
]
ApiUrlOption = Annotated[
    str, typer.Option("--api-url", help="where the API runs, for SPA-only hosts (Vercel, Netlify)")
]


def _values(project: str | None, repo: str | None, api_url: str) -> ProjectValues:
    origin = _git("remote", "get-url", "origin")
    repo = repo or (origin and normalise_repo_url(origin).split("/", 3)[-1])
    name = project or _default_project_name()
    return ProjectValues(name, repo, api_url) if repo else ProjectValues(name, api_url=api_url)


def _config_names() -> str:
    return ", ".join(CONFIGS)


@app.command()
def render(
    config: Annotated[str, typer.Argument(help="one of the names `tandem infra list` shows")],
    project: ProjectOption = None,
    repo: RepoOption = None,
    api_url: ApiUrlOption = EXAMPLE_API_URL,
) -> None:
    """Print one platform config file for this project."""
    if config not in CONFIGS:
        raise _fail(f"unknown config {config!r}; choose one of: {_config_names()}")
    typer.echo(render_config(config, _values(project, repo, api_url)), nl=False)


@app.command()
def write(
    configs: Annotated[
        list[str] | None, typer.Argument(help="names of the configs (default: all)")
    ] = None,
    project: ProjectOption = None,
    repo: RepoOption = None,
    api_url: ApiUrlOption = EXAMPLE_API_URL,
    directory: Annotated[Path, typer.Option("--dir", help="project root")] = Path(),
    force: Annotated[bool, typer.Option(help="overwrite files that differ")] = False,
) -> None:
    """Write platform config files into the project (existing, different files are kept)."""
    console = _out()
    names = configs or list(CONFIGS)
    unknown = [name for name in names if name not in CONFIGS]
    if unknown:
        raise _fail(f"unknown config {unknown[0]!r}; choose from: {_config_names()}")
    values = _values(project, repo, api_url)
    kept = False
    for name in names:
        outcome = write_config(directory, name, values, force=force)
        kept = kept or outcome == "kept"
        console.print(f"{outcome:>9}  {CONFIGS[name].path}")
    if kept:
        console.print("files marked kept differ from the template; --force overwrites them")


@app.command("list")
def list_configs() -> None:
    """The platform configs `render` and `write` know."""
    console = _out()
    for config in CONFIGS.values():
        console.print(f"{config.name:<24} {config.path:<40} {config.description}")
