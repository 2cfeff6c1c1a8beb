"""The moderators' team on the review page: internal notes, claiming, assigning, releasing.

Each handler loads, calls an operation of hub/moderation/team.py and commits once; a post
that cannot be applied shows the review page again with why (and the note as typed)."""

from __future__ import annotations

from flask import abort, flash, redirect
from flask_babel import gettext as _
from flask_login import current_user

from hub.auth.models import User
from hub.extensions import db
from hub.forms import csrf_failed, expired_form_notice
from hub.moderation import team
from hub.moderation.forms import HoldForm, NoteForm
from hub.moderation.operations import DecisionRefused
from hub.moderation.pages import current_filters, review_page, url_with_filters
from hub.ratelimit import throttled
from hub.routing import parse_id
from hub.submissions.models import Status, Submission
from hub.templating import Page


def _submission_or_404(submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.status is Status.DRAFT:
        abort(404)  # drafts are private to their owner
    return submission


def _back(submission: Submission, anchor: str) -> Page:
    return redirect(
        url_with_filters(".review", current_filters(), submission_id=submission.id) + anchor
    )


def add_note(submission_id: int) -> Page:
    """Add an internal note for the other moderators."""
    submission = _submission_or_404(submission_id)
    form = NoteForm(prefix="note")
    if (throttle := throttled()) is not None:
        flash(throttle.message, "error")
        return review_page(submission, 429, note_form=form)
    valid = form.validate()
    if csrf_failed(form):
        flash(expired_form_notice(), "error")
        return review_page(submission, 400, note_form=form)
    if team.notes_hidden(submission, current_user):
        valid = True  # add_note() refuses it with the reason, whatever was typed
    if not valid:
        return review_page(submission, 422, note_form=form)
    try:
        team.add_note(submission, current_user, form.body.data or "")
        db.session.commit()
    except DecisionRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return review_page(submission, refused.status, note_form=form)
    flash(_("Note added: only moderators can read it."), "success")
    return _back(submission, "#notes")


def _hold(submission_id: int, action: str) -> Page:
    """Claim, assign or release, as the button pressed says."""
    submission = _submission_or_404(submission_id)
    form = HoldForm()
    seen = parse_id(form.holder.data)
    try:
        if action == "release":
            team.release(submission, current_user, seen)
            done = _("Released: any moderator can take it.")
        else:
            chosen = current_user if action == "claim" else _moderator(form.moderator.data)
            held = team.assign(submission, chosen, current_user, seen)
            done = (
                _("You hold this submission now.")
                if held.moderator_id == current_user.id
                else _("Assigned to %(name)s.", name=held.moderator.display_name)
            )
        db.session.commit()
    except DecisionRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        db.session.refresh(submission)
        return review_page(submission, refused.status)
    flash(done, "success")
    return _back(submission, "#holder")


def _moderator(value: str | None) -> User:
    user = db.session.get(User, parse_id(value) or 0)
    if user is None:
        raise DecisionRefused(_("Choose an active moderator."), 422)
    return user


def claim(submission_id: int) -> Page:
    """Take a pending item (knowingly over a colleague's hold: the page said who had it)."""
    return _hold(submission_id, "claim")


def assign(submission_id: int) -> Page:
    """Give a pending item to a colleague."""
    return _hold(submission_id, "assign")


def release(submission_id: int) -> Page:
    """Give back an item one holds."""
    return _hold(submission_id, "release")
