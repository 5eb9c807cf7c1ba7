"""The deploy settings of one project: `.northflank.json` (git-ignored, mode 0600) plus environment overrides.

The file holds `BETTER_AUTH_SECRET`, so it is written owner-only and never committed. In CI there is no file:
every value comes from the environment (repository secrets and variables).
"""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

CONFIG_FILE = ".northflank.json"

DEFAULT_REGION = "europe-west"
DEFAULT_PLAN = "nf-compute-20"
REGIONS = (
    "europe-west",
    "europe-west-frankfurt",
    "europe-west-netherlands",
    "europe-west-zurich",
    "us-central",
    "us-east1",
    "us-east-ohio",
    "us-west",
    "us-west-california",
    "canada-central",
    "southamerica-east",
    "asia-east",
    "asia-northeast",
    "asia-southeast",
    "australia-southeast",
    "africa-south",
)

# Northflank's own constraints on resource names and plan ids (its API reference).
_NAME = re.compile(r"^[a-zA-Z]((-|\s)?[a-zA-Z0-9]+((-|\s)[a-zA-Z0-9]+)*)?$")
_PLAN = re.compile(r"^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$")
_SCP_LIKE = re.compile(r"^(?:[\w.-]+@)?(?P<host>[\w.-]+):(?P<path>[^/].*)$")
_VCS_BY_HOST = {"github.com": "github", "gitlab.com": "gitlab", "bitbucket.org": "bitbucket"}

# Environment variables that override (or, in CI, replace) the file.
_ENV_FIELDS = {
    "NORTHFLANK_PROJECT_NAME": "project_name",
    "NORTHFLANK_REPO_URL": "repo_url",
    "NORTHFLANK_BRANCH": "branch",
    "NORTHFLANK_REGION": "region",
    "NORTHFLANK_PLAN": "plan",
    "BETTER_AUTH_SECRET": "auth_secret",
}
_FILE_FIELDS = {
    "projectName": "project_name",
    "repoUrl": "repo_url",
    "branch": "branch",
    "region": "region",
    "plan": "plan",
    "databaseStorageMb": "database_storage_mb",
    "authSecret": "auth_secret",
}
_REQUIRED = (
    ("NORTHFLANK_PROJECT_NAME", "projectName", "project_name"),
    ("NORTHFLANK_REPO_URL", "repoUrl", "repo_url"),
    ("BETTER_AUTH_SECRET", "authSecret", "auth_secret"),
)


class ConfigError(ValueError):
    """The deploy settings are missing or invalid; the message says which and how to fix it."""


def slugify(name: str) -> str:
    """Northflank's id for a name: "My App" → "my-app"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def generate_auth_secret() -> str:
    return secrets.token_hex(32)


def normalise_repo_url(url: str) -> str:
    """An https URL without `.git` for any clone URL (`git@github.com:acme/app.git` included)."""
    url = url.strip()
    scp = _SCP_LIKE.match(url)
    if scp and "://" not in url:
        url = f"https://{scp['host']}/{scp['path']}"
    parts = urlsplit(url if "://" in url else "https://" + url)
    path = parts.path.rstrip("/").removesuffix(".git")
    return f"https://{parts.hostname}{path}"


@dataclass(frozen=True)
class NorthflankConfig:
    project_name: str
    repo_url: str
    auth_secret: str
    branch: str = "main"
    region: str = DEFAULT_REGION
    plan: str = DEFAULT_PLAN
    """Compute plan of the service and of the database."""
    database_storage_mb: int = 4096

    @property
    def project_id(self) -> str:
        return slugify(self.project_name)

    @property
    def service_id(self) -> str:
        return self.project_id

    @property
    def addon_id(self) -> str:
        return f"{self.project_id}-db"

    @property
    def secret_group_id(self) -> str:
        return f"{self.project_id}-secrets"

    @property
    def vcs_type(self) -> str:
        host = urlsplit(self.repo_url).hostname or ""
        return _VCS_BY_HOST.get(host, "self-hosted")

    @property
    def repo_full_name(self) -> str:
        """`owner/name` of the repository."""
        return urlsplit(self.repo_url).path.strip("/")

    def validate(self) -> NorthflankConfig:
        if not 3 <= len(self.project_name) <= 39 or not _NAME.match(self.project_name):
            raise ConfigError(
                f"project name {self.project_name!r} is invalid: 3-39 characters, start with a letter, "
                "then letters, digits, single hyphens or spaces"
            )
        if not _PLAN.match(self.plan):
            raise ConfigError(f"plan {self.plan!r} is invalid: use an id such as {DEFAULT_PLAN}")
        if self.repo_url.count("/") < 4 or not self.repo_url.startswith("https://"):
            raise ConfigError(
                f"repository URL {self.repo_url!r} is invalid: use https://host/owner/name"
            )
        if not self.branch:
            raise ConfigError("the git branch must not be empty")
        if len(self.auth_secret) < 32:
            raise ConfigError("BETTER_AUTH_SECRET must be at least 32 characters")
        return self

    def to_json(self) -> dict[str, object]:
        values = asdict(self)
        return {key: values[field] for key, field in _FILE_FIELDS.items()}


def read_config_file(path: Path) -> dict[str, object]:
    """The file's settings by field name; empty when the file does not exist."""
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from error
    if not isinstance(raw, dict):
        raise ConfigError(f"{path} must hold a JSON object")
    return {field: raw[key] for key, field in _FILE_FIELDS.items() if key in raw}


def load_config(path: Path, environ: Mapping[str, str] = os.environ) -> NorthflankConfig:
    """The file's settings with the environment's on top; raises ConfigError naming what is missing."""
    values = read_config_file(path)
    values.update({field: environ[var] for var, field in _ENV_FIELDS.items() if environ.get(var)})
    missing = [
        f"{var} (or {key} in {path.name})" for var, key, field in _REQUIRED if field not in values
    ]
    if missing:
        raise ConfigError(
            f"missing deploy settings: {', '.join(missing)}; run `tandem infra setup` first"
        )
    if "repo_url" in values:
        values["repo_url"] = normalise_repo_url(str(values["repo_url"]))
    try:
        return NorthflankConfig(**values).validate()  # type: ignore[arg-type]
    except TypeError as error:
        raise ConfigError(f"invalid settings in {path}: {error}") from error


def save_config(path: Path, config: NorthflankConfig) -> None:
    """Write the file readable by its owner only, also when it already existed with wider rights."""
    data = json.dumps(config.to_json(), indent=2) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as file:
        os.fchmod(file.fileno(), 0o600)
        file.write(data)
