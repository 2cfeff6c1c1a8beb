"""The submissions area's URL map: writing, submitting, editing, withdrawing one's own.

Handlers are in controllers.py. The blueprint also gives every page of the hub the
submission deadline (the banner) and the kind-specific fields (templates/_submission.html).
"""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from hub.submissions import coeditors, controllers, logos, more_time
from hub.submissions.deadlines import deadline_context
from hub.submissions.fields import KIND_SPECIFIC, FieldSpec
from hub.submissions.timerequests import TimeRequest, pending_request

bp = Blueprint("submissions", __name__)

bp.add_url_rule("/submit/", "choose_kind", controllers.choose_kind)
bp.add_url_rule("/submit/<kind>", "new", controllers.new, methods=["GET", "POST"])
bp.add_url_rule("/my/", "mine", controllers.mine)
bp.add_url_rule("/my/<id:submission_id>", "detail", controllers.detail)
bp.add_url_rule("/my/<id:submission_id>/edit", "edit", controllers.edit, methods=["GET", "POST"])
bp.add_url_rule("/my/more-time", "more_time", more_time.more_time, methods=["GET", "POST"])
bp.add_url_rule(
    "/my/<id:submission_id>/withdraw", "withdraw", controllers.withdraw, methods=["POST"]
)
# Co-editors (coeditors.py): the owner invites, removes and hands over; a co-editor leaves or
# becomes a public contact; the mailed link answers an invitation.
bp.add_url_rule("/my/<id:submission_id>/invite", "invite", coeditors.invite_view, methods=["POST"])
bp.add_url_rule(
    "/my/<id:submission_id>/invitations/<id:invitation_id>/revoke",
    "revoke_invitation",
    coeditors.revoke_view,
    methods=["POST"],
)
bp.add_url_rule(
    "/my/<id:submission_id>/editors/remove",
    "remove_editor",
    coeditors.remove_view,
    methods=["POST"],
)
bp.add_url_rule(
    "/my/<id:submission_id>/editors/hand-over",
    "hand_over",
    coeditors.hand_over_view,
    methods=["POST"],
)
bp.add_url_rule(
    "/my/<id:submission_id>/editors/public-contact",
    "public_contact",
    coeditors.public_contact_view,
    methods=["POST"],
)
# Logos: the digest in the address changes with the image (logos.py says who may see it).
bp.add_url_rule("/logos/<id:logo_id>/<sha256>", "logo", logos.logo_response)
bp.record_once(
    # First of all before-request functions: others (the rate limiter) read the form.
    lambda state: state.app.before_request_funcs.setdefault(None, []).insert(
        0, logos.allow_logo_upload
    )
)
bp.add_url_rule("/invitation/<token>", "invitation", coeditors.invitation, methods=["GET", "POST"])

# Every page shows the deadline (an account with an exception sees its own).
bp.app_context_processor(deadline_context)


@bp.app_template_global()
def pending_time_request() -> TimeRequest | None:
    """The logged-in account's request for more time awaiting the moderators, if any."""
    if not current_user.is_authenticated:
        return None
    return pending_request(current_user)


@bp.app_template_global()
def kind_fields() -> tuple[FieldSpec, ...]:
    """The fields only some kinds have, for the templates that show a submission."""
    return KIND_SPECIFIC


# The owner's page and the moderators' review show what a pending update does to the logo.
bp.add_app_template_global(logos.proposed_logo, "logo_change")
