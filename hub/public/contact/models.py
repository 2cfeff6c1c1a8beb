"""A visitor's message held until they follow the link mailed to their address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.auth.models import EMAIL_MAX, NAME_MAX
from hub.extensions import Base, UTCDateTime, utcnow
from hub.submissions.models import Submission

MESSAGE_MAX = 3000  # characters of a message
HOLD_HOURS = 24  # how long a held message waits for its sender's confirmation


class HeldMessage(Base):
    """A message to a submission's contact from someone whose address is not confirmed yet;
    deleted when relayed or once expired (only a hash of the link's secret is kept)."""

    __tablename__ = "contact_messages"
    __table_args__ = (CheckConstraint(f"length(body) <= {MESSAGE_MAX}", name="body_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    sender_name: Mapped[str] = mapped_column(String(NAME_MAX))
    sender_email: Mapped[str] = mapped_column(String(EMAIL_MAX))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))  # the sender's, for their mails
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    submission: Mapped[Submission] = relationship()
