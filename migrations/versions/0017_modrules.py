"""standard reasons moderators insert in their messages (kept by admins, audited)

Revision ID: 0017_modrules
Revises: 0012_coedit
Create Date: 2026-12-05 23:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_modrules"
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
REASON_ACTIONS = ("reason_added", "reason_edited", "reason_retired", "reason_restored")
NEW_ACTIONS = (*OLD_ACTIONS, *REASON_ACTIONS)


def _actions_check(actions: tuple[str, ...]) -> str:
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


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
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_constraint(op.f("ck_audit_events_audit_action"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_audit_events_audit_action"), _actions_check(NEW_ACTIONS)
        )


def downgrade() -> None:
    """Revert this revision (the standard reasons and their audit events are deleted)."""
    op.execute(
        "DELETE FROM audit_events WHERE action IN ("
        + ", ".join(f"'{a}'" for a in REASON_ACTIONS)
        + ")"
    )
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_constraint(op.f("ck_audit_events_audit_action"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_audit_events_audit_action"), _actions_check(OLD_ACTIONS)
        )
    op.drop_table("standard_reasons")
