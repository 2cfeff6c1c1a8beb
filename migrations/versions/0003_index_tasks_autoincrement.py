"""index_tasks ids are never reused (SQLite AUTOINCREMENT)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Recreate index_tasks with AUTOINCREMENT on SQLite (PostgreSQL sequences never reuse)."""
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
            "index_tasks", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass


def downgrade() -> None:
    """Recreate index_tasks without AUTOINCREMENT on SQLite."""
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
            "index_tasks", recreate="always", table_kwargs={"sqlite_autoincrement": False}
        ):
            pass
