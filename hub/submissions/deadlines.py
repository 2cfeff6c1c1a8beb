"""When an account may write: the cutoff, its deadline exception, and revisions' window."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import CheckConstraint, ForeignKey, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.auth.models import User
from hub.clock import Phase, clock
from hub.extensions import Base, UTCDateTime, db, utcnow
from hub.submissions.models import Status, Submission


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


class SubmissionsClosed(Exception):
    """A write the clock does not allow; the message says why, in the display zone."""


def personal_deadline(user: User | None) -> datetime | None:
    """The cutoff for this account: the general one, or its later exception."""
    c = clock()
    if user is None or c.close_at is None:
        return c.close_at
    exception = db.session.scalar(
        select(DeadlineException).where(DeadlineException.user_id == user.id)
    )
    if exception is not None:
        return max(c.close_at, exception.until)
    return c.close_at


def why_closed(
    submitting: bool, user: User | None = None, submission: Submission | None = None
) -> str | None:
    """Why the clock refuses this write now (a sentence for the page), or None when it is
    allowed.

    Drafts may be prepared before the call opens; after the cutoff nothing is written,
    except by an account with a deadline exception, and revisions of items a moderator
    sent back, which stay open until HUB_REVISIONS_CLOSE_AT (unset = no limit).
    """
    c = clock()
    now = c.now()
    if c.phase(now) is Phase.NOT_YET_OPEN:
        if submitting:
            return _(
                "Submissions open on %(when)s; you can save a draft until then.",
                when=c.format(c.open_at),
            )
        return None
    deadline = personal_deadline(user)
    if deadline is None or now < deadline:
        return None
    if submission is not None and submission.status is Status.CHANGES_REQUESTED:
        until = revisions_open_until(user)
        if until is None or now < until:
            return None
        return _("Revisions closed on %(when)s.", when=c.format(until))
    return _("Submissions closed on %(when)s.", when=c.format(deadline))


def revisions_open_until(user: User | None) -> datetime | None:
    """Until when `user` may revise and resubmit an item sent back for changes (None = no
    limit): the later of their own cutoff (with any exception) and HUB_REVISIONS_CLOSE_AT."""
    deadline = personal_deadline(user)
    revisions_close_at = clock().revisions_close_at
    if deadline is None or revisions_close_at is None:
        return None
    return max(deadline, revisions_close_at)


def ensure_window(
    submitting: bool, user: User | None = None, submission: Submission | None = None
) -> None:
    """Raise SubmissionsClosed when the clock refuses this write."""
    reason = why_closed(submitting, user, submission)
    if reason:
        raise SubmissionsClosed(reason)


def deadline_context() -> dict[str, Any]:
    """The deadline every page shows (the banner): the general cutoff, or the later one of
    the logged-in account's exception, so such an account sees its own deadline everywhere."""
    c = clock()
    user = current_user if current_user and current_user.is_authenticated else None
    deadline = personal_deadline(user) if user is not None else c.close_at
    return {
        "deadline": deadline,
        "extended": deadline is not None and deadline != c.close_at,
        "seconds_left": c.seconds_left(deadline),
        "phase": c.phase(close_at=deadline),
    }
