"""Writing, submitting, editing and withdrawing submissions."""

from flask import Blueprint

bp = Blueprint("submissions", __name__)

from hub.submissions import routes  # noqa: E402,F401  (registers the views)
