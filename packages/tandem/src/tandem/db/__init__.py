"""Database access: URL normalisation, the asyncpg pool, the embedded development cluster."""

from tandem.db.database import Database, DatabaseUnavailable, PoolExhausted, create_database
from tandem.db.url import ConnectionConfig, DatabaseUrlError, normalize_database_url

__all__ = [
    "ConnectionConfig",
    "Database",
    "DatabaseUnavailable",
    "DatabaseUrlError",
    "PoolExhausted",
    "create_database",
    "normalize_database_url",
]
