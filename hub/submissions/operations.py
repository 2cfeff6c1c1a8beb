"""State changes of submissions: they flush and log, the view commits."""

from __future__ import annotations

import logging
import re
import secrets
import unicodedata
from datetime import datetime
from typing import Any

from sqlalchemy import select

from hub.auth.models import User
from hub.clock import Phase, clock
from hub.extensions import db
from hub.submissions.models import Status, Submission

logger = logging.getLogger("hub.submissions")

# Fields a submitter writes; everything else (status, times, slug, version) is the hub's.
CONTENT_FIELDS = (
    "title", "summary", "description", "lead_organisation", "stakeholder_group", "countries",
    "regions", "themes", "sdgs", "partners", "website", "start_date", "end_date", "language",
    "contact_name", "contact_email", "objectives", "member_organisations", "resources",
    "timeline",
)
KIND_FIELDS = {
    "initiative": ("objectives",),
    "coalition": ("member_organisations",),
    "partnership": ("resources",),
    "concrete_action": ("timeline",),
}
ALL_KIND_FIELDS = {f for fields in KIND_FIELDS.values() for f in fields}


class SubmissionsClosed(Exception):
    """A write the clock does not allow; the message says why, in the display zone."""


def write_refusal(submitting: bool) -> str | None:
    """Why the clock refuses this write now, or None when it is allowed."""
    c = clock()
    phase = c.phase()
    if phase is Phase.CLOSED:
        return f"Submissions closed on {c.format(c.close_at)}."
    if phase is Phase.NOT_YET_OPEN and submitting:
        # Drafts may be prepared before the call opens; submitting must wait.
        return f"Submissions open on {c.format(c.open_at)}; you can save a draft until then."
    return None


def ensure_window(submitting: bool) -> None:
    """Raise SubmissionsClosed when the clock refuses this write."""
    refusal = write_refusal(submitting)
    if refusal:
        raise SubmissionsClosed(refusal)


def _content(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The content fields of `data` that belong to `kind`."""
    foreign = ALL_KIND_FIELDS - set(KIND_FIELDS[kind])
    return {k: data[k] for k in CONTENT_FIELDS if k in data and k not in foreign}


def new_slug(title: str) -> str:
    """A readable, unguessable, permanent slug: 'ai-skills-for-all-k3x9q2'."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].rstrip("-")
    token = secrets.token_hex(4)
    return f"{words}-{token}" if words else f"submission-{token}"


def _apply(submission: Submission, data: dict[str, Any], now: datetime) -> None:
    for key, value in _content(submission.kind, data).items():
        setattr(submission, key, value)
    submission.updated_at = now


def create_submission(
    owner: User, kind: str, data: dict[str, Any], *, submit: bool, form_token: str | None = None
) -> Submission:
    """Create a draft (or submit it at once) after checking the clock."""
    ensure_window(submitting=submit)
    now = clock().now()
    submission = Submission(
        owner=owner, kind=kind, slug=new_slug(data.get("title") or ""), form_token=form_token,
        created_at=now, status=Status.DRAFT,
    )
    _apply(submission, data, now)
    if submit:
        submission.status = Status.SUBMITTED
        submission.submitted_at = now
    db.session.add(submission)
    db.session.flush()
    logger.info("Submission %s (%s) created as %s by %s", submission.id, kind,
                submission.status, owner.email)
    return submission


def update_submission(submission: Submission, data: dict[str, Any], *, submit: bool,
                      actor: User) -> Submission:
    """Save the owner's edit; `submit` moves a draft or changes-requested item to submitted."""
    if not submission.is_editable:
        raise ValueError(f"A {submission.status_label.lower()} submission cannot be edited.")
    ensure_window(submitting=submit or submission.status is not Status.DRAFT)
    now = clock().now()
    before = submission.status
    _apply(submission, data, now)
    if submit and submission.status in (Status.DRAFT, Status.CHANGES_REQUESTED):
        submission.status = Status.SUBMITTED
        submission.submitted_at = now
    submission.kept_changes = None
    submission.kept_at = None
    db.session.flush()
    logger.info("Submission %s edited by %s (%s -> %s)", submission.id, actor.email, before,
                submission.status)
    return submission


def withdraw_submission(submission: Submission, actor: User) -> Submission:
    """Withdraw a submission: it leaves the review queue and is never public."""
    if not submission.is_withdrawable:
        raise ValueError(f"A {submission.status_label.lower()} submission cannot be withdrawn.")
    ensure_window(submitting=False)
    before = submission.status
    submission.status = Status.WITHDRAWN
    submission.updated_at = clock().now()
    db.session.flush()
    logger.info("Submission %s withdrawn by %s (%s -> withdrawn)", submission.id, actor.email,
                before)
    return submission


def keep_refused_post(owner: User, kind: str, data: dict[str, Any],
                      submission: Submission | None, form_token: str | None) -> Submission:
    """Keep text the clock refused: a new draft, or kept changes beside an existing item."""
    now = clock().now()
    content = _content(kind, data)
    if submission is None:
        submission = Submission(owner=owner, kind=kind, slug=new_slug(content.get("title") or ""),
                                form_token=form_token, created_at=now, status=Status.DRAFT)
        _apply(submission, content, now)
        db.session.add(submission)
    else:
        submission.kept_changes = {k: _jsonable(v) for k, v in content.items()}
        submission.kept_at = now
    db.session.flush()
    logger.info("Refused post after the cutoff kept for %s (submission %s)", owner.email,
                submission.id)
    return submission


def _jsonable(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def by_form_token(owner: User, token: str | None) -> Submission | None:
    """The submission an earlier post of the same form created, if any."""
    if not token:
        return None
    return db.session.scalar(
        select(Submission).where(Submission.form_token == token, Submission.owner_id == owner.id)
    )


def owned_submissions(owner: User) -> list[Submission]:
    """The owner's submissions, most recently changed first."""
    stmt = (select(Submission).where(Submission.owner_id == owner.id)
            .order_by(Submission.updated_at.desc(), Submission.id.desc()))
    return list(db.session.scalars(stmt))
