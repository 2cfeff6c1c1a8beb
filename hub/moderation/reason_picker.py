"""Inserting a standard reason into a decision's message without JavaScript: the form is
posted with the "insert" button and comes back with the reason's text added at the end of
what was typed (nothing is decided, nothing typed is lost)."""

from __future__ import annotations

from flask import flash, request
from flask_babel import gettext as _

from hub.extensions import db
from hub.moderation.forms import MESSAGE_MAX, DecisionForm
from hub.moderation.pages import review_page
from hub.routing import parse_id
from hub.submissions.models import Submission
from hub.submissions.reasons import StandardReason
from hub.templating import Page

INSERT = "insert_reason"  # the name of the picker's button


def wants_insert() -> bool:
    """Whether the decision form was posted by the picker's button."""
    return INSERT in request.form


def insert_reason(submission: Submission) -> Page:
    """The review page with the chosen reason's text added to the typed message."""
    form = DecisionForm()
    typed = (form.message.data or "").rstrip()
    chosen = parse_id(request.form.get("reason"))
    reason = db.session.get(StandardReason, chosen) if chosen is not None else None
    if reason is None or reason.retired_at is not None:
        form.message.data = typed
        flash(
            _("Choose a standard reason in the list, then press “Insert in the message” again."),
            "error",
        )
        return review_page(submission, 422, form=form)
    combined = f"{typed}\n\n{reason.text}" if typed else reason.text
    form.message.data = combined[:MESSAGE_MAX]
    flash(
        _(
            "“%(label)s” was added at the end of your message: read it, change it as "
            "needed, then choose your decision.",
            label=reason.label,
        ),
        "success",
    )
    return review_page(submission, form=form)
