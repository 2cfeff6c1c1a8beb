"""What the hub tells people by e-mail; each function queues into the outbox."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app, render_template
from sqlalchemy import exists, func, insert, literal, select, text

from hub.auth.models import Role, User
from hub.clock import clock
from hub.extensions import UTCDateTime, db
from hub.mail.models import DigestItem
from hub.mail.outbox import queue
from hub.submissions.models import Status, Submission


def url(endpoint: str, **values: object) -> str:
    """An absolute URL on HUB_BASE_URL; works without a request (the sender runs in none)."""
    base = urlsplit(current_app.config["HUB_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc or "localhost",
        script_name=base.path.rstrip("/") or "/",
        url_scheme=base.scheme or "http",
    )
    return adapter.build(endpoint, values, force_external=True)


def _send(kind: str, to_addr: str, subject: str, template: str, **context: object) -> None:
    body = render_template(f"mail/{template}", url=url, clock=clock(), **context)
    queue(kind, to_addr, subject, body)


def receipt(submission: Submission, resubmitted: bool = False) -> None:
    """Tell the owner their submission arrived."""
    verb = "Resubmitted" if resubmitted else "Received"
    _send(
        "receipt",
        submission.owner.email,
        f"{verb}: {submission.title}",
        "receipt.txt",
        submission=submission,
        resubmitted=resubmitted,
    )


def decision(
    submission: Submission, message: str = "", revisions_until: datetime | None = None
) -> None:
    """Tell the owner what a moderator decided (approved, rejected, changes requested);
    `revisions_until` is their last instant to resubmit (None = no limit)."""
    subjects = {
        Status.APPROVED: "Approved and published",
        Status.REJECTED: "Not accepted",
        Status.CHANGES_REQUESTED: "Changes requested",
    }
    subject = f"{subjects[submission.status]}: {submission.title}"
    _send(
        "decision",
        submission.owner.email,
        subject,
        "decision.txt",
        submission=submission,
        message=message,
        revisions_until=revisions_until,
    )


def revision_decision(submission: Submission, approved: bool, message: str) -> None:
    """Tell the owner whether their edit of an approved submission was accepted."""
    subject = f"{'Update published' if approved else 'Update not accepted'}: {submission.title}"
    _send(
        "revision",
        submission.owner.email,
        subject,
        "revision.txt",
        submission=submission,
        approved=approved,
        message=message,
    )


def exception_granted(user: User, until_text: str) -> None:
    """Tell a user they may submit late."""
    _send(
        "exception",
        user.email,
        "You may submit after the deadline",
        "exception.txt",
        user=user,
        until_text=until_text,
    )


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
_MODERATOR = User.role.in_([Role.MODERATOR, Role.ADMIN])


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
        and db.session.scalar(select(exists().where(_MODERATOR)))
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
    moderators = db.session.scalars(select(User).where(_MODERATOR)).all()
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
    subject = f"{len(new_items)} new submission{'s' if len(new_items) > 1 else ''} to review"
    for moderator in moderators:
        _send("digest", moderator.email, subject, "digest.txt", items=new_items)
    db.session.flush()
    return len(moderators)
