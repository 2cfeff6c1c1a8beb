"""Delivery: send the outbox over SMTP with claims, retries and exponential back-off.

Mail that falls due with time rather than with a request (the moderators' digest) is not
known here: whoever runs delivery passes its writer as `write_due` (create_app for the
deliveries after responses, the `send-mail` command for the sender).
"""

from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.header import Header
from email.message import Message
from email.mime.text import MIMEText
from email.utils import format_datetime
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, delete, exists, func, or_, select, update

from hub.clock import clock
from hub.extensions import db
from hub.mail.models import OutboxMail

logger = logging.getLogger("hub.mail")

CLAIM_SECONDS = 120
MAX_BACKOFF = timedelta(hours=1)
CONNECT_FAILED = "Could not connect: "  # last_error of a mail whose connection failed
BATCH = 100  # mails a sender reads at a time
_sleep = time.sleep  # the sender loop's pause (tests replace it)
_monotonic = time.monotonic  # the time bound of a `send-mail` round (tests replace it)

# Queues and commits the mail that is due now; returns the number of mails queued.
WriteDue = Callable[[], int]


def nothing_due() -> int:
    """The `write_due` of a hub that has no mail falling due with time."""
    return 0


def build_message(mail: OutboxMail, sender: str) -> Message:
    """The RFC 5322 message: UTF-8 plain text with Date and Message-ID."""
    message = MIMEText(mail.body, "plain", "utf-8")
    message["From"] = sender
    message["To"] = mail.to_addr
    # Encoded here (RFC 2047), not by EmailMessage's policy: its refolding can put a space
    # between two encoded words, where readers drop it; French subjects, with a narrow
    # no-break space before ":" and inside « », lost spaces that way ("a\u202fb à" → "a\u202fbà").
    subject: Any = mail.subject  # a str, or a Header that compat32 writes as it is
    if not mail.subject.isascii():
        subject = Header(mail.subject, "utf-8", header_name="Subject")
    message["Subject"] = subject
    message["Date"] = format_datetime(mail.created_at)
    message["Message-ID"] = mail.message_id
    message["Auto-Submitted"] = "auto-generated"
    for name, value in (mail.headers or {}).items():  # List-Unsubscribe and the like
        message[name] = value
    return message


def _claim(mail_id: int, now: datetime) -> bool:
    """Take a due mail for this process; False when another sender has it."""
    result = db.session.execute(
        update(OutboxMail)
        .where(
            OutboxMail.id == mail_id,
            OutboxMail.sent_at.is_(None),
            or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now),
        )
        .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
    )
    db.session.commit()
    return cast("CursorResult[Any]", result).rowcount == 1


def deliver_due(limit: int = BATCH, deadline: float | None = None) -> tuple[int, int]:
    """Send up to `limit` due mails, stopping at the `deadline` (by _monotonic) if one is
    given; return (sent, failed). Failures back off exponentially, never lost."""
    config = current_app.config
    if not config.get("HUB_MAIL_SERVER"):
        db.session.rollback()  # nothing to send: end the read transaction
        return 0, 0
    now = clock().now()
    due = db.session.scalars(
        select(OutboxMail.id)
        .where(OutboxMail.sent_at.is_(None), OutboxMail.next_attempt_at <= now)
        .order_by(OutboxMail.id)
        .limit(limit)
    ).all()
    # No transaction stays open across the loop: each write below begins one of its own
    # (on SQLite a transaction that read and then writes fails at once when another sender
    # wrote in between, and one held open while the server talks would stop every writer).
    db.session.rollback()
    sent = failed = 0
    smtp: smtplib.SMTP | None = None
    try:
        for mail_id in due:
            if deadline is not None and _monotonic() >= deadline:
                break  # the rest stays due, unclaimed, for the next run
            if not _claim(mail_id, now):
                continue
            mail = db.session.get(OutboxMail, mail_id, populate_existing=True)
            assert mail is not None
            tried = _Tried(
                mail_id, mail.attempts, f"{mail.message_id} to {mail.to_addr}", mail.ephemeral
            )
            try:
                message = build_message(mail, config["HUB_MAIL_SENDER"])
            except Exception as exc:  # a message that cannot be built: keep it, go on
                db.session.rollback()
                logger.exception("Mail %s cannot be sent as it is", tried.label)
                _failed(tried, exc, now)
                failed += 1
                continue
            db.session.rollback()  # read: no transaction while the server talks
            try:
                if smtp is None:
                    try:
                        smtp = _connect(config)
                    except (OSError, smtplib.SMTPException) as exc:
                        # The server is down or hanging: one timeout per run, not one per
                        # mail. The others stay due for the next run.
                        _failed(tried, exc, now, connecting=True)
                        failed += 1
                        break
                    _server_is_back(now)
                smtp.send_message(message)
            except (OSError, smtplib.SMTPException) as exc:
                _failed(tried, exc, now)
                failed += 1
                _drop(smtp)
                smtp = None
            except Exception as exc:  # refused by the library (a malformed address …)
                logger.exception("Mail %s cannot be sent as it is", tried.label)
                _failed(tried, exc, now)
                failed += 1
            else:
                if tried.ephemeral:  # delivered: nothing of it is kept
                    db.session.execute(delete(OutboxMail).where(OutboxMail.id == mail_id))
                else:
                    db.session.execute(
                        update(OutboxMail)
                        .where(OutboxMail.id == mail_id)
                        .values(
                            sent_at=clock().now(), attempts=tried.attempts + 1, claimed_until=None
                        )
                    )
                db.session.commit()
                sent += 1
                logger.info("Mail %s sent", tried.label)
    finally:
        _drop(smtp)
        db.session.rollback()
    return sent, failed


@dataclass(frozen=True)
class _Tried:
    """The mail a sender holds the claim of: enough to record what became of it."""

    mail_id: int
    attempts: int
    label: str  # "<message-id> to address", for the log
    ephemeral: bool = False  # deleted once sent


def _connect(config: dict) -> smtplib.SMTP:
    """A connection to HUB_MAIL_SERVER, with STARTTLS and login when configured."""
    smtp = smtplib.SMTP(
        config["HUB_MAIL_SERVER"],
        int(config["HUB_MAIL_PORT"]),
        timeout=int(config["HUB_MAIL_TIMEOUT_SECONDS"]),
    )
    if config.get("HUB_MAIL_USE_TLS"):
        smtp.starttls()
    if config.get("HUB_MAIL_USERNAME"):
        smtp.login(config["HUB_MAIL_USERNAME"], config.get("HUB_MAIL_PASSWORD") or "")
    return smtp


def _drop(smtp: smtplib.SMTP | None) -> None:
    """Say goodbye to the server, or just close a connection that no longer answers."""
    if smtp is not None:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def _failed(tried: _Tried, exc: Exception, now: datetime, connecting: bool = False) -> None:
    """Schedule a retry: 30 s, 1 min, 2 min … capped at an hour (and let go of the claim)."""
    attempts = tried.attempts + 1
    delay = min(timedelta(seconds=30 * 2 ** (attempts - 1)), MAX_BACKOFF)
    error = f"{CONNECT_FAILED if connecting else ''}{type(exc).__name__}: {exc}"[:2000]
    db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == tried.mail_id)
        .values(
            attempts=attempts, next_attempt_at=now + delay, claimed_until=None, last_error=error
        )
    )
    db.session.commit()
    logger.warning(
        "Mail %s failed (attempt %s, retry in %s): %s", tried.label, attempts, delay, error
    )


def _server_is_back(now: datetime) -> None:
    """A connection worked: mail held back by an earlier failed connection is due again
    (and deliveries after requests resume, see smtp_backing_off)."""
    db.session.execute(
        update(OutboxMail)
        .where(
            OutboxMail.sent_at.is_(None),
            OutboxMail.next_attempt_at > now,
            OutboxMail.last_error.startswith(CONNECT_FAILED),
        )
        .values(next_attempt_at=now)
    )
    db.session.commit()


def smtp_backing_off() -> bool:
    """Whether the last connection to the SMTP server failed and its retry is not due yet.

    Then a request does not try to connect after its response (a hanging server would
    hold the worker for HUB_MAIL_TIMEOUT_SECONDS each time): the mail waits in the outbox
    for the sender loop, or for the first request after the back-off.
    """
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    OutboxMail.sent_at.is_(None),
                    OutboxMail.next_attempt_at > clock().now(),
                    OutboxMail.last_error.startswith(CONNECT_FAILED),
                )
            )
        )
    )


def deliver_after_request(queued: bool = True, write_due: WriteDue = nothing_due) -> None:
    """After a response: queue and commit what `write_due` finds due (the moderators'
    digest), then, with an SMTP server, try to send it and whatever the request `queued`
    (errors only logged)."""
    try:
        written = write_due()
        if not (queued or written) or not current_app.config.get("HUB_MAIL_SERVER"):
            return  # without a server the outbox and the log are where mail goes
        if smtp_backing_off():
            db.session.rollback()
            logger.info(
                "The SMTP server was unreachable at the last attempt: new mail waits "
                "in the outbox for the next attempt"
            )
            return
        deliver_due(limit=20)
    except (TimeoutError, OSError, smtplib.SMTPException) as exc:  # pragma: no cover
        logger.warning("Delivery after request failed: %s", exc)
    except Exception:  # the response is gone; never let delivery crash the worker
        logger.exception("Delivery after request failed")
        db.session.rollback()


@dataclass(frozen=True)
class Delivered:
    """What a round of `send-mail` did, and the due mail it left."""

    sent: int
    failed: int
    still_due: int


def deliver_all_due(max_seconds: float) -> Delivered:
    """Deliver batch after batch until no due mail is left or `max_seconds` have passed
    (then the rest is still due). A batch that tried fewer mails than it could ends the
    round too: nothing more was due, the time ran out, the server is down (one connection
    attempt per round, not one timeout per mail) or other senders hold the rest."""
    deadline = _monotonic() + max_seconds
    sent = failed = 0
    while True:
        batch_sent, batch_failed = deliver_due(BATCH, deadline)
        sent, failed = sent + batch_sent, failed + batch_failed
        if batch_sent + batch_failed < BATCH or _monotonic() >= deadline:
            break
    still_due = 0
    if current_app.config.get("HUB_MAIL_SERVER"):  # without one, nothing is ever sent
        still_due = (
            db.session.scalar(
                select(func.count())
                .select_from(OutboxMail)
                .where(OutboxMail.sent_at.is_(None), OutboxMail.next_attempt_at <= clock().now())
            )
            or 0
        )
    db.session.rollback()
    return Delivered(sent, failed, still_due)


def run_sender(
    loop: bool,
    every: int,
    report: Callable[[str], object],
    write_due: WriteDue = nothing_due,
    max_seconds: float = 300,
) -> None:
    """`flask send-mail [--loop]`: each round, queue what `write_due` finds due (the
    moderators' digest), then deliver due mail until none is left or `max_seconds` have
    passed; once, or every `every` seconds.

    In a loop, an error (the database restarting, say) is logged and the next round tries
    again; between rounds no transaction stays open.
    """
    while True:
        try:
            write_due()
            done = deliver_all_due(max_seconds)
            summary = f"{done.sent} sent, {done.failed} failed (will be retried)"
            if done.still_due:
                then = f"next round in {every} s" if loop else "run again"
                report(f"{summary}, {done.still_due} still due: {then}.")
            else:
                report(f"{summary}.")
        except Exception:
            if not loop:
                raise
            logger.exception("Delivering mail failed; trying again in %s s", every)
        finally:
            _end_transaction()
        if not loop:
            return
        _sleep(every)


def _end_transaction() -> None:
    """Roll back and give the connection back to the pool (it may be broken)."""
    try:
        db.session.close()
    except Exception:  # a dead connection cannot even roll back; the pool replaces it
        logger.exception("Closing the database session failed")
