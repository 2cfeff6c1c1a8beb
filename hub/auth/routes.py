"""Account views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from hub.auth.forms import LoginForm, RegisterForm
from hub.auth.models import User
from hub.auth.operations import (
    EmailTaken,
    authenticate,
    create_user,
    find_user,
    record_login,
)
from hub.auth.parking import fields_to_park, park_post
from hub.extensions import csrf, db, login_manager
from hub.forms import csrf_failed, expired_form_notice
from hub.i18n import current_language
from hub.ratelimit import throttled
from hub.templating import Page

bp = Blueprint("auth", __name__, url_prefix="/account")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load the logged-in account for Flask-Login."""
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


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


# Register and login check CSRF themselves (form-level, as the submission forms do), so an
# expired token re-shows what was typed instead of a bare error page.
@bp.route("/register", methods=["GET", "POST"])
@csrf.exempt
def register() -> Page:
    """Create an account and log in."""
    if current_user.is_authenticated:
        return redirect(url_for("submissions.mine"))
    form = RegisterForm()
    notice = None
    if (throttle := throttled()) is not None:
        flash(throttle.message, "error")
        return render_template("auth/register.html", form=form), 429
    if form.validate_on_submit():
        try:
            user = create_user(
                form.email.data,
                form.password.data,
                form.display_name.data,
                form.organisation.data or "",
            )
            user.language = current_language()  # its mail comes in the page's language
            db.session.commit()
        except EmailTaken:
            form.email.errors.append(EMAIL_TAKEN)
        except IntegrityError:  # the same e-mail registered at the same moment (two tabs)
            db.session.rollback()
            if find_user(form.email.data) is None:
                raise
            form.email.errors.append(EMAIL_TAKEN)
        else:
            login_user(user)
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(safe_next(request.args.get("next")))
    elif csrf_failed(form):
        notice = expired_form_notice(password=True)
    status = 400 if notice else 422 if form.errors else 200
    return render_template("auth/register.html", form=form, notice=notice), status


EMAIL_TAKEN = _l("An account with this e-mail exists. Log in instead.")


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt  # form-level, as register()
def login() -> Page:
    """Log in with e-mail and password."""
    form = LoginForm(next=request.args.get("next", ""))
    notice = None
    if (throttle := throttled()) is not None:  # the e-mail stays in the form
        flash(throttle.message, "error")
        return render_template("auth/login.html", form=form), 429
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            record_login(user)
            db.session.commit()
            login_user(user)
            flash(_("Logged in as %(name)s.", name=user.display_name), "success")
            return redirect(safe_next(form.next.data))
        form.password.errors.append(_("E-mail or password is wrong."))
    elif csrf_failed(form):
        notice = expired_form_notice(password=True)
    status = 400 if notice else 422 if form.errors else 200
    return render_template("auth/login.html", form=form, notice=notice), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    """Log out."""
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("public.home"))
