"""Co-editing: invitations and their links, joining, leaving, removing, handing over.

A link carries the invitation's id and a random secret, signed with the app's secret (salt of
its own) and dated by the hub's clock; the row keeps only the secret's SHA-256. It works for
INVITE_DAYS, once (answering it leaves "pending"), and only for an account with a confirmed
address equal, ignoring case, to the invited one: a forwarded mail lets nobody else in.
Like operations.py, these flush and audit; the view commits.
"""

from __future__ import annotations

import enum
import secrets
from datetime import timedelta

from flask_babel import force_locale, gettext
from sqlalchemy import delete, select

from hub.audit import record
from hub.audit.models import Action
from hub.auth.models import User
from hub.auth.tokens import TokenProblem, read_secret_link, secret_hash, serializer
from hub.clock import clock
from hub.extensions import db
from hub.i18n import DEFAULT
from hub.mail.outbox import queue_from_template
from hub.submissions.editors import (
    INVITE_DAYS,
    MAX_PENDING,
    Invitation,
    InvitationStatus,
    SubmissionEditor,
    co_editors,
    editor_row,
    pending_invitations,
)
from hub.submissions.models import Submission

INVITE_SALT = "hub-coeditor-invitation"


class InvitationProblem(enum.Enum):
    """Why an invitation link does nothing."""

    INVALID = "invalid"  # forged, truncated, or its invitation is gone
    EXPIRED = "expired"
    USED = "used"  # accepted or declined already
    REVOKED = "revoked"


class Refused(Exception):
    """A co-editing change that cannot be made; the message says why, for the page."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


def read_invitation_token(token: str) -> Invitation | InvitationProblem:
    """The pending invitation a link is good for now, or why it is not."""
    invitation = read_secret_link(token, INVITE_SALT, INVITE_DAYS * 86400, Invitation)
    if isinstance(invitation, TokenProblem):
        return (
            InvitationProblem.EXPIRED
            if invitation is TokenProblem.EXPIRED
            else InvitationProblem.INVALID
        )
    if invitation.status is InvitationStatus.REVOKED:
        return InvitationProblem.REVOKED
    if invitation.status is not InvitationStatus.PENDING:
        return InvitationProblem.USED
    if clock().now() >= invitation.expires_at:
        return InvitationProblem.EXPIRED
    return invitation


def invite(submission: Submission, email: str, by: User) -> Invitation:
    """Invite an address to co-edit (the owner only) and mail it a link; inviting a pending
    address again replaces its invitation (a new link; the old one stops working)."""
    email = email.strip().lower()
    if by.id != submission.owner_id:
        raise Refused(gettext("Only the owner of a submission can invite co-editors."), 403)
    if by.email_confirmed_at is None:  # a throwaway account must not mail strangers
        raise Refused(
            gettext(
                "Confirm your own e-mail address (follow the link we sent when you registered) "
                "before inviting co-editors."
            ),
            403,
        )
    if email == by.email:
        raise Refused(gettext("You cannot invite yourself: you already own this submission."), 422)
    if any(row.user.email == email for row in co_editors(submission)):
        raise Refused(
            gettext("%(email)s is already a co-editor of this submission.", email=email), 422
        )
    pending = pending_invitations(submission)
    again = next((i for i in pending if i.email == email), None)
    if again is None and len(pending) >= MAX_PENDING:
        raise Refused(
            gettext(
                "This submission already has %(num)d invitations waiting for an answer. Revoke "
                "some, or wait until they are answered, before inviting more people.",
                num=MAX_PENDING,
            ),
            422,
        )
    now = clock().now()
    if again is not None:  # the same address again: the earlier link stops working
        _close(again, InvitationStatus.REVOKED)
        db.session.flush()
    secret = secrets.token_urlsafe(24)
    invitation = Invitation(
        submission=submission,
        email=email,
        invited_by_id=by.id,
        token_hash=secret_hash(secret),
        created_at=now,
        expires_at=now + timedelta(days=INVITE_DAYS),
    )
    db.session.add(invitation)
    db.session.flush()
    record(Action.EDITOR_INVITED, by, submission, message=f"Invited {email} to co-edit.")
    token = serializer(INVITE_SALT).dumps([invitation.id, secret])
    # The invited address may have no account yet: the mail is in the account's language if
    # there is one, else in the inviter's (the page they were on is the best guess).
    # An account without a chosen language reads the hub's mails in English, as all others.
    account = db.session.scalar(select(User).where(User.email == email))
    language = (account.language or DEFAULT) if account else (by.language or DEFAULT)
    with force_locale(language):
        queue_from_template(
            "invitation",
            email,
            gettext(
                "%(name)s invites you to co-edit “%(title)s”",
                name=by.display_name,
                title=submission.title or gettext("Untitled draft"),
            ),
            "invitation.txt",
            submission=submission,
            by=by,
            token=token,
            days=INVITE_DAYS,
        )
    db.session.flush()
    return invitation


def _close(invitation: Invitation, status: InvitationStatus, user: User | None = None) -> None:
    invitation.status = status
    invitation.decided_at = clock().now()
    if user is not None:
        invitation.accepted_by_id = user.id


def why_cannot_accept(invitation: Invitation, user: User) -> str | None:
    """Why `user` cannot accept this invitation (a sentence for the page), or None."""
    submission = invitation.submission
    if not user.is_active:  # deactivated or deleted: such an account joins nothing
        return gettext("This account cannot log in, so it cannot accept invitations.")
    if user.email != invitation.email:
        return gettext(
            "This invitation was sent to %(invited)s, and you are logged in as %(you)s. Log "
            "out, then log in (or register) with the invited address.",
            invited=invitation.email,
            you=user.email,
        )
    if user.email_confirmed_at is None:
        return gettext(
            "Confirm your e-mail address first (follow the link we sent when you registered), "
            "then open this invitation again."
        )
    if user.id == submission.owner_id or editor_row(user, submission) is not None:
        return gettext("You are already working on this submission.")
    return None


def accept(invitation: Invitation, user: User) -> SubmissionEditor:
    """Join the submission as a co-editor."""
    reason = why_cannot_accept(invitation, user)
    if reason is not None:
        raise Refused(reason, 403)
    _close(invitation, InvitationStatus.ACCEPTED, user)
    row = SubmissionEditor(submission=invitation.submission, user=user, added_at=clock().now())
    db.session.add(row)
    record(Action.EDITOR_JOINED, user, invitation.submission, subject_user=user)
    db.session.flush()
    return row


def decline(invitation: Invitation, user: User | None) -> None:
    """Say no to an invitation (anyone holding the link may: it was mailed to them)."""
    _close(invitation, InvitationStatus.DECLINED)
    record(
        Action.INVITATION_DECLINED,
        user,
        invitation.submission,
        message=f"Invitation of {invitation.email} declined.",
    )
    db.session.flush()


def revoke(invitation: Invitation, by: User) -> None:
    """Take back a pending invitation (the owner only): its link stops working."""
    if by.id != invitation.submission.owner_id:
        raise Refused(gettext("Only the owner of a submission can revoke invitations."), 403)
    if invitation.status is not InvitationStatus.PENDING:
        raise Refused(gettext("This invitation was already answered or revoked."), 409)
    _close(invitation, InvitationStatus.REVOKED)
    record(
        Action.INVITATION_REVOKED,
        by,
        invitation.submission,
        message=f"Invitation of {invitation.email} revoked.",
    )
    db.session.flush()


def remove_editor(submission: Submission, person: User, by: User) -> None:
    """Take a co-editor off the submission: its owner removes them, or they leave."""
    row = editor_row(person, submission)
    if row is None:
        raise Refused(gettext("This person is not a co-editor of this submission."), 409)
    leaving = by.id == person.id
    if not leaving and by.id != submission.owner_id:
        raise Refused(gettext("Only the owner of a submission can remove co-editors."), 403)
    db.session.delete(row)
    action = Action.EDITOR_LEFT if leaving else Action.EDITOR_REMOVED
    record(action, by, submission, subject_user=person)
    _touch_public(submission, row.public_contact)
    db.session.flush()


def hand_over(submission: Submission, to_user: User, by: User | None) -> None:
    """Make a co-editor the owner; the old owner stays on as a co-editor.

    `by` is the owner, or None when the hub does it (an account being deleted).
    """
    row = editor_row(to_user, submission)
    if row is None:
        raise Refused(gettext("Ownership can only go to a co-editor of this submission."), 409)
    if by is not None and by.id != submission.owner_id:
        raise Refused(gettext("Only the owner of a submission can hand it over."), 403)
    old_owner = submission.owner
    _touch_public(submission, row.public_contact)  # no longer listed: now the owner
    db.session.delete(row)
    db.session.flush()  # the new owner's row goes before the old owner's is added
    submission.owner = to_user
    db.session.add(SubmissionEditor(submission=submission, user=old_owner, added_at=clock().now()))
    record(
        Action.OWNERSHIP_HANDED_OVER,
        by,
        submission,
        subject_user=to_user,
        message=f"Ownership handed from {old_owner.email} to {to_user.email}.",
    )
    db.session.flush()


def set_public_contact(row: SubmissionEditor, listed: bool) -> None:
    """Whether a co-editor is listed on the public page (their own choice)."""
    if row.public_contact != listed:
        row.public_contact = listed
        _touch_public(row.submission, True)
        db.session.flush()


def _touch_public(submission: Submission, public_change: bool) -> None:
    """A change of the public contacts of a published submission marks it changed, so the
    flush queues an index task and the page cache (keyed on the queue) shows it at once."""
    if public_change and submission.status.value == "approved":
        submission.updated_at = clock().now()


def remove_person(user: User) -> list[Submission]:
    """Take an account off everything it co-edits (its invitations sent die with it) before
    it is deleted; returns the submissions it owns, which the caller deletes, withdraws or
    hands over (hand_over) first."""
    for row in db.session.scalars(
        select(SubmissionEditor).where(SubmissionEditor.user_id == user.id)
    ):
        remove_editor(row.submission, user, user)
    db.session.execute(
        delete(Invitation).where(
            Invitation.invited_by_id == user.id, Invitation.status == InvitationStatus.PENDING
        )
    )
    db.session.flush()
    return list(db.session.scalars(select(Submission).where(Submission.owner_id == user.id)))
