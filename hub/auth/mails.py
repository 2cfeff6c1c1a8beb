"""What the hub tells people by e-mail about their account (in the account's language)."""

from __future__ import annotations

from flask_babel import force_locale, gettext

from hub.auth.models import User
from hub.auth.tokens import CONFIRM_HOURS, confirmation_token
from hub.i18n import DEFAULT
from hub.mail.outbox import queue_from_template


def confirm_address(user: User) -> None:
    """Send a new account the link that confirms its address and logs in."""
    with force_locale(user.language or DEFAULT):
        queue_from_template(
            "confirm",
            user.email,
            gettext("Confirm your address for Partnerships Hub"),
            "confirm_address.txt",
            user=user,
            token=confirmation_token(user),
            hours=CONFIRM_HOURS,
        )


def registration_attempt(user: User) -> None:
    """Tell an account's owner that someone tried to register with their address.

    Nothing the requester typed goes into it: the hub must not carry anyone's text to any
    address they name.
    """
    with force_locale(user.language or DEFAULT):
        queue_from_template(
            "register_attempt",
            user.email,
            gettext("Someone tried to register with your address"),
            "register_attempt.txt",
            user=user,
        )


def two_factor_changed(user: User, *, enabled: bool) -> None:
    """Tell the account's owner that two-factor authentication was turned on or off: if it
    was not them, they learn it at once."""
    with force_locale(user.language or DEFAULT):
        queue_from_template(
            "two_factor",
            user.email,
            gettext("Two-factor authentication turned on")
            if enabled
            else gettext("Two-factor authentication turned off"),
            "two_factor_changed.txt",
            user=user,
            enabled=enabled,
        )
