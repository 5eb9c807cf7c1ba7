"""Better Auth's rate limiter, kept in PostgreSQL so every instance shares the counts.

Per `<client>|<path>`: allowed while fewer than `max` requests came since the window last restarted;
every allowed request moves `lastRequest` to now (so a steady stream never resets), refused ones do not.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from dataclasses import dataclass

from tandem.auth.ids import new_id
from tandem.auth.names import AuthTableNames
from tandem.auth.store import quote
from tandem.db.database import Database

log = logging.getLogger("tandem.auth")
SWEEP_EVERY_MS = 10 * 60 * 1000
"""Rows idle longer than this (well past the longest window) are deleted, at most this often."""
STRICT_PREFIXES = ("/sign-in", "/sign-up", "/change-password", "/change-email")
MAIL_PATHS = ("/request-password-reset", "/send-verification-email")


@dataclass(frozen=True)
class Rule:
    window: int
    """seconds"""
    max: int


def rule_for(path: str, default: Rule) -> Rule:
    if path.startswith(STRICT_PREFIXES):
        return Rule(10, 3)
    if path in MAIL_PATHS or path.startswith("/forget-password"):
        return Rule(60, 3)
    return default


class RateLimiter:
    def __init__(self, database: Database, names: AuthTableNames, default: Rule) -> None:
        self.db = database
        self.default = default
        table = quote(names.table("rateLimit"))

        def c(f: str) -> str:
            return quote(names.column("rateLimit", f))

        # The WHERE makes a refused request leave the row alone and return nothing.
        self.sql_hit = (
            f"INSERT INTO {table} AS r ({c('id')}, {c('key')}, {c('count')}, {c('lastRequest')}) "
            f"VALUES ($1, $2, 1, $3) ON CONFLICT ({c('key')}) DO UPDATE SET "
            f"{c('count')} = CASE WHEN $3 - r.{c('lastRequest')} >= $4 THEN 1 ELSE r.{c('count')} + 1 END, "
            f"{c('lastRequest')} = $3 "
            f"WHERE $3 - r.{c('lastRequest')} >= $4 OR r.{c('count')} < $5 RETURNING r.{c('count')}"
        )
        self.sql_last = f"SELECT {c('lastRequest')} FROM {table} WHERE {c('key')} = $1"
        self.sql_sweep = f"DELETE FROM {table} WHERE {c('lastRequest')} < $1"
        self._last_sweep = 0
        self._tasks: set[asyncio.Task[None]] = set()

    async def hit(self, subject: str, path: str) -> int | None:
        """None when allowed, else the seconds until the window reopens."""
        rule = rule_for(path, self.default)
        key = f"{subject}|{path}"
        now_ms = int(time.time() * 1000)
        window_ms = rule.window * 1000
        if now_ms - self._last_sweep >= SWEEP_EVERY_MS:
            self._last_sweep = now_ms
            task = asyncio.get_running_loop().create_task(self._sweep(now_ms - SWEEP_EVERY_MS))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        allowed = await self.db.fetchval(self.sql_hit, new_id(), key, now_ms, window_ms, rule.max)
        if allowed is not None:
            return None
        last = await self.db.fetchval(self.sql_last, key)
        remaining = (int(last or now_ms) + window_ms - now_ms) / 1000
        return max(1, math.ceil(remaining))

    async def _sweep(self, before_ms: int) -> None:
        try:
            await self.db.execute(self.sql_sweep, before_ms)
        except Exception:
            log.exception("sweeping the rate-limit table failed")

    async def close(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
