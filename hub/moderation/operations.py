"""Moderators' decisions: they check state and version, flush and log; the view commits."""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from hub.audit import record
from hub.audit.models import Action
from hub.auth.models import User
from hub.clock import clock
from hub.extensions import db
from hub.i18n import DEFAULT, N_
from hub.moderation import mails
from hub.moderation.conflicts import refused_for_conflict
from hub.moderation.models import Assignment
from hub.submissions.deadlines import DeadlineException, revisions_open_until
from hub.submissions.models import Status, Submission, duplicate_note
from hub.submissions.operations import new_slug, reviewed_snapshot
from hub.submissions.revisions import Revision, RevisionStatus

DECIDABLE = (Status.SUBMITTED, Status.CHANGES_REQUESTED)


class DecisionRefused(Exception):
    """A decision that cannot be applied; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


def already_decided(submission: Submission) -> DecisionRefused:
    """The message a moderator sees when someone else was faster."""
    who = submission.decided_by.display_name if submission.decided_by else _("someone else")
    when = clock().format(submission.decided_at or submission.updated_at)
    said = N_("Already decided by %(name)s at %(when)s: now “%(status)s”. Nothing was changed.")
    return DecisionRefused(_(said, name=who, when=when, status=submission.status_label), 409)


def changed_meanwhile(submission: Submission) -> DecisionRefused:
    """The refusal for a decision posted from an out-of-date review page: who decided, or
    that the owner edited it in between (not a decision nobody made)."""
    edited_since_decision = submission.decided_at is None or (
        submission.updated_at != submission.decided_at
    )
    if submission.status in DECIDABLE and edited_since_decision:
        return DecisionRefused(
            _(
                "This submission changed since you opened it (last change %(when)s). Reload "
                "it and decide again. Nothing was changed.",
                when=clock().format(submission.updated_at),
            ),
            409,
        )
    return already_decided(submission)


def why_not_decidable(
    submission: Submission, moderator: User, expected_version: int | None = None
) -> DecisionRefused | None:
    """Why `moderator` cannot decide on `submission` now (None when they can)."""
    if not moderator.is_moderator:
        return DecisionRefused(_("Only moderators can decide on submissions."), 403)
    if (conflict := refused_for_conflict(moderator, submission)) is not None:
        return DecisionRefused(conflict, 403)  # their own, co-edited, their organisation's
    if expected_version is not None and submission.version != expected_version:
        return changed_meanwhile(submission)
    if submission.status not in DECIDABLE:
        if submission.status in (Status.APPROVED, Status.REJECTED):
            return already_decided(submission)
        said = N_("This submission cannot be decided on: it is “%(status)s”.")
        return DecisionRefused(_(said, status=submission.status_label), 409)
    return None


def _refuse_unless_decidable(
    submission: Submission, moderator: User, expected_version: int | None
) -> None:
    """Raise why_not_decidable()'s refusal: own item, changed version, wrong state."""
    refusal = why_not_decidable(submission, moderator, expected_version)
    if refusal is not None:
        raise refusal


def _decide(
    submission: Submission, moderator: User, status: Status, message: str, action: Action
) -> None:
    before = submission.status
    now = clock().now()
    submission.status = status
    submission.decided_by = moderator
    submission.decided_at = now
    submission.decision_message = message
    submission.updated_at = now
    submission.reviewed_content = reviewed_snapshot(submission)  # the diff's "before"
    if status is Status.APPROVED:
        if submission.published_at is None:  # first publication: the permanent public slug
            submission.slug = new_slug(submission.title)
        submission.published_at = now
    record(action, moderator, submission, from_status=before, to_status=status, message=message)
    _release_holder(submission)
    db.session.flush()  # the version check happens here: a concurrent winner raises


def _release_holder(submission: Submission) -> None:
    """A decided item is no longer anyone's to review (hub/moderation/team.py)."""
    db.session.execute(delete(Assignment).where(Assignment.submission_id == submission.id))


def approve_submission(
    submission: Submission, moderator: User, expected_version: int | None = None, message: str = ""
) -> Submission:
    """Publish a submission; a message, if any, goes with the approval mail and is kept."""
    _refuse_unless_decidable(submission, moderator, expected_version)
    _decide(submission, moderator, Status.APPROVED, message.strip(), Action.APPROVED)
    mails.decision(submission, message.strip())
    return submission


def reject_submission(
    submission: Submission, moderator: User, reason: str, expected_version: int | None = None
) -> Submission:
    """Reject with a reason that is sent to the submitter."""
    if not reason.strip():
        raise DecisionRefused(_("Give a reason: it is sent to the submitter."), 422)
    _refuse_unless_decidable(submission, moderator, expected_version)
    _decide(submission, moderator, Status.REJECTED, reason.strip(), Action.REJECTED)
    mails.decision(submission, reason.strip())
    return submission


def revisions_closed_at(submission: Submission) -> datetime | None:
    """When revisions closed for the owner, once that has passed (None while they could
    still resubmit: before their cutoff, HUB_REVISIONS_CLOSE_AT or deadline exception)."""
    if submission.owner.deleted_at is not None:  # an owner who left (hub/privacy) never can
        return submission.owner.deleted_at
    until = revisions_open_until(submission.owner)
    return until if until is not None and clock().now() >= until else None


def why_changes_not_requestable(submission: Submission) -> DecisionRefused | None:
    """Why changes can no longer be requested (the owner could not resubmit), or None."""
    until = revisions_closed_at(submission)
    if until is None:
        return None
    return DecisionRefused(
        _(
            "Revisions closed on %(when)s: the owner could no longer edit and "
            "resubmit, so changes cannot be requested. Approve or reject it instead, or grant "
            "the owner a deadline exception first. Nothing was changed.",
            when=clock().format(until),
        ),
        409,
    )


def request_changes(
    submission: Submission, moderator: User, message: str, expected_version: int | None = None
) -> Submission:
    """Send the item back to its owner with a message; they may revise and resubmit."""
    if not message.strip():
        raise DecisionRefused(
            _("Write what should change: the message goes to the submitter."), 422
        )
    _refuse_unless_decidable(submission, moderator, expected_version)
    refusal = why_changes_not_requestable(submission)
    if refusal is not None:  # sending it back would be a dead end for the owner
        raise refusal
    _decide(
        submission, moderator, Status.CHANGES_REQUESTED, message.strip(), Action.CHANGES_REQUESTED
    )
    mails.decision(
        submission, message.strip(), revisions_until=revisions_open_until(submission.owner)
    )
    return submission


def mark_duplicate(
    submission: Submission,
    moderator: User,
    original: Submission | None,
    expected_version: int | None = None,
) -> Submission:
    """Reject as a duplicate of another submission (kept linked, never public)."""
    if original is None or original.status is Status.DRAFT:  # drafts are their owner's alone
        raise DecisionRefused(_("No submission with that number exists."), 422)
    if original.id == submission.id:
        raise DecisionRefused(_("A submission cannot duplicate itself."), 422)
    _refuse_unless_decidable(submission, moderator, expected_version)
    submission.duplicate_of = original
    # The record keeps the English note; pages and mails write it in the reader's language.
    with force_locale(DEFAULT):
        message = duplicate_note(original)
    _decide(submission, moderator, Status.REJECTED, message, Action.MARKED_DUPLICATE)
    mails.decision(submission)
    return submission


def revision_stamp(revision: Revision) -> str:
    """Identifies the text of a pending revision as a moderator saw it (its last change)."""
    return str(int(revision.updated_at.timestamp() * 1_000_000))


def why_revision_not_decidable(
    revision: Revision, moderator: User, seen: str | None = None
) -> DecisionRefused | None:
    """Why a decision on `revision` cannot be applied now (None when it can)."""
    if revision.status is RevisionStatus.WITHDRAWN:  # with its submission, by the owner
        return DecisionRefused(
            _(
                "The owner withdrew this submission, and its update with it, at %(when)s. "
                "Nothing was changed.",
                when=clock().format(revision.decided_at),
            ),
            409,
        )
    if revision.status is not RevisionStatus.PENDING:
        who = revision.decided_by.display_name if revision.decided_by else _("another moderator")
        when = clock().format(revision.decided_at)
        said = (
            N_("This update was already accepted by %(name)s at %(when)s. Nothing was changed.")
            if revision.status is RevisionStatus.APPROVED
            else N_(
                "This update was already declined by %(name)s at %(when)s. Nothing was changed."
            )
        )
        return DecisionRefused(_(said, name=who, when=when), 409)
    if seen is not None and seen != revision_stamp(revision):
        return DecisionRefused(
            _(
                "The owner changed this update since you opened the page (last change "
                "%(when)s). Read the new text and decide again. Nothing was changed.",
                when=clock().format(revision.updated_at),
            ),
            409,
        )
    if (conflict := refused_for_conflict(moderator, revision.submission)) is not None:
        return DecisionRefused(conflict, 403)
    return None


def decide_revision(
    revision: Revision, moderator: User, approve: bool, message: str = "", seen: str | None = None
) -> Revision:
    """Publish a pending revision (replacing the public text) or keep the old version;
    `seen` is the revision_stamp() of the text the moderator read (changed since: refused)."""
    submission = revision.submission
    refusal = why_revision_not_decidable(revision, moderator, seen)
    if refusal is not None:
        raise refusal
    if not approve and not message.strip():
        raise DecisionRefused(_("Give a reason: it is sent to the submitter."), 422)
    now = clock().now()
    revision.status = RevisionStatus.APPROVED if approve else RevisionStatus.REJECTED
    revision.decided_by = moderator
    revision.decided_at = now
    revision.message = message.strip()
    if approve:
        from hub.submissions.operations import apply_content

        apply_content(submission, revision.content, now)
        submission.published_at = now
    else:
        submission.updated_at = now
    record(
        Action.REVISION_APPROVED if approve else Action.REVISION_REJECTED,
        moderator,
        submission,
        from_status=submission.status,
        to_status=submission.status,
        message=message.strip(),
    )
    _release_holder(submission)
    db.session.flush()
    mails.revision_decision(submission, approve, message.strip())
    return revision


def exception_for(user_id: int, lock: bool = False) -> DeadlineException | None:
    """The account's deadline exception (row-locked until the commit with `lock`)."""
    stmt = select(DeadlineException).where(DeadlineException.user_id == user_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(stmt)


def grant_exception(user: User, until: datetime, reason: str, moderator: User) -> DeadlineException:
    """Let one account submit and edit until `until` (replacing an earlier grant)."""
    if not moderator.is_moderator:
        raise DecisionRefused(_("Only moderators can grant exceptions."), 403)
    if user.id == moderator.id:  # the same conflict of interest as deciding one's own item
        raise DecisionRefused(
            _("You cannot grant yourself an exception: ask another moderator."), 403
        )
    now = clock().now()
    if until <= now:
        raise DecisionRefused(_("Choose an instant in the future."), 422)
    exception = exception_for(user.id, lock=True)
    previous = exception.until if exception is not None else None
    if exception is None:
        try:
            with db.session.begin_nested():
                exception = DeadlineException(
                    user=user, until=until, granted_by=moderator, granted_at=now
                )
                db.session.add(exception)
        except IntegrityError:
            # A grant for the same account committed meanwhile (a double click, or two
            # moderators at once; PostgreSQL let this insert wait for it): replace it.
            exception = exception_for(user.id, lock=True)
            if exception is None:
                raise
            previous = exception.until
    exception.until = until
    exception.reason = reason.strip()
    exception.granted_by = moderator
    exception.granted_at = now
    until_text = clock().format(until)
    replacing = f" (replaces the exception until {clock().format(previous)})" if previous else ""
    record(
        Action.EXCEPTION_GRANTED,
        moderator,
        subject_user=user,
        message=f"Until {until_text}{replacing}. {reason.strip()}".strip(),
    )
    db.session.flush()
    mails.exception_granted(user, until)
    return exception


def revoke_exception(exception: DeadlineException, moderator: User) -> None:
    """Withdraw a deadline exception."""
    if not moderator.is_moderator:
        raise DecisionRefused(_("Only moderators can revoke exceptions."), 403)
    record(
        Action.EXCEPTION_REVOKED,
        moderator,
        subject_user=exception.user,
        message=f"Was until {clock().format(exception.until)}.",
    )
    db.session.delete(exception)
    db.session.flush()
