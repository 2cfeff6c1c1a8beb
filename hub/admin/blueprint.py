"""The admin area's URL map and its gate: admins only (403 for other accounts), with a
second factor when HUB_STAFF_2FA requires it. Every post is checked by the global CSRF
protection (hub.extensions.csrf)."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user
from werkzeug.wrappers import Response

from hub.admin import callviews, controllers, reason_views
from hub.auth.models import Role
from hub.auth.twofactor import staff_gate
from hub.extensions import login_manager

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _admins_only() -> Response | None:
    """Log in first; then admins only; then the second factor if the hub requires it."""
    if not current_user.is_authenticated:
        response: Response = login_manager.unauthorized()
        return response
    if current_user.role is not Role.ADMIN:
        abort(403)
    return staff_gate()


POST = ["POST"]

bp.add_url_rule("/accounts", "accounts", controllers.accounts)
bp.add_url_rule("/accounts/<id:user_id>", "account", controllers.account)
bp.add_url_rule("/accounts/<id:user_id>/role", "role", controllers.role, methods=POST)
bp.add_url_rule("/accounts/<id:user_id>/active", "active", controllers.active, methods=POST)
bp.add_url_rule("/call", "call", callviews.call, methods=["GET", "POST"])

# Standard reasons moderators insert in their messages (hub/admin/reason_views.py).
bp.add_url_rule("/reasons", "reasons", reason_views.reasons)
bp.add_url_rule("/reasons", "add_reason", reason_views.add, methods=POST)
bp.add_url_rule("/reasons/<id:reason_id>", "reason", reason_views.reason)
bp.add_url_rule("/reasons/<id:reason_id>", "edit_reason", reason_views.edit, methods=POST)
bp.add_url_rule(
    "/reasons/<id:reason_id>/retire", "retire_reason", reason_views.retire, methods=POST
)
