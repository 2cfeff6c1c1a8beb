"""What the hub tells people by e-mail about their account (in the account's language)."""

from __future__ import annotations

from flask_babel import force_locale, gettext

from hub.auth.models import User
from hub.auth.tokens import (
    CONFIRM_HOURS,
    confirmation_token,
    email_change_token,
    reset_token,
)
from hub.i18n import DEFAULT
from hub.mail.outbox import queue_from_template


def confirm_address(user: User, next_path: str | None = None) -> None:
    """Send a new account the link that confirms its address and logs in; `next_path` (a
    path on this site, hub.auth.controllers.safe_next) is where the link then leads, such as
    the invitation that brought the person to register."""
    with force_locale(user.language or DEFAULT):
        queue_from_template(
            "confirm",
            user.email,
            gettext("Confirm your address for Partnerships Hub"),
            "confirm_address.txt",
            user=user,
            token=confirmation_token(user),
            next_path=next_path,
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


def password_reset(user: User) -> None:
    """Send the link that sets a new password (asked for on the "forgot" page)."""
    with force_locale(user.language or DEFAULT):
        queue_from_template(
            "password_reset",
            user.email,
            gettext("Set a new password for Partnerships Hub"),
            "password_reset.txt",
            user=user,
            token=reset_token(user),
        )


def reset_without_account(email: str, language: str) -> None:
    """Tell an address without an account that a reset was asked for it: the same work as
    for an account (one mail), so the forgot page's time tells nothing. It carries no link
    that changes anything, and nothing the requester typed but the address itself."""
    with force_locale(language):
        queue_from_template(
            "reset_no_account",
            email,
            gettext("Set a new password for Partnerships Hub"),
            "reset_no_account.txt",
        )


def password_changed(user: User, by_reset: bool) -> None:
    """Tell the owner their password changed (a reset or the account page)."""
    with force_locale(user.language or DEFAULT):
        queue_from_template(
            "password_changed",
            user.email,
            gettext("Your Partnerships Hub password was changed"),
            "password_changed.txt",
            user=user,
            by_reset=by_reset,
        )


def confirm_new_address(user: User, new_email: str) -> None:
    """Send the link that makes `new_email` the account's address, to that address."""
    with force_locale(user.language or DEFAULT):
        queue_from_template(
            "confirm_new_address",
            new_email,
            gettext("Confirm your new address for Partnerships Hub"),
            "confirm_new_address.txt",
            user=user,
            new_email=new_email,
            token=email_change_token(user, new_email),
            hours=CONFIRM_HOURS,
        )


def address_change(user: User, old_email: str, new_email: str, done: bool) -> None:
    """Tell the old address that a change to `new_email` was asked for, or made."""
    with force_locale(user.language or DEFAULT):
        queue_from_template(
            "address_changed" if done else "address_change_requested",
            old_email,
            gettext("Your Partnerships Hub address was changed")
            if done
            else gettext("A new address was requested for your Partnerships Hub account"),
            "address_change.txt",
            user=user,
            new_email=new_email,
            done=done,
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
