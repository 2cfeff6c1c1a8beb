"""Deleting an account: it flushes and audits, the view commits.

Co-editors (hub.submissions.invitations): a submission others co-edit can be handed over to one
of them instead of withdrawn or kept; a draft (or a rejected or withdrawn item) with co-editors
is handed over to the longest-standing one rather than deleted, since deleting it would destroy
the colleagues' work. Then the person leaves everything they co-edit and their pending
invitations go.

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
from sqlalchemy import delete, select, update

from hub.audit import record
from hub.audit.models import Action, AuditEvent
from hub.auth.admins import is_last_active_admin
from hub.auth.models import Role, User, UserSession
from hub.auth.parking import ParkedPost
from hub.clock import clock
from hub.extensions import db
from hub.mail.models import OutboxMail
from hub.mail.outbox import DELETED_DOMAIN
from hub.ratelimit import RateLimitHit, account_buckets
from hub.submissions.deadlines import DeadlineException
from hub.submissions.editors import Invitation, InvitationStatus, co_editors
from hub.submissions.invitations import hand_over, remove_person
from hub.submissions.models import Status, Submission
from hub.submissions.operations import take_down
from hub.submissions.revisions import Revision

logger = logging.getLogger("hub.privacy")

# Submissions a person decides about before leaving: public, or in the moderators' hands.
# Drafts are deleted; rejected and withdrawn items were never or are no longer public, and
# stay (without personal data) for the moderators' record.
CHOOSE = (Status.APPROVED, Status.SUBMITTED, Status.CHANGES_REQUESTED)


class Choice(enum.StrEnum):
    """What becomes of one submission when its owner deletes the account."""

    WITHDRAW = "withdraw"
    KEEP = "keep"
    # Hand the submission to a co-editor, who becomes its owner (offered once per active
    # co-editor: the form's value is "hand_over:<their account id>", see hand_over_value()).
    HAND_OVER = "hand_over"


OFFERED = (Choice.WITHDRAW, Choice.KEEP)


def hand_over_value(heir: User) -> str:
    """The form value that hands a submission over to `heir`."""
    return f"{Choice.HAND_OVER.value}:{heir.id}"


def heirs(submission: Submission) -> list[User]:
    """The co-editors a submission can be handed over to, longest on it first: those who
    can still log in (a deactivated or deleted account would strand it)."""
    return [row.user for row in co_editors(submission) if row.user.is_active]


class LastAdmin(Exception):
    """The only administrator may not delete their account: nobody could grant roles."""


@dataclass
class Outcome:
    """What a deletion did, for the audit message and the page after it."""

    deleted_drafts: int = 0
    withdrawn: list[int] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)
    handed_over: list[int] = field(default_factory=list)


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


def is_last_admin(user: User, *, lock: bool = False) -> bool:
    """Whether the account is the hub's only active administrator (hub.auth.admins: the
    rule the admin pages apply too)."""
    return is_last_active_admin(user, lock=lock)


def _withdraw(submission: Submission, actor: User) -> None:
    """Withdraw without asking the clock: leaving the hub takes one's text down at any time
    (the cutoff limits writing, not removing)."""
    take_down(submission, actor, "Withdrawn as its owner deleted their account.")


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


def _contact_is(submission: Submission, user: User) -> bool:
    """Whether the submission's contact is the person leaving (a handed-over item keeps a
    colleague named as its contact)."""
    return (submission.contact_email or "").strip().lower() == user.email or (
        (submission.contact_name or "").strip() == user.display_name.strip()
    )


def _hand_over(submission: Submission, heir: User, user: User, chosen: bool) -> None:
    """Give the submission to a co-editor: by the person's choice (their act in the trail),
    or by the hub for what they could not choose about (a shared draft: deleting it would
    destroy the co-editors' work)."""
    hand_over(submission, heir, user if chosen else None)
    if _contact_is(submission, user):
        _scrub(submission)


def _forget_invitations_to(user: User, alias: str) -> None:
    """Invitations mailed to the person's address: the pending ones go, the answered ones
    keep the pseudonym instead of the address."""
    db.session.execute(
        delete(Invitation).where(
            Invitation.email == user.email, Invitation.status == InvitationStatus.PENDING
        )
    )
    db.session.execute(
        update(Invitation)
        .where(Invitation.email == user.email)
        .values(email=f"{alias}@{DELETED_DOMAIN}")
        .execution_options(synchronize_session=False)
    )


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


def _valid(submission: Submission, choice: Choice | None, heir_id: int | None) -> bool:
    if choice is Choice.HAND_OVER:
        return heir_id in {h.id for h in heirs(submission)}
    return choice in OFFERED


def delete_account(
    user: User,
    choices: dict[int, Choice],
    *,
    hand_to: dict[int, int] | None = None,
    parked_token: str | None = None,
    ip: str | None = None,
) -> Outcome:
    """Delete the account: each submission in CHOOSE withdrawn, kept without personal data,
    or handed over to the co-editor `hand_to` names, as `choices` says (every one must be
    chosen); a draft or other submission with co-editors handed over to the longest-standing
    one, other drafts deleted, the rest scrubbed; the person taken off what they co-edit, their
    pending invitations gone; sessions, mails, exceptions and throttling counts deleted;
    audited under the pseudonym."""
    hand_to = hand_to or {}
    if is_last_admin(user, lock=True):
        raise LastAdmin(user.id)
    pending = to_decide(user)
    missing = [s.id for s in pending if not _valid(s, choices.get(s.id), hand_to.get(s.id))]
    if missing:
        raise ValueError(f"No choice for submissions {missing}")
    outcome = Outcome()
    email, alias = user.email, pseudonym(user.id)
    owned = db.session.scalars(select(Submission).where(Submission.owner_id == user.id)).all()
    rest = []
    # Hand-overs first, while the person is still on every submission; then they leave all.
    for submission in owned:
        choice = choices.get(submission.id) if submission.status in CHOOSE else None
        if choice is Choice.HAND_OVER:
            heir = next(h for h in heirs(submission) if h.id == hand_to.get(submission.id))
            _hand_over(submission, heir, user, chosen=True)
            outcome.handed_over.append(submission.id)
        elif choice is None and (found := heirs(submission)):
            _hand_over(submission, found[0], user, chosen=False)
            outcome.handed_over.append(submission.id)
        else:
            rest.append((submission, choice))
    remove_person(user)
    _forget_invitations_to(user, alias)
    for submission, choice in rest:
        if submission.status is Status.DRAFT:
            _delete_draft(submission)
            outcome.deleted_drafts += 1
            continue
        if choice is Choice.WITHDRAW:
            _withdraw(submission, user)
            outcome.withdrawn.append(submission.id)
        elif choice is Choice.KEEP:
            outcome.kept.append(submission.id)
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
            f"{outcome.kept or 'none'}, handed over to a co-editor "
            f"{outcome.handed_over or 'none'}."
        ),
    )
    db.session.flush()
    logger.info("Account %s deleted by its owner", user.id)
    return outcome
