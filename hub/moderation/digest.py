"""The moderators' digest: one mail per period announcing the items waiting for review.

Mail delivery does not know it: create_app hands write_due_digest() to hub.mail for the
deliveries after responses, and the `send-mail` command runs it before each delivery.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale, ngettext
from sqlalchemy import and_, exists, func, insert, literal, select, text

from hub.auth.models import Role, User
from hub.clock import clock
from hub.extensions import UTCDateTime, db
from hub.i18n import DEFAULT
from hub.mail.outbox import queue_from_template
from hub.moderation.models import DigestItem
from hub.submissions.models import Status, Submission

# With the other mail: operators follow the outbox in the "hub.mail" log.
logger = logging.getLogger("hub.mail")

# Any constant both runs agree on: the PostgreSQL advisory lock that serialises digests.
DIGEST_LOCK = 0x4855_4244  # "HUBD"


def _take_digest_lock() -> None:
    """One digest run at a time, until this transaction ends.

    PostgreSQL: an advisory lock (a second run waits, then sees the first one's digest).
    SQLite: the write lock, taken when the transaction begins (BEGIN IMMEDIATE), so the
    transaction must not have begun yet.
    """
    conn = db.session.connection(execution_options={"hub_write_lock": True})
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": DIGEST_LOCK})


# A submission waiting for review that no digest announced yet (in this round of review).
_NOT_ANNOUNCED = (Submission.status == Status.SUBMITTED) & ~exists().where(
    DigestItem.submission_id == Submission.id, DigestItem.submitted_at == Submission.submitted_at
)
# Active staff who keep the digest on (the account page's notification settings); a
# deactivated (or deleted) moderator is told nothing more about submissions.
_DIGEST_READER = and_(
    User.role.in_([Role.MODERATOR, Role.ADMIN]),
    User.notify_digest.is_(True),
    User.deactivated_at.is_(None),
    User.deleted_at.is_(None),
)


def _digest_sent_recently(now: datetime) -> bool:
    """Whether a digest went out less than HUB_MODERATOR_DIGEST_MINUTES ago."""
    minutes = int(current_app.config["HUB_MODERATOR_DIGEST_MINUTES"])
    last = db.session.scalar(select(func.max(DigestItem.announced_at)))
    return last is not None and now - clock().local(last) < timedelta(minutes=minutes)


def digest_due() -> bool:
    """Whether queue_moderator_digest() would queue a digest now: read only and without its
    lock, so a caller can check cheaply and often (the digest itself checks again)."""
    if _digest_sent_recently(clock().now()):
        return False
    return bool(
        db.session.scalar(select(exists().where(_NOT_ANNOUNCED)))
        and db.session.scalar(select(exists().where(_DIGEST_READER)))
    )


def queue_moderator_digest() -> int:
    """Queue one digest to each moderator of the items not announced yet.

    At most one digest per HUB_MODERATOR_DIGEST_MINUTES; each item (each round of review:
    a resubmission is announced again) is announced exactly once, however many processes
    run this at the same moment and however late a submission's request committed.
    Call it at the start of a transaction. Returns the number of mails queued.
    """
    _take_digest_lock()
    now = clock().now()
    if _digest_sent_recently(now):
        return 0
    new_items = list(
        db.session.scalars(
            select(Submission)
            .where(_NOT_ANNOUNCED)
            .order_by(Submission.submitted_at, Submission.id)
        )
    )
    if not new_items:
        return 0
    moderators = db.session.scalars(select(User).where(_DIGEST_READER)).all()
    if not moderators:  # nothing is marked: the first digest after one exists says it all
        return 0
    # The submission instant is copied in SQL, so the marker matches the row exactly.
    db.session.execute(
        insert(DigestItem).from_select(
            ["submission_id", "submitted_at", "announced_at"],
            select(Submission.id, Submission.submitted_at, literal(now, UTCDateTime())).where(
                Submission.id.in_([item.id for item in new_items])
            ),
        )
    )
    for moderator in moderators:  # each in the moderator's own language
        with force_locale(moderator.language or DEFAULT):
            subject = ngettext(
                "%(num)d new submission to review",
                "%(num)d new submissions to review",
                len(new_items),
            )
            queue_from_template("digest", moderator.email, subject, "digest.txt", items=new_items)
    db.session.flush()
    return len(moderators)


def write_due_digest() -> int:
    """Queue and commit the moderators' digest if one is due; the number of mails queued.

    Without an SMTP server too: the digest is then kept in the outbox and logged like any
    mail. A read-only check comes first because most runs find nothing due, and the digest's
    lock (SQLite's write lock) would hold up every other writer meanwhile.
    """
    if db.session.in_transaction():
        db.session.commit()  # the digest takes its lock as its transaction begins
    try:
        due = digest_due()
        db.session.rollback()  # end the read: the lock must begin the digest's transaction
        if not due:
            return 0
        queued = queue_moderator_digest()
        db.session.commit()
        return queued
    except Exception:  # the digest must never keep the other mail from going out
        db.session.rollback()
        logger.exception("Queueing the moderators' digest failed; it is tried again next run")
        return 0
