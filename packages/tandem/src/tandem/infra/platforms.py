"""Config files for every platform, rendered for one project from the templates in `templates/`.

The repository's own copies (Dockerfile, render.yaml, workflows, …) are these templates rendered for
"tandem"; a test keeps the two identical.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from tandem.infra.northflank.config import slugify

DEFAULT_API_URL = "https://api.example.com"


@dataclass(frozen=True)
class PlatformConfig:
    name: str
    path: str
    """Where the file goes, relative to the project root."""
    template: str
    description: str


CONFIGS = {
    config.name: config
    for config in (
        PlatformConfig("dockerfile", "Dockerfile", "Dockerfile", "production image (API + SPA)"),
        PlatformConfig("dockerignore", ".dockerignore", "dockerignore", "Docker build context"),
        PlatformConfig("render", "render.yaml", "render.yaml", "Render Blueprint"),
        PlatformConfig("fly", "fly.toml", "fly.toml", "Fly.io app"),
        PlatformConfig("railway", ".railway/railway.py", "railway.py.tmpl", "Railway IaC"),
        PlatformConfig("vercel", "vercel.json", "vercel.json", "Vercel (SPA, API proxied)"),
        PlatformConfig("netlify", "netlify.toml", "netlify.toml", "Netlify (SPA, API proxied)"),
        PlatformConfig("github-ci", ".github/workflows/ci.yml", "ci.yml", "GitHub Actions checks"),
        PlatformConfig(
            "github-deploy", ".github/workflows/deploy.yml", "deploy.yml", "trunk deploy"
        ),
        PlatformConfig(
            "github-northflank-setup",
            ".github/workflows/northflank-setup.yml",
            "northflank-setup.yml",
            "first-time Northflank setup",
        ),
        PlatformConfig(
            "github-zizmor", ".github/zizmor.yml", "zizmor.yml", "workflow audit policy"
        ),
    )
}


@dataclass(frozen=True)
class ProjectValues:
    """What differs between projects in the rendered files."""

    name: str
    """Project name; rendered as its slug (`My App` → `my-app`)."""
    repo: str = "acme/tandem"
    """GitHub `owner/name` (Railway's source)."""
    api_url: str = DEFAULT_API_URL
    """Where the API runs when the SPA is hosted separately (Vercel, Netlify)."""


def render_config(name: str, values: ProjectValues) -> str:
    """The file `name` (a key of CONFIGS) for this project; raises KeyError for an unknown name."""
    config = CONFIGS[name]
    text = files("tandem.infra").joinpath("templates", config.template).read_text()
    slug = slugify(values.name)
    replacements = {
        "__PROJECT__": slug,
        "__DATABASE__": slug.replace("-", "_"),
        "__REPO__": values.repo,
        "__API_URL__": values.api_url.rstrip("/"),
    }
    return re.sub("|".join(replacements), lambda match: replacements[match.group(0)], text)


def write_config(root: Path, name: str, values: ProjectValues, *, force: bool) -> str:
    """Write one file under `root`; returns what happened: written, unchanged or kept (exists)."""
    path = root / CONFIGS[name].path
    text = render_config(name, values)
    if path.exists():
        if path.read_text() == text:
            return "unchanged"
        if not force:
            return "kept"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return "written"
