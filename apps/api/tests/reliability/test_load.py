"""Load and concurrency: many clients at once, and two server instances sharing one database."""

from __future__ import annotations

import asyncio
import random
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import asyncpg
import httpx
import pytest
from tandem.db.embedded import EmbeddedPostgres

from .harness import LONG, PASSWORD, Browser, Server, connect, create_database, report, seed_users

CLIENTS = 200
LOAD_SECONDS = 30.0 if LONG else 4.0


@dataclass
class Client:
    """One user's view of its tasks, changed only by acknowledged operations."""

    browser: Browser
    user_id: str
    tasks: dict[str, tuple[str, bool]] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    transport_errors: list[str] = field(default_factory=list)

    async def step(self, rng: random.Random) -> None:
        if not self.tasks or (len(self.tasks) < 5 and rng.random() < 0.5):
            title = f"t-{secrets.token_hex(4)}"
            response = await self._call("task.create", {"title": title})
            if response is not None and response.status_code == 200:
                self.tasks[response.json()["result"]["data"]["id"]] = (title, False)
            return
        task_id = rng.choice(list(self.tasks))
        title, done = self.tasks[task_id]
        if rng.random() < 0.6:
            new_title = f"u-{secrets.token_hex(4)}"
            response = await self._call(
                "task.update", {"id": task_id, "title": new_title, "done": not done}
            )
            if response is not None and response.status_code == 200:
                data = response.json()["result"]["data"]
                self.tasks[task_id] = (data["title"], data["done"])
        else:
            response = await self._call("task.delete", {"id": task_id})
            if response is not None and response.status_code == 200:
                del self.tasks[task_id]

    async def _call(self, path: str, value: object) -> httpx.Response | None:
        started = time.monotonic()
        try:
            response = await self.browser.mutation(path, value)
        except httpx.TransportError as exc:
            self.transport_errors.append(f"{path}: {type(exc).__name__} {exc}")
            return None
        self.latencies.append(time.monotonic() - started)
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        return response


async def test_200_clients_final_state_equals_acknowledged_operations(
    shared_server: Server,
) -> None:
    server = shared_server
    users = await seed_users(server.database_url, CLIENTS)
    user_ids = [user_id for user_id, _ in users]
    async with connect(server, timeout=30.0) as http:
        clients = [
            Client(Browser(http, server.url, cookie=cookie), user_id) for user_id, cookie in users
        ]
        deadline = time.monotonic() + LOAD_SECONDS

        async def run(client: Client, seed: int) -> None:
            rng = random.Random(seed)
            while time.monotonic() < deadline:
                await client.step(rng)

        started = time.monotonic()
        await asyncio.gather(*(run(c, n) for n, c in enumerate(clients)))
        elapsed = time.monotonic() - started

    conn = await asyncpg.connect(server.database_url)
    try:
        rows = await conn.fetch(
            'SELECT id, "userId", title, done FROM task WHERE "userId" = ANY($1)', user_ids
        )
    finally:
        await conn.close()
    stored: dict[str, dict[str, tuple[str, bool]]] = {}
    for row in rows:
        stored.setdefault(row["userId"], {})[row["id"]] = (row["title"], row["done"])
    statuses: dict[int, int] = {}
    for client in clients:
        for status, count in client.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    latencies = sorted(latency for client in clients for latency in client.latencies)
    transport_errors = [e for client in clients for e in client.transport_errors]
    mismatched = [c.user_id for c in clients if stored.get(c.user_id, {}) != c.tasks]
    assert not transport_errors, transport_errors[:5]
    assert set(statuses) == {200}, statuses
    assert not mismatched, (
        f"{len(mismatched)} users' tasks differ from their acknowledged operations"
    )
    assert len(latencies) > CLIENTS
    report(
        "200 concurrent clients",
        clients=CLIENTS,
        seconds=round(elapsed, 2),
        operations=len(latencies),
        ops_per_s=round(len(latencies) / elapsed),
        statuses=statuses,
        server_errors=sum(n for s, n in statuses.items() if s >= 500),
        p50_ms=round(latencies[len(latencies) // 2] * 1000, 1),
        p99_ms=round(latencies[int(len(latencies) * 0.99)] * 1000, 1),
        max_ms=round(latencies[-1] * 1000, 1),
        tasks_stored=len(rows),
        users_matching=f"{CLIENTS - len(mismatched)}/{CLIENTS}",
    )


@pytest.fixture(scope="module")
async def pair(
    rel_cluster: EmbeddedPostgres, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[Server, Server]]:
    """Two instances on one database, both rate limiting (AUTH_RATE_LIMIT=1)."""
    database_url = await create_database(rel_cluster.admin_url())
    logs = tmp_path_factory.mktemp("pair")
    first = Server(database_url, logs / "a.log", {"AUTH_RATE_LIMIT": "1"}).start()
    second = Server(database_url, logs / "b.log", {"AUTH_RATE_LIMIT": "1"}, migrate=False).start()
    try:
        yield first, second
    finally:
        first.kill()
        second.kill()


async def test_two_instances_share_sessions_and_sign_out(pair: tuple[Server, Server]) -> None:
    a, b = pair
    async with connect(a) as on_a, connect(b) as on_b:
        browser = Browser(on_a, a.url)
        signed_up = await browser.sign_up()
        created = await browser.mutation("task.create", {"title": "made on A"})
        assert created.status_code == 200, created.text
        browser.client, browser.origin = on_b, b.url
        session = await browser.auth("/get-session", method="GET")
        assert (
            session.status_code == 200 and session.json()["user"]["id"] == signed_up["user"]["id"]
        )
        listed = await browser.query("task.list", {"limit": 10})
        assert [t["title"] for t in listed.json()["result"]["data"]["items"]] == ["made on A"]
        cookie = browser.cookie
        browser.client, browser.origin = on_a, a.url
        signed_out = await browser.auth("/sign-out", {})
        assert signed_out.status_code == 200, signed_out.text
        browser.client, browser.origin, browser.cookie = on_b, b.url, cookie
        after = await browser.auth("/get-session", method="GET")
        assert after.status_code == 200 and after.json() is None, after.text
        denied = await browser.query("task.list", {"limit": 10})
        assert denied.status_code == 401, denied.text
    report(
        "two instances: sessions", session_made_on_a_works_on_b=True, sign_out_on_a_seen_on_b=True
    )


async def _sign_in(
    client: httpx.AsyncClient, origin: str, address: str, email: str
) -> httpx.Response:
    return await client.post(
        "/api/auth/sign-in/email",
        json={"email": email, "password": "wrong password 123"},
        headers={"origin": origin, "x-forwarded-for": address},
    )


async def test_two_instances_share_the_rate_limit(pair: tuple[Server, Server]) -> None:
    a, b = pair
    address = f"198.19.{secrets.randbelow(256)}.{secrets.randbelow(250) + 1}"
    async with connect(a) as on_a, connect(b) as on_b:
        statuses = []
        for n in range(6):
            client, server = (on_a, a) if n % 2 == 0 else (on_b, b)
            statuses.append(
                (await _sign_in(client, server.url, address, "nobody@example.com")).status_code
            )
    assert statuses[:3] == [401, 401, 401], statuses
    assert statuses[3:] == [429, 429, 429], statuses
    report("two instances: shared rate limit", statuses_alternating_a_b=statuses)


async def test_sign_in_brute_force_is_rate_limited(pair: tuple[Server, Server]) -> None:
    a, _ = pair
    address = f"198.19.{secrets.randbelow(256)}.{secrets.randbelow(250) + 1}"
    async with connect(a) as http:
        victim = Browser(http, a.url)
        email = (await victim.sign_up())["user"]["email"]
        results = [await _sign_in(http, a.url, address, email) for _ in range(10)]
        other = await _sign_in(http, a.url, "198.19.255.254", email)
        statuses = [r.status_code for r in results]
        allowed = statuses.index(429) if 429 in statuses else len(statuses)
        refused = results[allowed] if allowed < len(results) else None
        assert allowed == 3, statuses
        assert set(statuses[allowed:]) == {429}, statuses
        assert refused is not None
        assert refused.json().get("message") == "Too many requests. Please try again later."
        retry_after = int(refused.headers["x-retry-after"])
        assert 1 <= retry_after <= 10
        assert other.status_code == 401, "another address must not share the limit"
        # Even the right password is refused while the window is closed.
        right = await http.post(
            "/api/auth/sign-in/email",
            json={"email": email, "password": PASSWORD},
            headers={"origin": a.url, "x-forwarded-for": address},
        )
        assert right.status_code == 429
        reopened = None
        if LONG:
            await asyncio.sleep(retry_after + 0.5)
            reopened = (await _sign_in(http, a.url, address, email)).status_code
            assert reopened == 401
    report(
        "brute force",
        attempts_allowed_per_window=allowed,
        window_s=10,
        attempts_made=len(statuses),
        refused_429=statuses.count(429),
        x_retry_after_s=retry_after,
        status_after_window=reopened,
    )


async def test_keyset_pages_hold_every_task_once(shared_server: Server) -> None:
    """Concurrent creates put several tasks in one millisecond; paging must still see each exactly once.

    Two tasks in the same millisecond whose microsecond order disagrees with their id order: page 1 (one
    item) and its cursor must lead to the other one.
    """
    user_id, cookie = (await seed_users(shared_server.database_url, 1))[0]
    conn = await asyncpg.connect(shared_server.database_url)
    try:
        await conn.execute(
            'INSERT INTO task (id, "userId", title, "createdAt", "updatedAt") VALUES '
            "('00000000-0000-4000-8000-000000000000', $1, 'later in the millisecond', "
            "'2026-01-01T00:00:00.000900Z', now()), "
            "('ffffffff-ffff-4fff-bfff-ffffffffffff', $1, 'earlier in the millisecond', "
            "'2026-01-01T00:00:00.000100Z', now())",
            user_id,
        )
    finally:
        await conn.close()
    async with connect(shared_server) as http:
        browser = Browser(http, shared_server.url, cookie=cookie)
        seen: list[str] = []
        cursor: str | None = None
        for _ in range(4):
            page = await browser.query(
                "task.list", {"limit": 1, **({"cursor": cursor} if cursor else {})}
            )
            data = page.json()["result"]["data"]
            seen += [item["title"] for item in data["items"]]
            cursor = data["nextCursor"]
            if cursor is None:
                break
    assert seen == ["later in the millisecond", "earlier in the millisecond"], seen
