"""owners after the cutoff: requests for more time, and the content a moderator last reviewed

Revision ID: 0014_owner
Revises: 0012_coedit
Create Date: 2026-12-05 23:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_owner"
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
OWNER_ACTIONS = ("time_requested", "time_request_declined")
NEW_ACTIONS = (*OLD_ACTIONS, *OWNER_ACTIONS)


def _actions_check(actions: tuple[str, ...]) -> str:
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def upgrade() -> None:
    """Apply this revision: no request yet, and no item has a reviewed copy until decided."""
    op.create_table(
        "deadline_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "granted",
                "declined",
                name="deadline_request_status",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "length(reason) BETWEEN 1 AND 1000", name=op.f("ck_deadline_requests_reason_length")
        ),
        sa.CheckConstraint(
            "length(answer) <= 1000", name=op.f("ck_deadline_requests_answer_length")
        ),
        sa.CheckConstraint(
            "days IS NULL OR days BETWEEN 1 AND 60", name=op.f("ck_deadline_requests_days_range")
        ),
        sa.CheckConstraint(
            "(status = 'pending') = (decided_at IS NULL)",
            name=op.f("ck_deadline_requests_decided_iff_not_pending"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_deadline_requests_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_deadline_requests_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_requests")),
    )
    with op.batch_alter_table("deadline_requests") as batch_op:
        batch_op.create_index(batch_op.f("ix_deadline_requests_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "uq_deadline_requests_one_pending",
            ["user_id"],
            unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )
    with op.batch_alter_table("submissions") as batch_op:
        batch_op.add_column(sa.Column("reviewed_content", sa.JSON(), nullable=True))
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_constraint(op.f("ck_audit_events_audit_action"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_audit_events_audit_action"), _actions_check(NEW_ACTIONS)
        )


def downgrade() -> None:
    """Revert this revision (requests for more time and their audit events are deleted)."""
    op.execute(
        "DELETE FROM audit_events WHERE action IN ("
        + ", ".join(f"'{a}'" for a in OWNER_ACTIONS)
        + ")"
    )
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_constraint(op.f("ck_audit_events_audit_action"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_audit_events_audit_action"), _actions_check(OLD_ACTIONS)
        )
    with op.batch_alter_table("submissions") as batch_op:
        batch_op.drop_column("reviewed_content")
    op.drop_table("deadline_requests")
