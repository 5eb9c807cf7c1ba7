from tandem.db.migrations import run_migrations_env
from tandem_api.models import metadata

run_migrations_env(metadata)
