"""Account state changes: they flush and log, the view commits."""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from hub.auth.models import Role, User
from hub.clock import clock
from hub.extensions import db

logger = logging.getLogger("hub.auth")

# Checked against when the e-mail is unknown, so a miss costs as long as a hit.
_DUMMY_HASHES: dict[str, str] = {}


def hash_password(password: str) -> str:
    """The stored form of a password (werkzeug, HUB_PASSWORD_HASH_METHOD)."""
    return generate_password_hash(password, method=current_app.config["HUB_PASSWORD_HASH_METHOD"])


def _dummy_hash() -> str:
    method = current_app.config["HUB_PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = hash_password("not-a-real-password")
    return _DUMMY_HASHES[method]


class EmailTaken(ValueError):
    """An account with this e-mail already exists."""


def find_user(email: str) -> User | None:
    """The account with this e-mail, ignoring case."""
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def create_user(
    email: str,
    password: str,
    display_name: str,
    organisation: str = "",
    role: Role = Role.SUBMITTER,
) -> User:
    """Create an account; raise EmailTaken when the e-mail is in use."""
    email = email.strip().lower()
    if find_user(email) is not None:
        raise EmailTaken(email)
    user = User(
        email=email,
        password_hash=hash_password(password),
        display_name=display_name.strip(),
        organisation=organisation.strip(),
        role=role,
        created_at=clock().now(),
    )
    db.session.add(user)
    db.session.flush()
    logger.info("User %s created with role %s", user.email, role)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The account if the password matches, else None (same cost either way)."""
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def record_login(user: User) -> None:
    """Remember when the user last logged in."""
    user.last_login_at = clock().now()
    db.session.flush()
    logger.info("User %s logged in", user.email)


def set_password(user: User, password: str) -> None:
    """Replace the user's password."""
    user.password_hash = hash_password(password)
    db.session.flush()
    logger.info("Password of %s changed", user.email)
