"""The moderation dashboard's figures, read from the submissions and the audit trail."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from hub.audit.models import Action, AuditEvent
from hub.clock import clock
from hub.extensions import db
from hub.moderation.queries import status_name
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
    median_hours_to_decision: float | None
    decided: int


def figures(today: date, days: int = 30) -> Figures:
    """Counts per status and kind, first submissions per day, and the median wait for a
    decision, the last two from the audit trail (a resubmission resets submitted_at and
    decided_at on the row, not the history)."""
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
    hours = decision_waits()
    return Figures(
        by_status=[(status_name(status), by_status.get(status, 0)) for status in Status],
        by_kind=sorted(by_kind.items()),
        per_day=first_submissions_per_day(today, days),
        median_hours_to_decision=statistics.median(hours) if hours else None,
        decided=len(hours),
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


def decision_waits() -> list[float]:
    """Hours from each (re)submission to the moderator's decision on it, every decision
    counted (a request for changes as well as the approval after the resubmission)."""
    rows = db.session.execute(
        select(AuditEvent.submission_id, AuditEvent.action, AuditEvent.created_at)
        .where(
            AuditEvent.submission_id.is_not(None),
            AuditEvent.action.in_((Action.SUBMITTED, *DECISION_ACTIONS)),
        )
        .order_by(AuditEvent.submission_id, AuditEvent.created_at, AuditEvent.id)
        .execution_options(yield_per=2000)
    )
    hours: list[float] = []
    current, submitted_at = None, None
    for submission_id, action, created_at in rows:
        if submission_id != current:
            current, submitted_at = submission_id, None
        if action is Action.SUBMITTED:
            submitted_at = created_at
        elif submitted_at is not None:  # the decision on this round of review
            hours.append((created_at - submitted_at).total_seconds() / 3600)
            submitted_at = None
    return hours
