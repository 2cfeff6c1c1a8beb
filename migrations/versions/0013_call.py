"""the call: its texts per interface language, edited by admins on /admin/call

Revision ID: 0013_call
Revises: 0012_coedit
Create Date: 2026-12-05 23:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_call"
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
CALL_ACTIONS = ("call_edited",)
NEW_ACTIONS = (*OLD_ACTIONS, *CALL_ACTIONS)
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
# (column, longest text): frozen copy of hub.admin.call.FIELDS.
LIMITS = (
    ("call_name", 200),
    ("event_name", 200),
    ("dates", 200),
    ("venue", 200),
    ("organiser", 200),
    ("summary", 2000),
    ("documents", 4000),
    ("eligibility", 4000),
    ("after_submission", 4000),
    ("faq", 10000),
    ("contact_email", 254),
)


def _actions_check(actions: tuple[str, ...]) -> str:
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def upgrade() -> None:
    """Apply this revision: no call text is saved; the pages show their general wording."""
    op.create_table(
        "call_texts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        *(sa.Column(name, sa.Text(), nullable=False) for name, _limit in LIMITS),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "language IN (" + ", ".join(f"'{code}'" for code in LANGUAGES) + ")",
            name=op.f("ck_call_texts_language_known"),
        ),
        *(
            sa.CheckConstraint(
                f"length({name}) <= {limit}", name=op.f(f"ck_call_texts_{name}_length")
            )
            for name, limit in LIMITS
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_call_texts_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_texts")),
        sa.UniqueConstraint("language", name=op.f("uq_call_texts_language")),
    )
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_constraint(op.f("ck_audit_events_audit_action"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_audit_events_audit_action"), _actions_check(NEW_ACTIONS)
        )


def downgrade() -> None:
    """Revert this revision (the call's texts and their audit events are deleted)."""
    op.execute(
        "DELETE FROM audit_events WHERE action IN ("
        + ", ".join(f"'{a}'" for a in CALL_ACTIONS)
        + ")"
    )
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_constraint(op.f("ck_audit_events_audit_action"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_audit_events_audit_action"), _actions_check(OLD_ACTIONS)
        )
    op.drop_table("call_texts")
