"""Asking for more time after the cutoff: an account's request, which moderators grant (as a
deadline exception, hub/moderation/timerequests.py) or decline with a message."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, Text, func, select, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.audit import record
from hub.audit.models import Action
from hub.auth.models import User
from hub.clock import clock
from hub.extensions import Base, UTCDateTime, db, enum_type, utcnow

# How many days an account may ask for (the moderator chooses the instant when granting).
MAX_DAYS = 60
# Requests an account may send in 24 hours (one may be pending at a time).
PER_DAY = 3


class RequestStatus(enum.StrEnum):
    """Where a request for more time stands."""

    PENDING = "pending"
    GRANTED = "granted"
    DECLINED = "declined"


class TimeRequest(Base):
    """One account's request to submit or edit after the cutoff."""

    __tablename__ = "deadline_requests"
    __table_args__ = (
        CheckConstraint("length(reason) BETWEEN 1 AND 1000", name="reason_length"),
        CheckConstraint("length(answer) <= 1000", name="answer_length"),
        CheckConstraint("days IS NULL OR days BETWEEN 1 AND 60", name="days_range"),
        CheckConstraint(
            "(status = 'pending') = (decided_at IS NULL)", name="decided_iff_not_pending"
        ),
        # One pending request per account: asking again updates nothing, it is refused.
        Index(
            "uq_deadline_requests_one_pending",
            "user_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    days: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[RequestStatus] = mapped_column(
        enum_type(RequestStatus, "deadline_request_status"), default=RequestStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answer: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


def already_asked() -> str:
    """What an account that asks again while its request is pending reads."""
    return _("You already asked for more time; the moderators have not answered yet.")


class RequestRefused(ValueError):
    """A request for more time that cannot be made now (the message says why)."""


def pending_request(user: User) -> TimeRequest | None:
    """The account's request awaiting a moderator, if any."""
    return db.session.scalar(
        select(TimeRequest).where(
            TimeRequest.user_id == user.id, TimeRequest.status == RequestStatus.PENDING
        )
    )


def ask_for_time(user: User, reason: str, days: int | None) -> TimeRequest:
    """Record a request for more time (one pending per account) and audit it."""
    reason = reason.strip()
    if not reason:
        raise RequestRefused(_("Say why you need more time."))
    if pending_request(user) is not None:
        raise RequestRefused(already_asked())
    since = clock().now() - timedelta(days=1)
    recent = db.session.scalar(
        select(func.count(TimeRequest.id)).where(
            TimeRequest.user_id == user.id, TimeRequest.created_at >= since
        )
    )
    if (recent or 0) >= PER_DAY:  # answered ones count too: no stream of requests
        raise RequestRefused(
            _("You have asked for more time several times today; try again tomorrow.")
        )
    request = TimeRequest(user=user, reason=reason, days=days, created_at=clock().now())
    db.session.add(request)
    db.session.flush()
    wanted = f" ({days} days)" if days else ""
    record(Action.TIME_REQUESTED, user, subject_user=user, message=f"{reason}{wanted}"[:4000])
    return request
