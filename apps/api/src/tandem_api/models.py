"""The schema: Better Auth's tables and the app's `task` table. Alembic migrations are generated from this."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, MetaData, Table, Text, text
from tandem.auth.schema import define_auth_tables

metadata = MetaData()
auth_tables = define_auth_tables(metadata)

task = Table(
    "task",
    metadata,
    Column("id", Text, primary_key=True),
    Column("userId", Text, ForeignKey("user.id", ondelete="CASCADE"), nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text),
    Column("done", Boolean, nullable=False, server_default=text("false")),
    Column("createdAt", DateTime(timezone=True), nullable=False, server_default=text("now()")),
    Column("updatedAt", DateTime(timezone=True), nullable=False, server_default=text("now()")),
)
Index("task_userId_createdAt_id_idx", task.c.userId, task.c.createdAt.desc(), task.c.id.desc())
