"""The submissions area's URL map: writing, submitting, editing, withdrawing one's own.

Handlers are in controllers.py. The blueprint also gives every page of the hub the
submission deadline (the banner) and the kind-specific fields (templates/_submission.html).
"""

from __future__ import annotations

from flask import Blueprint

from hub.submissions import controllers
from hub.submissions.deadlines import deadline_context
from hub.submissions.fields import KIND_SPECIFIC, FieldSpec

bp = Blueprint("submissions", __name__)

bp.add_url_rule("/submit/", "choose_kind", controllers.choose_kind)
bp.add_url_rule("/submit/<kind>", "new", controllers.new, methods=["GET", "POST"])
bp.add_url_rule("/my/", "mine", controllers.mine)
bp.add_url_rule("/my/<id:submission_id>", "detail", controllers.detail)
bp.add_url_rule("/my/<id:submission_id>/edit", "edit", controllers.edit, methods=["GET", "POST"])
bp.add_url_rule(
    "/my/<id:submission_id>/withdraw", "withdraw", controllers.withdraw, methods=["POST"]
)

# Every page shows the deadline (an account with an exception sees its own).
bp.app_context_processor(deadline_context)


@bp.app_template_global()
def kind_fields() -> tuple[FieldSpec, ...]:
    """The fields only some kinds have, for the templates that show a submission."""
    return KIND_SPECIFIC
