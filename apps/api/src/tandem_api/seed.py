"""Demo data: a signed-up user with a few tasks (`tandem db seed`). Safe to run again."""

from __future__ import annotations

import uuid

from tandem.auth.ids import new_id
from tandem.auth.passwords import hash_password
from tandem.db import Database

from tandem_api.settings import Settings

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password-123"
DEMO_TASKS = ["Read the README", "Start the dev server", "Add a procedure", "Ship it"]


async def seed(database: Database, settings: Settings) -> str:
    async with database.transaction() as conn:
        user_id = await conn.fetchval('SELECT id FROM "user" WHERE email = $1', DEMO_EMAIL)
        if user_id is not None:
            return f"demo user {DEMO_EMAIL} already exists"
        user_id = new_id()
        await conn.execute(
            'INSERT INTO "user" (id, name, email, "emailVerified") VALUES ($1, $2, $3, true)',
            user_id,
            "Demo User",
            DEMO_EMAIL,
        )
        await conn.execute(
            'INSERT INTO account (id, "accountId", "providerId", "userId", password, "updatedAt") '
            "VALUES ($1, $2, 'credential', $2, $3, now())",
            new_id(),
            user_id,
            await hash_password(DEMO_PASSWORD),
        )
        for title in DEMO_TASKS:
            await conn.execute(
                'INSERT INTO task (id, "userId", title) VALUES ($1, $2, $3)',
                str(uuid.uuid4()),
                user_id,
                title,
            )
    return f"seeded {DEMO_EMAIL} / {DEMO_PASSWORD} with {len(DEMO_TASKS)} tasks"
