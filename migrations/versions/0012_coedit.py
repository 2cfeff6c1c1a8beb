"""co-editors: who may work on a submission besides its owner, invitations, revision authors

Revision ID: 0012_coedit
Revises: 0011_staff
Create Date: 2026-12-05 19:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_coedit"
down_revision = "0011_staff"
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
)
COEDIT_ACTIONS = (
    "editor_invited",
    "invitation_revoked",
    "invitation_declined",
    "editor_joined",
    "editor_removed",
    "editor_left",
    "ownership_handed_over",
)
NEW_ACTIONS = (*OLD_ACTIONS, *COEDIT_ACTIONS)


def _actions_check(actions: tuple[str, ...]) -> str:
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def upgrade() -> None:
    """Apply this revision: no submission has co-editors yet."""
    op.create_table(
        "submission_editors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("public_contact", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_submission_editors_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_submission_editors_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_editors")),
        sa.UniqueConstraint("submission_id", "user_id", name="uq_submission_editor"),
    )
    with op.batch_alter_table("submission_editors") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_submission_editors_submission_id"), ["submission_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_submission_editors_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "editor_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "accepted",
                "declined",
                "revoked",
                name="invitation_status",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "email = lower(email)", name=op.f("ck_editor_invitations_email_lowercase")
        ),
        sa.CheckConstraint("length(email) <= 254", name=op.f("ck_editor_invitations_email_length")),
        sa.CheckConstraint(
            "(status = 'pending') = (decided_at IS NULL)",
            name=op.f("ck_editor_invitations_decided_iff_done"),
        ),
        sa.CheckConstraint(
            "(status = 'accepted') = (accepted_by_id IS NOT NULL)",
            name=op.f("ck_editor_invitations_accepted_by"),
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_editor_invitations_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["users.id"],
            name=op.f("fk_editor_invitations_invited_by_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["accepted_by_id"],
            ["users.id"],
            name=op.f("fk_editor_invitations_accepted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_editor_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_editor_invitations_token_hash")),
    )
    with op.batch_alter_table("editor_invitations") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_editor_invitations_submission_id"), ["submission_id"], unique=False
        )
        batch_op.create_index(
            "uq_editor_invitations_one_pending",
            ["submission_id", "email"],
            unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )

    with op.batch_alter_table("revisions") as batch_op:
        batch_op.add_column(sa.Column("proposed_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_revisions_proposed_by_id_users"),
            "users",
            ["proposed_by_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_constraint(op.f("ck_audit_events_audit_action"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_audit_events_audit_action"), _actions_check(NEW_ACTIONS)
        )


def downgrade() -> None:
    """Revert this revision (co-editors, invitations and their audit events are deleted)."""
    op.execute(
        "DELETE FROM audit_events WHERE action IN ("
        + ", ".join(f"'{a}'" for a in COEDIT_ACTIONS)
        + ")"
    )
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_constraint(op.f("ck_audit_events_audit_action"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_audit_events_audit_action"), _actions_check(OLD_ACTIONS)
        )
    with op.batch_alter_table("revisions") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_revisions_proposed_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("proposed_by_id")
    with op.batch_alter_table("editor_invitations") as batch_op:
        batch_op.drop_index("uq_editor_invitations_one_pending")
        batch_op.drop_index(batch_op.f("ix_editor_invitations_submission_id"))
    op.drop_table("editor_invitations")
    with op.batch_alter_table("submission_editors") as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_editors_user_id"))
        batch_op.drop_index(batch_op.f("ix_submission_editors_submission_id"))
    op.drop_table("submission_editors")
