"""The moderators' team: internal notes on a submission, and who holds each pending item
(claimed, assigned by a colleague, released). Operations flush and audit; the view commits.

Notes are never shown to the submission's owner, even a moderator (they cannot decide on it
either), and never leave the moderation area: no public page, API, open data or export reads
this module's tables except the note author's own data export.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from hub.audit import record
from hub.audit.models import Action
from hub.auth.models import Role, User
from hub.clock import clock
from hub.extensions import db
from hub.i18n import N_
from hub.moderation.models import Assignment, ModeratorNote
from hub.moderation.operations import DECIDABLE, DecisionRefused
from hub.submissions.editors import can_edit
from hub.submissions.models import Submission
from hub.submissions.operations import pending_revision
from hub.submissions.revisions import Revision, RevisionStatus

NOTE_MAX = 2000


def _moderators_only(user: User) -> None:
    if not user.is_moderator:
        raise DecisionRefused(_("Only moderators can do this."), 403)


def notes_hidden(submission: Submission, user: User) -> bool:
    """Whether `user` may not read the notes on `submission`: not a moderator, or one of
    the people the notes are about (its owner or a co-editor)."""
    return not user.is_moderator or can_edit(user, submission)


def notes(submission: Submission) -> list[ModeratorNote]:
    """The notes on a submission, oldest first (the caller checked notes_hidden())."""
    return list(
        db.session.scalars(
            select(ModeratorNote)
            .where(ModeratorNote.submission_id == submission.id)
            .order_by(ModeratorNote.created_at, ModeratorNote.id)
        )
    )


def add_note(submission: Submission, moderator: User, body: str) -> ModeratorNote:
    """Add an internal note; the audit row says a note was added, not what it says."""
    _moderators_only(moderator)
    if notes_hidden(submission, moderator):
        raise DecisionRefused(_("Notes on your own submission are hidden from you."), 403)
    body = body.strip()
    if not body:
        raise DecisionRefused(_("Write the note first."), 422)
    if len(body) > NOTE_MAX:
        raise DecisionRefused(_("A note has at most %(max)d characters.", max=NOTE_MAX), 422)
    note = ModeratorNote(
        submission_id=submission.id, author=moderator, body=body, created_at=clock().now()
    )
    db.session.add(note)
    record(Action.NOTE_ADDED, moderator, submission)
    db.session.flush()
    return note


def holds(submission: Submission) -> bool:
    """Whether an item can be held: it waits for a decision, or an update of it does."""
    return submission.status in DECIDABLE or pending_revision(submission) is not None


def holder(submission: Submission, lock: bool = False) -> Assignment | None:
    """Who holds the item now (row-locked until the commit with `lock`); None when nobody
    does or the item no longer waits for anyone."""
    stmt = select(Assignment).where(Assignment.submission_id == submission.id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    found = db.session.scalar(stmt)
    if found is None or not found.moderator.is_active or not holds(submission):
        return None  # a deactivated or deleted account holds nothing
    return found


def held_by(current: Assignment) -> DecisionRefused:
    """The refusal when someone else holds the item than the page showed."""
    said = N_("%(name)s has held this submission since %(when)s. Nothing was changed.")
    return DecisionRefused(
        _(said, name=current.moderator.display_name, when=clock().format(current.assigned_at)),
        409,
    )


def assign(
    submission: Submission, moderator: User, by: User, seen_holder_id: int | None
) -> Assignment:
    """Give the item to `moderator` (a claim when `by` is the same person).

    `seen_holder_id` is who held it on the page `by` acted from: if someone else holds it
    now (another claim got there first), nothing changes and the refusal names them, so a
    colleague's claim is only ever taken over knowingly.
    """
    _moderators_only(by)
    if not moderator.is_moderator or not moderator.is_active:
        raise DecisionRefused(_("Choose an active moderator."), 422)
    if not holds(submission):
        raise DecisionRefused(_("This submission waits for no decision."), 409)
    if can_edit(moderator, submission):
        said = (
            N_("You cannot take your own submission; ask another moderator.")
            if moderator.id == by.id
            else N_("%(name)s cannot decide on this submission: it is theirs.")
        )
        raise DecisionRefused(_(said, name=moderator.display_name), 403)
    current = holder(submission, lock=True)
    if current is not None and current.moderator_id == moderator.id:
        return current  # a double click: nothing to change or record
    if (current.moderator_id if current else None) != seen_holder_id and current is not None:
        raise held_by(current)
    now = clock().now()
    if current is None:
        # A stale row of an item decided or withdrawn meanwhile goes first.
        db.session.execute(delete(Assignment).where(Assignment.submission_id == submission.id))
        try:
            with db.session.begin_nested():
                current = Assignment(
                    submission_id=submission.id,
                    moderator=moderator,
                    assigned_by=by,
                    assigned_at=now,
                )
                db.session.add(current)
        except IntegrityError:
            # Another moderator's claim committed meanwhile (PostgreSQL let this insert
            # wait for it): theirs stands.
            won = holder(submission, lock=True)
            if won is None:
                raise
            raise held_by(won) from None
    else:
        current.moderator = moderator
        current.assigned_by = by
        current.assigned_at = now
    claimed = moderator.id == by.id
    record(
        Action.CLAIMED if claimed else Action.ASSIGNED,
        by,
        submission,
        subject_user=None if claimed else moderator,
    )
    db.session.flush()
    return current


def release(submission: Submission, by: User, seen_holder_id: int | None) -> None:
    """Give the item back to the team: its holder or an admin may (others take it over)."""
    _moderators_only(by)
    current = holder(submission, lock=True)
    if current is None:
        return  # released or decided meanwhile: nothing to do
    if current.moderator_id != seen_holder_id:
        raise held_by(current)
    if current.moderator_id != by.id and by.role is not Role.ADMIN:
        raise DecisionRefused(_("Only its holder or an admin can release this submission."), 403)
    record(Action.RELEASED, by, submission, subject_user=current.moderator)
    db.session.delete(current)
    db.session.flush()


def pending_condition() -> Any:
    """SQL condition: the submission waits for a decision, or an update of it does (what
    holds() says of one item)."""
    updates = select(Revision.submission_id).where(Revision.status == RevisionStatus.PENDING)
    return or_(Submission.status.in_(DECIDABLE), Submission.id.in_(updates))


def _active_holders() -> Any:
    """Assignments whose moderator can still log in (held items of an account deactivated
    or deleted since are free)."""
    active = select(User.id).where(User.deactivated_at.is_(None), User.deleted_at.is_(None))
    return Assignment.moderator_id.in_(active)


def held_by_condition(moderator_id: int) -> Any:
    """SQL condition: the submission waits for a decision and `moderator_id` holds it."""
    held = select(Assignment.submission_id).where(Assignment.moderator_id == moderator_id)
    return and_(Submission.id.in_(held), pending_condition())


def held_count(moderator_id: int) -> int:
    """How many items waiting for a decision the moderator holds (the "Mine" tab)."""
    stmt = select(func.count()).select_from(Submission).where(held_by_condition(moderator_id))
    return db.session.scalar(stmt) or 0


def holders(submissions: list[Submission]) -> dict[int, Assignment]:
    """Who holds each of these submissions (those waiting for a decision), in one query."""
    ids = [s.id for s in submissions]
    if not ids:
        return {}
    rows = db.session.scalars(
        select(Assignment)
        .join(Submission, Submission.id == Assignment.submission_id)
        .where(Assignment.submission_id.in_(ids), pending_condition(), _active_holders())
    )
    return {a.submission_id: a for a in rows}


def active_moderators() -> list[User]:
    """Moderators and admins who can log in, by name (the choices to assign to)."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.role.in_((Role.MODERATOR, Role.ADMIN)),
                User.deactivated_at.is_(None),
                User.deleted_at.is_(None),
            )
            .order_by(func.lower(User.display_name), User.id)
        )
    )
