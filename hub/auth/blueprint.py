"""The accounts area's URL map: register and confirm an address, log in, log out, recover a
forgotten password, and the account page.

Handlers are in controllers.py (register, log in and out), recovery.py (a forgotten
password, the confirmation link again) and account.py (the account page); pages in
pages.py; login sessions (which cookie logs in whom, and until when) in sessions.py.
"""

from __future__ import annotations

from flask import Blueprint

from hub.auth import account, controllers, optout, recovery, sessions, twofactor_views

bp = Blueprint("auth", __name__, url_prefix="/account")

bp.add_url_rule("/register", "register", controllers.register, methods=["GET", "POST"])
bp.add_url_rule("/register/sent", "registered", controllers.registered)
bp.add_url_rule("/confirm/<token>", "confirm", controllers.confirm, methods=["GET", "POST"])
bp.add_url_rule("/login", "login", controllers.login, methods=["GET", "POST"])
bp.add_url_rule("/logout", "logout", controllers.logout, methods=["POST"])
bp.add_url_rule(
    "/logout-everywhere", "logout_everywhere", controllers.logout_everywhere, methods=["POST"]
)
bp.add_url_rule("/forgot", "forgot", recovery.forgot, methods=["GET", "POST"])
bp.add_url_rule("/forgot/sent", "forgot_sent", recovery.forgot_sent)
bp.add_url_rule("/reset/<token>", "reset", recovery.reset, methods=["GET", "POST"])
bp.add_url_rule(
    "/confirm/again", "resend_confirmation", recovery.resend_confirmation, methods=["POST"]
)
bp.add_url_rule("/settings", "settings", account.settings)
bp.add_url_rule("/settings/profile", "save_profile", account.save_profile, methods=["POST"])
bp.add_url_rule(
    "/settings/notifications",
    "save_notifications",
    account.save_notifications,
    methods=["POST"],
)
bp.add_url_rule(
    "/settings/password", "change_password", account.change_password_view, methods=["POST"]
)
bp.add_url_rule("/settings/email", "change_email", account.change_email_view, methods=["POST"])
bp.add_url_rule("/email/<token>", "confirm_change", account.confirm_change, methods=["GET", "POST"])
# The link in every reminder (optout.py): no login, no CSRF token (RFC 8058 one-click).
bp.add_url_rule("/reminders/stop/<token>", "stop_reminders", optout.stop, methods=["GET", "POST"])


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
