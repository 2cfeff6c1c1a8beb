"""reminders before the cutoff: which were sent, and extra headers on outgoing mail

Revision ID: 0015_remind
Revises: 0014_owner
Create Date: 2026-12-05 23:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_remind"
down_revision = "0014_owner"
branch_labels = None
depends_on = None

# Its audit action (reminders_stopped) joins the audit check in 0021_actions, with issue 16's others.


def upgrade() -> None:
    """Apply this revision: no reminder was sent yet; queued mail has no extra header."""
    op.create_table(
        "draft_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mailed", sa.Boolean(), nullable=False),
        sa.CheckConstraint("days BETWEEN 1 AND 366", name=op.f("ck_draft_reminders_days_range")),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_draft_reminders_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_draft_reminders_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_reminders")),
        sa.UniqueConstraint("submission_id", "user_id", "days", name="uq_draft_reminder"),
    )
    with op.batch_alter_table("draft_reminders") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_draft_reminders_submission_id"), ["submission_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_draft_reminders_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(
            sa.Column("headers", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )


def downgrade() -> None:
    """Revert this revision (the record of reminders sent and their audit events go)."""
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("headers")
    with op.batch_alter_table("draft_reminders") as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_reminders_user_id"))
        batch_op.drop_index(batch_op.f("ix_draft_reminders_submission_id"))
    op.drop_table("draft_reminders")
