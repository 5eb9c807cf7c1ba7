"""Settings from the environment, under the TypeScript original's names.

Errors are collected, not raised one at a time, so a user sees every problem at once as one line each:
which variable, what is wrong, how to fix it.

Values come from, in order of precedence: keyword arguments, the process environment, `.env.local`, `.env`,
then the field's default. Variable names are the field names (or their validation aliases), any case. The
reading is ours rather than pydantic-settings': it is what every server start pays for, and a plain model
fed a dict costs a fraction of the import.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.fields import FieldInfo

from tandem.db.url import DatabaseUrlError, normalize_database_url

Environment = Literal["development", "production", "test"]
MIN_SECRET_LENGTH = 32
_PLACEHOLDER_PREFIXES = (
    "changeme",
    "change-me",
    "change_me",
    "your-secret",
    "secret",
    "replace",
    "xxx",
    "todo",
)


@dataclass(frozen=True)
class Problem:
    variable: str
    what: str
    fix: str

    def __str__(self) -> str:
        return f"{self.variable}: {self.what} — {self.fix}"


class SettingsError(Exception):
    """One or more settings are missing or invalid."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _platform_url() -> str | None:
    """The public URL hosting platforms announce, for when BETTER_AUTH_URL is not set."""
    if url := os.environ.get("RENDER_EXTERNAL_URL"):
        return url.rstrip("/")
    if domain := os.environ.get("RAILWAY_PUBLIC_DOMAIN"):
        return f"https://{domain}"
    if app := os.environ.get("FLY_APP_NAME"):
        return f"https://{app}.fly.dev"
    if hosts := os.environ.get("NF_HOSTS"):
        return f"https://{hosts.split(',')[0].strip()}"
    return None


ENV_FILES = (".env", ".env.local")


def _variable_names(name: str, field: FieldInfo) -> list[str]:
    alias = field.validation_alias
    if isinstance(alias, AliasChoices):
        return [choice.lower() for choice in alias.choices if isinstance(choice, str)]
    if isinstance(alias, str):
        return [alias.lower()]
    return [name]


def _environment() -> dict[str, str]:
    """The variables in effect: `.env`, overridden by `.env.local`, overridden by the process, lower-cased."""
    found: dict[str, str] = {}
    for file in ENV_FILES:
        if Path(file).is_file():
            from dotenv import dotenv_values

            found.update(
                (key.lower(), value)
                for key, value in dotenv_values(file, encoding="utf-8").items()
                if value is not None
            )
    found.update((key.lower(), value) for key, value in os.environ.items())
    return found


class TandemSettings(BaseModel):
    """The framework's settings. Applications subclass this to add their own fields."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    def __init__(self, **values: Any) -> None:
        environment = _environment()
        from_environment = {
            name: environment[variable]
            for name, field in type(self).model_fields.items()
            for variable in reversed(_variable_names(name, field))
            if variable in environment
        }
        super().__init__(**{**from_environment, **values})

    app_env: Environment = Field(
        default="development", validation_alias=AliasChoices("APP_ENV", "NODE_ENV")
    )
    database_url: str | None = None
    database_pooler: bool | None = Field(
        default=None,
        description="True behind a transaction-mode pooler (PgBouncer, Neon -pooler, Supabase :6543)",
    )
    pg_pool_max: int = Field(default=10, ge=1, le=500)
    better_auth_secret: str | None = None
    better_auth_url: str | None = None
    vite_api_url: str | None = None
    trusted_origins: str = ""
    host: str | None = None
    nitro_port: int = Field(default=3001, ge=1, le=65535)
    port: int | None = Field(
        default=None, ge=1, le=65535, description="injected by PaaS hosts; wins over NITRO_PORT"
    )
    workers: int = Field(
        default=1, ge=1, le=64, validation_alias=AliasChoices("WEB_CONCURRENCY", "WORKERS")
    )
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["json", "console"] | None = None
    auth_rate_limit: bool | None = None
    smtp_url: str | None = None
    email_from: str = "no-reply@tandem.test"
    state_dir: Path = Path(".tandem")
    web_dist: Path = Path("apps/web/dist")

    @field_validator("app_env", mode="before")
    @classmethod
    def _lower_env(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"

    @property
    def listen_port(self) -> int:
        return self.port or self.nitro_port

    @property
    def listen_host(self) -> str:
        return self.host or ("0.0.0.0" if self.is_production else "127.0.0.1")

    @property
    def public_url(self) -> str:
        if self.better_auth_url:
            return self.better_auth_url.rstrip("/")
        return _platform_url() or f"http://127.0.0.1:{self.listen_port}"

    @property
    def trusted_origin_list(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.trusted_origins.split(",") if o.strip()]

    @property
    def rate_limit_enabled(self) -> bool:
        return self.auth_rate_limit if self.auth_rate_limit is not None else self.is_production

    @property
    def json_logs(self) -> bool:
        return self.log_format == "json" if self.log_format else self.is_production

    def problems(self) -> list[Problem]:
        """Everything wrong with these settings for the current environment."""
        found: list[Problem] = []
        if self.database_url:
            try:
                normalize_database_url(self.database_url)
            except DatabaseUrlError as exc:
                found.append(
                    Problem(
                        "DATABASE_URL", str(exc), "use postgresql://user:password@host:5432/dbname"
                    )
                )
        elif self.is_production:
            found.append(
                Problem(
                    "DATABASE_URL",
                    "is not set",
                    "set it to your PostgreSQL URL (postgresql://user:pw@host/db)",
                )
            )
        secret = self.better_auth_secret
        if secret is None:
            if self.is_production:
                found.append(
                    Problem(
                        "BETTER_AUTH_SECRET",
                        "is not set",
                        "generate one with: openssl rand -base64 32",
                    )
                )
        elif len(secret) < MIN_SECRET_LENGTH:
            found.append(
                Problem(
                    "BETTER_AUTH_SECRET",
                    f"is {len(secret)} characters long; at least {MIN_SECRET_LENGTH} are needed",
                    "generate one with: openssl rand -base64 32",
                )
            )
        elif self.is_production and secret.lower().startswith(_PLACEHOLDER_PREFIXES):
            found.append(
                Problem(
                    "BETTER_AUTH_SECRET",
                    "is a placeholder value",
                    "generate one with: openssl rand -base64 32",
                )
            )
        if self.better_auth_url and not self.better_auth_url.startswith(("http://", "https://")):
            found.append(
                Problem(
                    "BETTER_AUTH_URL",
                    "must start with http:// or https://",
                    "e.g. https://app.example.com",
                )
            )
        for origin in self.trusted_origin_list:
            if not origin.startswith(("http://", "https://")):
                found.append(
                    Problem(
                        "TRUSTED_ORIGINS",
                        f"{origin!r} is not an origin",
                        "use comma-separated https://host values",
                    )
                )
        return found

    def development_secret(self) -> str:
        """The secret in use: the configured one, else one generated once and kept in the state folder."""
        if self.better_auth_secret:
            return self.better_auth_secret
        path = self.state_dir / "auth-secret"
        if path.exists():
            return path.read_text().strip()
        self.state_dir.mkdir(parents=True, exist_ok=True)
        value = secrets.token_urlsafe(48)
        path.write_text(value)
        path.chmod(0o600)
        return value


S = TypeVar("S", bound="TandemSettings")


def _describe_validation_error(cls: type[TandemSettings], exc: ValidationError) -> list[Problem]:
    environment = _environment()
    problems = []
    for error in exc.errors():
        name = str((error.get("loc") or ("settings",))[0])
        field = cls.model_fields.get(name)
        candidates = _variable_names(name, field) if field else [name]
        variable = next((v for v in candidates if v in environment), candidates[0])
        problems.append(
            Problem(
                variable.upper(),
                error.get("msg", "is invalid"),
                "check its value in the environment or .env",
            )
        )
    return problems


def load_settings(cls: type[S], **overrides: Any) -> S:
    """Load and validate settings, raising `SettingsError` with every problem found."""
    try:
        settings = cls(**overrides)
    except ValidationError as exc:
        raise SettingsError(_describe_validation_error(cls, exc)) from None
    problems = settings.problems()
    if problems:
        raise SettingsError(problems)
    return settings
