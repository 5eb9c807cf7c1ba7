"""The `tandem` CLI as users run it: real processes, a real PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import asyncpg
import pytest

SECRET = "s" * 40


def tandem(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "NODE_ENV", "APP_ENV", "BETTER_AUTH_SECRET"}
    }
    return subprocess.run(
        [sys.executable, "-m", "tandem.cli.main", *args],
        cwd=cwd,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def revision(url: str) -> str | None:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval("SELECT version_num FROM alembic_version")
    finally:
        await conn.close()


async def test_migrate_twice_is_a_no_op(
    database_url: str, project_factory: Callable[..., Path]
) -> None:
    project = project_factory(with_build=True)
    env = {"DATABASE_URL": database_url}
    first = tandem("db", "migrate", cwd=project, env=env)
    assert first.returncode == 0, first.stderr
    head = await revision(database_url)
    assert head
    conn = await asyncpg.connect(database_url)
    await conn.execute(
        """INSERT INTO "user" (id, name, email, "emailVerified") VALUES ('u1', 'U', 'u@x.io', false)"""
    )
    await conn.close()
    second = tandem("db", "migrate", cwd=project, env=env)
    assert second.returncode == 0, second.stderr
    assert await revision(database_url) == head
    conn = await asyncpg.connect(database_url)
    assert await conn.fetchval('SELECT count(*) FROM "user"') == 1
    await conn.close()
    status = tandem("db", "status", cwd=project, env=env)
    assert status.returncode == 0 and "up to date" in status.stdout


async def test_two_concurrent_migrations_do_not_fail(
    database_url: str, project_factory: Callable[..., Path]
) -> None:
    project = project_factory(with_build=True)
    env = {**os.environ, "DATABASE_URL": database_url}
    argv = [sys.executable, "-m", "tandem.cli.main", "db", "migrate"]
    procs = [
        await asyncio.create_subprocess_exec(
            *argv, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(3)
    ]
    results = await asyncio.gather(*(p.communicate() for p in procs))
    for proc, (_, stderr) in zip(procs, results, strict=True):
        assert proc.returncode == 0, stderr.decode()
    assert await revision(database_url)


async def test_status_reports_pending_migrations(
    database_url: str, project_factory: Callable[..., Path]
) -> None:
    project = project_factory(with_build=True)
    result = tandem("db", "status", cwd=project, env={"DATABASE_URL": database_url})
    assert result.returncode == 1
    assert "pending" in result.stdout


def check_json(project: Path, env: dict[str, str]) -> tuple[int, dict[str, bool]]:
    result = tandem("check", "--json", cwd=project, env=env)
    body = json.loads(result.stdout)
    return result.returncode, {c["name"]: c["ok"] for c in body["checks"]}


async def test_check_passes_when_everything_is_ready(
    database_url: str, project_factory: Callable[..., Path]
) -> None:
    project = project_factory(with_build=True)
    env = {"DATABASE_URL": database_url}
    assert tandem("db", "migrate", cwd=project, env=env).returncode == 0
    code, checks = check_json(project, env)
    assert code == 0, checks
    assert checks == {"environment": True, "database": True, "migrations": True, "spa build": True}
    human = tandem("check", cwd=project, env=env)
    assert human.returncode == 0 and "connected in" in human.stdout


async def test_check_fails_on_pending_migrations(
    database_url: str, project_factory: Callable[..., Path]
) -> None:
    code, checks = check_json(project_factory(with_build=True), {"DATABASE_URL": database_url})
    assert code == 1 and checks["migrations"] is False and checks["database"] is True


def test_check_fails_when_the_database_is_unreachable(project_factory: Callable[..., Path]) -> None:
    code, checks = check_json(
        project_factory(with_build=True), {"DATABASE_URL": "postgresql://u@127.0.0.1:1/none"}
    )
    assert code == 1 and checks["database"] is False


async def test_check_fails_without_a_spa_build(
    database_url: str, project_factory: Callable[..., Path]
) -> None:
    project = project_factory(with_build=False)
    env = {"DATABASE_URL": database_url}
    tandem("db", "migrate", cwd=project, env=env)
    code, checks = check_json(project, env)
    assert code == 1 and checks["spa build"] is False


def test_check_fails_on_a_stale_spa_build(project_factory: Callable[..., Path]) -> None:
    project = project_factory(with_build=True)
    source = project / "web" / "src" / "main.tsx"
    later = (project / "web" / "dist" / "index.html").stat().st_mtime + 10
    os.utime(source, (later, later))
    code, checks = check_json(project, {"DATABASE_URL": "postgresql://u@127.0.0.1:1/none"})
    assert code == 1 and checks["spa build"] is False


def test_check_reports_production_settings_problems(project_factory: Callable[..., Path]) -> None:
    code, checks = check_json(project_factory(with_build=True), {"NODE_ENV": "production"})
    assert code == 1 and checks["environment"] is False


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"NODE_ENV": "production"},
            ["DATABASE_URL: is not set", "BETTER_AUTH_SECRET: is not set"],
        ),
        (
            {
                "NODE_ENV": "production",
                "DATABASE_URL": "postgresql://u@h/d",
                "BETTER_AUTH_SECRET": "short",
            },
            ["BETTER_AUTH_SECRET: is 5 characters long"],
        ),
        (
            {"DATABASE_URL": "mysql://u@h/d"},
            ["DATABASE_URL: DATABASE_URL must start with postgresql://"],
        ),
        ({"NITRO_PORT": "not-a-port"}, ["NITRO_PORT:"]),
    ],
)
def test_bad_settings_give_one_line_per_problem_and_no_traceback(
    env: dict[str, str], expected: list[str], project_factory: Callable[..., Path]
) -> None:
    result = tandem("start", "--no-build", cwd=project_factory(with_build=True), env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    for line in expected:
        assert line in result.stderr, result.stderr


def test_production_refuses_db_reset(project_factory: Callable[..., Path]) -> None:
    env = {
        "NODE_ENV": "production",
        "DATABASE_URL": "postgresql://u@127.0.0.1:1/none",
        "BETTER_AUTH_SECRET": SECRET,
    }
    result = tandem("db", "reset", "--yes", cwd=project_factory(with_build=True), env=env)
    assert result.returncode == 1 and "refused in production" in result.stderr


async def scalar(url: str, query: str) -> object:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval(query)
    finally:
        await conn.close()


async def test_push_creates_the_schema_then_has_nothing_left_to_do(
    database_url: str, project_factory: Callable[..., Path]
) -> None:
    project = project_factory(with_build=True)
    env = {"DATABASE_URL": database_url}
    first = tandem("db", "push", cwd=project, env=env)
    assert first.returncode == 0, first.stderr
    assert await scalar(database_url, "SELECT to_regclass('task') IS NOT NULL") is True
    second = tandem("db", "push", cwd=project, env=env)
    assert second.returncode == 0 and "applied 0 change(s)" in second.stdout, second.stdout


async def test_seed_adds_a_demo_user_who_can_sign_in_once(
    database_url: str, project_factory: Callable[..., Path]
) -> None:
    from tandem.auth.passwords import verify_password
    from tandem_api.seed import DEMO_EMAIL, DEMO_PASSWORD

    project = project_factory(with_build=True)
    env = {"DATABASE_URL": database_url}
    first = tandem("db", "seed", cwd=project, env=env)
    assert first.returncode == 0, first.stderr
    stored = await scalar(
        database_url,
        f"""SELECT a.password FROM account a JOIN "user" u ON u.id = a."userId" WHERE u.email = '{DEMO_EMAIL}'""",
    )
    assert isinstance(stored, str) and await verify_password(stored, DEMO_PASSWORD)
    assert await scalar(database_url, "SELECT count(*) FROM task") == 4
    again = tandem("db", "seed", cwd=project, env=env)
    assert again.returncode == 0 and "already exists" in again.stdout
    assert await scalar(database_url, "SELECT count(*) FROM task") == 4


async def test_reset_drops_the_data_and_migrates_again(
    database_url: str, project_factory: Callable[..., Path]
) -> None:
    project = project_factory(with_build=True)
    env = {"DATABASE_URL": database_url}
    assert tandem("db", "seed", cwd=project, env=env).returncode == 0
    result = tandem("db", "reset", "--yes", cwd=project, env=env)
    assert result.returncode == 0, result.stderr
    assert await scalar(database_url, 'SELECT count(*) FROM "user"') == 0
    assert await scalar(database_url, "SELECT version_num FROM alembic_version")


async def test_a_missing_project_entry_is_a_clear_error(
    database_url: str, project_factory: Callable[..., Path]
) -> None:
    project = project_factory(with_build=True)
    config = project / "pyproject.toml"
    config.write_text(config.read_text().replace('seed = "tandem_api.seed:seed"\n', ""))
    result = tandem("db", "seed", cwd=project, env={"DATABASE_URL": database_url})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "[tool.tandem] has no 'seed' entry" in result.stderr


@pytest.mark.parametrize(
    "command", [["db", "migrate"], ["db", "seed"], ["db", "push"], ["start", "--no-build"]]
)
def test_an_unreachable_database_is_a_clear_error(
    project_factory: Callable[..., Path], command: list[str]
) -> None:
    result = tandem(
        *command,
        cwd=project_factory(with_build=True),
        env={"DATABASE_URL": "postgresql://u@127.0.0.1:1/none"},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "database:" in result.stderr and "DATABASE_URL" in result.stderr
