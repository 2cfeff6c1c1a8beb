"""What moderators' decisions tell people by e-mail; each function queues into the outbox."""

from __future__ import annotations

from datetime import datetime

from hub.auth.models import User
from hub.mail.outbox import queue_from_template
from hub.submissions.models import Status, Submission

DECISION_SUBJECTS = {
    Status.APPROVED: "Approved and published",
    Status.REJECTED: "Not accepted",
    Status.CHANGES_REQUESTED: "Changes requested",
}


def decision(
    submission: Submission, message: str = "", revisions_until: datetime | None = None
) -> None:
    """Tell the owner what a moderator decided (approved, rejected, changes requested);
    `revisions_until` is their last instant to resubmit (None = no limit)."""
    queue_from_template(
        "decision",
        submission.owner.email,
        f"{DECISION_SUBJECTS[submission.status]}: {submission.title}",
        "decision.txt",
        submission=submission,
        message=message,
        revisions_until=revisions_until,
    )


def revision_decision(submission: Submission, approved: bool, message: str) -> None:
    """Tell the owner whether their edit of an approved submission was accepted."""
    subject = f"{'Update published' if approved else 'Update not accepted'}: {submission.title}"
    queue_from_template(
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
    queue_from_template(
        "exception",
        user.email,
        "You may submit after the deadline",
        "exception.txt",
        user=user,
        until_text=until_text,
    )
