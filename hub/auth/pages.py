"""Page builders of the account views."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import lazy_gettext as _l

from hub.auth import twofactor
from hub.auth.account_forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ForgotForm,
    NewPasswordForm,
    NotificationsForm,
    ProfileForm,
)
from hub.auth.forms import CodeForm, DisableTwoFactorForm, LoginForm, RegisterForm
from hub.auth.models import User
from hub.auth.tokens import CONFIRM_HOURS, STOP_DAYS, TokenProblem
from hub.i18n import current_language
from hub.templating import Page

# What a link that does nothing says, and its status: 400 for a link that never worked,
# 410 for one that worked once.
TOKEN_PROBLEMS: dict[TokenProblem, tuple[Any, Any, int]] = {
    TokenProblem.INVALID: (
        _l("This link is not valid"),
        _l(
            "The link is not valid: perhaps it was cut short when it was copied. Open the "
            "whole link from the e-mail, or copy all of it into the address bar."
        ),
        400,
    ),
    TokenProblem.EXPIRED: (
        _l("This link has expired"),
        _l(
            "Confirmation links work for %(hours)s hours and this one has expired. Log in "
            "with your password: your account and its drafts are there.",
            hours=CONFIRM_HOURS,
        ),
        410,
    ),
    TokenProblem.USED: (
        _l("This link has already been used"),
        _l(
            "This link has already been used: the address is confirmed. Log in with your "
            "password to continue."
        ),
        410,
    ),
}


# The same for a link that sets a new password (the way forward: ask for a new link) and a
# link that confirms a new address (the way forward: the account page).
RESET_PROBLEMS: dict[TokenProblem, tuple[Any, Any, int]] = {
    TokenProblem.INVALID: TOKEN_PROBLEMS[TokenProblem.INVALID],
    TokenProblem.EXPIRED: (
        _l("This link has expired"),
        _l(
            "Links to set a new password work for one hour and this one has expired. Ask "
            "for a new link: it comes by e-mail at once."
        ),
        410,
    ),
    TokenProblem.USED: (
        _l("This link has already been used"),
        _l(
            "This link has already been used, or the password was changed since it was "
            "sent. Log in with your current password, or ask for a new link."
        ),
        410,
    ),
}
CHANGE_PROBLEMS: dict[TokenProblem, tuple[Any, Any, int]] = {
    TokenProblem.INVALID: TOKEN_PROBLEMS[TokenProblem.INVALID],
    TokenProblem.EXPIRED: (
        _l("This link has expired"),
        _l(
            "Links that confirm a new address work for %(hours)s hours and this one has "
            "expired. Your account keeps its address: ask for the change again on your "
            "account page.",
            hours=CONFIRM_HOURS,
        ),
        410,
    ),
    TokenProblem.USED: (
        _l("This link has already been used"),
        _l(
            "This link has already been used, or the account's address or password changed "
            "since it was sent. Your account page shows the address it has now."
        ),
        410,
    ),
}
# A link that stops reminders (the way forward: the account page, where they can be turned
# off too). It is never "used": stopping twice is harmless.
STOP_PROBLEMS: dict[TokenProblem, tuple[Any, Any, int]] = {
    TokenProblem.INVALID: TOKEN_PROBLEMS[TokenProblem.INVALID],
    TokenProblem.EXPIRED: (
        _l("This link has expired"),
        _l(
            "Links that stop reminders work for %(days)s days and this one has expired. "
            "Reminders can be turned off on your account page.",
            days=STOP_DAYS,
        ),
        410,
    ),
    TokenProblem.USED: TOKEN_PROBLEMS[TokenProblem.INVALID],
}


def login_page(form: LoginForm, notice: str | None = None, status: int = 200) -> Page:
    """The login form."""
    return render_template("auth/login.html", form=form, notice=notice), status


def register_page(form: RegisterForm, notice: str | None = None, status: int = 200) -> Page:
    """The registration form."""
    return render_template("auth/register.html", form=form, notice=notice), status


def check_inbox_page(email: str, next_path: str | None) -> Page:
    """After registering: the same page whether or not the address already had an account."""
    return render_template("auth/check_inbox.html", email=email, next_path=next_path)


def confirm_page(token: str, user: User, next_path: str | None = None) -> Page:
    """The confirmation link, opened: one button confirms, logs in and goes on to
    `next_path` (a safe path) if the link carries one."""
    return render_template("auth/confirm.html", token=token, user=user, next_path=next_path)


def token_problem_page(problem: TokenProblem, purpose: str = "confirm") -> Page:
    """Why a mailed link does nothing (`purpose`: confirm, reset, change or stop), and what to
    do instead."""
    table = {
        "confirm": TOKEN_PROBLEMS,
        "reset": RESET_PROBLEMS,
        "change": CHANGE_PROBLEMS,
        "stop": STOP_PROBLEMS,
    }
    title, explanation, status = table[purpose][problem]
    return render_template(
        "auth/token_problem.html", title=title, explanation=explanation, purpose=purpose
    ), status


def forgot_page(form: ForgotForm, notice: str | None = None, status: int = 200) -> Page:
    """Ask for a link that sets a new password."""
    return render_template("auth/forgot.html", form=form, notice=notice), status


def forgot_sent_page(email: str) -> Page:
    """After asking: the same page whether or not the address has an account."""
    return render_template("auth/forgot_sent.html", email=email)


def reset_page(
    token: str, user: User, form: NewPasswordForm, notice: str | None = None, status: int = 200
) -> Page:
    """The reset link, opened: choose a new password."""
    return render_template(
        "auth/reset.html", token=token, user=user, form=form, notice=notice
    ), status


def confirm_change_page(token: str, user: User, new_email: str) -> Page:
    """The link mailed to a new address, opened: one button makes it the account's."""
    return render_template("auth/confirm_change.html", token=token, user=user, new_email=new_email)


def stop_reminders_page(token: str, user: User, stopped: bool, status: int = 200) -> Page:
    """The link in a reminder: one button turns reminders off (mail scanners open links
    too), then the same page says they are off and where to turn them back on."""
    return render_template(
        "auth/stop_reminders.html", token=token, user=user, stopped=stopped
    ), status


def message_page(title: str, text: str, status: int = 200) -> Page:
    """A short page that says one thing (e.g. a throttled "send the link again")."""
    return render_template("auth/message.html", title=title, text=text), status


def settings_page(
    user: User,
    *,
    profile: ProfileForm | None = None,
    notifications: NotificationsForm | None = None,
    password: ChangePasswordForm | None = None,
    email: ChangeEmailForm | None = None,
    notice: str | None = None,
    status: int = 200,
) -> Page:
    """The account page; the form that was posted comes back with what was typed."""
    if profile is None:
        profile = ProfileForm(
            formdata=None,
            display_name=user.display_name,
            organisation=user.organisation,
            language=user.language or current_language(),
        )
    if notifications is None:
        notifications = NotificationsForm(
            formdata=None, reminders=user.notify_reminders, digest=user.notify_digest
        )
    return render_template(
        "auth/settings.html",
        user=user,
        profile=profile,
        notifications=notifications,
        password=password or ChangePasswordForm(formdata=None),
        email=email or ChangeEmailForm(formdata=None),
        notice=notice,
    ), status


RENEW, DISABLE = "renew", "disable"  # the prefixes of the forms of the two-factor page


def login_code_page(form: CodeForm, status: int = 200) -> Page:
    """The second step of logging in: the code of the authenticator app."""
    return render_template("auth/login_code.html", form=form), status


def two_factor_page(
    user: User,
    code_form: CodeForm | None = None,
    disable_form: DisableTwoFactorForm | None = None,
    status: int = 200,
) -> Page:
    """Two-factor authentication of the account: set it up, or manage it once it is on."""
    qr = None
    if user.totp_secret is not None and not user.has_two_factor:
        qr = twofactor.qr_svg(user, str(_l("QR code of your two-factor secret")))
    return render_template(
        "auth/two_factor.html",
        user=user,
        qr=qr,
        # Two forms on one page once it is on: prefixes keep their fields' ids apart.
        code_form=code_form or CodeForm(prefix=RENEW if user.has_two_factor else ""),
        disable_form=disable_form or DisableTwoFactorForm(prefix=DISABLE),
        codes_left=twofactor.recovery_codes_left(user) if user.has_two_factor else 0,
        staff_required=twofactor.staff_must_enrol(user),
    ), status


def recovery_codes_page(codes: list[str]) -> Page:
    """The ten recovery codes, shown this once."""
    return render_template("auth/recovery_codes.html", codes=codes)
