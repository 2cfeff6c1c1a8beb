"""Submission request handlers: load, check access, call an operation, commit once.

The URL map is in blueprint.py; pages.py builds the pages, refused.py answers posts that
cannot be applied. Committing a change also queues its search index update (an after_flush
listener, hub/search/queue.py) and its mail, in the same transaction.
"""

from __future__ import annotations

import secrets
from datetime import date

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict

from hub import ratelimit
from hub.auth.parking import parkable, unpark_post
from hub.errors import render_error
from hub.extensions import csrf, db
from hub.submissions.deadlines import SubmissionsClosed
from hub.submissions.editors import can_edit, submissions_of
from hub.submissions.fields import CONTENT_FIELDS
from hub.submissions.forms import FORMS, Checked, SubmissionForm, form_token_or_none
from hub.submissions.keeping import by_form_token, form_token_used
from hub.submissions.logos import change_logo
from hub.submissions.models import Status, Submission
from hub.submissions.operations import (
    content_for,
    create_submission,
    update_submission,
    withdraw_submission,
)
from hub.submissions.pages import (
    EMPTY_POST,
    LANGUAGE_SWITCHED,
    RESTORED,
    SENT_TWICE,
    detail_page,
    form_page,
    new_form_url,
    prefilled_form,
    similar_page,
    withdraw_conflict,
)
from hub.submissions.refused import refused_or_invalid
from hub.submissions.revisions import Revision
from hub.templating import Page
from hub.vocab import KINDS

# What a form posted after its login expired keeps for later: what was typed and which
# button was pressed.
PARKED_FIELDS = (*CONTENT_FIELDS, "form_token", "action")


def own_or_404(submission_id: int) -> Submission:
    """A submission the current user owns or co-edits, or 404 (never reveal that someone
    else's exists)."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or not can_edit(current_user, submission):
        abort(404)
    return submission


def _checked(form: SubmissionForm, submission: Submission | None, submitting: bool) -> Checked:
    """Validate the post once: in full when submitting, or once the item is past draft."""
    draft = submission is None or submission.status is Status.DRAFT
    return form.check(full=submitting or not draft, draft=draft)


def _restored_form(
    kind: str, submission: Submission | None = None, token: str | None = None
) -> Page | None:
    """The form refilled with what this browser posted before its login expired, if any."""
    data = unpark_post(session.pop("parked_post", None), request.path)
    if data is None:
        return None
    db.session.commit()
    form = FORMS[kind](formdata=MultiDict([(k, v) for k, values in data.items() for v in values]))
    if not form.form_token.data and submission is None:
        form.form_token.data = token or secrets.token_urlsafe(24)
    if session.pop("parked_reason", None) == "language":  # not an error: a switch of language
        return form_page(form, kind, submission, 200, LANGUAGE_SWITCHED, notice_class="notice-info")
    return form_page(form, kind, submission, 200, RESTORED)


def _same_post(earlier: Submission, form: SubmissionForm) -> bool:
    """Whether this post repeats what the earlier post of its form stored."""
    typed = {k: _plain(v) for k, v in content_for(earlier.kind, form.raw_content()).items()}
    stored = {k: _plain(getattr(earlier, k)) for k in typed}
    return typed in (stored, earlier.kept_changes)


def _plain(value: object) -> object:
    """A value as JSON content holds it (dates as ISO text, lists as lists)."""
    if isinstance(value, date):
        return value.isoformat()
    return list(value) if isinstance(value, list | tuple) else value


def _arrived_empty() -> bool:
    """Whether a post carries no field at all: a browser always sends the form's fields (if
    only empty) and its button, so this is a truncated or forged post, which must not blank
    a draft."""
    return not request.form


@login_required
def choose_kind() -> str:
    """Pick what kind of contribution to write."""
    return render_template("submissions/choose.html", kinds=KINDS)


# The submission forms check CSRF themselves (form-level) so a stale token re-shows the
# text instead of a bare error page.
@csrf.exempt
@login_required
@parkable(*PARKED_FIELDS)
def new(kind: str) -> Page:
    """Write a new submission; save it as a draft or submit it."""
    if kind not in FORMS:
        abort(404)
    if request.method == "GET":
        return _new_form(kind)
    if _arrived_empty():
        return render_error(400, EMPTY_POST)
    form = FORMS[kind]()
    earlier = by_form_token(current_user, form.form_token.data)
    if earlier is not None:  # the same form posted again (double click, back + resend)
        if _same_post(earlier, form):
            flash(_("This form was already saved; here is the result."), "info")
            return redirect(url_for(".detail", submission_id=earlier.id))
        # Changed since it was sent (back, edit, send): never drop the new text.
        form.check(full=False)
        form.form_token.data = token = secrets.token_urlsafe(24)
        return form_page(
            form,
            kind,
            earlier,
            409,
            _(
                "This form was already sent once and saved as “%(title)s”. What is below "
                "differs from it and was not saved: press a button again to save it as a new "
                "submission, or open the saved one.",
                title=earlier.title or _("Untitled draft"),
            ),
            kept_link=_("Open the saved one"),
            action=url_for(".new", kind=kind, t=token),
        )
    if form_token_used(form.form_token.data):
        # The same page sent again from another account (a shared browser, back button):
        # a new contribution of this account, with a token of its own.
        form.form_token.data = secrets.token_urlsafe(24)
    if request.form.get("action") == "similar":
        return similar_page(form, kind, None)
    if (throttle := ratelimit.throttled()) is not None:
        return form_page(form, kind, None, 429, throttle.message)
    submitting = request.form.get("action") == "submit"
    answer = refused_or_invalid(_checked(form, None, submitting), kind, None)
    if answer is not None:
        return answer
    try:
        submission = create_submission(
            current_user,
            kind,
            form.content(),
            submit=submitting,
            form_token=form.form_token.data or None,
        )
        _save_logo(form, submission, submission)
        db.session.commit()
    except IntegrityError:  # a concurrent post of the same form won the token
        db.session.rollback()
        earlier = by_form_token(current_user, form.form_token.data)
        if earlier is not None:
            return redirect(url_for(".detail", submission_id=earlier.id))
        form.form_token.data = secrets.token_urlsafe(24)
        return form_page(form, kind, None, 409, SENT_TWICE)
    flash(
        _("Submitted. Moderators will review it; you can still edit it until the cutoff.")
        if submitting
        else _("Draft saved. Submit it when it is ready."),
        "success",
    )
    return redirect(url_for(".detail", submission_id=submission.id))


def _new_form(kind: str) -> Page:
    """GET of a new form: its token comes from the address (see pages.new_form_url)."""
    token = form_token_or_none(request.args.get("t"))
    earlier = by_form_token(current_user, token)
    if token is None or (earlier is None and form_token_used(token)):
        return redirect(new_form_url(kind))
    restored = _restored_form(kind, token=token)
    if restored is not None:
        return restored
    form = FORMS[kind]()
    form.form_token.data = token
    if earlier is None:
        return form_page(form, kind, None)
    # Back to a form that was sent: the browser refills what was typed (the form must stay
    # as it was, without an action of its own, for the browser to recognise it); sending it
    # again leads to what was saved, not to a second submission.
    return form_page(
        form,
        kind,
        earlier,
        200,
        _(
            "You already sent this form: it was saved as “%(title)s”. Sending it again saves "
            "nothing more. To write another one, start a new form.",
            title=earlier.title or _("Untitled draft"),
        ),
        kept_link=_("Open what was saved"),
        notice_class="notice-info",
    )


@login_required
def mine() -> str:
    """The submissions the user owns or co-edits, with their status and last change."""
    return render_template(
        "submissions/mine.html", submissions=submissions_of(current_user), kinds=KINDS
    )


@login_required
def detail(submission_id: int) -> Page:
    """One of the user's own submissions, whatever its status."""
    return detail_page(own_or_404(submission_id))


@csrf.exempt  # form-level CSRF, as for new()
@login_required
@parkable(*PARKED_FIELDS)
def edit(submission_id: int) -> Page:
    """Edit a draft, submitted or changes-requested submission."""
    submission = own_or_404(submission_id)
    if not submission.is_editable:
        refusal = {
            Status.REJECTED: _("A rejected submission cannot be edited."),
            Status.WITHDRAWN: _("A withdrawn submission cannot be edited."),
        }
        flash(refusal.get(submission.status, _("This submission cannot be edited.")), "error")
        return detail_page(submission, 409)
    if request.method == "GET":
        restored = _restored_form(submission.kind, submission)
        if restored is not None:
            return restored
        return form_page(prefilled_form(submission), submission.kind, submission)
    if _arrived_empty():
        return render_error(400, EMPTY_POST)
    form = FORMS[submission.kind]()
    if request.form.get("action") == "similar":
        return similar_page(form, submission.kind, submission)
    if (throttle := ratelimit.throttled()) is not None:
        return form_page(form, submission.kind, submission, 429, throttle.message)
    submitting = request.form.get("action") == "submit"
    answer = refused_or_invalid(_checked(form, submission, submitting), submission.kind, submission)
    if answer is not None:
        return answer
    was = submission.status
    try:
        result = update_submission(
            submission, form.content(), submit=submitting, actor=current_user
        )
        _save_logo(form, submission, result)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        notice = _(
            "This submission changed while you were editing it. Nothing was saved; "
            "your text is below. Reload the page to see the current version."
        )
        return form_page(form, submission.kind, submission, 409, notice)
    flash(*_saved_message(result, was, submitting))
    return redirect(url_for(".detail", submission_id=submission.id))


def _save_logo(form: SubmissionForm, submission: Submission, saved: Submission | Revision) -> None:
    """Store the logo the form brings or removes, where the text was saved."""
    changed, image = form.logo_choice()
    if changed:
        change_logo(submission, saved, image)


def _saved_message(result: Submission | Revision, was: Status, submitting: bool) -> tuple[str, str]:
    """What the owner is told after an edit was saved (message, flash category)."""
    if isinstance(result, Revision):
        return (
            _(
                "Your update was sent to the moderators. The public page keeps the approved "
                "version until they accept it."
            ),
            "success",
        )
    if submitting and was in (Status.DRAFT, Status.CHANGES_REQUESTED):
        return _("Submitted."), "success"
    if was is not Status.SUBMITTED:
        return _("Changes saved."), "success"
    return _("Changes saved. The submission is still awaiting review."), "success"


@login_required
def withdraw(submission_id: int) -> Page:
    """Withdraw a submission (it will never be public)."""
    submission = own_or_404(submission_id)
    try:
        withdraw_submission(submission, current_user)
        db.session.commit()
    except SubmissionsClosed as closed:
        db.session.rollback()
        flash(
            f"{closed} {_('Withdrawing is no longer possible; contact the moderators.')}", "error"
        )
        return detail_page(submission, 403)
    except StaleDataError:  # withdrawn, or decided, by another request at the same moment
        db.session.rollback()
        flash(withdraw_conflict(submission), "error")
        return detail_page(submission, 409)
    except ValueError as refused:
        db.session.rollback()
        flash(
            withdraw_conflict(submission)
            if submission.status is Status.WITHDRAWN
            else str(refused),
            "error",
        )
        return detail_page(submission, 409)
    flash(_("Withdrawn. It will not be reviewed or published."), "success")
    return redirect(url_for(".detail", submission_id=submission.id))
