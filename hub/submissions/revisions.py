"""Owners' edits of approved submissions, waiting for a moderator (the public text stays)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.auth.models import User
from hub.extensions import Base, UTCDateTime, enum_type, utcnow
from hub.submissions.models import Submission


class RevisionStatus(enum.StrEnum):
    """A proposed edit of an approved submission."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Revision(Base):
    """An owner's edit of an approved submission, waiting for a moderator.

    The submission row keeps the approved (public) text until the revision is approved.
    """

    __tablename__ = "revisions"
    __table_args__ = (
        CheckConstraint(
            "(status = 'pending') = (decided_at IS NULL)", name="decided_iff_not_pending"
        ),
        CheckConstraint("length(message) <= 4000", name="message_length"),
        # At most one pending revision per submission: later edits update it.
        Index(
            "uq_revisions_one_pending",
            "submission_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[RevisionStatus] = mapped_column(
        enum_type(RevisionStatus, "revision_status"), default=RevisionStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(Text, default="")
    # Who last wrote it: the owner or a co-editor (None for revisions from before 0009, or
    # when that account was deleted).
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    submission: Mapped[Submission] = relationship()
