"""Everything the hub holds about one account, as one JSON document ("Download my data").

The keys are stable and English whatever the page's language (docs/own-data.md describes
them); secrets never appear: no password hash, no session or form token, no moderator's
identity (the decision and its reason are the account's data, who took it is the
moderator's).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from hub.audit.models import MODERATORS_ONLY, Action, AuditEvent
from hub.auth.models import User, UserSession
from hub.clock import clock
from hub.extensions import db
from hub.mail.models import OutboxMail
from hub.moderation.models import ModeratorNote
from hub.routing import public_url
from hub.submissions.deadlines import DeadlineException
from hub.submissions.fields import CONTENT_FIELDS
from hub.submissions.models import Status, Submission
from hub.submissions.revisions import Revision

FORMAT = "partnerships-hub-account-export"
FORMAT_VERSION = 1

# What moderators decide: shown as the account's "decisions", without the moderator's name.
MODERATION_ACTIONS = frozenset(
    {
        Action.APPROVED,
        Action.REJECTED,
        Action.CHANGES_REQUESTED,
        Action.MARKED_DUPLICATE,
        Action.REVISION_APPROVED,
        Action.REVISION_REJECTED,
        Action.EXCEPTION_GRANTED,
        Action.EXCEPTION_REVOKED,
    }
)


def _when(value: datetime | date | None) -> str | None:
    """An instant or a day as ISO 8601 text (instants in UTC), or None."""
    return value.isoformat() if value is not None else None


def _jsonable(value: Any) -> Any:
    """A stored value as JSON: dates as ISO text, the rest as it is."""
    return _when(value) if isinstance(value, datetime | date) else value


def _by(event: AuditEvent, user: User) -> str:
    """Who acted, as the account may know it: itself, a moderator, or the hub."""
    if event.actor_id is None:
        return "hub"
    return "you" if event.actor_id == user.id else "moderator"


def _event(event: AuditEvent, user: User) -> dict[str, Any]:
    """One audit entry without the actor's identity."""
    return {
        "action": event.action.value,
        "at": _when(event.created_at),
        "from_status": event.from_status,
        "to_status": event.to_status,
        "message": event.message,
        "by": _by(event, user),
    }


def _revision(revision: Revision) -> dict[str, Any]:
    """One proposed edit of an approved submission, and what became of it."""
    return {
        "id": revision.id,
        "status": revision.status.value,
        "created_at": _when(revision.created_at),
        "updated_at": _when(revision.updated_at),
        "decided_at": _when(revision.decided_at),
        "decision_message": revision.message,
        "content": revision.content,
    }


def _submission(submission: Submission, user: User) -> dict[str, Any]:
    """One owned submission: its text, every version, its decisions and its history."""
    revisions = db.session.scalars(
        select(Revision).where(Revision.submission_id == submission.id).order_by(Revision.id)
    )
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.submission_id == submission.id,
            AuditEvent.action.not_in(MODERATORS_ONLY),  # the moderators' own work on it
        )
        .order_by(AuditEvent.created_at, AuditEvent.id)
    ).all()
    public = submission.status is Status.APPROVED
    return {
        "id": submission.id,
        "kind": submission.kind,
        "status": submission.status.value,
        "public_url": public_url("public.detail", slug=submission.slug) if public else None,
        "created_at": _when(submission.created_at),
        "updated_at": _when(submission.updated_at),
        "submitted_at": _when(submission.submitted_at),
        "published_at": _when(submission.first_published_at),
        "content": {name: _jsonable(getattr(submission, name)) for name in CONTENT_FIELDS},
        "refused_changes_kept": submission.kept_changes,
        "decision": {
            "status": submission.status.value,
            "decided_at": _when(submission.decided_at),
            "message": submission.decision_message,
        }
        if submission.decided_at is not None
        else None,
        "revisions": [_revision(r) for r in revisions],
        "decisions": [_event(e, user) for e in events if e.action in MODERATION_ACTIONS],
        "history": [_event(e, user) for e in events if e.action not in MODERATION_ACTIONS],
    }


def _profile(user: User) -> dict[str, Any]:
    """The account itself (never its password hash)."""
    return {
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "organisation": user.organisation,
        "language": user.language,
        "roles": [user.role.value],
        "created_at": _when(user.created_at),
        "email_confirmed_at": _when(user.email_confirmed_at),
        "last_login_at": _when(user.last_login_at),
    }


def _sessions(user: User) -> list[dict[str, Any]]:
    """The account's login sessions: when and from which browser, never their tokens."""
    rows = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)
    )
    return [
        {
            "started_at": _when(s.created_at),
            "last_seen_at": _when(s.last_seen_at),
            "ended_at": _when(s.ended_at),
            "browser": s.user_agent,
        }
        for s in rows
    ]


def _mails(user: User) -> list[dict[str, Any]]:
    """The mails written to the account's address, sent or waiting."""
    rows = db.session.scalars(
        select(OutboxMail).where(OutboxMail.to_addr == user.email).order_by(OutboxMail.id)
    )
    return [
        {
            "kind": m.kind,
            "to": m.to_addr,
            "subject": m.subject,
            "body": m.body,
            "written_at": _when(m.created_at),
            "sent_at": _when(m.sent_at),
        }
        for m in rows
    ]


def _exceptions(user: User) -> list[dict[str, Any]]:
    """Deadline exceptions granted to the account (not who granted them)."""
    rows = db.session.scalars(select(DeadlineException).where(DeadlineException.user_id == user.id))
    return [
        {"until": _when(e.until), "reason": e.reason, "granted_at": _when(e.granted_at)}
        for e in rows
    ]


def _account_events(user: User) -> list[dict[str, Any]]:
    """Audit entries about the account itself (registration, confirmation, logouts,
    exceptions). A moderator's actions on other people's accounts are theirs, not here."""
    rows = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.submission_id.is_(None), AuditEvent.subject_user_id == user.id)
        .order_by(AuditEvent.created_at, AuditEvent.id)
    )
    return [_event(e, user) for e in rows]


def _notes_written(user: User) -> list[dict[str, Any]]:
    """A moderator's internal notes, which they wrote: theirs to take (the notes others wrote
    about the account's own submissions are the moderators', never in its export)."""
    rows = db.session.scalars(
        select(ModeratorNote).where(ModeratorNote.author_id == user.id).order_by(ModeratorNote.id)
    )
    return [
        {"submission_id": n.submission_id, "written_at": _when(n.created_at), "text": n.body}
        for n in rows
    ]


def account_data(user: User) -> dict[str, Any]:
    """The whole export of one account, ready for json.dumps."""
    owned = db.session.scalars(
        select(Submission).where(Submission.owner_id == user.id).order_by(Submission.id)
    )
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": _when(clock().now()),
        "account": _profile(user),
        "submissions": [_submission(s, user) for s in owned],
        "deadline_exceptions": _exceptions(user),
        "mails": _mails(user),
        "account_events": _account_events(user),
        "sessions": _sessions(user),
        "moderator_notes_written": _notes_written(user),
    }
