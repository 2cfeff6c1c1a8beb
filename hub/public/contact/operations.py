"""Relaying a message to a submission's contact, and holding one until its sender confirms.

A confirmed account's message is relayed at once; anyone else's is held (HeldMessage) and a
link goes to the address they typed: only following it ("Send my message") relays it, so
nobody can make the hub mail a contact with someone else's address as Reply-To. The link
carries the held message's id and a random secret, signed and dated by the hub's clock; the
row keeps only the secret's SHA-256. Every mail of a message is ephemeral (deleted from the
outbox once delivered), held messages are deleted when relayed or expired, and the audit
records that a message was relayed, never its words or addresses. These flush and audit;
the view commits.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
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
from hub.mail.outbox import forget_ephemeral, queue_from_template
from hub.public.contact.models import HOLD_HOURS, HeldMessage
from hub.submissions.models import Submission

CONFIRM_SALT = "hub-contact-confirm"
# A relayed message's mails that could not be delivered in this time are given up (deleted).
UNDELIVERED_DAYS = 7


class LinkProblem(enum.Enum):
    """Why a confirmation link relays nothing."""

    INVALID = "invalid"  # forged, cut short, used already, or its message expired and is gone
    EXPIRED = "expired"


@dataclass(frozen=True)
class Message:
    """A message to relay: who writes (name, address, language) and what."""

    name: str
    email: str
    body: str
    language: str


def contact_language(submission: Submission) -> str:
    """The language the contact reads: their account's if the address has one, else the
    owner's (who gave the address), else English."""
    account = db.session.scalar(
        select(User).where(User.email == submission.contact_email.strip().lower())
    )
    return (account or submission.owner).language or DEFAULT


def relay(submission: Submission, message: Message, by: User | None) -> None:
    """Queue the message to the submission's contact (Reply-To: the sender) and a copy to
    the sender (without the contact's address), both deleted once delivered; audit it."""
    title = submission.title
    with force_locale(contact_language(submission)):
        queue_from_template(
            "contact",
            submission.contact_email,
            gettext("A message about “%(title)s”", title=title),
            "contact_relay.txt",
            reply_to=message.email,
            ephemeral=True,
            submission=submission,
            message=message,
        )
    with force_locale(message.language):
        queue_from_template(
            "contact_copy",
            message.email,
            gettext("Your message about “%(title)s” was sent", title=title),
            "contact_copy.txt",
            ephemeral=True,
            submission=submission,
            message=message,
        )
    record(
        Action.CONTACT_RELAYED,
        by,
        submission,
        message="A message was relayed to the submission's contact by e-mail.",
    )
    db.session.flush()


def hold(submission: Submission, message: Message) -> HeldMessage:
    """Keep a visitor's message for HOLD_HOURS and mail them the link that relays it."""
    now = clock().now()
    secret = secrets.token_urlsafe(24)
    held = HeldMessage(
        submission=submission,
        sender_name=message.name,
        sender_email=message.email,
        body=message.body,
        language=message.language,
        token_hash=secret_hash(secret),
        created_at=now,
        expires_at=now + timedelta(hours=HOLD_HOURS),
    )
    db.session.add(held)
    db.session.flush()
    token = serializer(CONFIRM_SALT).dumps([held.id, secret])
    with force_locale(message.language):
        queue_from_template(
            "contact_confirm",
            message.email,
            gettext("Confirm your message about “%(title)s”", title=submission.title),
            "contact_confirm.txt",
            ephemeral=True,
            submission=submission,
            name=message.name,
            token=token,
            hours=HOLD_HOURS,
        )
    db.session.flush()
    return held


def read_link(token: str) -> HeldMessage | LinkProblem:
    """The held message a confirmation link relays now, or why it does not."""
    held = read_secret_link(token, CONFIRM_SALT, HOLD_HOURS * 3600, HeldMessage)
    if isinstance(held, TokenProblem):
        return LinkProblem.EXPIRED if held is TokenProblem.EXPIRED else LinkProblem.INVALID
    if clock().now() >= held.expires_at:
        return LinkProblem.EXPIRED
    return held


def release(held: HeldMessage) -> None:
    """The sender confirmed: relay the held message, then forget it."""
    message = Message(held.sender_name, held.sender_email, held.body, held.language)
    relay(held.submission, message, None)
    db.session.delete(held)
    db.session.flush()


def purge_expired() -> int:
    """Delete held messages past their time, and a relayed message's mails still undelivered
    after UNDELIVERED_DAYS; the number of held messages deleted. Flushes only."""
    now = clock().now()
    result = db.session.execute(delete(HeldMessage).where(HeldMessage.expires_at <= now))
    forget_ephemeral(now - timedelta(days=UNDELIVERED_DAYS))
    db.session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


def purge_expired_and_commit() -> int:
    """What `send-mail` runs each round: purge_expired(), committed; it queues no mail."""
    purge_expired()
    db.session.commit()
    return 0
