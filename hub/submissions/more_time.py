"""“Ask for more time”: the form an account sends after the cutoff, and what it shows."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import IntegerField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from hub import ratelimit
from hub.extensions import db
from hub.forms import HubForm, csrf_failed, expired_form_notice
from hub.submissions.deadlines import personal_deadline, why_closed
from hub.submissions.timerequests import (
    MAX_DAYS,
    RequestRefused,
    TimeRequest,
    already_asked,
    ask_for_time,
    pending_request,
)
from hub.templating import Page


class TimeRequestForm(HubForm):
    """Why the account needs more time, and optionally how many days."""

    reason = TextAreaField(
        _l("Why do you need more time?"),
        description=_l("The moderators read this; say what you still need to submit or edit."),
        validators=[
            DataRequired(message=_l("Say why you need more time.")),
            Length(max=1000),
        ],
    )
    days = IntegerField(
        _l("How many more days (optional)"),
        validators=[Optional(), NumberRange(min=1, max=MAX_DAYS)],
    )


def latest_request(user: Any) -> TimeRequest | None:
    """The account's most recent request (pending or answered), if any."""
    return db.session.scalar(
        select(TimeRequest)
        .where(TimeRequest.user_id == user.id)
        .order_by(TimeRequest.created_at.desc(), TimeRequest.id.desc())
        .limit(1)
    )


def _page(form: TimeRequestForm, status: int = 200, notice: str | None = None) -> Page:
    """The request page: the form, or the request already waiting."""
    return render_template(
        "submissions/more_time.html",
        form=form,
        closed=why_closed(False, current_user),
        pending=pending_request(current_user),
        latest=latest_request(current_user),
        deadline=personal_deadline(current_user),
        notice=notice,
    ), status


@login_required
def more_time() -> Page:
    """Ask the moderators for more time to submit or edit after the cutoff."""
    form = TimeRequestForm()
    if not form.is_submitted():
        return _page(form)
    valid = form.validate()
    if csrf_failed(form):
        return _page(form, 400, expired_form_notice())
    if (throttle := ratelimit.throttled()) is not None:
        return _page(form, 429, throttle.message)
    if not valid:
        return _page(form, 422)
    try:
        ask_for_time(current_user, form.reason.data or "", form.days.data)
        db.session.commit()
    except RequestRefused as refused:
        db.session.rollback()
        return _page(form, 409, str(refused))
    except IntegrityError:  # the same request sent twice at the same moment
        db.session.rollback()
        return _page(form, 409, already_asked())
    flash(_("Your request was sent to the moderators. They will answer by e-mail."), "success")
    return redirect(url_for(".more_time"))
