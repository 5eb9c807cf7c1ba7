"""One normaliser for every provider's DATABASE_URL shape (deploy-targets.md §6)."""

from __future__ import annotations

import pytest
from tandem.db.url import DatabaseUrlError, normalize_database_url


def test_northflank_with_sslmode_require() -> None:
    config = normalize_database_url(
        "postgresql://_u:_p@primary.db--abc123.addon.code.run:5432/_db?sslmode=require"
    )
    assert config.dsn == "postgresql://_u:_p@primary.db--abc123.addon.code.run:5432/_db"
    assert config.ssl == "require"
    assert not config.transaction_pooler
    assert config.connect_kwargs() == {"statement_cache_size": 1024, "ssl": "require"}


def test_railway_internal_url_is_kept_as_is() -> None:
    config = normalize_database_url(
        "postgresql://postgres:pw@postgres.railway.internal:5432/railway"
    )
    assert config.dsn == "postgresql://postgres:pw@postgres.railway.internal:5432/railway"
    assert config.ssl is None


def test_render_postgres_scheme_becomes_postgresql() -> None:
    config = normalize_database_url("postgres://user:pw@dpg-xxx-a/db")
    assert config.dsn == "postgresql://user:pw@dpg-xxx-a/db"
    assert config.sqlalchemy_url == "postgresql+asyncpg://user:pw@dpg-xxx-a/db"


def test_neon_pooler_strips_channel_binding_and_disables_statement_cache() -> None:
    config = normalize_database_url(
        "postgresql://neondb_owner:pw@ep-cool-1234-pooler.eu-central-1.aws.neon.tech/neondb"
        "?sslmode=require&channel_binding=require"
    )
    assert "channel_binding" not in config.dsn and "sslmode" not in config.dsn
    assert config.ssl == "require"
    assert config.transaction_pooler
    assert config.connect_kwargs()["statement_cache_size"] == 0
    assert config.server_settings == {}


def test_neon_direct_endpoint_is_not_a_pooler() -> None:
    config = normalize_database_url(
        "postgresql://u:pw@ep-cool-1234.eu-central-1.aws.neon.tech/neondb?sslmode=require"
    )
    assert not config.transaction_pooler


def test_supabase_transaction_port_is_a_pooler_session_port_is_not() -> None:
    host = "postgres.ref:pw@aws-0-eu-central-1.pooler.supabase.com"
    assert normalize_database_url(
        f"postgresql://{host}:6543/postgres?sslmode=require"
    ).transaction_pooler
    assert not normalize_database_url(
        f"postgresql://{host}:5432/postgres?sslmode=require"
    ).transaction_pooler


def test_github_actions_service_url() -> None:
    config = normalize_database_url("postgresql://postgres:postgres@localhost:5432/app_test")
    assert config.dsn == "postgresql://postgres:postgres@localhost:5432/app_test"
    assert config.connect_kwargs() == {"statement_cache_size": 1024}


def test_sqlalchemy_driver_suffix_is_accepted() -> None:
    config = normalize_database_url("postgresql+asyncpg://u:p@h:5433/d")
    assert config.dsn == "postgresql://u:p@h:5433/d"


def test_pgbouncer_flag_and_explicit_override() -> None:
    assert normalize_database_url("postgresql://u@h/d?pgbouncer=true").transaction_pooler
    assert not normalize_database_url(
        "postgresql://u@h/d?pgbouncer=true", transaction_pooler=False
    ).transaction_pooler
    assert normalize_database_url("postgresql://u@h/d", transaction_pooler=True).transaction_pooler


def test_unknown_parameters_become_server_settings_but_libpq_ones_do_not() -> None:
    config = normalize_database_url(
        "postgresql://u@h/d?application_name=tandem&search_path=app&sslrootcert=x.pem"
    )
    assert config.server_settings == {"search_path": "app"}
    assert "application_name=tandem" in config.dsn
    assert "sslrootcert" not in config.dsn


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "empty"),
        ("mysql://u@h/d", "must start with postgresql://"),
        ("postgresql:///d", "no host"),
        ("postgresql://u@h:99999/d", "invalid port"),
        ("postgresql://u@h/d?sslmode=sometimes", "unknown sslmode"),
    ],
)
def test_unusable_urls_are_refused_with_a_reason(url: str, message: str) -> None:
    with pytest.raises(DatabaseUrlError, match=message):
        normalize_database_url(url)
