"""Posts the hub keeps instead of applying: text the clock refused, and forms sent twice.

Like operations.py, these flush and log; the view commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hub.audit import record
from hub.audit.models import Action
from hub.auth.models import User
from hub.clock import clock
from hub.extensions import db
from hub.i18n import N_
from hub.submissions.models import Submission
from hub.submissions.operations import content_for, jsonable, new_draft

# Stored in the audit trail as a msgid: the history shows it in the reader's language.
LATE_POST_NOTE = N_("Refused by the clock; text kept for the owner.")


def keep_refused_post(
    owner: User,
    kind: str,
    data: dict[str, Any],
    submission: Submission | None,
    form_token: str | None,
    raw: dict[str, Any] | None = None,
) -> Submission:
    """Keep text the clock refused: a new draft, or kept changes beside an existing item.

    `data` is valid content; `raw`, when some fields were not valid, is the whole post as
    typed: a new draft then holds `data` (its invalid fields empty) and keeps `raw` beside it.
    """
    now = clock().now()
    content = content_for(kind, data)
    if submission is None:
        submission = new_draft(owner, kind, content, form_token, now)
        if raw is not None:
            submission.kept_changes = {k: jsonable(v) for k, v in content_for(kind, raw).items()}
            submission.kept_at = now
        db.session.flush()
    else:
        kept = raw if raw is not None else content
        submission.kept_changes = {k: jsonable(v) for k, v in content_for(kind, kept).items()}
        submission.kept_at = now
    record(
        Action.LATE_POST_KEPT,
        owner,
        submission,
        from_status=submission.status,
        to_status=submission.status,
        message=LATE_POST_NOTE,
    )
    db.session.flush()
    return submission


def by_form_token(owner: User, token: str | None) -> Submission | None:
    """The submission an earlier post of the same form created, if any."""
    if not token:
        return None
    return db.session.scalar(
        select(Submission).where(Submission.form_token == token, Submission.owner_id == owner.id)
    )


def form_token_used(token: str | None) -> bool:
    """Whether any account's submission was created by a form with this token."""
    return (
        bool(token)
        and db.session.scalar(select(Submission.id).where(Submission.form_token == token))
        is not None
    )
