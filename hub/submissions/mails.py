"""What the hub tells submitters by e-mail about their submissions: everyone on a submission
(its owner and co-editors) gets their own copy, in their own language."""

from __future__ import annotations

from flask_babel import force_locale, gettext

from hub.i18n import DEFAULT
from hub.mail.outbox import queue_from_template
from hub.submissions.editors import everyone_on
from hub.submissions.models import Submission


def receipt(submission: Submission, resubmitted: bool = False) -> None:
    """Tell everyone on the submission that it arrived (each in their language)."""
    for person in everyone_on(submission):
        with force_locale(person.language or DEFAULT):
            subject = (
                gettext("Resubmitted: %(title)s", title=submission.title)
                if resubmitted
                else gettext("Received: %(title)s", title=submission.title)
            )
            queue_from_template(
                "receipt",
                person.email,
                subject,
                "receipt.txt",
                submission=submission,
                resubmitted=resubmitted,
                recipient=person,
            )
