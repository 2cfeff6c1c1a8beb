"""logos: one re-encoded image per submission (and per pending update), in the database

Revision ID: 0020_logo
Revises: 0019_contact
Create Date: 2026-12-05 23:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_logo"
down_revision = "0019_contact"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision: no submission has a logo yet."""
    op.create_table(
        "logos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("mime_type", sa.String(length=20), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "mime_type IN ('image/png', 'image/jpeg', 'image/webp')",
            name=op.f("ck_logos_mime_type_known"),
        ),
        sa.CheckConstraint(
            "width BETWEEN 1 AND 512 AND height BETWEEN 1 AND 512", name=op.f("ck_logos_size")
        ),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_logos_sha256_length")),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_logos_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logos")),
        sa.UniqueConstraint("submission_id", "sha256", name="uq_logos_submission_sha256"),
    )
    with op.batch_alter_table("logos") as batch_op:
        batch_op.create_index(batch_op.f("ix_logos_submission_id"), ["submission_id"], unique=False)
    with op.batch_alter_table("submissions") as batch_op:
        batch_op.add_column(sa.Column("logo_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Revert this revision (every logo is deleted)."""
    with op.batch_alter_table("submissions") as batch_op:
        batch_op.drop_column("logo_id")
    with op.batch_alter_table("logos") as batch_op:
        batch_op.drop_index(batch_op.f("ix_logos_submission_id"))
    op.drop_table("logos")
