"""Submission views: write, submit, edit, withdraw, list one's own."""

from __future__ import annotations

import secrets
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from hub.extensions import csrf, db
from hub.moderation.models import Revision
from hub.ratelimit import refusal
from hub.submissions.forms import FORMS, SubmissionForm
from hub.submissions.models import Status, Submission
from hub.submissions.operations import (
    SubmissionsClosed,
    by_form_token,
    create_submission,
    form_token_used,
    keep_refused_post,
    owned_submissions,
    pending_revision,
    personal_deadline,
    unpark_post,
    update_submission,
    withdraw_submission,
    write_refusal,
)
from hub.vocab import KINDS

bp = Blueprint("submissions", __name__)

Page = Response | tuple[str, int] | str


def _own_or_404(submission_id: int) -> Submission:
    """The current user's submission, or 404 (never reveal that someone else's exists)."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.owner_id != current_user.id:
        abort(404)
    return submission


def _render_form(form: SubmissionForm, kind: str, submission: Submission | None,
                 status: int = 200, notice: str | None = None,
                 similar: list[Submission] | None = None) -> tuple[str, int]:
    return render_template("submissions/form.html", form=form, kind=kind, kind_label=KINDS[kind],
                           submission=submission, notice=notice, similar=similar), status


def _similar_check(form: SubmissionForm, kind: str,
                   submission: Submission | None) -> tuple[str, int]:
    """Re-show the form, unsaved, with up to five similar published submissions."""
    from hub.search import similar_to_text

    form.validate_for(False)  # show limit errors, but "required" ones would only distract
    similar = similar_to_text(form.title.data or "",
                              f"{form.summary.data or ''}\n{form.description.data or ''}",
                              exclude_id=submission.id if submission else None, limit=5)
    return _render_form(form, kind, submission, 200, similar=similar)


def _restored_form(kind: str, submission: Submission | None = None) -> tuple[str, int] | None:
    """The form refilled with what this browser posted before its login expired, if any."""
    data = unpark_post(session.pop("parked_post", None), request.path)
    if data is None:
        return None
    db.session.commit()
    form = FORMS[kind](formdata=MultiDict([(k, v) for k, values in data.items() for v in values]))
    if not form.form_token.data and submission is None:
        form.form_token.data = secrets.token_urlsafe(24)
    return _render_form(form, kind, submission, 200,
                        "We kept what you typed before your session expired. Check it and "
                        "press the button again to save or submit.")


def _csrf_failed(form: SubmissionForm) -> bool:
    return bool(form.meta.csrf and form.csrf_token.errors)


CSRF_NOTICE = ("Your session's security token expired or was missing, so nothing was saved. "
               "Your text is still below: check it and press the button again.")


@bp.route("/submit/")
@login_required
def choose_kind() -> str:
    """Pick what kind of contribution to write."""
    return render_template("submissions/choose.html", kinds=KINDS)


def _refused_or_invalid(form: SubmissionForm, kind: str, submission: Submission | None,
                        submitting: bool) -> tuple[str, int] | None:
    """The page to answer when the post cannot be applied, else None.

    Order matters: a forged or stale CSRF token saves nothing; a post the clock refuses is
    kept (new draft or kept changes) even if incomplete; only then do field errors count.
    """
    form_ok = form.validate_for(submitting)
    if _csrf_failed(form):
        return _render_form(form, kind, submission, 400, CSRF_NOTICE)
    in_review = submission is not None and submission.status is not Status.DRAFT
    refusal = write_refusal(submitting or in_review, current_user, submission)
    if refusal:
        if not form.validate_for(False):  # over a limit: show the text, cannot store it
            return _render_form(form, kind, submission, 403,
                                f"{refusal} Nothing was saved; your text is below to copy.")
        kept = keep_refused_post(current_user, kind, form.content(), submission,
                                 form.form_token.data or None)
        db.session.commit()
        where = ("kept as a draft you can read and copy from “My submissions”"
                 if submission is None else "kept with the submission so you can copy them")
        return _render_form(form, kind, kept, 403,
                            f"{refusal} Your text was not submitted; it has been {where}.")
    return None if form_ok else _render_form(form, kind, submission, 422)


# The submission forms check CSRF themselves (form-level) so a stale token re-shows the
# text instead of a bare error page.
@bp.route("/submit/<kind>", methods=["GET", "POST"])
@csrf.exempt
@login_required
def new(kind: str) -> Page:
    """Write a new submission; save it as a draft or submit it."""
    if kind not in FORMS:
        abort(404)
    if request.method == "GET":
        restored = _restored_form(kind)
        if restored is not None:
            return restored
        form = FORMS[kind]()
        form.form_token.data = secrets.token_urlsafe(24)
        return _render_form(form, kind, None)
    form = FORMS[kind]()
    earlier = by_form_token(current_user, form.form_token.data)
    if earlier is not None:  # the same form posted twice (double click, back + resend)
        flash("This form was already saved; here is the result.", "info")
        return redirect(url_for(".detail", submission_id=earlier.id))
    if form_token_used(form.form_token.data):
        # The same page sent again from another account (a shared browser, back button):
        # a new contribution of this account, with a token of its own.
        form.form_token.data = secrets.token_urlsafe(24)
    if request.form.get("action") == "similar":
        return _similar_check(form, kind, None)
    if (throttled := refusal()) is not None:
        return _render_form(form, kind, None, 429, throttled.message)
    submitting = request.form.get("action") == "submit"
    answer = _refused_or_invalid(form, kind, None, submitting)
    if answer is not None:
        return answer
    try:
        submission = create_submission(current_user, kind, form.content(), submit=submitting,
                                       form_token=form.form_token.data or None)
        db.session.commit()
    except IntegrityError:  # a concurrent post of the same form won the token
        db.session.rollback()
        earlier = by_form_token(current_user, form.form_token.data)
        if earlier is not None:
            return redirect(url_for(".detail", submission_id=earlier.id))
        form.form_token.data = secrets.token_urlsafe(24)
        return _render_form(form, kind, None, 409, "This form was sent twice at the same "
                            "moment and nothing was saved. Your text is below: press the "
                            "button again.")
    flash("Submitted. Moderators will review it; you can still edit it until the cutoff."
          if submitting else "Draft saved. Submit it when it is ready.", "success")
    return redirect(url_for(".detail", submission_id=submission.id))


@bp.route("/my/")
@login_required
def mine() -> str:
    """The current user's submissions with their status and last change."""
    return render_template("submissions/mine.html", submissions=owned_submissions(current_user),
                           kinds=KINDS)


@bp.route("/my/<id:submission_id>")
@login_required
def detail(submission_id: int) -> str:
    """One of the user's own submissions, whatever its status."""
    return _detail_page(_own_or_404(submission_id))


def _detail_page(submission: Submission, status: int = 200) -> tuple[str, int]:
    return render_template(
        "submissions/detail.html", submission=submission,
        edit_refusal=write_refusal(False, current_user, submission),
        revision=pending_revision(submission), deadline=personal_deadline(current_user),
    ), status


@bp.route("/my/<id:submission_id>/edit", methods=["GET", "POST"])
@csrf.exempt  # form-level CSRF, as for new()
@login_required
def edit(submission_id: int) -> Page:
    """Edit a draft, submitted or changes-requested submission."""
    submission = _own_or_404(submission_id)
    if not submission.is_editable:
        flash(f"A {submission.status_label.lower()} submission cannot be edited.", "error")
        return _detail_page(submission, 409)
    if request.method == "GET":
        restored = _restored_form(submission.kind, submission)
        if restored is not None:
            return restored
        return _render_form(_prefilled_form(submission), submission.kind, submission)
    form = FORMS[submission.kind]()
    if request.form.get("action") == "similar":
        return _similar_check(form, submission.kind, submission)
    if (throttled := refusal()) is not None:
        return _render_form(form, submission.kind, submission, 429, throttled.message)
    submitting = request.form.get("action") == "submit"
    answer = _refused_or_invalid(form, submission.kind, submission, submitting)
    if answer is not None:
        return answer
    try:
        result = update_submission(submission, form.content(), submit=submitting,
                                   actor=current_user)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        notice = ("This submission changed while you were editing it. Nothing was saved; "
                  "your text is below. Reload the page to see the current version.")
        return _render_form(form, submission.kind, submission, 409, notice)
    if isinstance(result, Revision):
        flash("Your update was sent to the moderators. The public page keeps the approved "
              "version until they accept it.", "success")
    else:
        flash("Submitted." if submitting else "Changes saved.", "success")
    return redirect(url_for(".detail", submission_id=submission.id))


def _prefilled_form(submission: Submission) -> SubmissionForm:
    """The edit form with the text the owner last wrote (a pending revision, if any)."""
    revision = pending_revision(submission) if submission.status is Status.APPROVED else None
    if revision is None:
        return FORMS[submission.kind](obj=submission)
    data = dict(revision.content)
    for key in ("start_date", "end_date"):
        if isinstance(data.get(key), str):
            data[key] = date.fromisoformat(data[key])
    return FORMS[submission.kind](data=data)


@bp.route("/my/<id:submission_id>/withdraw", methods=["POST"])
@login_required
def withdraw(submission_id: int) -> Page:
    """Withdraw a submission (it will never be public)."""
    submission = _own_or_404(submission_id)
    try:
        withdraw_submission(submission, current_user)
        db.session.commit()
    except SubmissionsClosed as closed:
        db.session.rollback()
        flash(f"{closed} Withdrawing is no longer possible; contact the moderators.", "error")
        return _detail_page(submission, 403)
    except ValueError as refused:
        flash(str(refused), "error")
        return _detail_page(submission, 409)
    flash("Withdrawn. It will not be reviewed or published.", "success")
    return redirect(url_for(".detail", submission_id=submission.id))
