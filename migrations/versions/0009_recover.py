"""account notifications: which optional mails an account wants

Revision ID: 0009_recover
Revises: 0008
Create Date: 2026-12-05 19:30:00.000000

The audit trail records password resets and changes and address changes. Reminders before the cutoff (issue 16 sends them) and the moderators' digest are optional,
both on by default; receipts, decisions and account mails always go.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_recover"
down_revision = "0008"
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
)
ADDED = ("password_reset", "password_changed", "email_change_requested", "email_changed")
NEW_ACTIONS = (*OLD_ACTIONS, *ADDED)


def _actions_check(actions: tuple[str, ...]) -> str:
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def upgrade() -> None:
    """Apply this revision: existing accounts keep getting every mail they got."""
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("notify_reminders", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(
            sa.Column("notify_digest", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("audit_events", schema=None) as batch:
        batch.drop_constraint(op.f("ck_audit_events_audit_action"), type_="check")
        batch.create_check_constraint(
            op.f("ck_audit_events_audit_action"), _actions_check(NEW_ACTIONS)
        )


def downgrade() -> None:
    """Revert this revision (the account events of this revision are deleted)."""
    op.execute(
        "DELETE FROM audit_events WHERE action IN (" + ", ".join(f"'{a}'" for a in ADDED) + ")"
    )
    with op.batch_alter_table("audit_events", schema=None) as batch:
        batch.drop_constraint(op.f("ck_audit_events_audit_action"), type_="check")
        batch.create_check_constraint(
            op.f("ck_audit_events_audit_action"), _actions_check(OLD_ACTIONS)
        )
    with op.batch_alter_table("users") as batch:
        batch.drop_column("notify_digest")
        batch.drop_column("notify_reminders")
