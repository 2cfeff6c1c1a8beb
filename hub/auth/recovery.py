"""Recovery handlers: a forgotten password, its reset link, and the confirmation link sent
again. Load, check, call an operation, commit once."""

from __future__ import annotations

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hub.auth import credentials, pages
from hub.auth.account_forms import ForgotForm, NewPasswordForm
from hub.auth.controllers import log_in, safe_next
from hub.auth.tokens import TokenProblem, read_reset_token
from hub.extensions import csrf, db
from hub.forms import csrf_failed, expired_form_notice
from hub.i18n import current_language
from hub.ratelimit import throttled
from hub.templating import Page


@csrf.exempt  # form-level, as register(): an expired token re-shows what was typed
def forgot() -> Page:
    """Ask for a link that sets a new password: the same answer, in the same time, whether
    or not the address has an account."""
    form = ForgotForm()
    if (throttle := throttled()) is not None:
        flash(throttle.message, "error")
        return pages.forgot_page(form, status=429)
    if form.validate_on_submit():
        credentials.request_password_reset(form.email.data, current_language())
        db.session.commit()
        session["forgot_email"] = form.email.data.strip().lower()
        return redirect(url_for("auth.forgot_sent"))
    notice = expired_form_notice() if csrf_failed(form) else None
    return pages.forgot_page(form, notice, 400 if notice else 422 if form.errors else 200)


def forgot_sent() -> Page:
    """Check your inbox (after asking for a reset link)."""
    email = session.get("forgot_email")
    if not email:
        return redirect(url_for("auth.forgot"))
    return pages.forgot_sent_page(email)


@csrf.exempt  # form-level, as register()
def reset(token: str) -> Page:
    """The mailed reset link: choose a new password; then every other login session ends
    and this browser is logged in. Opening the link (a GET) changes nothing."""
    found = read_reset_token(token)
    if isinstance(found, TokenProblem):
        return pages.token_problem_page(found, "reset")
    form = NewPasswordForm()
    if request.method == "GET":
        return pages.reset_page(token, found, form)
    if (throttle := throttled()) is not None:
        flash(throttle.message, "error")
        return pages.reset_page(token, found, form, status=429)
    if form.validate_on_submit():
        if not credentials.reset_password(
            found, form.password.data
        ):  # the same link, at the same moment
            db.session.rollback()
            return pages.token_problem_page(TokenProblem.USED, "reset")
        if found.has_two_factor or not found.is_active:
            # A mailed link is one factor: it must not skip the code (or a deactivation).
            db.session.commit()
            flash(
                _(
                    "Your new password is set. Every other device where your account was "
                    "open is logged out. Log in to continue."
                ),
                "success",
            )
            return redirect(url_for("auth.login"))
        log_in(found)  # commits
        flash(
            _(
                "Your new password is set and you are logged in. Every other device where "
                "your account was open is logged out."
            ),
            "success",
        )
        return redirect(url_for("submissions.mine"))
    notice = expired_form_notice(password=True) if csrf_failed(form) else None
    return pages.reset_page(token, found, form, notice, 400 if notice else 422)


@login_required
def resend_confirmation() -> Page:
    """Send the link that confirms the account's address again (a button on the pages
    that say an unconfirmed address cannot submit)."""
    if (throttle := throttled()) is not None:
        return pages.message_page(_("Too many attempts"), throttle.message, 429)
    back = safe_next(request.form.get("next"))
    if current_user.is_confirmed:
        flash(_("Your address is already confirmed."), "info")
        return redirect(back)
    credentials.resend_confirmation(current_user)
    db.session.commit()
    flash(
        _(
            "We sent a new link to %(email)s. Open it to confirm your address; then you can "
            "submit.",
            email=current_user.email,
        ),
        "success",
    )
    return redirect(back)
