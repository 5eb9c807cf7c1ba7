"""Faults: the database goes away or slows down, the server is stopped or killed mid-load."""

from __future__ import annotations

import asyncio
import secrets
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx
from tandem.db.embedded import EmbeddedPostgres

from .conftest import POOL_SIZE, STATEMENT_TIMEOUT_MS, ServerFactory
from .harness import (
    LONG,
    Browser,
    Server,
    auth_error_problem,
    connect,
    report,
    trpc_error_problem,
    trpc_shape_problem,
)

REQUEST_DEADLINE = 6.0
"""No request may take longer than this, outage or not (the pool's acquire timeout is 5 s)."""


@dataclass
class Outcome:
    kind: str
    started: float
    elapsed: float
    status: int | None
    problem: str | None = None


@dataclass
class Recorder:
    outcomes: list[Outcome] = field(default_factory=list)

    async def run(self, kind: str, call: Callable[[], Awaitable[httpx.Response]]) -> None:
        started = time.monotonic()
        try:
            response = await asyncio.wait_for(call(), REQUEST_DEADLINE * 2)
        except (httpx.TransportError, TimeoutError) as exc:
            self.outcomes.append(
                Outcome(
                    kind, started, time.monotonic() - started, None, f"{type(exc).__name__}: {exc}"
                )
            )
            return
        self.outcomes.append(
            Outcome(
                kind,
                started,
                time.monotonic() - started,
                response.status_code,
                _shape(kind, response),
            )
        )


def _shape(kind: str, response: httpx.Response) -> str | None:
    if kind == "health":
        body = response.json()
        if response.status_code == 200 and body.get("database") == "up":
            return None
        if response.status_code == 503 and body.get("database") == "down":
            return None
        return f"health answered {response.status_code} {body}"
    if kind.startswith("task."):
        return trpc_shape_problem(response)
    if response.status_code == 200:
        return None
    return auth_error_problem(response)


async def test_database_outage_fails_fast_and_recovers(
    start_server: ServerFactory, rel_cluster: EmbeddedPostgres, rel_database: str
) -> None:
    """Stops the suite's cluster (immediate shutdown, as a crash would) and starts it again."""
    cluster = rel_cluster
    try:
        server = start_server(rel_database)
        async with connect(server) as http:
            browser = Browser(http, server.url)
            await browser.sign_up()
            recorder = Recorder()
            stop = asyncio.Event()

            async def client(n: int) -> None:
                calls: list[tuple[str, Callable[[], Awaitable[httpx.Response]]]] = [
                    (
                        "task.create",
                        lambda: browser.mutation("task.create", {"title": f"outage {n}"}),
                    ),
                    ("task.list", lambda: browser.query("task.list", {"limit": 5})),
                    ("get-session", lambda: browser.auth("/get-session", method="GET")),
                    ("health", lambda: http.get("/api/health")),
                ]
                i = n
                while not stop.is_set():
                    kind, call = calls[i % len(calls)]
                    i += 1
                    await recorder.run(kind, call)
                    await asyncio.sleep(0.02)

            workers = [asyncio.create_task(client(n)) for n in range(8)]
            await asyncio.sleep(1.0)
            down_at = time.monotonic()
            await asyncio.to_thread(cluster.kill)
            await asyncio.sleep(6.0 if LONG else 3.0)
            assert server.alive(), server.logs()[-3000:]
            up_at = time.monotonic()
            await asyncio.to_thread(cluster.start)
            restarted_at = time.monotonic()
            # Run until a full round of every kind has succeeded after the restart, then a bit longer.
            recovered_at: float | None = None
            while time.monotonic() - restarted_at < 20:
                await asyncio.sleep(0.1)
                recent = [o for o in recorder.outcomes if o.started > restarted_at]
                kinds_ok = {o.kind for o in recent if o.status == 200 and o.problem is None}
                if kinds_ok >= {"task.create", "task.list", "get-session", "health"}:
                    recovered_at = max(
                        o.started + o.elapsed
                        for o in recent
                        if o.status == 200 and o.problem is None
                    )
                    break
            await asyncio.sleep(1.0)
            stop.set()
            await asyncio.gather(*workers)
    finally:
        if not cluster.is_running():
            await asyncio.to_thread(cluster.start)

    outcomes = recorder.outcomes
    failures = [o for o in outcomes if o.status != 200]
    assert server.alive(), "the server process died during the outage"
    assert not [o for o in outcomes if o.status is None], [o for o in outcomes if o.status is None][
        :5
    ]
    slow = [o for o in outcomes if o.elapsed > REQUEST_DEADLINE]
    assert not slow, f"requests hung past {REQUEST_DEADLINE}s: {slow[:5]}"
    bad_shapes = [o for o in outcomes if o.problem]
    assert not bad_shapes, bad_shapes[:5]
    during = [o for o in outcomes if down_at + 0.5 < o.started and o.started + o.elapsed < up_at]
    assert during and all(o.status is not None and o.status >= 500 for o in during), during[:5]
    health_down = [o for o in during if o.kind == "health"]
    assert health_down and all(o.status == 503 for o in health_down)
    assert recovered_at is not None, "no full recovery within 20 s of the restart"
    after = [o for o in outcomes if o.started > recovered_at]
    assert after and all(o.status == 200 for o in after), [o for o in after if o.status != 200][:5]
    codes = sorted({o.status for o in failures if o.status})
    report(
        "database outage",
        requests=len(outcomes),
        failed=len(failures),
        failure_statuses=codes,
        error_window_s=round(
            max(o.started + o.elapsed for o in failures) - min(o.started for o in failures), 2
        ),
        outage_s=round(up_at - down_at, 2),
        postgres_restart_s=round(restarted_at - up_at, 2),
        recovery_after_restart_s=round(recovered_at - restarted_at, 2),
        max_latency_s=round(max(o.elapsed for o in outcomes), 3),
        max_failure_latency_s=round(max(o.elapsed for o in failures), 3),
    )


async def _count_tasks(database_url: str, user_id: str) -> dict[str, str]:
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch('SELECT id, title FROM task WHERE "userId" = $1', user_id)
    finally:
        await conn.close()
    return {row["id"]: row["title"] for row in rows}


async def _create_burst(
    browser: Browser, stop: asyncio.Event, sent: set[str], acked: dict[str, str], workers: int
) -> list[BaseException]:
    errors: list[BaseException] = []

    async def worker(n: int) -> None:
        i = 0
        while not stop.is_set():
            title = f"burst {n}-{i}-{secrets.token_hex(4)}"
            i += 1
            sent.add(title)
            try:
                response = await browser.mutation("task.create", {"title": title})
            except httpx.TransportError as exc:
                errors.append(exc)
                return
            if response.status_code == 200:
                acked[response.json()["result"]["data"]["id"]] = title
            else:
                errors.append(AssertionError(f"{response.status_code} {response.text[:200]}"))

    await asyncio.gather(*(worker(n) for n in range(workers)))
    return errors


async def test_graceful_shutdown_completes_in_flight_requests(
    start_server: ServerFactory, rel_database: str
) -> None:
    server = start_server(rel_database, {"TANDEM_CONFORMANCE": "1"})
    async with connect(server, timeout=15.0) as http:
        browser = Browser(http, server.url)
        user = await browser.sign_up()
        stop = asyncio.Event()
        sent: set[str] = set()
        acked: dict[str, str] = {}
        burst = asyncio.create_task(_create_burst(browser, stop, sent, acked, workers=6))
        slow_calls = [
            asyncio.create_task(browser.query("conformance.slow", {"ms": 1500})) for _ in range(5)
        ]
        await asyncio.sleep(0.6)
        term_at = time.monotonic()
        server.terminate()
        await asyncio.sleep(0.3)
        refused = 0
        for _ in range(3):
            try:
                async with httpx.AsyncClient(timeout=2.0) as fresh:
                    await fresh.get(server.url + "/api/health")
            except httpx.ConnectError:
                refused += 1
        slow_results = await asyncio.gather(*slow_calls, return_exceptions=True)
        stop.set()
        burst_errors = await burst
        exit_code = await asyncio.to_thread(server.wait, 15)
        exit_s = time.monotonic() - term_at

    stored = await _count_tasks(rel_database, user["user"]["id"])
    assert all(isinstance(r, httpx.Response) and r.status_code == 200 for r in slow_results), (
        slow_results
    )
    assert refused == 3, "new connections were accepted after SIGTERM"
    # uvicorn re-raises the SIGTERM it handled once shutdown is complete, so -15 is a clean exit too.
    assert exit_code in (0, -signal.SIGTERM), server.logs()[-2000:]
    assert "Application shutdown complete" in server.logs()
    assert exit_s < 10, exit_s
    assert acked, "no task.create was acknowledged before the shutdown"
    assert all(stored.get(task_id) == title for task_id, title in acked.items())
    assert set(stored.values()) <= sent
    unacknowledged = len(set(stored) - set(acked))
    assert unacknowledged == 0, f"{unacknowledged} rows were written but never acknowledged"
    assert not [e for e in burst_errors if not isinstance(e, httpx.TransportError)], burst_errors
    report(
        "graceful shutdown",
        in_flight_slow_calls_completed=f"{len(slow_results)}/5",
        creates_acknowledged=len(acked),
        rows_stored=len(stored),
        new_connections_refused=refused,
        exit_code=exit_code,
        exit_after_sigterm_s=round(exit_s, 2),
    )


async def test_sigkill_mid_burst_keeps_every_acknowledged_write(
    start_server: ServerFactory, rel_database: str
) -> None:
    server = start_server(rel_database)
    async with connect(server) as http:
        browser = Browser(http, server.url)
        user = await browser.sign_up()
        stop = asyncio.Event()
        sent: set[str] = set()
        acked: dict[str, str] = {}
        sign_ups: list[str] = []

        async def sign_up_loop() -> None:
            while not stop.is_set():
                other = Browser(http, server.url)
                email = f"crash-{secrets.token_hex(6)}@example.com"
                sign_ups.append(email)
                try:
                    await other.auth(
                        "/sign-up/email", {"email": email, "password": "p" * 12, "name": "C"}
                    )
                except httpx.TransportError:
                    return

        burst = asyncio.create_task(_create_burst(browser, stop, sent, acked, workers=12))
        signing = [asyncio.create_task(sign_up_loop())]
        await asyncio.sleep(1.5)
        server.kill()
        killed_with = len(acked)
        stop.set()
        await burst
        await asyncio.gather(*signing)

    restarted = start_server(rel_database, migrate=False)
    stored = await _count_tasks(rel_database, user["user"]["id"])
    async with connect(restarted) as http:
        browser.client = http
        after = await browser.mutation("task.create", {"title": "after the restart"})
        assert after.status_code == 200, after.text
    conn = await asyncpg.connect(rel_database)
    try:
        users_without_account = await conn.fetchval(
            'SELECT count(*) FROM "user" u WHERE NOT EXISTS '
            '(SELECT 1 FROM account a WHERE a."userId" = u.id AND a."providerId" = \'credential\')'
        )
        users = await conn.fetchval('SELECT count(*) FROM "user"')
    finally:
        await conn.close()
    assert killed_with > 0
    missing = [task_id for task_id in acked if stored.get(task_id) != acked[task_id]]
    assert not missing, f"{len(missing)} acknowledged writes are gone"
    assert set(stored.values()) <= sent, "rows with titles nobody sent"
    assert users_without_account == 0, "a sign-up left a user without its credential account"
    report(
        "crash safety (SIGKILL)",
        creates_sent=len(sent),
        creates_acknowledged=len(acked),
        rows_stored=len(stored),
        stored_but_unacknowledged=len(set(stored) - set(acked)),
        acknowledged_but_missing=len(missing),
        sign_ups_attempted=len(sign_ups),
        users_stored=users,
        users_without_account=users_without_account,
    )


async def _hold_task_table(
    server: Server, browser: Browser, stuck: int, seconds: float
) -> tuple[Recorder, Recorder]:
    """Lock the task table (a slow database for every task statement) while `stuck` task.list calls wait on
    it and two clients keep calling endpoints that do not touch it."""
    holder = await asyncpg.connect(server.database_url)
    transaction = holder.transaction()
    await transaction.start()
    await holder.execute("LOCK TABLE task IN ACCESS EXCLUSIVE MODE")
    blocked, others = Recorder(), Recorder()
    started = time.monotonic()

    async def unrelated() -> None:
        while time.monotonic() - started < seconds:
            await others.run("health", lambda: browser.client.get("/api/health"))
            await others.run("get-session", lambda: browser.auth("/get-session", method="GET"))

    try:
        waiting = [
            blocked.run("task.list", lambda: browser.query("task.list", {"limit": 1}))
            for _ in range(stuck)
        ]
        await asyncio.gather(*waiting, unrelated(), unrelated())
    finally:
        await transaction.rollback()
        await holder.close()
    return blocked, others


async def test_slow_database_statement_timeout_without_pool_starvation(
    shared_server: Server,
) -> None:
    async with connect(shared_server) as http:
        browser = Browser(http, shared_server.url)
        await browser.sign_up()
        assert (await browser.query("task.list", {"limit": 1})).status_code == 200
        # Fewer slow requests than connections: the others must not notice.
        below, spare = await _hold_task_table(shared_server, browser, POOL_SIZE - 2, 2.0)
        # Three times the pool: the statement timeout bounds how long anyone waits for a connection.
        over, crowded = await _hold_task_table(shared_server, browser, POOL_SIZE * 3, 3.0)
        after = await browser.query("task.list", {"limit": 1})

    assert after.status_code == 200, after.text
    for outcome in below.outcomes + over.outcomes:
        assert outcome.status is not None and outcome.status >= 500, outcome
        assert outcome.problem is None, outcome.problem
        assert outcome.elapsed < REQUEST_DEADLINE, outcome
    timeouts = [o.elapsed for o in below.outcomes]
    assert all(
        STATEMENT_TIMEOUT_MS / 1000 * 0.9 < t < STATEMENT_TIMEOUT_MS / 1000 + 1.5 for t in timeouts
    ), timeouts
    assert spare.outcomes and all(o.status == 200 for o in spare.outcomes), spare.outcomes[:5]
    spare_latency = max(o.elapsed for o in spare.outcomes)
    assert spare_latency < 0.75, (
        f"requests waited {spare_latency:.2f}s although connections were free"
    )
    sessions = [o for o in crowded.outcomes if o.kind == "get-session"]
    assert sessions and all(o.status == 200 for o in sessions), [
        o for o in sessions if o.status != 200
    ][:5]
    assert all(o.elapsed < REQUEST_DEADLINE and o.problem is None for o in crowded.outcomes)
    health = [o for o in crowded.outcomes if o.kind == "health"]
    report(
        "slow database",
        statement_timeout_ms=STATEMENT_TIMEOUT_MS,
        pool_size=POOL_SIZE,
        slow_requests_below_pool=len(below.outcomes),
        slow_request_failed_after_s=[round(min(timeouts), 2), round(max(timeouts), 2)],
        slow_statuses=sorted({o.status for o in below.outcomes + over.outcomes if o.status}),
        other_max_latency_below_pool_s=round(spare_latency, 3),
        slow_requests_over_pool=len(over.outcomes),
        slow_max_s_over_pool=round(max(o.elapsed for o in over.outcomes), 2),
        other_max_latency_over_pool_s=round(max(o.elapsed for o in crowded.outcomes), 2),
        health_503_while_pool_saturated=f"{sum(o.status == 503 for o in health)}/{len(health)}",
    )


def test_trpc_error_shape_checker_rejects_a_stack() -> None:
    """The shape checks above must be able to fail."""
    good: dict[str, Any] = {
        "error": {
            "message": "x",
            "code": -32603,
            "data": {
                "code": "INTERNAL_SERVER_ERROR",
                "httpStatus": 500,
                "path": "a",
                "zodError": None,
            },
        }
    }
    assert trpc_error_problem(good) is None
    bad = {"error": {**good["error"], "data": {**good["error"]["data"], "stack": "Traceback"}}}
    assert trpc_error_problem(bad) is not None
