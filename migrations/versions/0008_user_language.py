"""user language: the language an account chose, for its pages and e-mails

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 09:00:00.000000

Follows 0007 (user sessions and confirmed addresses).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision: existing accounts have no stored language (they negotiate)."""
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
