"""What moderators' decisions tell people by e-mail; each function queues into the outbox."""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from hub.auth.models import User
from hub.clock import clock
from hub.i18n import DEFAULT
from hub.mail.outbox import queue_from_template
from hub.submissions.editors import everyone_on
from hub.submissions.models import Status, Submission

DECISION_SUBJECTS = {
    Status.APPROVED: _l("Approved and published: %(title)s"),
    Status.REJECTED: _l("Not accepted: %(title)s"),
    Status.CHANGES_REQUESTED: _l("Changes requested: %(title)s"),
}


def decision(
    submission: Submission, message: str = "", revisions_until: datetime | None = None
) -> None:
    """Tell everyone on the submission what a moderator decided (approved, rejected, changes
    requested); `revisions_until` is the last instant to resubmit (None = no limit)."""
    for person in everyone_on(submission):
        with force_locale(person.language or DEFAULT):
            queue_from_template(
                "decision",
                person.email,
                str(DECISION_SUBJECTS[submission.status]) % {"title": submission.title},
                "decision.txt",
                submission=submission,
                message=message or submission.decision_text,  # a duplicate's: in their language
                revisions_until=revisions_until,
                recipient=person,
            )


def revision_decision(submission: Submission, approved: bool, message: str) -> None:
    """Tell everyone on the submission whether the edit of its approved text was accepted."""
    for person in everyone_on(submission):
        with force_locale(person.language or DEFAULT):
            subject = (
                gettext("Update published: %(title)s", title=submission.title)
                if approved
                else gettext("Update not accepted: %(title)s", title=submission.title)
            )
            queue_from_template(
                "revision",
                person.email,
                subject,
                "revision.txt",
                submission=submission,
                approved=approved,
                message=message,
                recipient=person,
            )


def exception_granted(user: User, until: datetime) -> None:
    """Tell a user they may submit late (the date written in their language)."""
    with force_locale(user.language or DEFAULT):
        until_text = clock().format(until)
        queue_from_template(
            "exception",
            user.email,
            gettext("You may submit after the deadline"),
            "exception.txt",
            user=user,
            until_text=until_text,
        )


def time_request_declined(user: User, message: str) -> None:
    """Tell a user the moderators declined their request for more time, and why."""
    with force_locale(user.language or DEFAULT):
        queue_from_template(
            "time_request",
            user.email,
            gettext("Your request for more time"),
            "time_request.txt",
            user=user,
            message=message,
        )
