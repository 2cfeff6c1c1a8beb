"""What the hub tells submitters by e-mail about their own submissions."""

from __future__ import annotations

from flask_babel import force_locale, gettext

from hub.i18n import DEFAULT
from hub.mail.outbox import queue_from_template
from hub.submissions.models import Submission


def receipt(submission: Submission, resubmitted: bool = False) -> None:
    """Tell the owner their submission arrived (in the owner's language)."""
    with force_locale(submission.owner.language or DEFAULT):
        subject = (
            gettext("Resubmitted: %(title)s", title=submission.title)
            if resubmitted
            else gettext("Received: %(title)s", title=submission.title)
        )
        queue_from_template(
            "receipt",
            submission.owner.email,
            subject,
            "receipt.txt",
            submission=submission,
            resubmitted=resubmitted,
        )
