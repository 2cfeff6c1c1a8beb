"""Co-editor request handlers: invite, answer an invitation, remove, leave, hand over.

The URL map is in blueprint.py; the changes are in invitations.py (they flush and audit),
the page of a submission with its people in pages.detail_page. Someone with no part in a
submission gets a 404 (as for its other pages); a co-editor trying what only the owner may
do gets a 403 page that says so.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from hub.auth.models import User
from hub.errors import render_error
from hub.extensions import db
from hub.forms import csrf_failed, expired_form_notice
from hub.ratelimit import throttled
from hub.routing import parse_id
from hub.submissions.controllers import own_or_404
from hub.submissions.editors import (
    INVITE_DAYS,
    Invitation,
    editor_row,
    is_owner,
)
from hub.submissions.forms import InviteForm
from hub.submissions.invitations import (
    InvitationProblem,
    Refused,
    accept,
    decline,
    hand_over,
    invite,
    read_invitation_token,
    remove_editor,
    revoke,
    set_public_contact,
    why_cannot_accept,
)
from hub.submissions.models import Submission
from hub.submissions.pages import detail_page
from hub.templating import Page

# What a link that does nothing says, and its status: 400 for a link that never worked,
# 410 for one that worked once.
PROBLEMS = {
    InvitationProblem.INVALID: (
        _l("This invitation link is not valid"),
        _l(
            "The link is not valid: perhaps it was cut short when it was copied. Open the "
            "whole link from the e-mail, or copy all of it into the address bar."
        ),
        400,
    ),
    InvitationProblem.EXPIRED: (
        _l("This invitation has expired"),
        _l(
            "Invitations work for %(days)s days and this one has expired. Ask the person who "
            "invited you to send a new one.",
            days=INVITE_DAYS,
        ),
        410,
    ),
    InvitationProblem.USED: (
        _l("This invitation has already been answered"),
        _l("This invitation was already accepted or declined; the link works only once."),
        410,
    ),
    InvitationProblem.REVOKED: (
        _l("This invitation was withdrawn"),
        _l("The owner of the submission took this invitation back (or sent a newer one)."),
        410,
    ),
}


def _refused(refusal: Refused) -> Response:
    """The page for a change that cannot be made: the reason, with its status."""
    db.session.rollback()
    return render_error(refusal.status, str(refusal))


@login_required
def invite_view(submission_id: int) -> Page:
    """Invite a colleague by e-mail (the owner only)."""
    submission = own_or_404(submission_id)
    if not is_owner(current_user, submission):
        return render_error(403, _("Only the owner of a submission can invite co-editors."))
    form = InviteForm()
    if (throttle := throttled()) is not None:
        flash(throttle.message, "error")
        return detail_page(submission, 429, form)
    if not form.validate_on_submit():
        if csrf_failed(form):  # a file where text belongs: refused whole, the text kept
            flash(expired_form_notice(), "error")
            return detail_page(submission, 400, form)
        return detail_page(submission, 422, form)
    try:
        invite(submission, form.email.data, current_user)
        db.session.commit()
    except Refused as refusal:
        db.session.rollback()
        form.email.errors = [str(refusal)]
        return detail_page(submission, refusal.status if refusal.status != 409 else 422, form)
    except IntegrityError:  # the same address invited at the same moment (two tabs)
        db.session.rollback()
        form.email.errors = [_("This address was just invited. Reload the page.")]
        return detail_page(submission, 409, form)
    flash(_("Invitation sent to %(email)s.", email=form.email.data.strip().lower()), "success")
    return redirect(url_for(".detail", submission_id=submission.id, _anchor="people"))


@login_required
def revoke_view(submission_id: int, invitation_id: int) -> Page:
    """Take back a pending invitation (the owner only)."""
    submission = own_or_404(submission_id)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.submission_id != submission.id:
        return render_error(404)
    try:
        revoke(invitation, current_user)
        db.session.commit()
    except Refused as refusal:
        return _refused(refusal)
    flash(_("Invitation to %(email)s revoked.", email=invitation.email), "success")
    return redirect(url_for(".detail", submission_id=submission.id, _anchor="people"))


def _person(submission_id: int) -> tuple[Submission, User] | Response:
    """The submission (the current user is on it) and the co-editor named in the post, or
    the page saying there is no such co-editor."""
    submission = own_or_404(submission_id)
    person_id = parse_id(request.form.get("user_id", ""))
    person = db.session.get(User, person_id) if person_id is not None else None
    if person is None or editor_row(person, submission) is None:
        return render_error(409, _("This person is not a co-editor of this submission."))
    return submission, person


@login_required
def remove_view(submission_id: int) -> Page:
    """Take a co-editor off the submission (the owner), or leave it (a co-editor)."""
    found = _person(submission_id)
    if isinstance(found, Response):
        return found
    submission, person = found
    try:
        remove_editor(submission, person, current_user)
        db.session.commit()
    except Refused as refusal:
        return _refused(refusal)
    if person.id == current_user.id:
        flash(_("You left “%(title)s”.", title=submission.title or _("Untitled draft")), "success")
        return redirect(url_for(".mine"))
    flash(_("%(name)s is no longer a co-editor.", name=person.display_name), "success")
    return redirect(url_for(".detail", submission_id=submission_id, _anchor="people"))


@login_required
def hand_over_view(submission_id: int) -> Page:
    """Make a co-editor the owner (the owner only); the old owner stays as a co-editor."""
    found = _person(submission_id)
    if isinstance(found, Response):
        return found
    submission, person = found
    try:
        hand_over(submission, person, current_user)
        db.session.commit()
    except Refused as refusal:
        return _refused(refusal)
    flash(
        _("%(name)s now owns this submission; you are a co-editor.", name=person.display_name),
        "success",
    )
    return redirect(url_for(".detail", submission_id=submission_id, _anchor="people"))


@login_required
def public_contact_view(submission_id: int) -> Page:
    """A co-editor chooses whether the public page lists them as a contact."""
    submission = own_or_404(submission_id)
    row = editor_row(current_user, submission)
    if row is None:
        return render_error(
            409, _("Only co-editors choose this; the owner's public contact is in the form.")
        )
    listed = request.form.get("listed") == "1"
    set_public_contact(row, listed)
    db.session.commit()
    flash(
        _("You are listed as a public contact.")
        if listed
        else _("You are no longer listed as a public contact."),
        "success",
    )
    return redirect(url_for(".detail", submission_id=submission_id, _anchor="people"))


def invitation(token: str) -> Page:
    """The mailed link: who invites whom to what; buttons accept or decline (mail scanners
    open links too, so opening it changes nothing)."""
    found = read_invitation_token(token)
    if isinstance(found, InvitationProblem):
        title, explanation, status = PROBLEMS[found]
        return render_template(
            "submissions/invitation_problem.html", title=title, explanation=explanation
        ), status
    user = current_user if current_user.is_authenticated else None
    problem = why_cannot_accept(found, user) if user is not None else None
    if request.method == "GET":
        return _invitation_page(found, token, problem, 403 if problem else 200)
    if request.form.get("action") == "decline":
        decline(found, user)
        db.session.commit()
        flash(_("You declined the invitation. Nothing else was changed."), "info")
        return redirect(url_for("public.home"))
    if user is None:  # a post without a login: the page asks to log in first
        return _invitation_page(found, token, None, 401)
    try:
        accept(found, user)
        db.session.commit()
    except Refused as refusal:
        db.session.rollback()
        return _invitation_page(found, token, str(refusal), refusal.status)
    except IntegrityError:  # accepted at the same moment in another tab
        db.session.rollback()
    flash(_("You are now a co-editor of this submission."), "success")
    return redirect(url_for(".detail", submission_id=found.submission_id))


def _invitation_page(found: Invitation, token: str, problem: str | None, status: int) -> Page:
    """The invitation, with what the visitor can do: log in, register, accept, decline."""
    return render_template(
        "submissions/invitation.html",
        invitation=found,
        token=token,
        problem=problem,
        here=url_for(".invitation", token=token),
    ), status
