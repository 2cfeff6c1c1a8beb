"""Login sessions that end on the server.

Flask's session is a signed cookie: on its own, a copy of it would keep authenticating until
it expires, whatever its owner does. So the cookie names a login session as well as the
account (`User.get_id()`: "<user id>:<token>"), each login session is a `user_sessions` row,
and the user loader accepts the cookie only while that row has not ended. Logout, "log out
everywhere" (and later a password change or a deactivation) end rows; the copies die with
them. This is Flask-Login's documented "alternative tokens" approach.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

from flask import Flask, current_app, g
from flask.sansio.app import App
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from hub.auth.models import User, UserSession
from hub.clock import clock
from hub.extensions import db, login_manager

logger = logging.getLogger("hub.auth")

# How stale `last_seen_at` may get: it is written at most this often, not on every request.
TOUCH_EVERY = timedelta(minutes=5)


def token_hash(token: str) -> str:
    """What is stored of a session token (the cookie holds the token itself)."""
    return hashlib.sha256(token.encode()).hexdigest()


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the account of "<id>:<token>" if that login session is
    still going, in one query. Cookies from before sessions were kept (a bare id) log out."""
    account, _, token = user_id.partition(":")
    if not account.isdigit() or not token:
        return None
    found = db.session.execute(
        select(User, UserSession.id, UserSession.last_seen_at)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            User.id == int(account),
            UserSession.token_hash == token_hash(token),
            UserSession.ended_at.is_(None),
            # Deactivation ends the sessions too; this keeps a session begun meanwhile out.
            User.deactivated_at.is_(None),
            User.deleted_at.is_(None),
        )
    ).first()
    if found is None:
        return None
    user, session_id, last_seen = found
    user.session_token = token
    if clock().now() - last_seen >= TOUCH_EVERY:
        g.hub_touch_session = session_id
    return user


def _touch_after_response(response: Response) -> Response:
    """Note, after the response, that a session due for it was used (see _touch)."""
    session_id = g.pop("hub_touch_session", None)
    if session_id is not None and response.status_code < 500:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        now = clock().now()
        response.call_on_close(lambda: _touch(app, session_id, now))
    return response


def _touch(app: Flask, session_id: int, now: datetime) -> None:
    """Write `last_seen_at` on a connection of its own once the request's transaction is
    over: a reading request has no write lock to write with, and a writing one that did not
    commit must not commit this alone. Losing a touch costs nothing."""
    try:
        with app.extensions["hub_db_writer"].begin() as conn:
            conn.execute(
                update(UserSession)
                .where(UserSession.id == session_id, UserSession.ended_at.is_(None))
                .values(last_seen_at=now)
            )
    except SQLAlchemyError as exc:
        logger.warning("Session %s not marked as seen: %s", session_id, exc)


def init_app(app: App) -> None:
    """Load accounts by login session, and note when sessions were last used."""
    login_manager.user_loader(load_user)
    app.after_request(_touch_after_response)
