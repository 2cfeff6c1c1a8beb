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

from hub import ratelimit
from hub.auth.parking import parkable, unpark_post
from hub.clock import Phase, clock
from hub.errors import render_error
from hub.extensions import csrf, db
from hub.forms import csrf_failed, expired_form_notice
from hub.submissions.deadlines import (
    SubmissionsClosed,
    personal_deadline,
    revisions_open_until,
    write_refusal,
)
from hub.submissions.forms import FORMS, SubmissionForm, form_token_or_none
from hub.submissions.models import Status, Submission
from hub.submissions.operations import (
    CONTENT_FIELDS,
    by_form_token,
    content_for,
    create_submission,
    form_token_used,
    keep_refused_post,
    owned_submissions,
    pending_revision,
    update_submission,
    withdraw_submission,
)
from hub.submissions.revisions import Revision
from hub.vocab import KINDS

bp = Blueprint("submissions", __name__)

# What a form posted after its login expired keeps for later: what was typed and which
# button was pressed.
PARKED_FIELDS = (*CONTENT_FIELDS, "form_token", "action")

Page = Response | tuple[str, int] | str


def _own_or_404(submission_id: int) -> Submission:
    """The current user's submission, or 404 (never reveal that someone else's exists)."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.owner_id != current_user.id:
        abort(404)
    return submission


def _render_form(
    form: SubmissionForm,
    kind: str,
    submission: Submission | None,
    status: int = 200,
    notice: str | None = None,
    similar: list[Submission] | None = None,
    *,
    kept_link: str | None = None,
    action: str | None = None,
    notice_class: str = "notice-error",
) -> tuple[str, int]:
    """The submission form. `kept_link` labels a link to `submission` (only when something
    was stored there); `action` is where the next post goes (default: this address)."""
    draft = submission is None or submission.status is Status.DRAFT
    return render_template(
        "submissions/form.html",
        form=form,
        kind=kind,
        kind_label=KINDS[kind],
        submission=submission,
        notice=notice,
        similar=similar,
        kept_link=kept_link,
        action=action,
        notice_class=notice_class,
        draft=draft,
    ), status


def _similar_check(
    form: SubmissionForm, kind: str, submission: Submission | None
) -> tuple[str, int]:
    """Re-show the form, unsaved, with up to five similar published submissions."""
    from hub.search import similar_to_text

    form.validate_for(False)  # show limit errors, but "required" ones would only distract
    similar = similar_to_text(
        form.title.data or "",
        f"{form.summary.data or ''}\n{form.description.data or ''}",
        exclude_id=submission.id if submission else None,
        limit=5,
    )
    return _render_form(form, kind, submission, 200, similar=similar)


def _restored_form(
    kind: str, submission: Submission | None = None, token: str | None = None
) -> tuple[str, int] | None:
    """The form refilled with what this browser posted before its login expired, if any."""
    data = unpark_post(session.pop("parked_post", None), request.path)
    if data is None:
        return None
    db.session.commit()
    form = FORMS[kind](formdata=MultiDict([(k, v) for k, values in data.items() for v in values]))
    if not form.form_token.data and submission is None:
        form.form_token.data = token or secrets.token_urlsafe(24)
    return _render_form(
        form,
        kind,
        submission,
        200,
        "We kept what you typed before your session expired. Check it and "
        "press the button again to save or submit.",
    )


SENT_TWICE = (
    "This form was sent twice at the same moment and nothing was saved. Your text "
    "is below: press the button again."
)
CHANGED_MEANWHILE = (
    "This submission changed at the same moment (another tab, or a moderator's "
    "decision), so nothing was saved. Your text is below: copy it, then reload "
    "the submission to see its current version."
)


@bp.route("/submit/")
@login_required
def choose_kind() -> str:
    """Pick what kind of contribution to write."""
    return render_template("submissions/choose.html", kinds=KINDS)


def _refused_or_invalid(
    form: SubmissionForm, kind: str, submission: Submission | None, submitting: bool
) -> Page | None:
    """The page to answer when the post cannot be applied, else None.

    Order matters: a forged or stale CSRF token saves nothing; a post the clock refuses is
    kept (new draft or kept changes) even if incomplete or invalid; only then do field
    errors count. Once an item is no longer a draft, every save is checked in full,
    whichever button was pressed.
    """
    draft = submission is None or submission.status is Status.DRAFT
    full = submitting or not draft
    form_ok = form.validate_for(full, draft=draft)
    if csrf_failed(form):
        return _render_form(form, kind, submission, 400, expired_form_notice())
    refusal = write_refusal(full, current_user, submission)
    if refusal is None:
        return None if form_ok else _render_form(form, kind, submission, 422)
    if draft and clock().phase() is Phase.NOT_YET_OPEN:
        return _saved_before_opening(form, kind, submission, refusal)
    return _kept_after_refusal(form, kind, submission, refusal)


def _saved_before_opening(
    form: SubmissionForm, kind: str, submission: Submission | None, refusal: str
) -> Page:
    """ "Submit" before the call opens: what was typed is saved as the draft it still is."""
    if not form.validate_for(False):
        return _render_form(form, kind, submission, 422, refusal)
    try:
        if submission is None:
            saved = create_submission(
                current_user,
                kind,
                form.content(),
                submit=False,
                form_token=form.form_token.data or None,
            )
        else:
            saved = update_submission(submission, form.content(), submit=False, actor=current_user)
        db.session.commit()
    except (IntegrityError, StaleDataError):  # the same form, or the draft, saved meanwhile
        db.session.rollback()
        return _render_form(
            form, kind, submission, 409, SENT_TWICE if submission is None else CHANGED_MEANWHILE
        )
    return _render_form(
        form,
        kind,
        saved,
        403,
        f"{refusal} Your text was saved as a draft, not submitted.",
        kept_link="Open the saved draft",
        action=_edit_url(saved),
    )


def _kept_after_refusal(
    form: SubmissionForm, kind: str, submission: Submission | None, refusal: str
) -> Page:
    """A post the clock refuses (after the cutoff): keep what was typed, exactly as typed.

    Valid text of a new form becomes a draft; invalid fields stay empty there and the
    whole post, as typed, is kept beside it. Text for an existing item never changes it:
    it is kept beside it. The form shown next posts to the kept item, so a second try from
    this page is kept too (a new form's token would only lead back to the first copy).
    """
    valid = form.validate_for(False)
    raw = None if valid else form.raw_content()
    try:
        kept = keep_refused_post(
            current_user,
            kind,
            form.content() if valid else form.valid_content(),
            submission,
            form.form_token.data or None,
            raw=raw,
        )
        db.session.commit()
    except (IntegrityError, StaleDataError):  # the same form, or the item, saved meanwhile
        db.session.rollback()
        return _render_form(
            form,
            kind,
            submission,
            409,
            f"{refusal} " + (SENT_TWICE if submission is None else CHANGED_MEANWHILE),
        )
    where = (
        "kept as a draft you can read and copy from “My submissions”"
        if submission is None
        else "kept with the submission so you can copy them"
    )
    invalid = "" if valid else " Fields with errors are kept exactly as you typed them."
    return _render_form(
        form,
        kind,
        kept,
        403,
        f"{refusal} Your text was not submitted; it has been {where}.{invalid}",
        kept_link="Open the kept copy",
        action=_edit_url(kept),
    )


def _edit_url(submission: Submission) -> str:
    return url_for(".edit", submission_id=submission.id)


def _new_form_url(kind: str) -> str:
    """A new form's address: its one-time token is in it, so going back to the page (which
    browsers fetch again) shows the same token, and re-sending leads to the first result."""
    return url_for(".new", kind=kind, t=secrets.token_urlsafe(24))


def _same_post(earlier: Submission, form: SubmissionForm) -> bool:
    """Whether this post repeats what the earlier post of its form stored."""
    typed = {k: _plain(v) for k, v in content_for(earlier.kind, form.raw_content()).items()}
    stored = {k: _plain(getattr(earlier, k)) for k in typed}
    return typed in (stored, earlier.kept_changes)


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    return list(value) if isinstance(value, list | tuple) else value


EMPTY_POST = (
    "The form arrived without any of its fields, so nothing was saved or changed. "
    "Go back to the form and send it again."
)


def _arrived_empty() -> bool:
    """Whether a post carries no field at all: a browser always sends the form's fields (if
    only empty) and its button, so this is a truncated or forged post, which must not blank
    a draft."""
    return not request.form


# The submission forms check CSRF themselves (form-level) so a stale token re-shows the
# text instead of a bare error page.
@bp.route("/submit/<kind>", methods=["GET", "POST"])
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
            flash("This form was already saved; here is the result.", "info")
            return redirect(url_for(".detail", submission_id=earlier.id))
        # Changed since it was sent (back, edit, send): never drop the new text.
        form.validate_for(False)
        form.form_token.data = token = secrets.token_urlsafe(24)
        return _render_form(
            form,
            kind,
            earlier,
            409,
            f"This form was already sent once and saved as “{earlier.title or 'Untitled draft'}”. "
            "What is below differs from it and was not saved: press a button again to save "
            "it as a new submission, or open the saved one.",
            kept_link="Open the saved one",
            action=url_for(".new", kind=kind, t=token),
        )
    if form_token_used(form.form_token.data):
        # The same page sent again from another account (a shared browser, back button):
        # a new contribution of this account, with a token of its own.
        form.form_token.data = secrets.token_urlsafe(24)
    if request.form.get("action") == "similar":
        return _similar_check(form, kind, None)
    if (throttle := ratelimit.throttled()) is not None:
        return _render_form(form, kind, None, 429, throttle.message)
    submitting = request.form.get("action") == "submit"
    answer = _refused_or_invalid(form, kind, None, submitting)
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
        db.session.commit()
    except IntegrityError:  # a concurrent post of the same form won the token
        db.session.rollback()
        earlier = by_form_token(current_user, form.form_token.data)
        if earlier is not None:
            return redirect(url_for(".detail", submission_id=earlier.id))
        form.form_token.data = secrets.token_urlsafe(24)
        return _render_form(form, kind, None, 409, SENT_TWICE)
    flash(
        "Submitted. Moderators will review it; you can still edit it until the cutoff."
        if submitting
        else "Draft saved. Submit it when it is ready.",
        "success",
    )
    return redirect(url_for(".detail", submission_id=submission.id))


def _new_form(kind: str) -> Page:
    """GET of a new form: its token comes from the address (see _new_form_url)."""
    token = form_token_or_none(request.args.get("t"))
    earlier = by_form_token(current_user, token)
    if token is None or (earlier is None and form_token_used(token)):
        return redirect(_new_form_url(kind))
    restored = _restored_form(kind, token=token)
    if restored is not None:
        return restored
    form = FORMS[kind]()
    form.form_token.data = token
    if earlier is None:
        return _render_form(form, kind, None)
    # Back to a form that was sent: the browser refills what was typed (the form must stay
    # as it was, without an action of its own, for the browser to recognise it); sending it
    # again leads to what was saved, not to a second submission.
    return _render_form(
        form,
        kind,
        earlier,
        200,
        f"You already sent this form: it was saved as “{earlier.title or 'Untitled draft'}”. "
        "Sending it again saves nothing more. To write another one, start a new form.",
        kept_link="Open what was saved",
        notice_class="notice-info",
    )


@bp.route("/my/")
@login_required
def mine() -> str:
    """The current user's submissions with their status and last change."""
    return render_template(
        "submissions/mine.html", submissions=owned_submissions(current_user), kinds=KINDS
    )


@bp.route("/my/<id:submission_id>")
@login_required
def detail(submission_id: int) -> str:
    """One of the user's own submissions, whatever its status."""
    return _detail_page(_own_or_404(submission_id))


def _detail_page(submission: Submission, status: int = 200) -> tuple[str, int]:
    return render_template(
        "submissions/detail.html",
        submission=submission,
        edit_refusal=write_refusal(False, current_user, submission),
        revision=pending_revision(submission),
        deadline=personal_deadline(current_user),
        revisions_until=revisions_open_until(current_user),
    ), status


@bp.route("/my/<id:submission_id>/edit", methods=["GET", "POST"])
@csrf.exempt  # form-level CSRF, as for new()
@login_required
@parkable(*PARKED_FIELDS)
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
    if _arrived_empty():
        return render_error(400, EMPTY_POST)
    form = FORMS[submission.kind]()
    if request.form.get("action") == "similar":
        return _similar_check(form, submission.kind, submission)
    if (throttle := ratelimit.throttled()) is not None:
        return _render_form(form, submission.kind, submission, 429, throttle.message)
    submitting = request.form.get("action") == "submit"
    answer = _refused_or_invalid(form, submission.kind, submission, submitting)
    if answer is not None:
        return answer
    was = submission.status
    try:
        result = update_submission(
            submission, form.content(), submit=submitting, actor=current_user
        )
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        notice = (
            "This submission changed while you were editing it. Nothing was saved; "
            "your text is below. Reload the page to see the current version."
        )
        return _render_form(form, submission.kind, submission, 409, notice)
    if isinstance(result, Revision):
        flash(
            "Your update was sent to the moderators. The public page keeps the approved "
            "version until they accept it.",
            "success",
        )
    elif submitting and was in (Status.DRAFT, Status.CHANGES_REQUESTED):
        flash("Submitted.", "success")
    else:
        flash(
            "Changes saved."
            if was is not Status.SUBMITTED
            else "Changes saved. The submission is still awaiting review.",
            "success",
        )
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
    except StaleDataError:  # withdrawn, or decided, by another request at the same moment
        db.session.rollback()
        flash(_withdraw_conflict(submission), "error")
        return _detail_page(submission, 409)
    except ValueError as refused:
        db.session.rollback()
        flash(
            _withdraw_conflict(submission)
            if submission.status is Status.WITHDRAWN
            else str(refused),
            "error",
        )
        return _detail_page(submission, 409)
    flash("Withdrawn. It will not be reviewed or published.", "success")
    return redirect(url_for(".detail", submission_id=submission.id))


def _withdraw_conflict(submission: Submission) -> str:
    """Why a withdrawal found the submission changed (it is read again after the rollback)."""
    if submission.status is Status.WITHDRAWN:
        return (
            "This submission was already withdrawn (perhaps from another tab or window). "
            "Nothing else was done."
        )
    return (
        f"This submission changed at the same moment: it is now “{submission.status_label}”. "
        "Nothing was withdrawn; check it and withdraw it again if you still want to."
    )
