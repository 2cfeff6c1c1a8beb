"""The moderation dashboard's figures, read from the submissions and the audit trail."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from hub.audit.models import Action, AuditEvent
from hub.auth.models import User
from hub.clock import clock
from hub.extensions import db
from hub.moderation.models import Assignment
from hub.moderation.queries import status_name
from hub.moderation.team import pending_condition
from hub.submissions.models import Status, Submission

DECISION_ACTIONS = (
    Action.APPROVED,
    Action.REJECTED,
    Action.CHANGES_REQUESTED,
    Action.MARKED_DUPLICATE,
)


@dataclass
class Figures:
    """What the moderation dashboard shows."""

    by_status: list[tuple[str, int]]
    by_kind: list[tuple[str, int]]
    per_day: list[tuple[date, int]]
    median_hours_to_decision: float | None  # over the last `days` days
    decided: int
    days: int
    oldest: Submission | None  # the submitted item waiting longest for a decision
    oldest_wait_hours: float | None
    held: list[tuple[str, int]]  # (moderator, items they hold), most first


def figures(today: date, days: int = 30) -> Figures:
    """Counts per status and kind, first submissions per day, the median wait for a
    decision over the last `days` days, the last two from the audit trail (a resubmission
    resets submitted_at and decided_at on the row, not the history), the oldest pending item
    and how many items each moderator holds."""
    by_status = dict(
        db.session.execute(
            select(Submission.status, func.count()).group_by(Submission.status)
        ).all()
    )
    by_kind = dict(
        db.session.execute(
            select(Submission.kind, func.count())
            .where(Submission.status != Status.DRAFT)
            .group_by(Submission.kind)
        ).all()
    )
    now = clock().now()
    hours = decision_waits(since=now - timedelta(days=days))
    oldest = db.session.scalars(
        select(Submission)
        .where(Submission.status == Status.SUBMITTED, Submission.submitted_at.is_not(None))
        .order_by(Submission.submitted_at, Submission.id)
        .limit(1)
    ).first()
    waited = oldest.submitted_at if oldest is not None else None
    return Figures(
        by_status=[(status_name(status), by_status.get(status, 0)) for status in Status],
        by_kind=sorted(by_kind.items()),
        per_day=first_submissions_per_day(today, days),
        median_hours_to_decision=statistics.median(hours) if hours else None,
        decided=len(hours),
        days=days,
        oldest=oldest,
        oldest_wait_hours=(now - waited).total_seconds() / 3600 if waited else None,
        held=held_counts(),
    )


def first_submissions_per_day(today: date, days: int) -> list[tuple[date, int]]:
    """How many submissions were submitted for the first time on each of the last `days`
    days, as people in Geneva count days (a resubmission is not a new submission)."""
    start = today - timedelta(days=days - 1)
    since = datetime.combine(start - timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    instants = db.session.scalars(
        select(AuditEvent.created_at).where(
            AuditEvent.action == Action.SUBMITTED,
            AuditEvent.from_status == Status.DRAFT.value,
            AuditEvent.created_at >= since,
        )
    ).all()
    counts: dict[date, int] = {start + timedelta(days=i): 0 for i in range(days)}
    for instant in instants:
        day = clock().local(instant).date()
        if day in counts:
            counts[day] += 1
    return sorted(counts.items())


def decision_waits(since: datetime | None = None) -> list[float]:
    """Hours from each (re)submission to the moderator's decision on it, every decision
    counted (a request for changes as well as the approval after the resubmission); with
    `since`, only decisions taken since then. Computed here, not in SQL, so the median is
    the same on SQLite and PostgreSQL."""
    stmt = select(AuditEvent.submission_id, AuditEvent.action, AuditEvent.created_at).where(
        AuditEvent.submission_id.is_not(None),
        AuditEvent.action.in_((Action.SUBMITTED, *DECISION_ACTIONS)),
    )
    if since is not None:  # only the histories of items decided in the period
        stmt = stmt.where(
            AuditEvent.submission_id.in_(
                select(AuditEvent.submission_id).where(
                    AuditEvent.action.in_(DECISION_ACTIONS), AuditEvent.created_at >= since
                )
            )
        )
    rows = db.session.execute(
        stmt.order_by(
            AuditEvent.submission_id, AuditEvent.created_at, AuditEvent.id
        ).execution_options(yield_per=2000)
    )
    hours: list[float] = []
    current, submitted_at = None, None
    for submission_id, action, created_at in rows:
        if submission_id != current:
            current, submitted_at = submission_id, None
        if action is Action.SUBMITTED:
            submitted_at = created_at
        elif submitted_at is not None:  # the decision on this round of review
            if since is None or created_at >= since:
                hours.append((created_at - submitted_at).total_seconds() / 3600)
            submitted_at = None
    return hours


def held_counts() -> list[tuple[str, int]]:
    """How many items waiting for a decision each moderator holds, most first."""
    rows = db.session.execute(
        select(User.display_name, func.count())
        .select_from(Assignment)
        .join(User, User.id == Assignment.moderator_id)
        .join(Submission, Submission.id == Assignment.submission_id)
        .where(pending_condition(), User.deactivated_at.is_(None), User.deleted_at.is_(None))
        .group_by(User.id, User.display_name)
    ).all()
    return sorted(((name, n) for name, n in rows), key=lambda r: (-r[1], r[0].lower()))
