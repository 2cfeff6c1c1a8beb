"""moderators' team: internal notes on submissions, who holds each pending item

Revision ID: 0016_modteam
Revises: 0015_remind
Create Date: 2026-12-05 23:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_modteam"
down_revision = "0015_remind"
branch_labels = None
depends_on = None

# Its audit actions (note_added, claimed, assigned, released) join the audit check in
# 0021_actions, with issue 16's others.


def upgrade() -> None:
    """Apply this revision: no notes and no item held yet."""
    op.create_table(
        "moderator_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "length(body) BETWEEN 1 AND 2000", name=op.f("ck_moderator_notes_body_length")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_moderator_notes_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_moderator_notes_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderator_notes")),
    )
    with op.batch_alter_table("moderator_notes") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_moderator_notes_author_id"), ["author_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_moderator_notes_submission_id"), ["submission_id"], unique=False
        )
    op.create_table(
        "assignments",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"], ["users.id"], name=op.f("fk_assignments_assigned_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["moderator_id"], ["users.id"], name=op.f("fk_assignments_moderator_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_assignments_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("submission_id", name=op.f("pk_assignments")),
    )
    with op.batch_alter_table("assignments") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignments_moderator_id"), ["moderator_id"], unique=False
        )


def downgrade() -> None:
    """Revert this revision (notes, holders and their audit events are deleted)."""
    with op.batch_alter_table("assignments") as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignments_moderator_id"))
    op.drop_table("assignments")
    with op.batch_alter_table("moderator_notes") as batch_op:
        batch_op.drop_index(batch_op.f("ix_moderator_notes_submission_id"))
        batch_op.drop_index(batch_op.f("ix_moderator_notes_author_id"))
    op.drop_table("moderator_notes")
