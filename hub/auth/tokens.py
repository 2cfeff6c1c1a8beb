"""Links mailed to confirm an address: signed, timed by the hub's clock, and single-use.

A link carries the account and the address it was sent to, signed with the app's secret
(and a salt of its own, so no other signed value of the hub can pass for one). It is good
for CONFIRM_HOURS and only while the address is unconfirmed: once used, the state it was
issued for is gone, so a second click changes nothing.
"""

from __future__ import annotations

import enum

from flask import current_app
from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from hub.auth.models import User
from hub.clock import clock
from hub.extensions import db

CONFIRM_SALT = "hub-confirm-email"
CONFIRM_HOURS = 48


class TokenProblem(enum.Enum):
    """Why a confirmation link does nothing."""

    INVALID = "invalid"  # forged, truncated, or for an account that is gone
    EXPIRED = "expired"
    USED = "used"


class _HubClockSigner(TimestampSigner):
    """Dates links by the hub's clock (which tests move), not by time.time()."""

    def get_timestamp(self) -> int:
        """Now, in whole seconds."""
        return int(clock().now().timestamp())


def _serializer() -> URLSafeTimedSerializer:
    secret: str = current_app.config["SECRET_KEY"]  # set at start (hub/config.py)
    return URLSafeTimedSerializer(secret, salt=CONFIRM_SALT, signer=_HubClockSigner)


def confirmation_token(user: User) -> str:
    """The token of the link that confirms `user`'s address."""
    return _serializer().dumps([user.id, user.email])


def read_confirmation_token(token: str) -> User | TokenProblem:
    """The account a confirmation token is good for now, or why it is not."""
    try:
        user_id, email = _serializer().loads(token, max_age=CONFIRM_HOURS * 3600)
    except SignatureExpired:
        return TokenProblem.EXPIRED
    except (BadData, TypeError, ValueError):  # bad signature or payload, cut short, garbage
        return TokenProblem.INVALID
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.email != email:
        return TokenProblem.INVALID
    if user.email_confirmed_at is not None:
        return TokenProblem.USED
    return user
