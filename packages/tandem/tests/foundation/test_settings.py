"""Settings: the original's variable names, every problem reported at once, one line each."""

from __future__ import annotations

from pathlib import Path

import pytest
from tandem.settings import SettingsError, TandemSettings, load_settings

GOOD_SECRET = "k" * 40
PRODUCTION = {
    "NODE_ENV": "production",
    "DATABASE_URL": "postgresql://u:p@db:5432/app",
    "BETTER_AUTH_SECRET": GOOD_SECRET,
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "NODE_ENV",
        "APP_ENV",
        "DATABASE_URL",
        "BETTER_AUTH_SECRET",
        "BETTER_AUTH_URL",
        "PORT",
        "NITRO_PORT",
        "TRUSTED_ORIGINS",
        "AUTH_RATE_LIMIT",
        "HOST",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def _problems(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> dict[str, str]:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SettingsError) as info:
        load_settings(TandemSettings)
    return {p.variable: f"{p.what} — {p.fix}" for p in info.value.problems}


def test_development_needs_nothing() -> None:
    settings = load_settings(TandemSettings)
    assert settings.app_env == "development"
    assert settings.listen_port == 3001
    assert settings.public_url == "http://127.0.0.1:3001"
    assert not settings.rate_limit_enabled


def test_production_with_everything_set(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in PRODUCTION.items():
        monkeypatch.setenv(key, value)
    settings = load_settings(TandemSettings)
    assert settings.is_production and settings.rate_limit_enabled and settings.json_logs
    assert settings.listen_host == "0.0.0.0"


def test_production_reports_both_missing_variables_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    problems = _problems(monkeypatch, {"NODE_ENV": "production"})
    assert set(problems) == {"DATABASE_URL", "BETTER_AUTH_SECRET"}
    assert "is not set" in problems["DATABASE_URL"]
    assert "openssl rand" in problems["BETTER_AUTH_SECRET"]


def test_short_secret_is_refused_in_any_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    problems = _problems(monkeypatch, {"BETTER_AUTH_SECRET": "too-short"})
    assert "at least 32" in problems["BETTER_AUTH_SECRET"]


def test_placeholder_secret_is_refused_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    problems = _problems(monkeypatch, {**PRODUCTION, "BETTER_AUTH_SECRET": "changeme-" + "x" * 40})
    assert "placeholder" in problems["BETTER_AUTH_SECRET"]


def test_invalid_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    problems = _problems(monkeypatch, {"DATABASE_URL": "mysql://u@h/d"})
    assert "postgresql://" in problems["DATABASE_URL"]


def test_invalid_port_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    problems = _problems(monkeypatch, {"NITRO_PORT": "eighty", "NODE_ENV": "staging"})
    assert set(problems) == {"NITRO_PORT", "APP_ENV"} or set(problems) == {"NITRO_PORT", "NODE_ENV"}


def test_port_injected_by_a_host_wins_over_nitro_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NITRO_PORT", "4000")
    monkeypatch.setenv("PORT", "10000")
    assert load_settings(TandemSettings).listen_port == 10000


def test_env_files_are_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("NITRO_PORT=4100\nBETTER_AUTH_URL=https://app.example.com/\n")
    (tmp_path / ".env.local").write_text("NITRO_PORT=4200\n")
    settings = load_settings(TandemSettings)
    assert settings.listen_port == 4200
    assert settings.public_url == "https://app.example.com"


def test_development_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    settings = load_settings(TandemSettings)
    first = settings.development_secret()
    assert len(first) >= 32
    assert load_settings(TandemSettings).development_secret() == first
    assert (tmp_path / ".tandem" / "auth-secret").stat().st_mode & 0o777 == 0o600


def test_trusted_origins_must_be_origins(monkeypatch: pytest.MonkeyPatch) -> None:
    problems = _problems(monkeypatch, {"TRUSTED_ORIGINS": "https://ok.example.com, not-an-origin"})
    assert "not-an-origin" in problems["TRUSTED_ORIGINS"]


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("RENDER_EXTERNAL_URL", "https://tandem.onrender.com/", "https://tandem.onrender.com"),
        ("RAILWAY_PUBLIC_DOMAIN", "tandem.up.railway.app", "https://tandem.up.railway.app"),
        ("FLY_APP_NAME", "tandem", "https://tandem.fly.dev"),
        (
            "NF_HOSTS",
            "site--tandem--abc.code.run,other.example.com",
            "https://site--tandem--abc.code.run",
        ),
    ],
)
def test_public_url_falls_back_to_the_platforms_announced_url(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    assert load_settings(TandemSettings).public_url == expected
    monkeypatch.setenv("BETTER_AUTH_URL", "https://explicit.example.com")
    assert load_settings(TandemSettings).public_url == "https://explicit.example.com"


def test_the_process_environment_wins_over_env_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("NITRO_PORT=4100\nnode_env=production\n")
    (tmp_path / ".env.local").write_text("NITRO_PORT=4200\n")
    monkeypatch.setenv("NITRO_PORT", "4300")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db/app")
    monkeypatch.setenv("better_auth_secret", GOOD_SECRET)  # names in any case
    settings = load_settings(TandemSettings)
    assert settings.listen_port == 4300
    assert settings.is_production  # from .env, lower-case name


def test_app_env_wins_over_node_env_and_keywords_win_over_both(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NODE_ENV", "production")
    monkeypatch.setenv("APP_ENV", "test")
    assert load_settings(TandemSettings).app_env == "test"
    assert load_settings(TandemSettings, app_env="development").app_env == "development"


def test_an_invalid_value_names_the_variable_that_was_set(monkeypatch: pytest.MonkeyPatch) -> None:
    problems = _problems(monkeypatch, {"WEB_CONCURRENCY": "many", "PG_POOL_MAX": "0"})
    assert set(problems) == {"WEB_CONCURRENCY", "PG_POOL_MAX"}


def test_application_fields_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    class AppSettings(TandemSettings):
        feature_flag: bool = False
        github_client_id: str | None = None

    monkeypatch.setenv("FEATURE_FLAG", "true")
    monkeypatch.setenv("GITHUB_CLIENT_ID", "abc")
    settings = load_settings(AppSettings)
    assert settings.feature_flag is True and settings.github_client_id == "abc"
