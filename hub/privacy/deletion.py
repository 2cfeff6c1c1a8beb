"""Deleting an account: it flushes and audits, the view commits.

The account's row stays, scrubbed, under a pseudonym ("deleted-user-<hmac of its id>"):
submissions kept public, decisions and the audit trail keep naming an account, so no page,
API answer, export or audit CSV meets a submission without an owner. Its personal data go:
address, name, organisation, language, password, login sessions, mails, deadline
exceptions, throttling counts, drafts, and the private contact of what is kept.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import logging
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, select

from hub.audit import record
from hub.audit.models import Action, AuditEvent
from hub.auth.models import Role, User, UserSession
from hub.auth.parking import ParkedPost
from hub.clock import clock
from hub.extensions import db
from hub.mail.models import OutboxMail
from hub.mail.outbox import DELETED_DOMAIN
from hub.ratelimit import RateLimitHit, account_buckets
from hub.submissions.deadlines import DeadlineException
from hub.submissions.models import Status, Submission
from hub.submissions.operations import pending_revision
from hub.submissions.revisions import Revision, RevisionStatus

logger = logging.getLogger("hub.privacy")

# Submissions a person decides about before leaving: public, or in the moderators' hands.
# Drafts are deleted; rejected and withdrawn items were never or are no longer public, and
# stay (without personal data) for the moderators' record.
CHOOSE = (Status.APPROVED, Status.SUBMITTED, Status.CHANGES_REQUESTED)


class Choice(enum.StrEnum):
    """What becomes of one submission when its owner deletes the account."""

    WITHDRAW = "withdraw"
    KEEP = "keep"
    # Reserved for the co-editors' work: hand the submission to a co-editor, who becomes its
    # owner. Not offered (OFFERED below) until co-editors exist.
    HAND_OVER = "hand_over"


OFFERED = (Choice.WITHDRAW, Choice.KEEP)


class LastAdmin(Exception):
    """The only administrator may not delete their account: nobody could grant roles."""


@dataclass
class Outcome:
    """What a deletion did, for the audit message and the page after it."""

    deleted_drafts: int = 0
    withdrawn: list[int] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)


def pseudonym(user_id: int) -> str:
    """The name a deleted account keeps: stable for one id, not the id itself, and not
    guessable from it without the secret key."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, f"account:{user_id}".encode(), hashlib.sha256).hexdigest()
    return f"deleted-user-{digest[:12]}"


def to_decide(user: User) -> list[Submission]:
    """The account's submissions whose fate its owner chooses, oldest first."""
    return list(
        db.session.scalars(
            select(Submission)
            .where(Submission.owner_id == user.id, Submission.status.in_(CHOOSE))
            .order_by(Submission.id)
        )
    )


def is_last_admin(user: User) -> bool:
    """Whether the account is the hub's only administrator."""
    if user.role is not Role.ADMIN:
        return False
    admins = db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN, User.deleted_at.is_(None))
    )
    return int(admins or 0) <= 1


def _withdraw(submission: Submission, actor: User) -> None:
    """Withdraw without asking the clock: leaving the hub takes one's text down at any time
    (the cutoff limits writing, not removing)."""
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
        message="Withdrawn as its owner deleted their account.",
    )


def _without_contact(content: dict[str, Any], organisation: str) -> dict[str, Any]:
    """A stored text with the person's contact replaced by the organisation."""
    return {**content, "contact_name": organisation, "contact_email": ""}


def _scrub(submission: Submission) -> None:
    """Remove the person from a submission that stays: the public contact becomes the lead
    organisation, the private e-mail goes, in the text and in every version of it."""
    organisation = submission.lead_organisation.strip()
    submission.contact_name = organisation
    submission.contact_email = ""
    submission.kept_changes = None
    submission.kept_at = None
    revisions = db.session.scalars(select(Revision).where(Revision.submission_id == submission.id))
    for revision in revisions:
        revision.content = _without_contact(revision.content, organisation)


def _delete_draft(submission: Submission) -> None:
    """A draft was only ever its owner's: it goes, with its versions and history."""
    db.session.execute(delete(AuditEvent).where(AuditEvent.submission_id == submission.id))
    db.session.execute(delete(Revision).where(Revision.submission_id == submission.id))
    db.session.delete(submission)


def _scrub_account(user: User, alias: str) -> None:
    """The row that stays: a pseudonym that can never log in or be mailed."""
    user.email = f"{alias}@{DELETED_DOMAIN}"
    user.display_name = alias
    user.organisation = ""
    user.language = None
    user.role = Role.SUBMITTER
    # Not a werkzeug hash: check_password_hash() is False for every password.
    user.password_hash = "!deleted"
    user.email_confirmed_at = None
    user.last_login_at = None
    user.deleted_at = clock().now()


def delete_account(
    user: User,
    choices: dict[int, Choice],
    *,
    parked_token: str | None = None,
    ip: str | None = None,
) -> Outcome:
    """Delete the account: drafts deleted, each submission in CHOOSE withdrawn or kept
    without personal data as `choices` says (every one must be chosen), the rest scrubbed,
    sessions, mails, exceptions and throttling counts deleted; audited under the pseudonym."""
    if is_last_admin(user):
        raise LastAdmin(user.id)
    pending = to_decide(user)
    missing = [s.id for s in pending if choices.get(s.id) not in OFFERED]
    if missing:
        raise ValueError(f"No choice for submissions {missing}")
    outcome = Outcome()
    email, alias = user.email, pseudonym(user.id)
    owned = db.session.scalars(select(Submission).where(Submission.owner_id == user.id)).all()
    for submission in owned:
        if submission.status is Status.DRAFT:
            _delete_draft(submission)
            outcome.deleted_drafts += 1
            continue
        choice = choices.get(submission.id) if submission.status in CHOOSE else None
        if choice is Choice.WITHDRAW:
            _withdraw(submission, user)
            outcome.withdrawn.append(submission.id)
        elif choice is Choice.KEEP:
            outcome.kept.append(submission.id)
        elif choice is Choice.HAND_OVER:  # the co-editors' hook: a new owner, nothing scrubbed
            raise NotImplementedError("handing over needs co-editors")
        _scrub(submission)

    # The person's own address in the trail's messages becomes the pseudonym.
    for event in db.session.scalars(
        select(AuditEvent).where(AuditEvent.message.contains(email, autoescape=True))
    ):
        event.message = event.message.replace(email, f"{alias}@{DELETED_DOMAIN}")
    db.session.execute(delete(DeadlineException).where(DeadlineException.user_id == user.id))
    # Every mail to the address, sent (its text is the person's) or still waiting.
    db.session.execute(delete(OutboxMail).where(OutboxMail.to_addr == email))
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    db.session.execute(
        delete(RateLimitHit).where(RateLimitHit.bucket.in_(account_buckets(user.id, email, ip)))
    )
    if parked_token:  # this browser's parked form; others expire within a day (PARK_HOURS)
        db.session.execute(delete(ParkedPost).where(ParkedPost.token == parked_token))

    _scrub_account(user, alias)
    db.session.flush()
    record(
        Action.ACCOUNT_DELETED,
        user,
        subject_user=user,
        message=(
            f"Account deleted by its owner: {outcome.deleted_drafts} draft(s) deleted, "
            f"withdrawn {outcome.withdrawn or 'none'}, kept without personal data "
            f"{outcome.kept or 'none'}."
        ),
    )
    db.session.flush()
    logger.info("Account %s deleted by its owner", user.id)
    return outcome
