"""Moderators' answers to requests for more time: a grant (a deadline exception made from the
request) or a refusal with a message; both are audited and mailed to the account."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from hub.audit import record
from hub.audit.models import Action
from hub.auth.models import User
from hub.clock import clock
from hub.extensions import db
from hub.moderation import mails
from hub.moderation.operations import DecisionRefused, grant_exception
from hub.submissions.deadlines import DeadlineException
from hub.submissions.timerequests import RequestStatus, TimeRequest

# The extension proposed when a request names no number of days.
DEFAULT_DAYS = 7


def pending_requests() -> list[TimeRequest]:
    """Requests awaiting an answer, oldest first."""
    return list(
        db.session.scalars(
            select(TimeRequest)
            .where(TimeRequest.status == RequestStatus.PENDING)
            .order_by(TimeRequest.created_at, TimeRequest.id)
        )
    )


def pending_count() -> int:
    """How many requests await an answer (the moderation menu shows it)."""
    stmt = select(func.count(TimeRequest.id)).where(TimeRequest.status == RequestStatus.PENDING)
    return db.session.scalar(stmt) or 0


def proposed_until(request: TimeRequest) -> datetime:
    """The instant a grant of `request` starts from: the days asked for (or a week) after
    the later of now and the general cutoff, in the display zone, to the minute."""
    c = clock()
    start = max(c.now(), c.close_at) if c.close_at else c.now()
    until = c.local(start + timedelta(days=request.days or DEFAULT_DAYS))
    return until.replace(second=0, microsecond=0)


def _refuse_unless_answerable(request: TimeRequest, moderator: User) -> None:
    """A moderator answers others' pending requests only."""
    if not moderator.is_moderator:
        raise DecisionRefused(_("Only moderators can answer requests for more time."), 403)
    if request.user_id == moderator.id:  # as with exceptions: never one's own
        raise DecisionRefused(
            _("You cannot answer your own request for more time: ask another moderator."), 403
        )
    if request.status is not RequestStatus.PENDING:
        raise DecisionRefused(_("This request was already answered. Nothing was changed."), 409)


def grant_request(
    request: TimeRequest, until: datetime, reason: str, moderator: User
) -> DeadlineException:
    """Grant a request as a deadline exception (grant_exception audits and mails it)."""
    _refuse_unless_answerable(request, moderator)
    exception = grant_exception(request.user, until, reason, moderator)
    request.status = RequestStatus.GRANTED
    request.decided_at = clock().now()
    request.decided_by = moderator
    db.session.flush()
    return exception


def decline_request(request: TimeRequest, message: str, moderator: User) -> None:
    """Decline a request with a message that is mailed to the account, and audit it."""
    message = message.strip()
    if not message:
        raise DecisionRefused(_("Write why: the message goes to the person who asked."), 422)
    _refuse_unless_answerable(request, moderator)
    request.status = RequestStatus.DECLINED
    request.decided_at = clock().now()
    request.decided_by = moderator
    request.answer = message[:1000]
    record(Action.TIME_REQUEST_DECLINED, moderator, subject_user=request.user, message=message)
    db.session.flush()
    mails.time_request_declined(request.user, request.answer)
