"""Account views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from hub.auth.forms import LoginForm, RegisterForm
from hub.auth.models import User
from hub.auth.operations import EmailTaken, authenticate, create_user, record_login
from hub.extensions import db, login_manager
from hub.ratelimit import refusal
from hub.submissions.operations import park_post

bp = Blueprint("auth", __name__, url_prefix="/account")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load the logged-in account for Flask-Login."""
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


# Forms whose text must survive an expired login (the post is parked, then restored).
PARKABLE = {"submissions.new", "submissions.edit"}


@login_manager.unauthorized_handler
def unauthorized() -> Response:
    """Send to the login page; a submission form posted meanwhile is kept for later."""
    if request.method == "POST" and request.endpoint in PARKABLE and _same_origin():
        session["parked_post"] = park_post(request.path, request.form.to_dict(flat=False),
                                           replaces=session.get("parked_post"))
        db.session.commit()
        flash("Your session had expired, so nothing was submitted yet. Log in again: what "
              "you typed is kept and will be back in the form.", "info")
        return redirect(url_for("auth.login", next=request.path))
    flash("Please log in to continue.", "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _same_origin() -> bool:
    """Whether the post comes from one of our pages (browsers send Origin on POST); another
    site must not be able to plant text in a visitor's next form."""
    origin = request.headers.get("Origin")
    # Hosts only: behind a TLS proxy the scheme the app sees may differ from the browser's.
    return origin is None or urlsplit(origin).netloc == request.host


def safe_next(target: str | None) -> str:
    """`target` if it is a path on this site, else the user's submissions page."""
    if target:
        parts = urlsplit(target)
        if (not parts.scheme and not parts.netloc and target.startswith("/")
                and not target.startswith("//") and "\\" not in target):
            return target
    return url_for("submissions.mine")


@bp.route("/register", methods=["GET", "POST"])
def register() -> Response | tuple[str, int] | str:
    """Create an account and log in."""
    if current_user.is_authenticated:
        return redirect(url_for("submissions.mine"))
    form = RegisterForm()
    if (throttled := refusal()) is not None:
        flash(throttled.message, "error")
        return render_template("auth/register.html", form=form), 429
    if form.validate_on_submit():
        try:
            user = create_user(form.email.data, form.password.data, form.display_name.data,
                               form.organisation.data or "")
        except EmailTaken:
            form.email.errors.append("An account with this e-mail exists. Log in instead.")
        else:
            db.session.commit()
            login_user(user)
            flash("Welcome! Your account is ready.", "success")
            return redirect(safe_next(request.args.get("next")))
    status = 422 if form.errors else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | tuple[str, int] | str:
    """Log in with e-mail and password."""
    form = LoginForm(next=request.args.get("next", ""))
    if (throttled := refusal()) is not None:  # the e-mail stays in the form
        flash(throttled.message, "error")
        return render_template("auth/login.html", form=form), 429
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            record_login(user)
            db.session.commit()
            login_user(user)
            flash(f"Logged in as {user.display_name}.", "success")
            return redirect(safe_next(form.next.data))
        form.password.errors.append("E-mail or password is wrong.")
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    """Log out."""
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("public.home"))
