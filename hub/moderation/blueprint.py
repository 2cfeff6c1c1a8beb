"""The moderation area's URL map and its gate: moderators only, everyone else gets 404.

Handlers are in hub/moderation/controllers/ (reviewing, management), the pages they show
in hub/moderation/pages.py.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request
from flask_login import current_user
from werkzeug.wrappers import Response

from hub.auth.twofactor import staff_gate
from hub.extensions import csrf
from hub.moderation.controllers import management, requests, reviewing, team
from hub.moderation.timerequests import pending_count

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

# The forms a moderator types into check their CSRF token themselves (form-level, as the
# submission and login forms do), so an expired token re-shows the page with the text kept
# instead of the bare error page; _moderators_only() checks every other post.
FORM_LEVEL_CSRF = frozenset(
    {
        "moderation.decide",
        "moderation.duplicate",
        "moderation.bulk",
        "moderation.decide_revision_view",
        "moderation.exceptions",
        "moderation.add_note",
        "moderation.decline_request",
    }
)
csrf.exempt(bp)  # the global check would answer before the area hides itself


@bp.before_request
def _moderators_only() -> Response | None:
    """Everyone else gets 404, whatever they post and with or without a token (the area
    is not advertised); staff without a second factor go to enrolment when HUB_STAFF_2FA
    requires one; then the CSRF check of the posts whose form does not make it."""
    if not current_user.is_authenticated or not current_user.is_moderator:
        abort(404)
    if (enrol := staff_gate()) is not None:
        return enrol
    if request.endpoint not in FORM_LEVEL_CSRF and current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()
    return None


POST = ["POST"]

# The queue, the review page and the decisions taken from them.
bp.add_url_rule("/", "queue", reviewing.queue)
bp.add_url_rule("/<id:submission_id>", "review", reviewing.review)
bp.add_url_rule("/<id:submission_id>/decide", "decide", reviewing.decide, methods=POST)
bp.add_url_rule("/<id:submission_id>/duplicate", "duplicate", reviewing.duplicate, methods=POST)
bp.add_url_rule("/bulk", "bulk", reviewing.bulk, methods=POST)
bp.add_url_rule(
    "/revisions/<id:revision_id>/decide",
    "decide_revision_view",
    reviewing.decide_revision_view,
    methods=POST,
)

# The team: internal notes, and who holds an item (hub/moderation/team.py).
bp.add_url_rule("/<id:submission_id>/notes", "add_note", team.add_note, methods=POST)
bp.add_url_rule("/<id:submission_id>/claim", "claim", team.claim, methods=POST)
bp.add_url_rule("/<id:submission_id>/assign", "assign", team.assign, methods=POST)
bp.add_url_rule("/<id:submission_id>/release", "release", team.release, methods=POST)

# Deadline exceptions, the audit trail (admins) and the figures.
bp.add_url_rule("/exceptions", "exceptions", management.exceptions, methods=["GET", "POST"])
bp.add_url_rule("/exceptions/<id:exception_id>/revoke", "revoke", management.revoke, methods=POST)
bp.add_url_rule(
    "/requests/<id:request_id>/decline", "decline_request", requests.decline, methods=POST
)
bp.add_url_rule("/audit.csv", "audit_csv", management.audit_csv)
bp.add_url_rule("/dashboard", "dashboard", management.dashboard)


@bp.app_template_global()
def pending_time_requests() -> int:
    """How many requests for more time await the moderators (the moderation menu)."""
    return pending_count()
