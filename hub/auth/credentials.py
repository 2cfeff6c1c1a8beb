"""Changes to what an account logs in with, and to its profile: a forgotten password, a
new password, a new address, the account page's settings. They flush, log and audit; the
view commits."""

from __future__ import annotations

import logging

from sqlalchemy import select, update
from werkzeug.security import check_password_hash

from hub.audit import record
from hub.audit.models import Action
from hub.auth import mails
from hub.auth.models import User
from hub.auth.operations import end_sessions, find_user, hash_password
from hub.clock import clock
from hub.extensions import db

logger = logging.getLogger("hub.auth")


class AddressTaken(ValueError):
    """Another account has this address."""


def request_password_reset(email: str, language: str) -> None:
    """Mail a reset link to the account with this address; to an address without one, a
    mail saying so. One mail either way, so neither the answer nor its time tells whether
    the address has an account."""
    user = find_user(email)
    if user is None or user.deleted_at is not None:
        # A deleted account's pseudonymous address is answered as an unknown one (and the
        # outbox queues nothing for its reserved domain): nothing to reset, nobody to tell.
        mails.reset_without_account(email.strip().lower(), language)
        logger.info("Password reset asked for an address without an account")
    else:
        mails.password_reset(user)
        logger.info("Password reset link sent to %s", user.email)
    db.session.flush()


def password_matches(user: User, password: str) -> bool:
    """Whether `password` is the account's current one."""
    return check_password_hash(user.password_hash, password)


def reset_password(user: User, password: str) -> bool:
    """Set a new password from a reset link: every login session ends (the view starts a
    new one), and the address is confirmed (the link reached it). False when the password
    changed meanwhile (the same link posted twice at once): the link is spent."""
    new_hash = hash_password(password)
    done = db.session.execute(
        update(User)
        .where(User.id == user.id, User.password_hash == user.password_hash)
        .values(password_hash=new_hash)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        return False
    user.password_hash = new_hash
    ended = end_sessions(user)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = clock().now()
    record(
        Action.PASSWORD_RESET,
        user,
        subject_user=user,
        message=f"Password reset by mailed link; {ended} login session(s) ended.",
    )
    mails.password_changed(user, by_reset=True)
    db.session.flush()
    return True


def change_password(user: User, password: str) -> None:
    """Set a new password from the account page (the current one was checked): the other
    login sessions end, this one goes on."""
    user.password_hash = hash_password(password)
    ended = end_sessions(user, keep=user.session_token)
    record(
        Action.PASSWORD_CHANGED,
        user,
        subject_user=user,
        message=f"Password changed on the account page; {ended} other session(s) ended.",
    )
    mails.password_changed(user, by_reset=False)
    db.session.flush()


def _address_taken(email: str, user: User) -> bool:
    return (
        db.session.scalar(select(User.id).where(User.email == email, User.id != user.id))
        is not None
    )


def request_email_change(user: User, new_email: str) -> None:
    """Mail a confirmation link to the new address and tell the old one; nothing changes
    until the link is opened. Raise AddressTaken when another account has it."""
    new_email = new_email.strip().lower()
    if _address_taken(new_email, user):
        raise AddressTaken(new_email)
    mails.confirm_new_address(user, new_email)
    mails.address_change(user, user.email, new_email, done=False)
    record(
        Action.EMAIL_CHANGE_REQUESTED,
        user,
        subject_user=user,
        message=f"Change of address to {new_email} requested; link sent there.",
    )
    db.session.flush()


def change_email(user: User, new_email: str) -> bool:
    """Make `new_email` (confirmed by its link) the account's address; tell the old one.
    False when the address changed meanwhile (the link posted twice at once); raise
    AddressTaken when another account has the new one."""
    if _address_taken(new_email, user):
        raise AddressTaken(new_email)
    old, now = user.email, clock().now()
    done = db.session.execute(  # only from the address the link was issued for
        update(User)
        .where(User.id == user.id, User.email == old)
        .values(email=new_email, email_confirmed_at=now)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        return False
    user.email, user.email_confirmed_at = new_email, now
    mails.address_change(user, old, new_email, done=True)
    record(
        Action.EMAIL_CHANGED,
        user,
        subject_user=user,
        message=f"Address changed from {old} to {new_email} (confirmed by its link).",
    )
    db.session.flush()
    logger.info("Address of account %s changed from %s to %s", user.id, old, new_email)
    return True


def resend_confirmation(user: User) -> None:
    """Mail the link that confirms the account's address again."""
    mails.confirm_address(user)
    db.session.flush()
    logger.info("Confirmation link sent again to %s", user.email)


def update_profile(user: User, display_name: str, organisation: str, language: str) -> None:
    """Save the name, organisation and language from the account page."""
    user.display_name = display_name.strip()
    user.organisation = organisation.strip()
    user.language = language
    db.session.flush()
    logger.info("Profile of %s updated", user.email)


def update_notifications(user: User, reminders: bool, digest: bool) -> None:
    """Save which optional mails the account wants."""
    user.notify_reminders = reminders
    user.notify_digest = digest
    db.session.flush()
    logger.info("Notifications of %s: reminders=%s digest=%s", user.email, reminders, digest)


def stop_reminders(user: User) -> bool:
    """Turn the account's reminders off from the link in a reminder (no login: the signed
    link is the authority); False when they were off already (nothing changes, no audit)."""
    if not user.notify_reminders:
        return False
    user.notify_reminders = False
    record(
        Action.REMINDERS_STOPPED,
        user,
        subject_user=user,
        message="Reminders before the cutoff turned off by the link in a reminder.",
    )
    db.session.flush()
    logger.info("Reminders of account %s turned off by the link in a reminder", user.id)
    return True
