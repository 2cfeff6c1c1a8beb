"""The language switcher: POST /language, without JavaScript, keeping what was typed.

The header's switcher is a form of buttons, one per language. On a page with a form being
filled (the submission form), the buttons belong to that form (HTML `form`/`formaction`), so
switching posts what was typed: it is parked (hub/auth/parking.py) for the page's address and
the page, opened again under the new language's prefix, puts it back into the form.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, request, session
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Response

from hub.auth.models import User
from hub.auth.parking import park_post
from hub.extensions import db
from hub.i18n import DEFAULT, open_in_language, supported

bp = Blueprint("language", __name__)


def _safe_target(target: str | None) -> str:
    """`target` if it is a path on the hub (with its query), else the home page."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    if any(ord(c) < 32 for c in target) or len(target) > 2000:
        return "/"
    return target


def _parked_fields(path: str) -> frozenset[str] | None:
    """The fields a post to `path` keeps (its view is @parkable), or None."""
    try:
        endpoint, _ = current_app.url_map.bind("localhost").match(path, method="POST")
    except (HTTPException, RequestRedirect):
        return None
    view = current_app.view_functions.get(str(endpoint))
    return getattr(view, "parked_fields", None)


@bp.post("/language")
def switch() -> Response:
    """Remember the chosen language (cookie, account) and open the same page in it."""
    chosen = supported(request.form.get("hub_lang")) or DEFAULT
    # The header's form sends `hub_next`; a page's own form sends it in the button's formaction.
    target = _safe_target(request.form.get("hub_next") or request.args.get("hub_next"))
    path = urlsplit(target).path
    keep = _parked_fields(path)
    if keep is not None and any(name in request.form for name in keep):
        # A form being filled came along: keep its text for the page in the new language.
        session["parked_post"] = park_post(
            path, request.form.to_dict(flat=False), keep, replaces=session.get("parked_post")
        )
        session["parked_reason"] = "language"
    if current_user.is_authenticated:  # the account remembers it (its e-mails follow it)
        user = db.session.get(User, current_user.id)
        if user is not None:
            user.language = chosen
    db.session.commit()
    return open_in_language(target, chosen)
