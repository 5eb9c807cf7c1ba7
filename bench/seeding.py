"""Seed users and tasks through the HTTP API, as the SPA would (never by SQL)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from functools import partial
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any, TypeVar

import httpx

PASSWORD = "bench-password-123"
SESSION_COOKIE = "better-auth.session_token"
IN_FLIGHT = 8
T = TypeVar("T")


class SeedError(RuntimeError):
    pass


def _session_cookie(response: httpx.Response) -> str:
    for header in response.headers.get_list("set-cookie"):
        pair = header.split(";", 1)[0]
        if pair.split("=", 1)[0].endswith(SESSION_COOKIE):
            return pair
    raise SeedError(f"no session cookie in {response.request.url.path} response")


async def _bounded(jobs: list[Callable[[], Awaitable[T]]]) -> list[T]:
    gate = asyncio.Semaphore(IN_FLIGHT)

    async def one(job: Callable[[], Awaitable[T]]) -> T:
        async with gate:
            return await job()

    return await asyncio.gather(*(one(job) for job in jobs))


async def _sign_up_or_in(client: httpx.AsyncClient, origin: str, i: int) -> str:
    email = f"bench-user-{i:03d}@example.com"
    headers = {"content-type": "application/json", "origin": origin}
    response = await client.post(
        "/api/auth/sign-up/email",
        headers=headers,
        json={"email": email, "password": PASSWORD, "name": f"Bench User {i}"},
    )
    if response.status_code in (400, 422):
        response = await client.post(
            "/api/auth/sign-in/email", headers=headers, json={"email": email, "password": PASSWORD}
        )
    if response.status_code != 200:
        raise SeedError(f"auth {email}: HTTP {response.status_code} {response.text[:300]}")
    return _session_cookie(response)


async def _create_task(client: httpx.AsyncClient, cookie: str, n: int) -> None:
    response = await client.post(
        "/api/trpc/task.create",
        headers={"content-type": "application/json", "cookie": cookie},
        json={"title": f"Seed task {n}", "description": f"Seeded task number {n}"},
    )
    if response.status_code != 200:
        raise SeedError(f"task.create: HTTP {response.status_code} {response.text[:300]}")


async def seed(base_url: str, *, users: int, tasks: int) -> tuple[list[str], dict[str, Any]]:
    """Sign up `users` users with `tasks` tasks each; their session cookies and the seeding speed."""
    # the client must not keep cookies itself: every request carries its user's cookie explicitly
    no_cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    async with httpx.AsyncClient(base_url=base_url, cookies=no_cookies, timeout=60) as client:
        t0 = time.perf_counter()
        cookies = await _bounded(
            [partial(_sign_up_or_in, client, base_url, i) for i in range(1, users + 1)]
        )
        t1 = time.perf_counter()
        await _bounded(
            [partial(_create_task, client, c, n) for c in cookies for n in range(1, tasks + 1)]
        )
        t2 = time.perf_counter()
    return cookies, {
        "users": users,
        "tasks_per_user": tasks,
        "signup_ms": round((t1 - t0) * 1000),
        "signups_per_s": round(users / (t1 - t0), 1),
        "create_ms": round((t2 - t1) * 1000),
        "creates_per_s": round(users * tasks / (t2 - t1), 1) if tasks else 0.0,
    }
