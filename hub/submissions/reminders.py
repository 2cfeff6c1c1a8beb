"""Reminders before the cutoff to the people on drafts not yet submitted (`send-reminders`).

HUB_REMINDER_DAYS lists thresholds in days before the cutoff (e.g. 7 and 1). A threshold
is due for a draft and a person from `deadline - days` until the deadline, where the
deadline is the person's own: the cutoff, or their later deadline exception (they have
more time, so they are reminded before *their* deadline). Each threshold is sent at most
once per draft and person: a `draft_reminders` row with a unique key records it, in the
same transaction as the mail, so two cron runs or two servers cannot both send it. When
several thresholds are due at once (the cron was down), one mail goes, for the nearest,
and the farther ones are recorded as done: nobody gets two mails at once. One person gets
one mail per run naming all their drafts due.

The owner and each co-editor are reminded, in their own language, if their address is
confirmed (only they can submit), the account is neither deleted nor deactivated, and
they did not turn reminders off (`users.notify_reminders`, the link in every reminder).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from hub.auth.models import User
from hub.auth.tokens import stop_reminders_token
from hub.clock import Phase, clock
from hub.config import MAX_REMINDER_DAYS
from hub.extensions import Base, UTCDateTime, db, utcnow
from hub.i18n import DEFAULT
from hub.mail.outbox import queue_from_template
from hub.routing import public_url
from hub.submissions.deadlines import personal_deadline
from hub.submissions.editors import everyone_on
from hub.submissions.models import Status, Submission

logger = logging.getLogger("hub.submissions")


class DraftReminder(Base):
    """A threshold done for a draft and a person: mailed, or passed over for a nearer one."""

    __tablename__ = "draft_reminders"
    __table_args__ = (
        UniqueConstraint("submission_id", "user_id", "days", name="uq_draft_reminder"),
        CheckConstraint(f"days BETWEEN 1 AND {MAX_REMINDER_DAYS}", name="days_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    days: Mapped[int]
    done_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # False: recorded without a mail because a nearer threshold was due at the same time.
    mailed: Mapped[bool]


@dataclass
class Due:
    """What one person is to be reminded of: their deadline and drafts, and the
    thresholds to record (draft id, days, mailed)."""

    person: User
    deadline: datetime
    drafts: list[Submission] = field(default_factory=list)
    rows: list[tuple[int, int, bool]] = field(default_factory=list)


def wants_reminders(person: User) -> bool:
    """Whether reminders may reach this account at all."""
    return (
        person.notify_reminders
        and person.is_confirmed
        and person.deleted_at is None
        and person.deactivated_at is None
    )


def due_reminders() -> list[Due]:
    """Who is to be reminded of which drafts now (reads only)."""
    c = clock()
    thresholds = current_app.config["HUB_REMINDER_DAYS"]
    now = c.now()
    if not thresholds or c.close_at is None or c.phase(now) is Phase.NOT_YET_OPEN:
        return []
    # A deadline exception only moves a deadline later: before the farthest threshold of
    # the cutoff nothing is due for anyone (most runs of the call end here, reading nothing).
    if now < c.close_at - timedelta(days=max(thresholds)):
        return []
    drafts = db.session.scalars(
        select(Submission).where(Submission.status == Status.DRAFT).order_by(Submission.id)
    ).all()
    done = {
        (row.submission_id, row.user_id, row.days)
        for row in db.session.scalars(
            select(DraftReminder).where(DraftReminder.submission_id.in_([d.id for d in drafts]))
        )
    }
    deadlines: dict[int, datetime | None] = {}
    people: dict[int, Due] = {}
    for draft in drafts:
        for person in everyone_on(draft):
            if not wants_reminders(person):
                continue
            if person.id not in deadlines:
                deadlines[person.id] = personal_deadline(person)
            deadline = deadlines[person.id]
            if deadline is None or now >= deadline:
                continue
            due = [days for days in thresholds if now >= deadline - timedelta(days=days)]
            pending = [days for days in due if (draft.id, person.id, days) not in done]
            if not pending:
                continue
            entry = people.setdefault(person.id, Due(person, deadline))
            nearest = min(due)
            # The nearest threshold already sent (HUB_REMINDER_DAYS changed since): the
            # farther ones are only recorded.
            if nearest in pending:
                entry.drafts.append(draft)
            entry.rows.extend((draft.id, days, days == nearest) for days in pending)
    return list(people.values())


def _remind(entry: Due) -> None:
    """Record the thresholds and queue one mail naming the drafts (if any is to be mailed),
    in the person's language, with its one-click opt-out."""
    person = entry.person
    for draft_id, days, mailed in entry.rows:
        db.session.add(
            DraftReminder(
                submission_id=draft_id,
                user_id=person.id,
                days=days,
                mailed=mailed,
                done_at=clock().now(),
            )
        )
    db.session.flush()  # a row another run wrote fails here, before any mail is queued
    if not entry.drafts:
        return
    stop_url = public_url("auth.stop_reminders", token=stop_reminders_token(person))
    with force_locale(person.language or DEFAULT):
        subject = gettext(
            "Reminder: submissions close on %(when)s", when=clock().format(entry.deadline)
        )
        queue_from_template(
            "reminder",
            person.email,
            subject,
            "reminder.txt",
            headers={
                "List-Unsubscribe": f"<{stop_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
            recipient=person,
            drafts=entry.drafts,
            deadline=entry.deadline,
            stop_url=stop_url,
        )


@dataclass(frozen=True)
class Sent:
    """What a run of `send-reminders` did."""

    mails: int
    drafts: int
    taken: int  # people whose reminders another run recorded first


def send_due_reminders() -> Sent:
    """Queue the reminders due now, each person in a transaction of their own (committed
    here: a batch, like the moderators' digest, not a request); idempotent."""
    plan = due_reminders()
    db.session.rollback()  # end the read: each person's write begins its own transaction
    mails = drafts = taken = 0
    for entry in plan:
        try:
            _remind(entry)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # another run recorded (and mailed) these first
            taken += 1
            logger.info("Reminders of account %s already sent by another run", entry.person.id)
            continue
        if entry.drafts:
            mails += 1
            drafts += len(entry.drafts)
            logger.info(
                "Reminder queued to account %s for drafts %s",
                entry.person.id,
                [d.id for d in entry.drafts],
            )
    return Sent(mails, drafts, taken)
