"""Requests for more time on the exceptions page: the list, a grant prefilled from a request
(the grant itself is management.exceptions), and a refusal with a message."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hub.auth.models import User
from hub.clock import clock
from hub.extensions import db
from hub.forms import csrf_failed, expired_form_notice
from hub.moderation import queries
from hub.moderation.forms import DeclineForm, ExceptionForm
from hub.moderation.operations import DecisionRefused
from hub.moderation.timerequests import decline_request, pending_requests, proposed_until
from hub.routing import parse_id
from hub.submissions.timerequests import RequestStatus, TimeRequest
from hub.templating import Page


def exceptions_page(
    form: ExceptionForm,
    status: int = 200,
    *,
    declining: int | None = None,
    decline_form: DeclineForm | None = None,
) -> Page:
    """The exceptions page: pending requests, the grant form, current exceptions.
    `declining` is the request whose refusal form (`decline_form`) comes back with errors."""
    requests = pending_requests()
    decline_forms = {
        r.id: decline_form
        if declining == r.id and decline_form is not None
        else DeclineForm(formdata=None, prefix=f"decline-{r.id}")
        for r in requests
    }
    return render_template(
        "moderation/exceptions.html",
        form=form,
        exceptions=queries.exceptions(),
        requests=requests,
        declining=declining,
        decline_forms=decline_forms,
    ), status


def prefill_from_request(form: ExceptionForm, request_id: str | None) -> None:
    """Fill the grant form from a pending request: its account, an instant (the days
    asked for, editable) and its reason."""
    number = parse_id(request_id) if request_id else None
    asked = db.session.get(TimeRequest, number) if number else None
    if asked is None or asked.status is not RequestStatus.PENDING:
        return
    form.email.data = asked.user.email
    form.until.data = proposed_until(asked).replace(tzinfo=None)
    form.reason.data = asked.reason[:1000]
    form.request_id.data = str(asked.id)


def request_answered(request_id: str | None, user: User) -> TimeRequest | None:
    """The pending request of `user` a grant answers (None: a grant of its own)."""
    number = parse_id(request_id) if request_id else None
    asked = db.session.get(TimeRequest, number) if number else None
    if asked is None or asked.user_id != user.id or asked.status is not RequestStatus.PENDING:
        return None
    return asked


def decline(request_id: int) -> Page:
    """Decline a request for more time with a message (mailed), or say why not."""
    asked = db.session.get(TimeRequest, request_id)
    if asked is None:
        abort(404)
    form = DeclineForm(prefix=f"decline-{asked.id}")
    valid = form.validate()
    if csrf_failed(form):
        flash(expired_form_notice(), "error")
        return exceptions_page(
            ExceptionForm(formdata=None), 400, declining=asked.id, decline_form=form
        )
    if not valid:
        return exceptions_page(
            ExceptionForm(formdata=None), 422, declining=asked.id, decline_form=form
        )
    try:
        decline_request(asked, form.message.data or "", current_user)
        db.session.commit()
    except DecisionRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return exceptions_page(
            ExceptionForm(formdata=None), refused.status, declining=asked.id, decline_form=form
        )
    flash(
        _(
            "The request of %(email)s was declined; they were told by e-mail (%(when)s).",
            email=asked.user.email,
            when=clock().format(clock().now()),
        ),
        "success",
    )
    return redirect(url_for(".exceptions"))
