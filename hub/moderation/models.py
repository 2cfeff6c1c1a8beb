"""What the moderation area stores of its own: which items a moderators' digest announced."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hub.extensions import Base, UTCDateTime


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
