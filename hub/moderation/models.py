"""What the moderation area stores of its own: which items a moderators' digest announced,
moderators' internal notes, and who holds each pending item."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.auth.models import User
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


class ModeratorNote(Base):
    """A moderator's internal note on a submission: read by moderators only, never by its
    owner, the public, the API, open data or any export but its author's own."""

    __tablename__ = "moderator_notes"
    __table_args__ = (CheckConstraint("length(body) BETWEEN 1 AND 2000", name="body_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    author: Mapped[User] = relationship(foreign_keys=[author_id])


class Assignment(Base):
    """Who holds a pending submission: claimed by a moderator or assigned by a colleague.

    One row per submission (the primary key), so two moderators claiming at once cannot
    both win; the row goes when the item is decided or released."""

    __tablename__ = "assignments"

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True
    )
    moderator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime())

    moderator: Mapped[User] = relationship(foreign_keys=[moderator_id])
    assigned_by: Mapped[User] = relationship(foreign_keys=[assigned_by_id])
