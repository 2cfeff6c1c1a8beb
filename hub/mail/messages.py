"""What the hub tells people by e-mail; each function queues into the outbox."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, render_template
from sqlalchemy import select

from hub.auth.models import Role, User
from hub.clock import clock
from hub.extensions import db
from hub.mail.models import OutboxMail
from hub.mail.outbox import queue
from hub.submissions.models import Status, Submission


def url(endpoint: str, **values: object) -> str:
    """An absolute URL on HUB_BASE_URL; works without a request (the sender runs in none)."""
    base = urlsplit(current_app.config["HUB_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc or "localhost",
                                       script_name=base.path.rstrip("/") or "/",
                                       url_scheme=base.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)


def _send(kind: str, to_addr: str, subject: str, template: str, **context: object) -> None:
    body = render_template(f"mail/{template}", url=url, clock=clock(), **context)
    queue(kind, to_addr, subject, body)


def receipt(submission: Submission, resubmitted: bool = False) -> None:
    """Tell the owner their submission arrived."""
    verb = "Resubmitted" if resubmitted else "Received"
    _send("receipt", submission.owner.email, f"{verb}: {submission.title}", "receipt.txt",
          submission=submission, resubmitted=resubmitted)


def decision(submission: Submission, message: str = "") -> None:
    """Tell the owner what a moderator decided (approved, rejected, changes requested)."""
    subjects = {
        Status.APPROVED: "Approved and published",
        Status.REJECTED: "Not accepted",
        Status.CHANGES_REQUESTED: "Changes requested",
    }
    subject = f"{subjects[submission.status]}: {submission.title}"
    _send("decision", submission.owner.email, subject, "decision.txt", submission=submission,
          message=message)


def revision_decision(submission: Submission, approved: bool, message: str) -> None:
    """Tell the owner whether their edit of an approved submission was accepted."""
    subject = f"{'Update published' if approved else 'Update not accepted'}: {submission.title}"
    _send("revision", submission.owner.email, subject, "revision.txt", submission=submission,
          approved=approved, message=message)


def exception_granted(user: User, until_text: str) -> None:
    """Tell a user they may submit late."""
    _send("exception", user.email, "You may submit after the deadline", "exception.txt",
          user=user, until_text=until_text)


def queue_moderator_digest() -> int:
    """Queue one digest to each moderator of items submitted since the last digest.

    At most one digest per HUB_MODERATOR_DIGEST_MINUTES; returns the number queued.
    """
    minutes = int(current_app.config["HUB_MODERATOR_DIGEST_MINUTES"])
    now = clock().now()
    last = db.session.scalar(select(OutboxMail.created_at).where(OutboxMail.kind == "digest")
                             .order_by(OutboxMail.created_at.desc()).limit(1))
    if last is not None:
        last = clock().local(last)  # aware, whatever the backend returned
        if now - last < timedelta(minutes=minutes):
            return 0
    stmt = select(Submission).where(Submission.status == Status.SUBMITTED)
    if last is not None:
        stmt = stmt.where(Submission.submitted_at > last)
    new_items = list(db.session.scalars(stmt.order_by(Submission.submitted_at)))
    if not new_items:
        return 0
    moderators = db.session.scalars(
        select(User).where(User.role.in_([Role.MODERATOR, Role.ADMIN]))).all()
    # With no moderator account yet, nothing is queued: the first digest after one is
    # created announces everything submitted meanwhile.
    subject = f"{len(new_items)} new submission{'s' if len(new_items) > 1 else ''} to review"
    for moderator in moderators:
        _send("digest", moderator.email, subject, "digest.txt", items=new_items)
    return len(moderators)
