"""The accounts area's URL map: register and confirm an address, log in, log out.

Handlers are in controllers.py, pages in pages.py; login sessions (which cookie logs in
whom, and until when) in sessions.py.
"""

from __future__ import annotations

from flask import Blueprint

from hub.auth import controllers, sessions

bp = Blueprint("auth", __name__, url_prefix="/account")

bp.add_url_rule("/register", "register", controllers.register, methods=["GET", "POST"])
bp.add_url_rule("/register/sent", "registered", controllers.registered)
bp.add_url_rule("/confirm/<token>", "confirm", controllers.confirm, methods=["GET", "POST"])
bp.add_url_rule("/login", "login", controllers.login, methods=["GET", "POST"])
bp.add_url_rule("/logout", "logout", controllers.logout, methods=["POST"])
bp.add_url_rule(
    "/logout-everywhere", "logout_everywhere", controllers.logout_everywhere, methods=["POST"]
)

bp.record_once(lambda state: sessions.init_app(state.app))
