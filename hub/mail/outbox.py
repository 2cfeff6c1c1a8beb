"""The outbox: mails queued in the caller's transaction, sent only if it commits.

The areas write their own messages (hub/submissions/mails.py, hub/moderation/mails.py)
with queue_from_template(); delivery is hub/mail/delivery.py.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from email.utils import make_msgid, parseaddr

from flask import current_app, g, render_template
from sqlalchemy import select

from hub.clock import clock
from hub.extensions import db
from hub.mail.models import OutboxMail
from hub.routing import public_url

logger = logging.getLogger("hub.mail")

_HEADER_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

# The domain of deleted accounts' pseudonymous addresses (hub/privacy/deletion.py): `.invalid`
# is reserved (RFC 2606) and never delivers; a mail to it is not even queued.
DELETED_DOMAIN = "deleted.invalid"


def queue(
    kind: str,
    to_addr: str,
    subject: str,
    body: str,
    headers: dict[str, str] | None = None,
    *,
    reply_to: str = "",
    ephemeral: bool = False,
) -> OutboxMail | None:
    """Add a mail to the outbox in the current transaction (sent only if it commits); None
    for a deleted account, which no mail reaches (a decision on a submission it left).
    `headers` are added to the message as they are (one line each), `reply_to` as Reply-To;
    an `ephemeral` mail is deleted once delivered, and its body is never logged."""
    if to_addr.endswith("@" + DELETED_DOMAIN):
        logger.info("Mail (%s) not queued: %s is a deleted account", kind, to_addr)
        return None
    domain = parseaddr(current_app.config["HUB_MAIL_SENDER"])[1].rpartition("@")[2] or "hub"
    # A header is one line: a title pasted with a line break must not end it (or add one).
    subject = one_line_header(subject)
    mail = OutboxMail(
        kind=kind,
        to_addr=to_addr,
        subject=subject[:300],
        body=body,
        message_id=make_msgid(domain=domain),
        created_at=clock().now(),
        next_attempt_at=clock().now(),
        headers={
            name: one_line_header(value)
            for name, value in {
                **(headers or {}),
                **({"Reply-To": reply_to} if reply_to else {}),
            }.items()
        },
        ephemeral=ephemeral,
    )
    db.session.add(mail)
    g.hub_mail_queued = True
    if current_app.config.get("HUB_MAIL_SERVER"):
        logger.info("Mail queued (%s) to %s: %s", kind, to_addr, subject)
    elif ephemeral:  # someone's private message: not copied into a log
        logger.info("Mail kept in outbox (no HUB_MAIL_SERVER) to %s: %s", to_addr, subject)
    else:  # no SMTP server: the log is where an operator reads what would have gone out
        logger.info(
            "Mail kept in outbox (no HUB_MAIL_SERVER) to %s: %s\n%s", to_addr, subject, body
        )
    return mail


def one_line_header(value: str) -> str:
    """A header value on one line: no control character can end it or add another header."""
    return " ".join(_HEADER_UNSAFE.sub(" ", value).split())


def queue_from_template(
    kind: str,
    to_addr: str,
    subject: str,
    template: str,
    headers: dict[str, str] | None = None,
    *,
    reply_to: str = "",
    ephemeral: bool = False,
    **context: object,
) -> OutboxMail | None:
    """Queue a mail whose body is templates/mail/`template`, which gets `url` (absolute
    links on HUB_BASE_URL: hub.routing.public_url) and `clock`."""
    body = render_template(f"mail/{template}", url=public_url, clock=clock(), **context)
    return queue(kind, to_addr, subject, body, headers, reply_to=reply_to, ephemeral=ephemeral)


def forget_ephemeral(created_before: datetime) -> int:
    """Delete the ephemeral mails queued before `created_before`, delivered or not (mail
    that could not be delivered by then is given up); the number deleted. Flushes only."""
    found = db.session.scalars(
        select(OutboxMail).where(
            OutboxMail.ephemeral.is_(True), OutboxMail.created_at < created_before
        )
    ).all()
    for mail in found:
        db.session.delete(mail)
    db.session.flush()
    return len(found)
