"""What the hub tells people by e-mail about their account."""

from __future__ import annotations

from hub.auth.models import User
from hub.auth.tokens import CONFIRM_HOURS, confirmation_token
from hub.mail.outbox import queue_from_template


def confirm_address(user: User) -> None:
    """Send a new account the link that confirms its address and logs in."""
    queue_from_template(
        "confirm",
        user.email,
        "Confirm your address for Partnerships Hub",
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
    queue_from_template(
        "register_attempt",
        user.email,
        "Someone tried to register with your address",
        "register_attempt.txt",
        user=user,
    )
