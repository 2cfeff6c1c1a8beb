"""Pages anyone may see."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from hub.public import routes  # noqa: E402,F401  (registers the views)
