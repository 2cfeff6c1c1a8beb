"""issue 16's audit actions: the call, time requests, reminders, the moderators' team and rules, relayed messages

Revision ID: 0021_actions
Revises: 0020_logo
Create Date: 2026-12-06 00:00:00.000000

The migrations of issue 16 (0013-0020) each add tables; the actions their operations audit join
the audit check here, once, rather than each migration copying the whole list again.
"""

from __future__ import annotations

from alembic import op

revision = "0021_actions"
down_revision = "0020_logo"
branch_labels = None
depends_on = None

# Frozen copies of hub.audit.models.Action as of 0012_coedit and of this revision: a migration
# must not change when the models do.
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
ISSUE16_ACTIONS = (
    "call_edited",  # 0013_call
    "time_requested",  # 0014_owner
    "time_request_declined",
    "reminders_stopped",  # 0015_remind
    "note_added",  # 0016_modteam
    "claimed",
    "assigned",
    "released",
    "reason_added",  # 0017_modrules
    "reason_edited",
    "reason_retired",
    "reason_restored",
    "contact_relayed",  # 0019_contact
)
NEW_ACTIONS = (*OLD_ACTIONS, *ISSUE16_ACTIONS)


def _actions_check(actions: tuple[str, ...]) -> str:
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def upgrade() -> None:
    """Apply this revision: the audit check admits issue 16's actions."""
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_constraint(op.f("ck_audit_events_audit_action"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_audit_events_audit_action"), _actions_check(NEW_ACTIONS)
        )


def downgrade() -> None:
    """Revert this revision (the audit events of issue 16's actions are deleted)."""
    op.execute(
        "DELETE FROM audit_events WHERE action IN ("
        + ", ".join(f"'{a}'" for a in ISSUE16_ACTIONS)
        + ")"
    )
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_constraint(op.f("ck_audit_events_audit_action"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_audit_events_audit_action"), _actions_check(OLD_ACTIONS)
        )
