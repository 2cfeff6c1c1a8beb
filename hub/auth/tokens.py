"""Links mailed about an account: signed, timed by the hub's clock, and single-use.

A link carries the account and the state it was issued for, signed with the app's secret
and a salt per purpose (so no other signed value of the hub can pass for one):

- confirming an address: the address; good for CONFIRM_HOURS while it is unconfirmed;
- resetting a password: a fingerprint of the password hash; good for RESET_HOURS while the
  password is unchanged, so the reset itself (or any other change) spends it;
- changing the address: the old and the new address and the password fingerprint; good
  for CONFIRM_HOURS while the account still has the old address and the same password (a
  new password cancels a change someone else asked for);
- stopping reminders (the link in every reminder, and its List-Unsubscribe header): the
  address; good for STOP_DAYS while the account has that address and is not deleted. It
  may be used again (the opt-out is idempotent).

Once used, the state a link was issued for is gone, so a second click changes nothing.
"""

from __future__ import annotations

import enum
import hashlib
from typing import Any, Protocol, TypeVar

from flask import current_app
from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from hub.auth.models import User
from hub.clock import clock
from hub.extensions import db

CONFIRM_SALT = "hub-confirm-email"
RESET_SALT = "hub-reset-password"
CHANGE_SALT = "hub-change-email"
STOP_SALT = "hub-stop-reminders"
CONFIRM_HOURS = 48
RESET_HOURS = 1
STOP_DAYS = 90


class TokenProblem(enum.Enum):
    """Why a mailed link does nothing."""

    INVALID = "invalid"  # forged, truncated, or for an account that is gone
    EXPIRED = "expired"
    USED = "used"


class _HubClockSigner(TimestampSigner):
    """Dates links by the hub's clock (which tests move), not by time.time()."""

    def get_timestamp(self) -> int:
        """Now, in whole seconds."""
        return int(clock().now().timestamp())


class _SecretRow(Protocol):
    """A row a one-time link names: it keeps the hash of the link's secret."""

    token_hash: str


_Row = TypeVar("_Row", bound=_SecretRow)


def serializer(salt: str) -> URLSafeTimedSerializer:
    """Signed, timed links dated by the hub's clock; every link of the hub (accounts,
    invitations, held contact messages) is made and read by one of these."""
    secret: str = current_app.config["SECRET_KEY"]  # set at start (hub/config.py)
    return URLSafeTimedSerializer(secret, salt=salt, signer=_HubClockSigner)


def secret_hash(secret: str) -> str:
    """What the database keeps of a link's one-time secret (SHA-256, hex)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def read_secret_link(token: str, salt: str, max_age: int, model: type[_Row]) -> _Row | TokenProblem:
    """The row a one-time link names (signed `[row id, secret]`; the row keeps the secret's
    hash as `token_hash`), or why not: EXPIRED past `max_age` seconds, INVALID when forged,
    cut short, its row gone or its secret another. The row's own state is the caller's."""
    try:
        row_id, secret = serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired:
        return TokenProblem.EXPIRED
    except (BadData, TypeError, ValueError):  # bad signature or payload, cut short, garbage
        return TokenProblem.INVALID
    row = db.session.get(model, row_id) if isinstance(row_id, int) else None
    if row is None or not isinstance(secret, str) or row.token_hash != secret_hash(secret):
        return TokenProblem.INVALID
    return row


def _read(token: str, salt: str, hours: int) -> tuple[User, list[Any]] | TokenProblem:
    """The account a token names and the rest of its payload, or why it is not good."""
    try:
        payload = serializer(salt).loads(token, max_age=hours * 3600)
    except SignatureExpired:
        return TokenProblem.EXPIRED
    except (BadData, TypeError, ValueError):  # bad signature or payload, cut short, garbage
        return TokenProblem.INVALID
    if not isinstance(payload, list) or not payload or not isinstance(payload[0], int):
        return TokenProblem.INVALID
    user = db.session.get(User, payload[0])
    return TokenProblem.INVALID if user is None else (user, payload[1:])


def confirmation_token(user: User) -> str:
    """The token of the link that confirms `user`'s address."""
    return serializer(CONFIRM_SALT).dumps([user.id, user.email])


def read_confirmation_token(token: str) -> User | TokenProblem:
    """The account a confirmation token is good for now, or why it is not."""
    found = _read(token, CONFIRM_SALT, CONFIRM_HOURS)
    if isinstance(found, TokenProblem):
        return found
    user, rest = found
    if rest != [user.email]:
        return TokenProblem.INVALID
    if user.email_confirmed_at is not None:
        return TokenProblem.USED
    return user


def _password_fingerprint(user: User) -> str:
    """A short digest of the stored password hash: it changes whenever the password does,
    and tells nothing about the password (the hash itself never leaves the database)."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def reset_token(user: User) -> str:
    """The token of the link that sets a new password for `user`."""
    return serializer(RESET_SALT).dumps([user.id, _password_fingerprint(user)])


def read_reset_token(token: str) -> User | TokenProblem:
    """The account a reset token is good for now, or why it is not."""
    found = _read(token, RESET_SALT, RESET_HOURS)
    if isinstance(found, TokenProblem):
        return found
    user, rest = found
    if len(rest) != 1 or not isinstance(rest[0], str):
        return TokenProblem.INVALID
    # The password changed since the link was sent: by this link, or another way.
    return user if rest[0] == _password_fingerprint(user) else TokenProblem.USED


def email_change_token(user: User, new_email: str) -> str:
    """The token of the link, mailed to `new_email`, that makes it the account's address."""
    return serializer(CHANGE_SALT).dumps(
        [user.id, user.email, new_email, _password_fingerprint(user)]
    )


def read_email_change_token(token: str) -> tuple[User, str] | TokenProblem:
    """The account and the new address a change token is good for now, or why it is not."""
    found = _read(token, CHANGE_SALT, CONFIRM_HOURS)
    if isinstance(found, TokenProblem):
        return found
    user, rest = found
    if len(rest) != 3 or not all(isinstance(part, str) for part in rest):
        return TokenProblem.INVALID
    old, new, fingerprint = rest
    # Spent: used (the account has the new address), or the address changed since to a
    # third one, or the password changed since.
    if user.email != old or fingerprint != _password_fingerprint(user):
        return TokenProblem.USED
    return user, new


def stop_reminders_token(user: User) -> str:
    """The token of the link, in every reminder, that turns `user`'s reminders off."""
    return serializer(STOP_SALT).dumps([user.id, user.email])


def read_stop_reminders_token(token: str) -> User | TokenProblem:
    """The account a stop-reminders token is good for now, or why it is not (a link mailed
    to an address the account no longer has, or to a deleted account, is not valid)."""
    found = _read(token, STOP_SALT, STOP_DAYS * 24)
    if isinstance(found, TokenProblem):
        return found
    user, rest = found
    if rest != [user.email] or user.deleted_at is not None:
        return TokenProblem.INVALID
    return user
