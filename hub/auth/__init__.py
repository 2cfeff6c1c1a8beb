"""Accounts: register, log in, log out."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/account")

from hub.auth import routes  # noqa: E402,F401  (registers the views)
