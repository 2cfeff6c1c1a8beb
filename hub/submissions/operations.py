"""State changes of submissions: they flush and log, the view commits."""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from hub.audit import record
from hub.audit.models import Action
from hub.auth.models import User
from hub.clock import clock
from hub.extensions import db
from hub.i18n import N_
from hub.submissions import mails
from hub.submissions.deadlines import ensure_window

# Other areas (moderation, demo) read the field lists from here too; fields.py describes them.
from hub.submissions.fields import ALL_KIND_FIELDS, CONTENT_FIELDS, KIND_FIELDS
from hub.submissions.logos import apply_logo, keep_logo_choice
from hub.submissions.models import Status, Submission
from hub.submissions.revisions import Revision, RevisionStatus
from hub.vocab import regions_for

# Stored in the audit trail as a msgid: the history shows it in the reader's language.
REVISION_PROPOSED_NOTE = N_("Edit of the approved text awaits review.")


def content_for(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The content fields of `data` that belong to `kind`, the regions taken from the
    countries (M49 regions, plus 'global'): whatever `data` says of regions is ignored."""
    foreign = ALL_KIND_FIELDS - set(KIND_FIELDS[kind])
    content = {k: data[k] for k in CONTENT_FIELDS if k in data and k not in foreign}
    content.pop("regions", None)
    if "countries" in content:
        content["regions"] = regions_for(content["countries"])
    return content


def new_slug(title: str = "") -> str:
    """A readable, unguessable slug: 'ai-skills-for-all-k3x9q2'.

    Until its first approval a submission has a neutral one ('submission-k3x9q2'): the public
    slug is made from the approved title (never from a draft's) and then never changes.
    """
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].rstrip("-")
    token = secrets.token_hex(4)
    return f"{words}-{token}" if words else f"submission-{token}"


def apply_fields(submission: Submission, data: dict[str, Any], now: datetime) -> None:
    """Copy the kind's content fields of `data` onto the submission."""
    for key, value in content_for(submission.kind, data).items():
        setattr(submission, key, value)
    submission.updated_at = now


def apply_content(submission: Submission, content: dict[str, Any], now: datetime) -> None:
    """Copy stored (JSON) content onto the submission, turning ISO dates back into dates."""
    data = dict(content)
    for key in ("start_date", "end_date"):
        if isinstance(data.get(key), str):
            data[key] = date.fromisoformat(data[key])
    apply_fields(submission, data, now)
    apply_logo(submission, content)


def new_draft(
    owner: User, kind: str, data: dict[str, Any], form_token: str | None, now: datetime
) -> Submission:
    """A new draft of `kind` holding `data`'s content fields, added to the session."""
    submission = Submission(
        owner=owner,
        kind=kind,
        slug=new_slug(),
        form_token=form_token,
        created_at=now,
        status=Status.DRAFT,
    )
    apply_fields(submission, data, now)
    db.session.add(submission)
    return submission


def create_submission(
    owner: User, kind: str, data: dict[str, Any], *, submit: bool, form_token: str | None = None
) -> Submission:
    """Create a draft (or submit it at once) after checking the clock."""
    ensure_window(submitting=submit, user=owner)
    now = clock().now()
    submission = new_draft(owner, kind, data, form_token, now)
    db.session.flush()
    record(Action.CREATED, owner, submission, to_status=Status.DRAFT)
    if submit:
        _mark_submitted(submission, owner, now)
    db.session.flush()
    return submission


class AddressUnconfirmed(ValueError):
    """Submitting needs an account whose address is confirmed (drafts do not)."""


def _mark_submitted(submission: Submission, actor: User, now: datetime) -> None:
    """Move to submitted (first time or after changes were requested) and send a receipt."""
    if not actor.is_confirmed:  # the views say so first (hub/submissions/refused.py)
        raise AddressUnconfirmed(actor.email)
    before = submission.status
    submission.status = Status.SUBMITTED
    submission.submitted_at = now
    submission.decided_by_id = None
    submission.decided_at = None
    submission.decision_message = ""
    record(Action.SUBMITTED, actor, submission, from_status=before, to_status=Status.SUBMITTED)
    mails.receipt(submission, resubmitted=before is Status.CHANGES_REQUESTED)


def update_submission(
    submission: Submission, data: dict[str, Any], *, submit: bool, actor: User
) -> Submission | Revision:
    """Save the owner's edit; `submit` moves a draft or changes-requested item to submitted.

    An approved item keeps its public text: the edit becomes (or updates) a pending revision.
    """
    if not submission.is_editable:
        raise ValueError(
            _(
                "This submission cannot be edited: it is “%(status)s”.",
                status=submission.status_label,
            )
        )
    ensure_window(
        submitting=submit or submission.status is not Status.DRAFT,
        user=actor,
        submission=submission,
    )
    now = clock().now()
    if submission.status is Status.APPROVED:
        return propose_revision(submission, data, actor, now)
    before = submission.status
    apply_fields(submission, data, now)
    submission.kept_changes = None
    submission.kept_at = None
    record(Action.EDITED, actor, submission, from_status=before, to_status=before)
    if submit and submission.status in (Status.DRAFT, Status.CHANGES_REQUESTED):
        _mark_submitted(submission, actor, now)
    db.session.flush()
    return submission


def propose_revision(
    submission: Submission, data: dict[str, Any], actor: User, now: datetime
) -> Revision:
    """Store an edit of an approved submission as its (single) pending revision."""
    content = {k: jsonable(v) for k, v in content_for(submission.kind, data).items()}
    revision = pending_revision(submission)
    if revision is None:
        revision = Revision(submission=submission, content=content, created_at=now)
        db.session.add(revision)
    else:
        revision.content = keep_logo_choice(revision.content, content)
    revision.updated_at = now
    revision.proposed_by_id = actor.id
    submission.updated_at = now
    record(
        Action.REVISION_PROPOSED,
        actor,
        submission,
        from_status=submission.status,
        to_status=submission.status,
        message=REVISION_PROPOSED_NOTE,
    )
    db.session.flush()
    return revision


def pending_revision(submission: Submission) -> Revision | None:
    """The submission's revision awaiting review, if any."""
    return db.session.scalar(
        select(Revision).where(
            Revision.submission_id == submission.id, Revision.status == RevisionStatus.PENDING
        )
    )


def withdraw_submission(submission: Submission, actor: User) -> Submission:
    """Withdraw a submission: it leaves the review queue and the public hub."""
    if not submission.is_withdrawable:
        raise ValueError(
            _(
                "This submission cannot be withdrawn: it is “%(status)s”.",
                status=submission.status_label,
            )
        )
    # No clock check: an owner may take their text down at any time, also after the cutoff.
    take_down(submission, actor)
    db.session.flush()
    return submission


def take_down(submission: Submission, actor: User, message: str = "") -> None:
    """Set a submission withdrawn, with its pending revision, and audit it; the caller has
    checked that it may be (withdraw_submission, or an account deletion at any time)."""
    before = submission.status
    submission.status = Status.WITHDRAWN
    submission.decided_by_id = None
    submission.decided_at = None
    submission.updated_at = clock().now()
    revision = pending_revision(submission)
    if revision is not None:
        revision.status = RevisionStatus.WITHDRAWN
        revision.decided_at = submission.updated_at
    record(
        Action.WITHDRAWN,
        actor,
        submission,
        from_status=before,
        to_status=Status.WITHDRAWN,
        message=message,
    )


def reviewed_snapshot(submission: Submission) -> dict[str, Any]:
    """The content fields of `submission` as a moderator sees them now (JSON-ready): kept
    with each decision so a resubmission can show what changed since."""
    stored = {k: getattr(submission, k) for k in CONTENT_FIELDS}
    return {k: jsonable(v) for k, v in content_for(submission.kind, stored).items()}


def jsonable(value: Any) -> Any:
    """A value as stored in JSON content (dates as ISO text)."""
    return value.isoformat() if hasattr(value, "isoformat") else value
