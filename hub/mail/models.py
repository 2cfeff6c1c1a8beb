"""The outbox: mails written in the same transaction as the change they announce."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Integer, String, Text, false, text
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
    # Headers of the message besides the usual ones, e.g. List-Unsubscribe on reminders
    # (a server default, not a Python one: the same model inserts into older schemas).
    headers: Mapped[dict[str, str]] = mapped_column(JSON, server_default=text("'{}'"))
    # Deleted once delivered (a relayed message is not kept longer than its delivery needs).
    ephemeral: Mapped[bool] = mapped_column(Boolean, server_default=false())
