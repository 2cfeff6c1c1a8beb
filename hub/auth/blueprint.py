"""The accounts area's URL map: register and confirm an address, log in, log out.

Handlers are in controllers.py, pages in pages.py; login sessions (which cookie logs in
whom, and until when) in sessions.py.
"""

from __future__ import annotations

from flask import Blueprint

from hub.auth import controllers, sessions, twofactor_views

bp = Blueprint("auth", __name__, url_prefix="/account")

bp.add_url_rule("/register", "register", controllers.register, methods=["GET", "POST"])
bp.add_url_rule("/register/sent", "registered", controllers.registered)
bp.add_url_rule("/confirm/<token>", "confirm", controllers.confirm, methods=["GET", "POST"])
bp.add_url_rule("/login", "login", controllers.login, methods=["GET", "POST"])
bp.add_url_rule("/logout", "logout", controllers.logout, methods=["POST"])
bp.add_url_rule(
    "/logout-everywhere", "logout_everywhere", controllers.logout_everywhere, methods=["POST"]
)


# Two-factor authentication (twofactor_views.py): the code after the password, and its page.
POST = ["POST"]
bp.add_url_rule("/login/code", "login_code", twofactor_views.login_code, methods=["GET", "POST"])
bp.add_url_rule("/two-factor", "two_factor", twofactor_views.two_factor)
bp.add_url_rule(
    "/two-factor/setup", "two_factor_setup", twofactor_views.two_factor_setup, methods=POST
)
bp.add_url_rule(
    "/two-factor/enable", "two_factor_enable", twofactor_views.two_factor_enable, methods=POST
)
bp.add_url_rule(
    "/two-factor/recovery-codes",
    "two_factor_recovery",
    twofactor_views.two_factor_recovery,
    methods=POST,
)
bp.add_url_rule(
    "/two-factor/disable", "two_factor_disable", twofactor_views.two_factor_disable, methods=POST
)

bp.record_once(lambda state: sessions.init_app(state.app))
