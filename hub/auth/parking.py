"""Posts kept across an expired login: a form sent while logged out is parked, then restored.

An area marks the views whose posts are worth keeping with @parkable(field names); the
unauthorized handler (hub/auth/controllers.py) parks such a post before sending to the login page,
and the view restores it with unpark_post() once its owner is back.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from flask import current_app, request
from sqlalchemy import JSON, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from hub.clock import clock
from hub.extensions import Base, UTCDateTime, db, utcnow

PARK_HOURS = 24
PARK_MAX_ROWS = 1000  # anyone can post to a form while logged out: bound what is kept
PARK_MAX_CHARS = 20000  # per value: the longest field (description) fits
PARK_MAX_VALUES = 300  # per field: more than any vocabulary has

View = TypeVar("View", bound=Callable[..., Any])


class ParkedPost(Base):
    """A form posted by a browser whose login had expired.

    Kept server-side (texts are too long for a cookie) under a random token that only that
    browser's session knows; restored into the form after logging in again.
    """

    __tablename__ = "parked_posts"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    path: Mapped[str] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


def parkable(*fields: str) -> Callable[[View], View]:
    """Mark a view whose posts survive an expired login; only `fields` are kept."""

    def mark(view: View) -> View:
        # login_required copies the attribute onto its wrapper (functools.wraps), so the
        # decorators may come in either order.
        view.parked_fields = frozenset(fields)  # type: ignore[attr-defined]
        return view

    return mark


def fields_to_park() -> frozenset[str] | None:
    """The fields to keep of the current request's post, or None if its view is not parkable."""
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "parked_fields", None)


def park_post(
    path: str, form: dict[str, list[str]], keep: Iterable[str], replaces: str | None = None
) -> str:
    """Keep a form posted without a valid login; return the token that restores it.

    Only the `keep` fields are kept, each cut to the longest field's limit; a browser keeps
    one parked post (`replaces` is its previous token), and the oldest go when more than
    PARK_MAX_ROWS are kept.
    """
    now = clock().now()
    db.session.execute(
        delete(ParkedPost).where(ParkedPost.created_at < now - timedelta(hours=PARK_HOURS))
    )
    if replaces:
        db.session.execute(delete(ParkedPost).where(ParkedPost.token == replaces))
    wanted = set(keep)
    data = {
        k: [v[:PARK_MAX_CHARS] for v in values[:PARK_MAX_VALUES]]
        for k, values in form.items()
        if k in wanted
    }
    oldest = (
        select(ParkedPost.token).order_by(ParkedPost.created_at.desc()).offset(PARK_MAX_ROWS - 1)
    )
    db.session.execute(delete(ParkedPost).where(ParkedPost.token.in_(oldest)))
    token = secrets.token_urlsafe(32)
    db.session.add(ParkedPost(token=token, path=path[:200], data=data, created_at=now))
    db.session.flush()
    return token


def unpark_post(token: str | None, path: str) -> dict[str, list[str]] | None:
    """The parked form data for this path (once: it is deleted), or None."""
    if not token:
        return None
    parked = db.session.get(ParkedPost, token)
    if parked is None or parked.path != path:
        return None
    db.session.delete(parked)
    db.session.flush()
    return parked.data
