"""Account page handlers (/account/settings): profile, notifications, password, address.

Each section is a form of its own that posts to its own address; a refused post shows the
whole page again with that form as typed (passwords excepted). Load, check, call an
operation, commit once.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from hub.auth import pages
from hub.auth.account_forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    NotificationsForm,
    ProfileForm,
)
from hub.auth.credentials import (
    AddressTaken,
    change_email,
    change_password,
    password_matches,
    request_email_change,
    update_notifications,
    update_profile,
)
from hub.auth.tokens import TokenProblem, read_email_change_token
from hub.extensions import csrf, db
from hub.forms import HubForm, csrf_failed, expired_form_notice
from hub.i18n import open_in_language
from hub.ratelimit import throttled
from hub.templating import Page


def _refused(form_name: str, form: HubForm, *, password: bool = False) -> Page:
    """The account page again with the posted form: 400 for an expired form, else 422."""
    expired = csrf_failed(form)
    notice = expired_form_notice(password=password) if expired else None
    forms: dict[str, Any] = {form_name: form}
    return pages.settings_page(current_user, notice=notice, status=400 if expired else 422, **forms)


@login_required
def settings() -> Page:
    """The account page."""
    return pages.settings_page(current_user)


@csrf.exempt  # form-level on every section: an expired form re-shows what was typed
@login_required
def save_profile() -> Page:
    """Save the name, organisation and language; the page comes back in that language."""
    form = ProfileForm()
    if not form.validate_on_submit():
        return _refused("profile", form)
    language = form.language.data
    update_profile(current_user, form.display_name.data, form.organisation.data or "", language)
    db.session.commit()
    flash(_("Your details are saved."), "success")
    # The chosen language also wins over this browser's earlier choice (the cookie).
    return open_in_language(url_for("auth.settings")[len(request.script_root) :], language)


@csrf.exempt
@login_required
def save_notifications() -> Page:
    """Save which optional mails the account gets."""
    form = NotificationsForm()
    if not form.validate_on_submit():
        return _refused("notifications", form)
    digest = bool(form.digest.data) if current_user.is_moderator else current_user.notify_digest
    update_notifications(current_user, bool(form.reminders.data), digest)
    db.session.commit()
    flash(_("Your notification settings are saved."), "success")
    return redirect(url_for("auth.settings"))


@csrf.exempt
@login_required
def change_password_view() -> Page:
    """Change the password (the current one first); the other login sessions end."""
    form = ChangePasswordForm()
    if (throttle := throttled()) is not None:
        return pages.settings_page(current_user, password=form, notice=throttle.message, status=429)
    if not form.validate_on_submit():
        return _refused("password", form, password=True)
    if not password_matches(current_user, form.current_password.data):
        form.current_password.errors = [_("This is not your current password.")]
        return _refused("password", form, password=True)
    change_password(current_user, form.password.data)
    db.session.commit()
    flash(
        _(
            "Your password is changed. Every other device where your account was open is "
            "logged out."
        ),
        "success",
    )
    return redirect(url_for("auth.settings"))


@csrf.exempt
@login_required
def change_email_view() -> Page:
    """Ask to change the address: a link goes to the new one, the old one is told."""
    form = ChangeEmailForm()
    if (throttle := throttled()) is not None:
        return pages.settings_page(current_user, email=form, notice=throttle.message, status=429)
    if not form.validate_on_submit():
        return _refused("email", form, password=True)
    if not password_matches(current_user, form.email_password.data):
        form.email_password.errors = [_("This is not your current password.")]
        return _refused("email", form, password=True)
    new_email = form.new_email.data.strip().lower()
    if new_email == current_user.email:
        form.new_email.errors = [_("This is already your address.")]
        return _refused("email", form, password=True)
    try:
        request_email_change(current_user, new_email)
    except AddressTaken:  # the user's own account asks: saying so reveals nothing new
        db.session.rollback()
        form.new_email.errors = [_("Another account uses this address: choose another one.")]
        return _refused("email", form, password=True)
    db.session.commit()
    flash(
        _(
            "We sent a link to %(email)s. Your address changes when you open it; until "
            "then you log in with %(current)s, which we told about the request.",
            email=new_email,
            current=current_user.email,
        ),
        "success",
    )
    return redirect(url_for("auth.settings"))


def confirm_change(token: str) -> Page | Response:
    """The link mailed to a new address: shows a button (mail scanners open links too);
    the button makes it the account's address."""
    found = read_email_change_token(token)
    if isinstance(found, TokenProblem):
        return pages.token_problem_page(found, "change")
    user, new_email = found
    if request.method == "GET":
        return pages.confirm_change_page(token, user, new_email)
    try:
        changed = change_email(user, new_email)
        if changed:
            db.session.commit()
    except (AddressTaken, IntegrityError):  # another account took it since (or meanwhile)
        db.session.rollback()
        return pages.message_page(
            _("This address is taken"),
            _(
                "Another account now uses %(email)s, so your address was not changed. Ask "
                "for the change again with another address on your account page.",
                email=new_email,
            ),
            409,
        )
    if not changed:
        db.session.rollback()
        return pages.token_problem_page(TokenProblem.USED, "change")
    flash(_("Your address is now %(email)s.", email=new_email), "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for("auth.settings"))
    return redirect(url_for("auth.login"))
