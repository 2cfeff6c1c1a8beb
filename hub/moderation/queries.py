"""Read-only queries for moderators: the queue, duplicates, history, figures."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from difflib import SequenceMatcher

from sqlalchemy import Select, func, or_, select

from hub.clock import clock
from hub.extensions import db
from hub.moderation.models import AuditEvent, DeadlineException, Revision, RevisionStatus
from hub.submissions.models import Status, Submission

PAGE_SIZE = 100
DUPLICATE_CANDIDATES = 2000
REVISIONS = "revisions"  # pseudo-status of the queue: pending revisions of approved items


@dataclass
class QueuePage:
    """One page of the review queue."""

    items: list[Submission]
    total: int
    page: int
    pages: int


def queue_statement(status: str, kind: str, text: str) -> Select:
    """Submissions matching the queue filters, oldest submitted first."""
    stmt = select(Submission).where(Submission.status != Status.DRAFT)
    if status == REVISIONS:
        stmt = stmt.where(Submission.id.in_(
            select(Revision.submission_id).where(Revision.status == RevisionStatus.PENDING)))
    elif status:
        stmt = stmt.where(Submission.status == Status(status))
    if kind:
        stmt = stmt.where(Submission.kind == kind)
    if text:
        like = f"%{_like_escape(text)}%"
        stmt = stmt.where(or_(*(column.ilike(like, escape="\\") for column in (
            Submission.title, Submission.lead_organisation, Submission.summary))))
    return stmt.order_by(Submission.submitted_at.asc(), Submission.id.asc())


def queue_page(status: str, kind: str, text: str, page: int) -> QueuePage:
    """The requested page of the queue."""
    stmt = queue_statement(status, kind, text)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    pages = max(1, -(-(total or 0) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    items = list(db.session.scalars(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    return QueuePage(items=items, total=total or 0, page=page, pages=pages)


def pending_revision_count() -> int:
    """How many approved items have an update waiting."""
    return db.session.scalar(select(func.count()).select_from(Revision)
                             .where(Revision.status == RevisionStatus.PENDING)) or 0


def history(submission: Submission) -> list[AuditEvent]:
    """The submission's audit trail, oldest first."""
    return list(db.session.scalars(select(AuditEvent)
                                   .where(AuditEvent.submission_id == submission.id)
                                   .order_by(AuditEvent.created_at, AuditEvent.id)))


def possible_duplicates(submission: Submission, limit: int = 5) -> list[Submission]:
    """Other non-draft submissions from the same organisation or with a very similar title."""
    org = (submission.lead_organisation or "").strip().lower()
    title = (submission.title or "").strip().lower()
    # Candidates from SQL (same organisation, or sharing one of the title's longest words),
    # so a review page does not compare the title with every submission ever made.
    words = sorted(set(re.findall(r"\w{3,}", title)), key=len, reverse=True)[:4]
    candidates = [Submission.title.ilike(f"%{_like_escape(w)}%", escape="\\") for w in words]
    if org:
        candidates.append(func.trim(Submission.lead_organisation).ilike(_like_escape(org),
                                                                        escape="\\"))
    if not candidates:
        return []
    rows = db.session.execute(
        select(Submission.id, Submission.title, Submission.lead_organisation)
        .where(Submission.id != submission.id, Submission.status != Status.DRAFT,
               or_(*candidates))
        .order_by(Submission.id.desc()).limit(DUPLICATE_CANDIDATES)).all()
    scored: list[tuple[float, int]] = []
    for row_id, row_title, row_org in rows:
        same_org = bool(org) and (row_org or "").strip().lower() == org
        ratio = SequenceMatcher(None, title, (row_title or "").lower()).ratio() if title else 0
        if same_org or ratio >= 0.8:
            scored.append((ratio + (1 if same_org else 0), row_id))
    ids = [row_id for _score, row_id in sorted(scored, reverse=True)[:limit]]
    found = {s.id: s for s in db.session.scalars(select(Submission)
                                                 .where(Submission.id.in_(ids)))}
    return [found[i] for i in ids]


def _like_escape(text: str) -> str:
    """`text` matched literally by LIKE (its % and _ are not wildcards)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def exceptions() -> list[DeadlineException]:
    """All deadline exceptions, latest deadline first."""
    return list(db.session.scalars(select(DeadlineException)
                                   .order_by(DeadlineException.until.desc())))


@dataclass
class Figures:
    """What the moderation dashboard shows."""

    by_status: list[tuple[str, int]]
    by_kind: list[tuple[str, int]]
    per_day: list[tuple[date, int]]
    median_hours_to_decision: float | None
    decided: int


def figures(today: date, days: int = 30) -> Figures:
    """Counts per status and kind, submissions per day, and median time to decision."""
    by_status = dict(db.session.execute(
        select(Submission.status, func.count()).group_by(Submission.status)).all())
    by_kind = dict(db.session.execute(
        select(Submission.kind, func.count()).where(Submission.status != Status.DRAFT)
        .group_by(Submission.kind)).all())
    start = today - timedelta(days=days - 1)
    since = datetime.combine(start - timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    submitted = db.session.scalars(select(Submission.submitted_at)
                                   .where(Submission.submitted_at >= since)).all()
    per_day_counts: dict[date, int] = {start + timedelta(days=i): 0 for i in range(days)}
    for instant in submitted:
        day = clock().local(instant).date()  # the day as people in Geneva count it
        if day in per_day_counts:
            per_day_counts[day] += 1
    decided_pairs = db.session.execute(
        select(Submission.submitted_at, Submission.decided_at)
        .where(Submission.decided_at.is_not(None), Submission.submitted_at.is_not(None))).all()
    hours = [(d - s).total_seconds() / 3600 for s, d in decided_pairs]
    return Figures(
        by_status=[(status.value, by_status.get(status, 0)) for status in Status],
        by_kind=sorted(by_kind.items()),
        per_day=sorted(per_day_counts.items()),
        median_hours_to_decision=statistics.median(hours) if hours else None,
        decided=len(hours),
    )
