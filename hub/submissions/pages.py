"""Page builders of the submission views: the form, the detail page, and what they say."""

from __future__ import annotations

import secrets
from datetime import date

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from hub.submissions.deadlines import personal_deadline, revisions_open_until, why_closed
from hub.submissions.editors import (
    co_editors,
    editor_row,
    history,
    is_owner,
    pending_invitations,
)
from hub.submissions.forms import FORMS, InviteForm, SubmissionForm
from hub.submissions.logos import editing_logo
from hub.submissions.models import Status, Submission
from hub.submissions.operations import pending_revision
from hub.vocab import KINDS

SENT_TWICE = _l(
    "This form was sent twice at the same moment and nothing was saved. Your text "
    "is below: press the button again."
)
CHANGED_MEANWHILE = _l(
    "This submission changed at the same moment (another tab, or a moderator's "
    "decision), so nothing was saved. Your text is below: copy it, then reload "
    "the submission to see its current version."
)
EMPTY_POST = _l(
    "The form arrived without any of its fields, so nothing was saved or changed. "
    "Go back to the form and send it again."
)
RESTORED = _l(
    "We kept what you typed before your session expired. Check it and "
    "press the button again to save or submit."
)
LANGUAGE_SWITCHED = _l(
    "The page is now in the language you chose; what you typed is kept. Check it and "
    "press a button to save or submit."
)


def form_page(
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
    offer_resend: bool = False,
) -> tuple[str, int]:
    """The submission form. `kept_link` labels a link to `submission` (only when something
    was stored there); `action` is where the next post goes (default: this address);
    `offer_resend` adds a button that sends the address's confirmation link again."""
    draft = submission is None or submission.status is Status.DRAFT
    closed = why_closed(False, current_user, submission)
    if closed:
        lock_form(form)
    return render_template(
        "submissions/form.html",
        closed=closed,
        revisions_until=revisions_open_until(current_user),
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
        offer_resend=offer_resend,
        logo=editing_logo(submission, pending_revision(submission) if submission else None),
    ), status


# Fields whose text can be read-only (kept selectable and copyable); other inputs (choices,
# files) cannot be in HTML, and are disabled instead.
READONLY_TYPES = frozenset(
    {"StringField", "TextAreaField", "EmailField", "URLField", "DateField", "IntegerField"}
)


def lock_form(form: SubmissionForm) -> None:
    """Make the form's fields read-only (or disabled) when it cannot be sent (the cutoff)."""
    for f in form:
        if f.type in ("CSRFTokenField", "HiddenField"):
            continue
        flag = "readonly" if f.type in READONLY_TYPES else "disabled"
        f.render_kw = {**(f.render_kw or {}), flag: True}


def similar_page(form: SubmissionForm, kind: str, submission: Submission | None) -> tuple[str, int]:
    """Re-show the form, unsaved, with up to five similar published submissions."""
    from hub.search import similar_to_text

    form.check(full=False)  # show limit errors, but "required" ones would only distract
    similar = similar_to_text(
        form.title.data or "",
        f"{form.summary.data or ''}\n{form.description.data or ''}",
        exclude_id=submission.id if submission else None,
        limit=5,
    )
    return form_page(form, kind, submission, 200, similar=similar)


def prefilled_form(submission: Submission) -> SubmissionForm:
    """The edit form with the text the owner last wrote (a pending revision, if any)."""
    revision = pending_revision(submission) if submission.status is Status.APPROVED else None
    if revision is None:
        return FORMS[submission.kind](obj=submission)
    data = dict(revision.content)
    for key in ("start_date", "end_date"):
        if isinstance(data.get(key), str):
            data[key] = date.fromisoformat(data[key])
    return FORMS[submission.kind](data=data)


def detail_page(
    submission: Submission, status: int = 200, invite_form: InviteForm | None = None
) -> tuple[str, int]:
    """A submission the user owns or co-edits, with what they may still do with it, the
    people on it and (for its owner) the invitation form."""
    owner = is_owner(current_user, submission)
    return render_template(
        "submissions/detail.html",
        submission=submission,
        owner=owner,
        editors=co_editors(submission),
        me=editor_row(current_user, submission),
        invitations=pending_invitations(submission) if owner else [],
        invite_form=invite_form or (InviteForm(formdata=None) if owner else None),
        history=history(submission),
        why_edit_closed=why_closed(False, current_user, submission),
        revision=pending_revision(submission),
        deadline=personal_deadline(current_user),
        revisions_until=revisions_open_until(current_user),
    ), status


def withdraw_conflict(submission: Submission) -> str:
    """Why a withdrawal found the submission changed (it is read again after the rollback)."""
    if submission.status is Status.WITHDRAWN:
        return _(
            "This submission was already withdrawn (perhaps from another tab or window). "
            "Nothing else was done."
        )
    return _(
        "This submission changed at the same moment: it is now “%(status)s”. "
        "Nothing was withdrawn; check it and withdraw it again if you still want to.",
        status=submission.status_label,
    )


def edit_url(submission: Submission) -> str:
    """Where the edit form of `submission` is (and posts to)."""
    return url_for("submissions.edit", submission_id=submission.id)


def new_form_url(kind: str) -> str:
    """A new form's address: its one-time token is in it, so going back to the page (which
    browsers fetch again) shows the same token, and re-sending leads to the first result."""
    return url_for("submissions.new", kind=kind, t=secrets.token_urlsafe(24))
