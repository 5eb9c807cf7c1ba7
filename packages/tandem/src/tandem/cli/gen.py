"""`tandem gen`: the TypeScript `AppRouter` types (and OpenAPI) from the Python router."""

from __future__ import annotations

import click

from tandem.cli.console import fail, ok
from tandem.cli.runtime import load_runtime
from tandem.project import Project


def render_types(project: Project) -> str:
    from tandem.trpc.codegen import render_typescript

    return render_typescript(project.load("router"))


def write_types(project: Project) -> bool:
    """Write the generated file; True when it changed."""
    target = project.path("typescript")
    content = render_types(project)
    if target.exists() and target.read_text() == content:
        ok(f"{target.relative_to(project.root)} is up to date")
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content)
    ok(f"wrote {target.relative_to(project.root)}")
    return True


@click.command()
@click.option("--check", is_flag=True, help="fail if the checked-in file is stale")
def gen(check: bool) -> None:
    """Generate the TypeScript router types the SPA imports."""
    runtime = load_runtime()
    project = runtime.project
    if check:
        target = project.path("typescript")
        if not target.exists() or target.read_text() != render_types(project):
            fail(
                f"{target.relative_to(project.root)} is stale: run `tandem gen` (or `pnpm gen`) and commit it"
            )
        ok(f"{target.relative_to(project.root)} matches the router")
        return
    write_types(project)
