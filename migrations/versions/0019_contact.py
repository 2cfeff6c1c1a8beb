"""reaching an initiative: messages held until their sender confirms; outbox reply-to and
ephemeral mails (deleted once delivered)

Revision ID: 0019_contact
Revises: 0018_m49
Create Date: 2026-12-05 23:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_contact"
down_revision = "0018_m49"
branch_labels = None
depends_on = None

# Its audit action (contact_relayed) joins the audit check in 0021_actions, with issue 16's others.


def upgrade() -> None:
    """Apply this revision: no message is held yet; every existing mail is kept."""
    op.create_table(
        "contact_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("sender_name", sa.String(length=120), nullable=False),
        sa.Column("sender_email", sa.String(length=254), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(body) <= 3000", name=op.f("ck_contact_messages_body_length")),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_contact_messages_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_messages")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_contact_messages_token_hash")),
    )
    with op.batch_alter_table("contact_messages") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_messages_submission_id"), ["submission_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contact_messages_expires_at"), ["expires_at"], unique=False
        )
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(
            sa.Column("ephemeral", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    """Revert this revision (held messages, relayed mails not yet sent and the audit events
    of relayed messages are deleted)."""
    op.execute("DELETE FROM outbox WHERE ephemeral")
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("ephemeral")
    op.drop_table("contact_messages")
