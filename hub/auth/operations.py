"""Account state changes: they flush and log, the view commits."""

from __future__ import annotations

import logging
import secrets

from flask import current_app
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from hub.audit import record
from hub.audit.models import Action
from hub.auth import mails
from hub.auth.models import USER_AGENT_MAX, Role, User, UserSession
from hub.auth.sessions import token_hash
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
    *,
    confirmed: bool = True,
) -> User:
    """Create an account (an operator's: the CLI, the demo), its address confirmed unless
    `confirmed` is False; raise EmailTaken when the e-mail is in use."""
    if find_user(email) is not None:
        raise EmailTaken(email.strip().lower())
    user = _add_user(email, hash_password(password), display_name, organisation, role)
    if confirmed:  # whoever created it vouches for the address
        user.email_confirmed_at = user.created_at
    return user


def _add_user(
    email: str, password_hash: str, display_name: str, organisation: str, role: Role
) -> User:
    user = User(
        email=email.strip().lower(),
        password_hash=password_hash,
        display_name=display_name.strip(),
        organisation=organisation.strip(),
        role=role,
        created_at=clock().now(),
    )
    db.session.add(user)
    db.session.flush()
    logger.info("User %s created with role %s", user.email, role)
    return user


def register(
    email: str,
    password: str,
    display_name: str,
    organisation: str = "",
    language: str | None = None,
    next_path: str | None = None,
) -> None:
    """Create an unconfirmed account and mail it its confirmation link (leading on to
    `next_path`, a safe path on this site); for an address that
    has an account, mail its owner instead. The same work either way (one password hash, one
    mail), so neither the answer nor its time tells whether the address has an account."""
    existing = find_user(email)
    password_hash = hash_password(password)
    if existing is not None:
        mails.registration_attempt(existing)
        db.session.flush()
        logger.info("Registration attempted with the address of %s", existing.email)
        return
    user = _add_user(email, password_hash, display_name, organisation, Role.SUBMITTER)
    user.language = language  # its pages and mails in the language it registered in
    record(Action.REGISTERED, user, subject_user=user)
    mails.confirm_address(user, next_path)
    db.session.flush()


def confirm_email(user: User) -> bool:
    """Mark the address confirmed; False when it already was (a link used twice at once)."""
    now = clock().now()
    done = db.session.execute(
        update(User)
        .where(User.id == user.id, User.email_confirmed_at.is_(None))
        .values(email_confirmed_at=now)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        return False
    user.email_confirmed_at = now
    record(Action.EMAIL_CONFIRMED, user, subject_user=user)
    db.session.flush()
    return True


def authenticate(email: str, password: str) -> User | None:
    """The account if the password matches, else None (same cost either way)."""
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def record_login(user: User, user_agent: str = "") -> None:
    """Start a new login session for the user (its token goes into the cookie) and
    remember when they last logged in."""
    now = clock().now()
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=token_hash(token),
            user_agent="".join(c for c in user_agent if c.isprintable())[:USER_AGENT_MAX],
            created_at=now,
            last_seen_at=now,
        )
    )
    user.session_token = token
    user.last_login_at = now
    db.session.flush()
    logger.info("User %s logged in", user.email)


def end_session(user: User) -> None:
    """End the login session this request runs in (logout)."""
    if user.session_token is not None:
        db.session.execute(
            update(UserSession)
            .where(
                UserSession.token_hash == token_hash(user.session_token),
                UserSession.ended_at.is_(None),
            )
            .values(ended_at=clock().now())
        )
        db.session.flush()
        logger.info("User %s logged out", user.email)


def end_sessions(user: User, keep: str | None = None) -> int:
    """End every login session of the account but the one whose token is `keep` (log out
    everywhere; a password change or reset, a deactivation); return how many ended."""
    stmt = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep is not None:
        stmt = stmt.where(UserSession.token_hash != token_hash(keep))
    ended = int(db.session.execute(stmt.values(ended_at=clock().now())).rowcount)  # type: ignore[attr-defined]
    db.session.flush()
    logger.info("%s login sessions of %s ended", ended, user.email)
    return ended


def log_out_everywhere(user: User) -> int:
    """End every login session of the account, this one included, and audit it."""
    ended = end_sessions(user)
    record(
        Action.SESSIONS_ENDED,
        user,
        subject_user=user,
        message=f"Logged out everywhere: {ended} session{'' if ended == 1 else 's'} ended.",
    )
    db.session.flush()
    return ended


def set_password(user: User, password: str) -> None:
    """Replace the user's password."""
    user.password_hash = hash_password(password)
    db.session.flush()
    logger.info("Password of %s changed", user.email)
