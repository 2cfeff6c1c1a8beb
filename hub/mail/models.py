"""The outbox: mails written in the same transaction as the change they announce."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hub.extensions import Base, UTCDateTime, utcnow


class OutboxMail(Base):
    """One message to one recipient; sent_at is set once the SMTP server accepted it."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts_non_negative"),
        CheckConstraint("length(subject) <= 300", name="subject_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)  # receipt, decision, digest …
    to_addr: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # A sender claims a mail until this instant, so two processes never send it twice.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    last_error: Mapped[str] = mapped_column(Text, default="")


class DigestItem(Base):
    """A submission (in one round of review) announced in a moderators' digest.

    One row per item and submission instant, so each round is announced exactly once and
    an item whose request committed after a digest had run is announced by the next one.
    """

    __tablename__ = "digest_items"
    __table_args__ = (
        UniqueConstraint("submission_id", "submitted_at", name="uq_digest_items_submission_round"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    announced_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
