"""`tandem build`: what `pnpm --filter @repo/api build` and `@repo/web build` do."""

from __future__ import annotations

import compileall

import click

from tandem.cli.console import fail, ok
from tandem.cli.gen import write_types
from tandem.cli.runtime import load_runtime
from tandem.cli.web import build_web


@click.command()
@click.option("--api", is_flag=True, help="only the API: types, bytecode, import check")
@click.option("--web", is_flag=True, help="only the SPA")
def build(api: bool, web: bool) -> None:
    """Build the API (generated types, bytecode, an import check) and the SPA."""
    runtime = load_runtime()
    project = runtime.project
    both = not api and not web
    if api or both:
        write_types(project)
        if not compileall.compile_dir(str(project.root / "apps" / "api" / "src"), quiet=1):
            fail("byte-compiling the API failed")
        project.load("app")
        ok("API built")
    if web or both:
        build_web(project.web_dir)
