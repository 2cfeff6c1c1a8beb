"""Audit trail, pending revisions of approved submissions, and deadline exceptions."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.auth.models import User, utcnow
from hub.extensions import Base, UTCDateTime
from hub.submissions.models import Submission


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=30,
        values_callable=lambda e: [m.value for m in e],
    )


class Action(enum.StrEnum):
    """Every kind of recorded state change."""

    CREATED = "created"
    EDITED = "edited"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    APPROVED = "approved"
    REJECTED = "rejected"
    CHANGES_REQUESTED = "changes_requested"
    MARKED_DUPLICATE = "marked_duplicate"
    REVISION_PROPOSED = "revision_proposed"
    REVISION_APPROVED = "revision_approved"
    REVISION_REJECTED = "revision_rejected"
    EXCEPTION_GRANTED = "exception_granted"
    EXCEPTION_REVOKED = "exception_revoked"
    LATE_POST_KEPT = "late_post_kept"


class AuditEvent(Base):
    """Who did what to which submission (or account), when, from which state to which."""

    __tablename__ = "audit_events"
    __table_args__ = (
        CheckConstraint("length(message) <= 4000", name="message_length"),
        CheckConstraint(
            "submission_id IS NOT NULL OR subject_user_id IS NOT NULL", name="has_subject"
        ),
        Index("ix_audit_events_submission_created", "submission_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE")
    )
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[Action] = mapped_column(_enum(Action, "audit_action"))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str | None] = mapped_column(String(30))
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    subject_user: Mapped[User | None] = relationship(foreign_keys=[subject_user_id])
    submission: Mapped[Submission | None] = relationship()


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
        _enum(RevisionStatus, "revision_status"), default=RevisionStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(Text, default="")

    decided_by: Mapped[User | None] = relationship()
    submission: Mapped[Submission] = relationship()


class DeadlineException(Base):
    """Permission for one account to submit and edit until a later instant."""

    __tablename__ = "deadline_exceptions"
    __table_args__ = (CheckConstraint("length(reason) <= 1000", name="reason_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    until: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text, default="")
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    granted_by: Mapped[User] = relationship(foreign_keys=[granted_by_id])
