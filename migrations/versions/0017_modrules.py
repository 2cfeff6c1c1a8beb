"""standard reasons moderators insert in their messages (kept by admins, audited)

Revision ID: 0017_modrules
Revises: 0016_modteam
Create Date: 2026-12-05 23:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_modrules"
down_revision = "0016_modteam"
branch_labels = None
depends_on = None

# Its audit actions (reason_added, reason_edited, reason_retired, reason_restored) join the
# audit check in 0021_actions, with issue 16's others.


def upgrade() -> None:
    """Apply this revision: no standard reason exists yet."""
    op.create_table(
        "standard_reasons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "use",
            sa.Enum(
                "any",
                "reject",
                "request_changes",
                name="reason_use",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("length(label) <= 80", name=op.f("ck_standard_reasons_label_length")),
        sa.CheckConstraint("length(text) <= 2000", name=op.f("ck_standard_reasons_text_length")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standard_reasons")),
    )


def downgrade() -> None:
    """Revert this revision (the standard reasons and their audit events are deleted)."""
    op.drop_table("standard_reasons")
