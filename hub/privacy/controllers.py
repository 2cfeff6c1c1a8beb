"""Privacy request handlers: load, check, call an operation, commit once."""

from __future__ import annotations

import json

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.security import check_password_hash
from werkzeug.wrappers import Response

from hub.extensions import csrf, db
from hub.forms import csrf_failed, expired_form_notice
from hub.privacy import deletion, pages
from hub.privacy.deletion import CHOOSE, Choice, LastAdmin, heirs, is_last_admin, to_decide
from hub.privacy.export import account_data
from hub.privacy.forms import choice_name, deletion_form
from hub.ratelimit import throttled
from hub.submissions.editors import co_edited_ids
from hub.submissions.models import Status, Submission
from hub.templating import Page


def notice() -> Page:
    """The privacy notice: what is kept, why, for how long, who sees it."""
    return pages.privacy_page()


def _counts() -> dict[str, int]:
    """How many of the account's submissions are drafts, to decide about, or neither; how
    many of those not decided about go to a co-editor (shared); how many it co-edits."""
    owned = db.session.scalars(
        select(Submission).where(Submission.owner_id == current_user.id)
    ).all()
    shared = [s for s in owned if s.status not in CHOOSE and heirs(s)]
    return {
        "all": len(owned),
        "drafts": sum(1 for s in owned if s.status is Status.DRAFT and s not in shared),
        "choose": sum(1 for s in owned if s.status in CHOOSE),
        "others": sum(
            1 for s in owned if s.status is not Status.DRAFT and s not in CHOOSE and s not in shared
        ),
        "shared": len(shared),
        "co_edited": len(co_edited_ids(current_user.id)),
    }


@login_required
def export() -> Page:
    """What "Download my data" holds, and the button."""
    return pages.export_page(_counts())


@login_required
def download() -> Response:
    """The account's data as one JSON file (a download: changes nothing, so a GET)."""
    data = account_data(current_user)
    day = data["exported_at"][:10]
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="partnerships-hub-account-{current_user.id}-{day}.json"'
    )
    return response


# CSRF is checked at the form level (as the login form does), so an expired form re-shows
# the choices made instead of a bare error page.
@csrf.exempt
@login_required
def delete_account() -> Page:
    """Delete the account: the choices per submission, confirmed by the current password."""
    choose = to_decide(current_user)
    form = deletion_form(choose)
    summary = _counts()
    last_admin = is_last_admin(current_user)
    if request.method == "GET":
        return pages.delete_page(form, choose, summary, last_admin=last_admin)
    if (throttle := throttled()) is not None:
        flash(throttle.message, "error")
        return pages.delete_page(form, choose, summary, last_admin=last_admin, status=429)
    if last_admin:  # nothing to check: the answer is no whatever was typed
        return pages.delete_page(form, choose, summary, last_admin=True, status=403)
    if not form.validate_on_submit():
        notice = expired_form_notice(password=True) if csrf_failed(form) else None
        status = 400 if notice else 422
        return pages.delete_page(form, choose, summary, notice=notice, status=status)
    if not check_password_hash(current_user.password_hash, form.password.data):
        form.password.errors.append(_("The password is wrong."))
        return pages.delete_page(form, choose, summary, status=422)
    choices, hand_to = {}, {}
    for s in choose:  # "withdraw", "keep" or "hand_over:<co-editor's id>" (validated)
        value, _sep, heir = str(form[choice_name(s)].data).partition(":")
        choices[s.id] = Choice(value)
        if heir:
            hand_to[s.id] = int(heir)
    try:
        deletion.delete_account(
            current_user,
            choices,
            hand_to=hand_to,
            parked_token=session.get("parked_post"),
            ip=request.remote_addr,
        )
        db.session.commit()  # the index drops what was withdrawn after this commit
    except StaleDataError:  # a moderator decided one of them meanwhile: look again
        db.session.rollback()
        notice = _(
            "One of your submissions changed while you were deciding (a moderator's "
            "decision). Nothing was deleted: check your choices and confirm again."
        )
        return pages.delete_page(form, choose, summary, notice=notice, status=409)
    except LastAdmin:  # the other admin left at the same moment
        db.session.rollback()
        return pages.delete_page(form, choose, summary, last_admin=True, status=403)
    logout_user()
    session.clear()
    flash(_("Your account is deleted. Thank you for taking part."), "success")
    return redirect(url_for("public.home"))
