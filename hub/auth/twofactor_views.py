"""Two-factor request handlers: the code after the password, and /account/two-factor where
an account sets it up, renews its recovery codes or turns it off."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.security import check_password_hash

from hub.auth import pages, twofactor
from hub.auth.controllers import log_in, safe_next
from hub.auth.forms import CodeForm, DisableTwoFactorForm
from hub.auth.models import User
from hub.extensions import db
from hub.ratelimit import throttled
from hub.templating import Page


def _me() -> User:
    """The logged-in account, as a row of this request's session (changes to it are saved)."""
    user = db.session.get(User, current_user.id)
    assert user is not None  # the user loader found it in this request
    return user


def _wrong_code() -> str:
    return _(
        "This code is not right, or it was used already. Type the code your app shows now "
        "(it changes every 30 seconds), or one of your unused recovery codes."
    )


def login_code() -> Page:
    """The second step of logging in: the app's code (or a recovery code) after the password."""
    pending = twofactor.pending_login()
    if pending is None:
        flash(_("Log in with your e-mail and password first."), "info")
        return redirect(url_for("auth.login"))
    user, next_path = pending
    form = CodeForm()
    if (throttle := throttled()) is not None:
        flash(throttle.message, "error")
        return pages.login_code_page(form, status=429)
    if form.validate_on_submit():
        before = twofactor.recovery_codes_left(user)
        if twofactor.check_second_factor(user, form.code.data):
            left = twofactor.recovery_codes_left(user)
            log_in(user)  # commits; the half-logged-in state ends with the old session
            flash(_("Logged in as %(name)s.", name=user.display_name), "success")
            if left < before:
                flash(
                    ngettext(
                        "You used a recovery code: %(num)d is left. Renew them on the "
                        "two-factor page.",
                        "You used a recovery code: %(num)d are left. Renew them on the "
                        "two-factor page.",
                        left,
                    ),
                    "info",
                )
            return redirect(safe_next(next_path))
        form.code.errors.append(_wrong_code())
    return pages.login_code_page(form, status=422 if form.errors else 200)


@login_required
def two_factor() -> Page:
    """The account's two-factor page: set up (QR code and secret), or manage."""
    me = _me()
    return pages.two_factor_page(me)


@login_required
def two_factor_setup() -> Page:
    """Start enrolment: a new secret, shown as a QR code and as text."""
    me = _me()
    if me.has_two_factor:
        return redirect(url_for("auth.two_factor"))
    twofactor.start_enrolment(me)
    db.session.commit()
    return redirect(url_for("auth.two_factor"), 303)


@login_required
def two_factor_enable() -> Page:
    """Confirm enrolment with a first code; the recovery codes are shown this once."""
    me = _me()
    if me.has_two_factor or me.totp_secret is None:
        return redirect(url_for("auth.two_factor"), 303)
    form = CodeForm()
    if (throttle := throttled()) is not None:
        flash(throttle.message, "error")
        return pages.two_factor_page(me, code_form=form, status=429)
    if form.validate_on_submit():
        codes = twofactor.enable(me, form.code.data)
        if codes is not None:
            db.session.commit()
            flash(_("Two-factor authentication is on."), "success")
            return pages.recovery_codes_page(codes)
        form.code.errors.append(
            _(
                "This code is not right. Check that the app shows the Partnerships Hub entry "
                "you just added and type its current six digits."
            )
        )
    return pages.two_factor_page(me, code_form=form, status=422)


@login_required
def two_factor_recovery() -> Page:
    """Ten new recovery codes (a current code is asked: they replace the old ones)."""
    me = _me()
    if not me.has_two_factor:
        return redirect(url_for("auth.two_factor"), 303)
    form = CodeForm(prefix=pages.RENEW)
    if (throttle := throttled()) is not None:
        flash(throttle.message, "error")
        return pages.two_factor_page(me, code_form=form, status=429)
    if form.validate_on_submit():
        if twofactor.check_code(me, form.code.data):
            codes = twofactor.renew_recovery_codes(me)
            db.session.commit()
            flash(_("New recovery codes: the old ones no longer work."), "success")
            return pages.recovery_codes_page(codes)
        form.code.errors.append(_wrong_code())
    return pages.two_factor_page(me, code_form=form, status=422)


@login_required
def two_factor_disable() -> Page:
    """Turn two-factor authentication off (the password and a code are asked)."""
    me = _me()
    if not me.has_two_factor:
        return redirect(url_for("auth.two_factor"), 303)
    form = DisableTwoFactorForm(prefix=pages.DISABLE)
    if (throttle := throttled()) is not None:
        flash(throttle.message, "error")
        return pages.two_factor_page(me, disable_form=form, status=429)
    if form.validate_on_submit():
        if not check_password_hash(me.password_hash, form.password.data):
            form.password.errors.append(_("This is not your password."))
        elif not twofactor.check_second_factor(me, form.code.data):
            form.code.errors.append(_wrong_code())
        else:
            twofactor.disable(me)
            db.session.commit()
            flash(_("Two-factor authentication is off."), "success")
            return redirect(url_for("auth.two_factor"), 303)
    return pages.two_factor_page(me, disable_form=form, status=422)
