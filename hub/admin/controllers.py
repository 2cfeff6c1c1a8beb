"""Admins' request handlers: load, check, call an operation, commit once."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hub.admin import pages
from hub.admin.forms import ROLE_LABELS, ActiveForm, RoleForm
from hub.admin.operations import Refused, change_role, deactivate, reactivate
from hub.admin.queries import search_accounts
from hub.auth.models import Role, User
from hub.extensions import db
from hub.templating import Page


def _account(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _actor() -> User:
    """The admin acting, as a row of this request's session (it may be the account changed)."""
    return _account(current_user.id)


def accounts() -> Page:
    """Search the accounts by e-mail, name or organisation (a page at a time)."""
    text = " ".join((request.args.get("q") or "").split())[:200]
    page = request.args.get("page", "1")
    return pages.accounts_page(search_accounts(text, int(page) if page.isdigit() else 1), text)


def account(user_id: int) -> Page:
    """One account and the forms that change its role and whether it may log in."""
    return pages.account_page(_account(user_id))


def role(user_id: int) -> Page:
    """Grant or revoke the moderator and admin roles."""
    user = _account(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return pages.account_page(user, role_form=form, status=422)
    try:
        changed = change_role(user, Role(form.role.data), _actor())
    except Refused as refused:
        db.session.rollback()
        form.role.errors.append(str(refused))
        return pages.account_page(_account(user_id), role_form=form, status=409)
    db.session.commit()
    if changed:
        flash(
            _("%(email)s is now: %(role)s.", email=user.email, role=ROLE_LABELS[user.role]),
            "success",
        )
    return redirect(url_for(".account", user_id=user.id), 303)


def active(user_id: int) -> Page:
    """Deactivate an account (it cannot log in; its submissions stay) or reactivate it."""
    user = _account(user_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        return pages.account_page(user, problem=_("Choose deactivate or reactivate."), status=422)
    try:
        if form.action.data == "deactivate":
            done = deactivate(user, _actor())
            message = _("%(email)s is deactivated: it cannot log in any more.", email=user.email)
        else:
            done = reactivate(user, _actor())
            message = _("%(email)s is active again.", email=user.email)
    except Refused as refused:
        db.session.rollback()
        return pages.account_page(_account(user_id), problem=str(refused), status=409)
    db.session.commit()
    if done:
        flash(message, "success")
    return redirect(url_for(".account", user_id=user.id), 303)
