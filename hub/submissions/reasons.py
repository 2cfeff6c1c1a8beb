"""Standard reasons: texts admins keep for moderators to insert in a decision's message.

They live below the moderation and admin areas (which may not import each other): the
admin area edits them, the review page offers them. A reason is retired, never deleted,
so the audit trail's mention of it keeps its meaning.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from hub.extensions import Base, UTCDateTime, db, enum_type, utcnow
from hub.i18n import N_

LABEL_MAX = 80
TEXT_MAX = 2000


class ReasonUse(enum.StrEnum):
    """Which decision a standard reason is meant for."""

    ANY = "any"
    REJECT = "reject"
    REQUEST_CHANGES = "request_changes"


USE_LABELS = {
    ReasonUse.ANY: N_("Any decision"),
    ReasonUse.REJECT: N_("Rejecting"),
    ReasonUse.REQUEST_CHANGES: N_("Requesting changes"),
}


class StandardReason(Base):
    """A short label and the text a moderator may insert (and then edit) in a message."""

    __tablename__ = "standard_reasons"
    __table_args__ = (
        CheckConstraint(f"length(label) <= {LABEL_MAX}", name="label_length"),
        CheckConstraint(f"length(text) <= {TEXT_MAX}", name="text_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(LABEL_MAX))
    text: Mapped[str] = mapped_column(Text)
    use: Mapped[ReasonUse] = mapped_column(
        enum_type(ReasonUse, "reason_use"), default=ReasonUse.ANY
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


def all_reasons() -> list[StandardReason]:
    """Every reason, those in use first, each group by label (the admins' list)."""
    return list(
        db.session.scalars(
            select(StandardReason).order_by(
                StandardReason.retired_at.is_not(None), StandardReason.label, StandardReason.id
            )
        )
    )


def reasons_in_use() -> list[StandardReason]:
    """The reasons a moderator may insert, grouped by use then by label."""
    return list(
        db.session.scalars(
            select(StandardReason)
            .where(StandardReason.retired_at.is_(None))
            .order_by(StandardReason.use, StandardReason.label, StandardReason.id)
        )
    )
