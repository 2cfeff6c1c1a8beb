"""Admins' handlers for the standard reasons: list and add, edit, retire or restore."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hub.admin.forms import ReasonForm, RetireForm
from hub.admin.reasons import add_reason, edit_reason, set_retired
from hub.auth.models import User
from hub.extensions import db
from hub.submissions.reasons import USE_LABELS, ReasonUse, StandardReason, all_reasons
from hub.templating import Page


def _reason(reason_id: int) -> StandardReason:
    reason = db.session.get(StandardReason, reason_id)
    if reason is None:
        abort(404)
    return reason


def _admin() -> User:
    admin = db.session.get(User, current_user.id)
    assert admin is not None  # the gate let a logged-in admin in
    return admin


def _list_page(form: ReasonForm, status: int = 200) -> Page:
    return render_template(
        "admin/reasons.html", reasons=all_reasons(), form=form, use_labels=USE_LABELS
    ), status


def reasons() -> Page:
    """The standard reasons, and the form that adds one."""
    return _list_page(ReasonForm(formdata=None))


def add() -> Page:
    """Keep a new standard reason (the form comes back with its errors, text kept)."""
    form = ReasonForm()
    if not form.validate_on_submit():
        return _list_page(form, 422)
    reason = add_reason(form.label.data, form.text.data, ReasonUse(form.use.data), _admin())
    db.session.commit()
    flash(_("“%(label)s” is now offered to moderators.", label=reason.label), "success")
    return redirect(url_for(".reasons"), 303)


def _edit_page(reason: StandardReason, form: ReasonForm, status: int = 200) -> Page:
    return render_template(
        "admin/reason.html", reason=reason, form=form, retire_form=RetireForm(formdata=None)
    ), status


def reason(reason_id: int) -> Page:
    """One standard reason, to edit."""
    found = _reason(reason_id)
    form = ReasonForm(formdata=None, label=found.label, text=found.text, use=found.use.value)
    return _edit_page(found, form)


def edit(reason_id: int) -> Page:
    """Save a changed label, text or use."""
    found = _reason(reason_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _edit_page(found, form, 422)
    changed = edit_reason(
        found, form.label.data, form.text.data, ReasonUse(form.use.data), _admin()
    )
    db.session.commit()
    if changed:
        flash(_("“%(label)s” is saved.", label=found.label), "success")
    return redirect(url_for(".reasons"), 303)


def retire(reason_id: int) -> Page:
    """Retire a reason (moderators no longer see it) or offer it again."""
    found = _reason(reason_id)
    form = RetireForm()
    if not form.validate_on_submit():
        abort(400)
    retired = form.action.data == "retire"
    if set_retired(found, retired, _admin()):
        db.session.commit()
        flash(
            _("“%(label)s” is retired: moderators no longer see it.", label=found.label)
            if retired
            else _("“%(label)s” is offered to moderators again.", label=found.label),
            "success",
        )
    return redirect(url_for(".reasons"), 303)
