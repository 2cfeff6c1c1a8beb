"""reaching an initiative: messages held until their sender confirms; outbox reply-to and
ephemeral mails (deleted once delivered)

Revision ID: 0019_contact
Revises: 0012_coedit
Create Date: 2026-12-05 23:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_contact"
down_revision = "0012_coedit"
branch_labels = None
depends_on = None

# Frozen copies of hub.audit.models.Action as of the previous revision and this one: a
# migration must not change when the models do.
OLD_ACTIONS = (
    "created",
    "edited",
    "submitted",
    "withdrawn",
    "approved",
    "rejected",
    "changes_requested",
    "marked_duplicate",
    "revision_proposed",
    "revision_approved",
    "revision_rejected",
    "exception_granted",
    "exception_revoked",
    "late_post_kept",
    "registered",
    "email_confirmed",
    "sessions_ended",
    "password_reset",
    "password_changed",
    "email_change_requested",
    "email_changed",
    "account_deleted",
    "role_changed",
    "account_deactivated",
    "account_reactivated",
    "two_factor_enabled",
    "two_factor_disabled",
    "recovery_codes_renewed",
    "recovery_code_used",
    "editor_invited",
    "invitation_revoked",
    "invitation_declined",
    "editor_joined",
    "editor_removed",
    "editor_left",
    "ownership_handed_over",
)
CONTACT_ACTIONS = ("contact_relayed",)
NEW_ACTIONS = (*OLD_ACTIONS, *CONTACT_ACTIONS)


def _actions_check(actions: tuple[str, ...]) -> str:
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


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
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_constraint(op.f("ck_audit_events_audit_action"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_audit_events_audit_action"), _actions_check(NEW_ACTIONS)
        )


def downgrade() -> None:
    """Revert this revision (held messages, relayed mails not yet sent and the audit events
    of relayed messages are deleted)."""
    op.execute(
        "DELETE FROM audit_events WHERE action IN ("
        + ", ".join(f"'{a}'" for a in CONTACT_ACTIONS)
        + ")"
    )
    op.execute("DELETE FROM outbox WHERE ephemeral")
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_constraint(op.f("ck_audit_events_audit_action"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_audit_events_audit_action"), _actions_check(OLD_ACTIONS)
        )
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("ephemeral")
    op.drop_table("contact_messages")
