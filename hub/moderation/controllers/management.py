"""Moderators' management pages: deadline exceptions, the audit trail (admins), figures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from hub.audit.models import AuditEvent
from hub.auth.models import Role
from hub.auth.operations import find_user
from hub.clock import clock
from hub.csvexport import csv_download
from hub.extensions import db
from hub.forms import csrf_failed, expired_form_notice
from hub.moderation.controllers.requests import (
    exceptions_page,
    prefill_from_request,
    request_answered,
)
from hub.moderation.figures import figures
from hub.moderation.forms import ExceptionForm
from hub.moderation.operations import (
    DecisionRefused,
    exception_for,
    grant_exception,
    revoke_exception,
)
from hub.moderation.timerequests import grant_request
from hub.submissions.deadlines import DeadlineException
from hub.templating import Page
from hub.vocab import KINDS

AUDIT_COLUMNS = [
    "id",
    "when_utc",
    "actor",
    "action",
    "submission_id",
    "account",
    "from_status",
    "to_status",
    "message",
]


def exceptions() -> Page:
    """List deadline exceptions and requests for more time; grant new ones (from a request:
    ?request=<id> fills the form with it)."""
    form = ExceptionForm()
    status = 200
    if not form.is_submitted():
        prefill_from_request(form, request.args.get("request"))
    valid = form.validate_on_submit()
    if csrf_failed(form):
        flash(expired_form_notice(), "error")
        status = 400
    elif valid:
        user = find_user(form.email.data)
        until = form.until.data.replace(tzinfo=clock().zone) if form.until.data else None
        if user is None:
            form.email.errors.append(_("No account has this e-mail."))
        elif until is not None:
            earlier = exception_for(user.id)
            earlier_until = earlier.until if earlier is not None else None
            try:
                answered = request_answered(form.request_id.data, user)
                if answered is not None:
                    grant_request(answered, until, form.reason.data or "", current_user)
                else:
                    grant_exception(user, until, form.reason.data or "", current_user)
                db.session.commit()
            except DecisionRefused as refused:
                db.session.rollback()
                # Granting oneself is about the account chosen; a past instant about the time.
                (form.email if refused.status == 403 else form.until).errors.append(str(refused))
                status = refused.status
            else:
                granted = _(
                    "%(email)s may submit until %(when)s.",
                    email=user.email,
                    when=clock().format(until),
                )
                if earlier_until:
                    granted += " " + _(
                        "This replaces the exception until %(when)s.",
                        when=clock().format(earlier_until),
                    )
                flash(granted, "success")
                return redirect(url_for(".exceptions"))
    if form.errors and status == 200:
        status = 422
    return exceptions_page(form, status)


def revoke(exception_id: int) -> Page:
    """Withdraw a deadline exception."""
    exception = db.session.get(DeadlineException, exception_id)
    if exception is None:
        abort(404)
    email = exception.user.email
    revoke_exception(exception, current_user)
    db.session.commit()
    flash(_("The exception for %(email)s was revoked.", email=email), "success")
    return redirect(url_for(".exceptions"))


def audit_csv() -> Response:
    """The whole audit trail as CSV (admins only)."""
    if current_user.role is not Role.ADMIN:
        abort(404)

    def rows() -> Iterator[tuple[object, ...]]:
        # Read while the file streams (the session is the request's, kept by the stream).
        stmt = select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=500)
        for event in db.session.scalars(stmt):
            # Every cell is made formula-safe, not only the message: an e-mail such as
            # =1+1@x.org is valid.
            yield (
                event.id,
                clock().local(event.created_at).astimezone(UTC).isoformat("T", "seconds"),
                event.actor.email if event.actor else "system",
                event.action.value,
                event.submission_id or "",
                event.subject_user.email if event.subject_user else "",
                event.from_status or "",
                event.to_status or "",
                event.message,
            )

    return csv_download(AUDIT_COLUMNS, rows(), "audit.csv")


def dashboard() -> str:
    """Counts per status and kind, first submissions per day, median wait for a decision."""
    today = clock().local(clock().now()).date()
    return render_template("moderation/dashboard.html", figures=figures(today), kinds=KINDS)
