"""What the hub tells submitters by e-mail about their own submissions."""

from __future__ import annotations

from hub.mail.outbox import queue_from_template
from hub.submissions.models import Submission


def receipt(submission: Submission, resubmitted: bool = False) -> None:
    """Tell the owner their submission arrived."""
    verb = "Resubmitted" if resubmitted else "Received"
    queue_from_template(
        "receipt",
        submission.owner.email,
        f"{verb}: {submission.title}",
        "receipt.txt",
        submission=submission,
        resubmitted=resubmitted,
    )
