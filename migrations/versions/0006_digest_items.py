"""digest items: which submissions the moderators' digest has announced

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "digest_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_digest_items_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_items")),
        sa.UniqueConstraint(
            "submission_id", "submitted_at", name=op.f("uq_digest_items_submission_round")
        ),
    )
    with op.batch_alter_table("digest_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_digest_items_announced_at"), ["announced_at"], unique=False
        )

    # What the last digest (by the old rule, "submitted since the previous digest") already
    # announced is marked as announced, so the first digest after the upgrade repeats none.
    op.execute(
        "INSERT INTO digest_items (submission_id, submitted_at, announced_at) "
        "SELECT s.id, s.submitted_at, d.last FROM submissions s, "
        "(SELECT max(created_at) AS last FROM outbox WHERE kind = 'digest') d "
        "WHERE d.last IS NOT NULL AND s.status = 'submitted' AND s.submitted_at <= d.last"
    )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("digest_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_digest_items_announced_at"))

    op.drop_table("digest_items")
