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

# Its audit action (call_edited) joins the audit check in 0021_actions, with issue 16's others.
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


def downgrade() -> None:
    """Revert this revision (the call's texts and their audit events are deleted)."""
    op.drop_table("call_texts")
