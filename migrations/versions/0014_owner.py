"""owners after the cutoff: requests for more time, and the content a moderator last reviewed

Revision ID: 0014_owner
Revises: 0013_call
Create Date: 2026-12-05 23:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_owner"
down_revision = "0013_call"
branch_labels = None
depends_on = None

# Its audit actions (time_requested, time_request_declined) join the audit check in
# 0021_actions, with issue 16's others.


def upgrade() -> None:
    """Apply this revision: no request yet, and no item has a reviewed copy until decided."""
    op.create_table(
        "deadline_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "granted",
                "declined",
                name="deadline_request_status",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "length(reason) BETWEEN 1 AND 1000", name=op.f("ck_deadline_requests_reason_length")
        ),
        sa.CheckConstraint(
            "length(answer) <= 1000", name=op.f("ck_deadline_requests_answer_length")
        ),
        sa.CheckConstraint(
            "days IS NULL OR days BETWEEN 1 AND 60", name=op.f("ck_deadline_requests_days_range")
        ),
        sa.CheckConstraint(
            "(status = 'pending') = (decided_at IS NULL)",
            name=op.f("ck_deadline_requests_decided_iff_not_pending"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_deadline_requests_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_deadline_requests_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_requests")),
    )
    with op.batch_alter_table("deadline_requests") as batch_op:
        batch_op.create_index(batch_op.f("ix_deadline_requests_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "uq_deadline_requests_one_pending",
            ["user_id"],
            unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )
    with op.batch_alter_table("submissions") as batch_op:
        batch_op.add_column(sa.Column("reviewed_content", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Revert this revision (requests for more time and their audit events are deleted)."""
    with op.batch_alter_table("submissions") as batch_op:
        batch_op.drop_column("reviewed_content")
    op.drop_table("deadline_requests")
