"""Page builders of the account views."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import lazy_gettext as _l

from hub.auth import twofactor
from hub.auth.forms import CodeForm, DisableTwoFactorForm, LoginForm, RegisterForm
from hub.auth.models import User
from hub.auth.tokens import CONFIRM_HOURS, TokenProblem
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


def login_page(form: LoginForm, notice: str | None = None, status: int = 200) -> Page:
    """The login form."""
    return render_template("auth/login.html", form=form, notice=notice), status


def register_page(form: RegisterForm, notice: str | None = None, status: int = 200) -> Page:
    """The registration form."""
    return render_template("auth/register.html", form=form, notice=notice), status


def check_inbox_page(email: str, next_path: str | None) -> Page:
    """After registering: the same page whether or not the address already had an account."""
    return render_template("auth/check_inbox.html", email=email, next_path=next_path)


def confirm_page(token: str, user: User) -> Page:
    """The confirmation link, opened: one button confirms and logs in."""
    return render_template("auth/confirm.html", token=token, user=user)


def token_problem_page(problem: TokenProblem) -> Page:
    """Why a confirmation link does nothing, and what to do instead."""
    title, explanation, status = TOKEN_PROBLEMS[problem]
    return render_template("auth/token_problem.html", title=title, explanation=explanation), status


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
