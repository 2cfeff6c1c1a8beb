"""Posts that cannot be applied as sent: an expired form, invalid fields, or a closed clock.

Which page answers, and what is kept: the clock's refusal keeps what was typed (a draft
before the call opens, a kept copy after the cutoff), so nothing typed is ever lost.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from hub.clock import Phase, clock
from hub.extensions import db
from hub.forms import expired_form_notice
from hub.submissions.deadlines import why_closed
from hub.submissions.forms import Checked
from hub.submissions.keeping import keep_refused_post
from hub.submissions.models import Status, Submission
from hub.submissions.operations import create_submission, update_submission
from hub.submissions.pages import CHANGED_MEANWHILE, SENT_TWICE, edit_url, form_page
from hub.templating import Page


def refused_or_invalid(checked: Checked, kind: str, submission: Submission | None) -> Page | None:
    """The page to answer when the post cannot be applied, else None.

    Order matters: a forged or stale CSRF token saves nothing, nor does a refused logo (a
    400 with the text as typed, so the image can be replaced); a post the clock refuses is
    kept (new draft or kept changes) even if incomplete or invalid; only then do field
    errors count. Once an item is no longer a draft, every save is checked in full,
    whichever button was pressed.
    """
    form = checked.form
    if checked.csrf_failed:
        checked.mark_missing()
        return form_page(form, kind, submission, 400, expired_form_notice())
    if form.logo_file.errors:  # a refused image: its message by the field, the text kept
        checked.mark_missing()
        return form_page(form, kind, submission, 400)
    reason = why_closed(checked.full, current_user, submission)
    if reason is None:
        if _submitting(submission) and not current_user.is_confirmed:
            if not checked.ok:
                checked.mark_missing()
                if not checked.draft:  # past draft, only complete text is saved
                    return form_page(form, kind, submission, 422, _unconfirmed(), offer_resend=True)
            return _saved_before_opening(
                checked, kind, submission, _unconfirmed(), offer_resend=True
            )
        if checked.ok:
            return None
        checked.mark_missing()
        return form_page(form, kind, submission, 422)
    if checked.draft and clock().phase() is Phase.NOT_YET_OPEN:
        return _saved_before_opening(checked, kind, submission, reason)
    return _kept_after_cutoff(checked, kind, submission, reason)


def _submitting(submission: Submission | None) -> bool:
    """Whether the post asks to move the item to submitted (new, draft, or sent back)."""
    sendable = submission is None or submission.status in (Status.DRAFT, Status.CHANGES_REQUESTED)
    return sendable and request.form.get("action") == "submit"


def _unconfirmed() -> str:
    """Why an account whose address is unconfirmed cannot submit."""
    return _(
        "Your address %(email)s is not confirmed yet, so nothing was submitted: open the "
        "link we sent to it, then press “Submit” again.",
        email=current_user.email,
    )


def _saved_before_opening(
    checked: Checked,
    kind: str,
    submission: Submission | None,
    reason: str,
    *,
    offer_resend: bool = False,
) -> Page:
    """ "Submit" before the call opens (or from an unconfirmed address): what was typed is
    saved as the draft it still is (an item sent back keeps its status)."""
    form = checked.form
    if not checked.valid:
        return form_page(form, kind, submission, 422, reason, offer_resend=offer_resend)
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
            # A draft is edited in place (only an approved item gets a revision).
            update_submission(submission, form.content(), submit=False, actor=current_user)
            saved = submission
        db.session.commit()
    except (IntegrityError, StaleDataError):  # the same form, or the draft, saved meanwhile
        db.session.rollback()
        return form_page(
            form, kind, submission, 409, SENT_TWICE if submission is None else CHANGED_MEANWHILE
        )
    # Not inside an f-string: pybabel does not find messages there.
    if saved.status is Status.DRAFT:
        where, link = _("Your text was saved as a draft, not submitted."), _("Open the saved draft")
    else:
        where, link = _("Your text was saved."), _("Open the submission")
    return form_page(
        form,
        kind,
        saved,
        403,
        f"{reason} {where}",
        kept_link=link,
        action=edit_url(saved),
        offer_resend=offer_resend,
    )


def _kept_after_cutoff(
    checked: Checked, kind: str, submission: Submission | None, reason: str
) -> Page:
    """A post the clock refuses (after the cutoff): keep what was typed, exactly as typed.

    Valid text of a new form becomes a draft; invalid fields stay empty there and the
    whole post, as typed, is kept beside it. Text for an existing item never changes it:
    it is kept beside it. The form shown next posts to the kept item, so a second try from
    this page is kept too (a new form's token would only lead back to the first copy).
    """
    form, valid = checked.form, checked.valid
    try:
        kept = keep_refused_post(
            current_user,
            kind,
            form.content() if valid else form.valid_content(),
            submission,
            form.form_token.data or None,
            raw=None if valid else form.raw_content(),
        )
        db.session.commit()
    except (IntegrityError, StaleDataError):  # the same form, or the item, saved meanwhile
        db.session.rollback()
        return form_page(
            form,
            kind,
            submission,
            409,
            f"{reason} " + (SENT_TWICE if submission is None else CHANGED_MEANWHILE),
        )
    where = (
        _(
            "Your text was not submitted; it has been kept as a draft you can read and copy "
            "from “My submissions”."
        )
        if submission is None
        else _(
            "Your text was not submitted; it has been kept with the submission so you can "
            "copy them."
        )
    )
    invalid = "" if valid else " " + _("Fields with errors are kept exactly as you typed them.")
    return form_page(
        form,
        kind,
        kept,
        403,
        f"{reason} {where}{invalid}",
        kept_link=_("Open the kept copy"),
        action=edit_url(kept),
    )
