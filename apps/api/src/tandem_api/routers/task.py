"""`task.*`: each signed-in user's own tasks. Another user's task is indistinguishable from a missing one."""

from __future__ import annotations

import uuid
from typing import Annotated, TypedDict

from pydantic import Field
from tandem.trpc import TRPCError, router
from tandem.trpc.validation import Input, Omittable

from tandem_api.context import AppContext
from tandem_api.procedures import SignedIn, protected_procedure

SignedInContext = SignedIn[AppContext]

NonEmpty = Annotated[str, Field(min_length=1)]
Title = Annotated[str, Field(min_length=1, max_length=200)]

# Dates are formatted by PostgreSQL straight into JavaScript's toISOString() shape (milliseconds, truncated).
_ISO_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'


def _iso(column: str) -> str:
    return f"to_char(\"{column}\" AT TIME ZONE 'UTC', '{_ISO_FORMAT}') AS \"{column}\""


_COLUMNS = ", ".join(["id", "title", "description", "done", _iso("createdAt"), _iso("updatedAt")])
# `task."createdAt"`, qualified: a bare name in ORDER BY would mean the formatted output column.
_ORDER = 'ORDER BY task."createdAt" DESC, task.id DESC'
_FIRST_PAGE = f"""SELECT {_COLUMNS} FROM task WHERE "userId" = $1 {_ORDER} LIMIT $2"""
# The cursor row is looked up among the caller's own tasks: a foreign or unknown cursor matches nothing.
_NEXT_PAGE = f"""SELECT {_COLUMNS} FROM task WHERE "userId" = $1
    AND (task."createdAt", task.id) < (SELECT c."createdAt", c.id FROM task c WHERE c.id = $3 AND c."userId" = $1)
    {_ORDER} LIMIT $2"""
_CREATE = f"""INSERT INTO task (id, "userId", title, description) VALUES ($1, $2, $3, $4) RETURNING {_COLUMNS}"""
_UPDATE = f"""UPDATE task SET title = COALESCE($3, title), done = COALESCE($4, done), "updatedAt" = now()
    WHERE id = $1 AND "userId" = $2 RETURNING {_COLUMNS}"""
_DELETE = """DELETE FROM task WHERE id = $1 AND "userId" = $2 RETURNING id"""


class Task(TypedDict):
    id: str
    title: str
    description: str | None
    done: bool
    createdAt: str
    updatedAt: str


class TaskPage(TypedDict):
    items: list[Task]
    nextCursor: str | None


class DeletedTask(TypedDict):
    id: str


class TaskListInput(Input):
    cursor: Omittable[NonEmpty] = None
    """The id of the previous page's last task; absent for the first page."""
    limit: Annotated[int, Field(ge=1, le=100)]


class TaskCreateInput(Input):
    title: Title
    description: Omittable[str] = None


class TaskUpdateInput(Input):
    id: NonEmpty
    title: Omittable[Title] = None
    done: Omittable[bool] = None


class TaskDeleteInput(Input):
    id: NonEmpty


def _not_found() -> TRPCError:
    return TRPCError("NOT_FOUND", "Task not found")


@protected_procedure.query
async def list_tasks(ctx: SignedInContext, input: TaskListInput) -> TaskPage:
    """The caller's tasks, newest first, one page at a time."""
    async with ctx.context.database.connection() as conn:
        if input.cursor is None:
            rows = await conn.fetch(_FIRST_PAGE, ctx.user.id, input.limit + 1)
        else:
            rows = await conn.fetch(_NEXT_PAGE, ctx.user.id, input.limit + 1, input.cursor)
    items: list[Task] = [dict(row) for row in rows[: input.limit]]  # type: ignore[misc]
    return {"items": items, "nextCursor": items[-1]["id"] if len(rows) > input.limit else None}


@protected_procedure.mutation
async def create_task(ctx: SignedInContext, input: TaskCreateInput) -> Task:
    """Add a task (not done)."""
    row = await ctx.context.database.fetchrow(
        _CREATE, str(uuid.uuid4()), ctx.user.id, input.title, input.description
    )
    return dict(row)  # type: ignore[arg-type, return-value]


@protected_procedure.mutation
async def update_task(ctx: SignedInContext, input: TaskUpdateInput) -> Task:
    """Rename a task or mark it (not) done; `updatedAt` always moves to now."""
    row = await ctx.context.database.fetchrow(
        _UPDATE, input.id, ctx.user.id, input.title, input.done
    )
    if row is None:
        raise _not_found()
    return dict(row)  # type: ignore[return-value]


@protected_procedure.mutation
async def delete_task(ctx: SignedInContext, input: TaskDeleteInput) -> DeletedTask:
    """Delete a task for good."""
    task_id = await ctx.context.database.fetchval(_DELETE, input.id, ctx.user.id)
    if task_id is None:
        raise _not_found()
    return {"id": task_id}


task_router = router(list=list_tasks, create=create_task, update=update_task, delete=delete_task)
