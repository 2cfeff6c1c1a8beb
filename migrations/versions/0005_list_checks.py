"""list fields are bounded JSON arrays

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 12:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Frozen copies of hub.submissions.models.LIST_LIMITS and list_check_sql as of this
# revision: a migration must not change when the models do.
LIST_LIMITS = {"countries": 300, "regions": 20, "themes": 50, "sdgs": 17}


def _check_sql(column: str, limit: int) -> str:
    return f"json_array_length({column}) <= {limit} AND CAST({column} AS TEXT) LIKE '[%'"


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        for column, limit in LIST_LIMITS.items():
            batch_op.create_check_constraint(
                op.f(f"ck_submissions_{column}_list"), _check_sql(column, limit)
            )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        for column in reversed(list(LIST_LIMITS)):
            batch_op.drop_constraint(op.f(f"ck_submissions_{column}_list"), type_="check")
