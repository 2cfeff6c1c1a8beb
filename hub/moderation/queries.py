"""Read-only queries for moderators: the queue, duplicates, history, exceptions.

The dashboard's figures are hub/moderation/figures.py."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import Any

from flask_babel import gettext
from sqlalchemy import Select, and_, func, or_, select

from hub.audit.models import AuditEvent
from hub.auth.models import User
from hub.extensions import db
from hub.forms import clean_text
from hub.moderation.conflicts import same_organisation_ids
from hub.moderation.operations import DECIDABLE
from hub.moderation.queue_filters import FieldFilters
from hub.moderation.team import held_by_condition
from hub.routing import parse_id
from hub.submissions.deadlines import DeadlineException
from hub.submissions.editors import SubmissionEditor
from hub.submissions.models import Status, Submission
from hub.submissions.revisions import Revision, RevisionStatus
from hub.textfold import fold, folded
from hub.vocab import KINDS

PAGE_SIZE = 100
DUPLICATE_CANDIDATES = 2000
REVISIONS = "revisions"  # pseudo-status of the queue: pending revisions of approved items
FIELD_BREAK = "\x1f"  # between the texts the queue filter searches
QUEUE_STATUSES = frozenset(
    {s.value for s in Status} - {Status.DRAFT.value} | {REVISIONS, ""}
)  # "" = any status but draft


def status_name(status: Status) -> str:
    """A status as moderators say it in lists and charts ("Changes requested")."""
    return gettext(status.value.replace("_", " ").capitalize())  # msgids in the queue page


@dataclass(frozen=True)
class QueueFilters:
    """What the queue shows: carried from the queue to the review page and back."""

    status: str = Status.SUBMITTED.value
    kind: str = ""
    text: str = ""
    page: int = 1
    mine: bool = False  # only the items the moderator holds (hub/moderation/team.py)
    fields: FieldFilters = FieldFilters()  # language, country, region… (queue_filters.py)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> QueueFilters:
        """The filters of a query string; anything unknown falls back to the default."""
        status = args.get("status", Status.SUBMITTED.value)
        if status not in QUEUE_STATUSES:
            status = Status.SUBMITTED.value
        kind = args.get("kind", "")
        page = parse_id(args.get("page")) or 1
        return cls(
            status=status,
            kind=kind if kind in KINDS else "",
            text=clean_text(args.get("q", ""))[:200],
            page=page,
            mine=args.get("mine") == "1",
            fields=FieldFilters.from_args(args),
        )

    def args(self, page: int | None = None) -> dict[str, str | int]:
        """Query arguments that show these filters again (for url_for)."""
        out: dict[str, str | int] = {}
        if self.status != Status.SUBMITTED.value:
            out["status"] = self.status  # "" (any status) too
        if self.kind:
            out["kind"] = self.kind
        if self.text:
            out["q"] = self.text
        if self.mine:
            out["mine"] = 1
        out.update(self.fields.args())
        page = self.page if page is None else page
        if page > 1:
            out["page"] = page
        return out

    def describe(self) -> str:
        """The filters in words, for the link back to the queue (parts of a list)."""
        parts = [
            gettext("updates to review")
            if self.status == REVISIONS
            else status_name(Status(self.status)).lower()
            if self.status
            else gettext("any status")
        ]
        if self.mine:
            parts.append(gettext("held by me"))
        if self.kind:
            parts.append(gettext(KINDS[self.kind]).lower())
        if self.text:
            parts.append(f"“{self.text}”")
        parts.extend(self.fields.describe())
        if self.page > 1:
            parts.append(gettext("page %(page)d", page=self.page))
        return ", ".join(parts)


@dataclass
class QueuePage:
    """One page of the review queue."""

    items: list[Submission]
    total: int
    page: int
    pages: int


def _order_key() -> tuple[Any, ...]:
    # NULLS LAST on both backends (SQLite would put them first): a draft withdrawn unsent
    # has no submission time.
    return (Submission.submitted_at.asc().nulls_last(), Submission.id.asc())


def queue_statement(
    status: str,
    kind: str,
    text: str,
    fields: FieldFilters | None = None,
    holder_id: int | None = None,
) -> Select:
    """Submissions matching the queue filters, oldest submitted first (with `holder_id`,
    only those that moderator holds)."""
    stmt = select(Submission).where(Submission.status != Status.DRAFT)
    if fields is not None:
        stmt = fields.apply(stmt)
    if holder_id is not None:
        stmt = stmt.where(held_by_condition(holder_id))
    if status == REVISIONS:
        stmt = stmt.where(Submission.id.in_(_pending_revision_ids()))
    elif status:
        stmt = stmt.where(Submission.status == Status(status))
    if kind:
        stmt = stmt.where(Submission.kind == kind)
    if text:
        # Case and accents ignored alike on SQLite and PostgreSQL ("numerique" finds
        # "NUMÉRIQUE"); the needle is matched literally (its % and _ are not wildcards).
        like = f"%{_like_escape(fold(text) or '')}%"
        # One call per row over the three texts, joined by a character no needle contains
        # (clean_text removes control characters), so a match never spans two of them.
        joined = (
            func.coalesce(Submission.title, "")
            .concat(FIELD_BREAK)
            .concat(func.coalesce(Submission.lead_organisation, ""))
            .concat(FIELD_BREAK)
            .concat(func.coalesce(Submission.summary, ""))
        )
        stmt = stmt.where(folded(joined).like(like, escape="\\"))
    return stmt.order_by(*_order_key())


def _pending_revision_ids() -> Select:
    return select(Revision.submission_id).where(Revision.status == RevisionStatus.PENDING)


def status_counts() -> dict[Status, int]:
    """Number of submissions per status (every status present, zero included)."""
    rows = db.session.execute(select(Submission.status, func.count()).group_by(Submission.status))
    counts = {status: 0 for status in Status}
    counts.update({status: n for status, n in rows})
    return counts


def queue_page(
    status: str,
    kind: str,
    text: str,
    page: int,
    fields: FieldFilters | None = None,
    holder_id: int | None = None,
) -> QueuePage:
    """The requested page of the queue."""
    stmt = queue_statement(status, kind, text, fields, holder_id)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    pages = max(1, -(-(total or 0) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    items = list(db.session.scalars(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    return QueuePage(items=items, total=total or 0, page=page, pages=pages)


def actionable(moderator_id: int) -> Any:
    """SQL condition: items this moderator can decide on (or whose update they can)."""
    moderator = db.session.get(User, moderator_id)
    conflicted = same_organisation_ids(moderator) if moderator is not None else []
    return and_(
        Submission.owner_id != moderator_id,
        Submission.id.not_in(conflicted),
        Submission.id.not_in(
            select(SubmissionEditor.submission_id).where(SubmissionEditor.user_id == moderator_id)
        ),
        or_(Submission.status.in_(DECIDABLE), Submission.id.in_(_pending_revision_ids())),
    )


def next_in_queue(
    filters: QueueFilters, after: Submission, moderator_id: int
) -> tuple[Submission, QueueFilters] | None:
    """The next item after `after` in the queue's order that the moderator can act on,
    with the filters (page included) of the queue page it is on; None at the end.

    `after` may no longer match the filters (it was just decided): its place in the order
    (submission time, id) is what counts.
    """
    holder_id = moderator_id if filters.mine else None
    stmt = queue_statement(
        filters.status, filters.kind, filters.text, filters.fields, holder_id
    ).where(actionable(moderator_id), Submission.id != after.id)
    if after.submitted_at is not None:
        stmt = stmt.where(
            or_(
                Submission.submitted_at > after.submitted_at,
                and_(Submission.submitted_at == after.submitted_at, Submission.id > after.id),
            )
        )
    following = db.session.scalars(stmt.limit(1)).first()
    if following is None:
        return None
    before = (
        queue_statement(filters.status, filters.kind, filters.text, filters.fields, holder_id)
        .order_by(None)
        .where(
            or_(
                Submission.submitted_at < following.submitted_at,
                and_(
                    Submission.submitted_at == following.submitted_at, Submission.id < following.id
                ),
            )
        )
    )
    position = db.session.scalar(select(func.count()).select_from(before.subquery())) or 0
    return following, replace(filters, page=position // PAGE_SIZE + 1)


def pending_revision_count() -> int:
    """How many approved items have an update waiting."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Revision)
            .where(Revision.status == RevisionStatus.PENDING)
        )
        or 0
    )


def history(submission: Submission) -> list[AuditEvent]:
    """The submission's audit trail, oldest first."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.submission_id == submission.id)
            .order_by(AuditEvent.created_at, AuditEvent.id)
        )
    )


def possible_duplicates(submission: Submission, limit: int = 5) -> list[Submission]:
    """Other non-draft submissions from the same organisation or with a very similar title."""
    org = (submission.lead_organisation or "").strip().lower()
    title = (submission.title or "").strip().lower()
    # Candidates from SQL (same organisation, or sharing one of the title's longest words),
    # so a review page does not compare the title with every submission ever made.
    words = sorted(set(re.findall(r"\w{3,}", title)), key=len, reverse=True)[:4]
    candidates = [Submission.title.ilike(f"%{_like_escape(w)}%", escape="\\") for w in words]
    if org:
        candidates.append(
            func.trim(Submission.lead_organisation).ilike(_like_escape(org), escape="\\")
        )
    if not candidates:
        return []
    rows = db.session.execute(
        select(Submission.id, Submission.title, Submission.lead_organisation)
        .where(Submission.id != submission.id, Submission.status != Status.DRAFT, or_(*candidates))
        .order_by(Submission.id.desc())
        .limit(DUPLICATE_CANDIDATES)
    ).all()
    scored: list[tuple[float, int]] = []
    for row_id, row_title, row_org in rows:
        same_org = bool(org) and (row_org or "").strip().lower() == org
        ratio = SequenceMatcher(None, title, (row_title or "").lower()).ratio() if title else 0
        if same_org or ratio >= 0.8:
            scored.append((ratio + (1 if same_org else 0), row_id))
    ids = [row_id for _score, row_id in sorted(scored, reverse=True)[:limit]]
    found = {s.id: s for s in db.session.scalars(select(Submission).where(Submission.id.in_(ids)))}
    return [found[i] for i in ids]


def _like_escape(text: str) -> str:
    """`text` matched literally by LIKE (its % and _ are not wildcards)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def exceptions() -> list[DeadlineException]:
    """All deadline exceptions, latest deadline first."""
    return list(
        db.session.scalars(select(DeadlineException).order_by(DeadlineException.until.desc()))
    )
