"""Account request handlers: load, check, call an operation, commit once."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from hub.auth import pages, twofactor
from hub.auth.forms import LoginForm, RegisterForm
from hub.auth.models import User
from hub.auth.operations import (
    authenticate,
    confirm_email,
    end_session,
    log_out_everywhere,
    record_login,
)
from hub.auth.operations import (
    register as register_account,
)
from hub.auth.parking import fields_to_park, park_post
from hub.auth.tokens import TokenProblem, read_confirmation_token
from hub.extensions import csrf, db, login_manager
from hub.forms import csrf_failed, expired_form_notice
from hub.i18n import current_language
from hub.ratelimit import throttled
from hub.templating import Page


@login_manager.unauthorized_handler
def unauthorized() -> Response:
    """Send to the login page; a parkable form posted meanwhile is kept for later."""
    # Views marked @parkable (the submission forms) keep their text for after the login.
    keep = fields_to_park() if request.method == "POST" else None
    if keep is not None and _same_origin():
        session["parked_post"] = park_post(
            request.path,
            request.form.to_dict(flat=False),
            keep,
            replaces=session.get("parked_post"),
        )
        db.session.commit()
        flash(
            _(
                "Your session had expired, so nothing was submitted yet. Log in again: what "
                "you typed is kept and will be back in the form."
            ),
            "info",
        )
        # Back to the same address: a new form's one-time token is in it.
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    flash(_("Please log in to continue."), "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _same_origin() -> bool:
    """Whether the post comes from one of our pages (browsers send Origin on POST); another
    site must not be able to plant text in a visitor's next form."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    try:
        # Hosts only: behind a TLS proxy the scheme the app sees may differ from the browser's.
        return urlsplit(origin).netloc == request.host
    except ValueError:  # not an address at all ("http://[")
        return False


def safe_next(target: str | None) -> str:
    """`target` if it is a path on this site, else the user's submissions page."""
    if target:
        try:
            parts = urlsplit(target)
        except ValueError:  # e.g. "//[": an unclosed IPv6 bracket
            return url_for("submissions.mine")
        # Control characters cannot go into a Location header (and browsers drop some of
        # them, turning "/\t/evil.example" into "//evil.example").
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
            and "\\" not in target
            and target.isprintable()
        ):
            return target
    return url_for("submissions.mine")


def log_in(user: User) -> None:
    """Start a new login session for `user` in a fresh Flask session, then commit.

    Whatever the browser's session held before (a planted cookie's form-token secret, an
    earlier login) is dropped, so nobody who knew the old cookie shares the new one; only
    a post parked across an expired login is carried over.
    """
    if current_user.is_authenticated:  # logging in again ends the earlier session
        end_session(current_user)
    parked = session.get("parked_post")
    session.clear()
    if parked:
        session["parked_post"] = parked
    record_login(user, request.user_agent.string)
    db.session.commit()
    login_user(user)


# Register and login check CSRF themselves (form-level, as the submission forms do), so an
# expired token re-shows what was typed instead of a bare error page.
@csrf.exempt
def register() -> Page:
    """Create an account, or tell the owner of a taken address: the same answer either way."""
    if current_user.is_authenticated:
        return redirect(url_for("submissions.mine"))
    form = RegisterForm()
    notice = None
    if (throttle := throttled()) is not None:
        flash(throttle.message, "error")
        return pages.register_page(form, status=429)
    if form.validate_on_submit():
        typed = (form.email.data, form.password.data, form.display_name.data)
        # Where the confirmation link leads after logging in (an invitation's page): a path
        # on this site only.
        target = request.args.get("next")
        back = safe_next(target) if target else None
        try:
            register_account(
                *typed, form.organisation.data or "", language=current_language(), next_path=back
            )
            db.session.commit()
        except IntegrityError:  # the same address registered at the same moment (two tabs)
            db.session.rollback()
            register_account(  # now: the owner is told
                *typed, form.organisation.data or "", language=current_language()
            )
            db.session.commit()
        session["registered_email"] = form.email.data.strip().lower()
        return redirect(url_for("auth.registered", next=back))
    if csrf_failed(form):
        notice = expired_form_notice(password=True)
    return pages.register_page(form, notice, 400 if notice else 422 if form.errors else 200)


def registered() -> Page:
    """Check your inbox (the page after registering)."""
    email = session.get("registered_email")
    if not email:
        return redirect(url_for("auth.register"))
    target = request.args.get("next")
    return pages.check_inbox_page(email, safe_next(target) if target else None)


def confirm(token: str) -> Page:
    """The mailed link: shows a button (mail scanners open links too); the button confirms
    the address and logs in."""
    found = read_confirmation_token(token)
    if isinstance(found, TokenProblem):
        return pages.token_problem_page(found)
    target = request.args.get("next")
    back = safe_next(target) if target else None  # the page that sent them to register
    if request.method == "GET":
        return pages.confirm_page(token, found, back)
    if not confirm_email(found):  # confirmed by another click at the same moment
        db.session.rollback()
        return pages.token_problem_page(TokenProblem.USED)
    if found.has_two_factor or not found.is_active:
        # A mailed link is one factor: it must not skip the code (or a deactivation).
        db.session.commit()
        flash(_("Your address is confirmed. Log in to continue."), "success")
        return redirect(url_for("auth.login", next=back))
    log_in(found)  # commits
    session.pop("registered_email", None)
    flash(_("Your address is confirmed. Welcome, %(name)s!", name=found.display_name), "success")
    return redirect(back or url_for("submissions.mine"))


@csrf.exempt  # form-level, as register()
def login() -> Page:
    """Log in with e-mail and password."""
    form = LoginForm(next=request.args.get("next", ""))
    notice = None
    if (throttle := throttled()) is not None:  # the e-mail stays in the form
        flash(throttle.message, "error")
        return pages.login_page(form, status=429)
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None and not user.is_active:
            # Said only to whoever knows the password: it tells nobody else anything.
            form.password.errors.append(
                _("This account is deactivated. Ask the hub's administrators to reactivate it.")
            )
            return pages.login_page(form, status=403)
        if user is not None and user.has_two_factor:
            # Nobody is logged in yet: the next page asks for the code.
            twofactor.remember_password_step(user, safe_next(form.next.data))
            return redirect(url_for("auth.login_code"))
        if user is not None:
            log_in(user)
            flash(_("Logged in as %(name)s.", name=user.display_name), "success")
            return redirect(safe_next(form.next.data))
        form.password.errors.append(_("E-mail or password is wrong."))
    elif csrf_failed(form):
        notice = expired_form_notice(password=True)
    return pages.login_page(form, notice, 400 if notice else 422 if form.errors else 200)


@login_required
def logout() -> Response:
    """Log out: this browser's login session ends on the server too."""
    end_session(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("public.home"))


@login_required
def logout_everywhere() -> Response:
    """End every login session of the account, on every device, this one included."""
    log_out_everywhere(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out on every device."), "info")
    return redirect(url_for("public.home"))
