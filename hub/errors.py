"""Error pages in the hub's design, or JSON for API clients. Never a stack trace."""

from __future__ import annotations

import errno
import logging
from contextlib import suppress

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from hub.extensions import db, login_manager

logger = logging.getLogger("hub.errors")

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    401: (_l("Please log in"), _l("You need to log in to do that.")),
    403: (_l("Not allowed"), _l("You are not allowed to do that.")),
    404: (
        _l("Page not found"),
        _l("There is nothing at this address. It may have been moved, or it may not be public."),
    ),
    405: (_l("Not allowed here"), _l("This address does not accept that kind of request.")),
    409: (_l("Conflict"), _l("Someone changed this in the meantime. Reload and try again.")),
    413: (
        _l("Too large"),
        _l("What you sent is larger than the hub accepts. Shorten it and try again."),
    ),
    415: (
        _l("Not a form"),
        _l(
            "This address accepts forms sent from the hub's pages only. Go back "
            "to the page and send the form from there."
        ),
    ),
    422: (_l("Check your input"), _l("Some of what you sent is not valid.")),
    429: (_l("Too many requests"), _l("Please wait a moment before trying again.")),
    500: (
        _l("Something went wrong"),
        _l(
            "An unexpected error happened on our side. Nothing was "
            "saved. Please try again; if it persists, contact the organisers."
        ),
    ),
    503: (
        _l("Temporarily unavailable"),
        _l("The hub is busy or under maintenance. Try again soon."),
    ),
}

# How long a client should wait when the database is busy or unreachable (Retry-After).
RETRY_AFTER_SECONDS = 30
# A full disk takes a person to fix: no point in retrying every 30 seconds.
STORAGE_FULL_RETRY_AFTER_SECONDS = 600

UNAVAILABLE_DETAIL = _l(
    "The hub cannot reach its database right now (it is busy or under "
    "maintenance). Try again in a minute."
)
UNAVAILABLE_POST_DETAIL = _l(
    "The hub cannot reach its database right now (it is busy or under "
    "maintenance). Try again in a minute. Nothing was saved: go back with your "
    "browser's Back button, where your text is still in the form, and "
    "send it again."
)

STORAGE_FULL_DETAIL = (
    "The hub's server has run out of storage space, so nothing was saved. The organisers "
    "need to free some space; try again later."
)
STORAGE_FULL_POST_DETAIL = (
    STORAGE_FULL_DETAIL + " Go back with your browser's Back button, where your text is still "
    "in the form, and send it again later."
)
# Out of space: SQLite's SQLITE_FULL, PostgreSQL's disk_full (SQLSTATE 53100), or a file the
# hub writes (the search index) failing with ENOSPC or a quota.
_SQLITE_FULL = "database or disk is full"
_PG_DISK_FULL = "53100"
_OUT_OF_SPACE_ERRNOS = (errno.ENOSPC, errno.EDQUOT)

# SQLite reports a missing table or a bad statement as an OperationalError too: those are
# bugs (or a database that was never migrated), not a passing outage.
_NOT_TRANSIENT = ("no such table", "no such column", "has no column", "syntax error")


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database is unreachable or busy (worth retrying), not a bug."""
    if isinstance(exc, DisconnectionError | PoolTimeout):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, OperationalError):
        message = str(exc.orig or exc).lower()
        return not any(words in message for words in _NOT_TRANSIENT)
    return False


def storage_full(exc: BaseException) -> bool:
    """Whether `exc` says the database's or the hub's disk is full (not a lost connection)."""
    if isinstance(exc, DBAPIError):
        orig = exc.orig
        if getattr(orig, "sqlstate", None) == _PG_DISK_FULL:
            return True
        return _SQLITE_FULL in str(orig or exc).lower()
    return isinstance(exc, OSError) and exc.errno in _OUT_OF_SPACE_ERRNOS


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def render_error(
    status: int, detail: str | None = None, retry_after: int | None = None
) -> Response:
    """The error page (or JSON) for `status`, with an optional specific message."""
    title, message = MESSAGES.get(status, MESSAGES[500])
    if request_ctx.url_adapter is None:
        # Werkzeug refused the request's host ("a..b"), so Flask built no URL adapter and
        # url_for fails; the page's links are relative paths, which need no host.
        request_ctx.url_adapter = current_app.url_map.bind(
            "localhost", script_name=request.root_path or "/", url_scheme=request.scheme
        )
    if _wants_json():
        response = make_response(
            jsonify(error=title, message=detail or message, status=status), status
        )
    else:
        response = make_response(
            render_template(
                "errors/error.html", status=status, title=title, message=detail or message
            ),
            status,
        )
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _unavailable(exc: BaseException) -> Response:
    """The 503 answer when the database cannot be used; the page itself needs no database."""
    logger.warning(
        "Database unavailable on %s %s: %s: %s",
        request.method,
        request.path,
        type(exc).__name__,
        str(exc).splitlines()[0] if str(exc) else "",
    )
    with suppress(SQLAlchemyError):  # the connection is gone; the teardown's close copes
        db.session.rollback()
    # Who is logged in is known only to the database: show the page as to a visitor
    # (Flask-Login keeps the request's user in g._login_user).
    g._login_user = login_manager.anonymous_user()
    detail = UNAVAILABLE_POST_DETAIL if request.method == "POST" else UNAVAILABLE_DETAIL
    return render_error(503, detail, retry_after=RETRY_AFTER_SECONDS)


def _storage_full(exc: BaseException) -> Response:
    """The 503 answer when the disk is full: say so (it is no passing outage to wait out)."""
    logger.error(
        "Out of storage space on %s %s: %s: %s",
        request.method,
        request.path,
        type(exc).__name__,
        str(exc).splitlines()[0] if str(exc) else "",
    )
    with suppress(SQLAlchemyError):
        db.session.rollback()
    g._login_user = login_manager.anonymous_user()  # as _unavailable: no database to ask
    detail = STORAGE_FULL_POST_DETAIL if request.method == "POST" else STORAGE_FULL_DETAIL
    return render_error(503, detail, retry_after=STORAGE_FULL_RETRY_AFTER_SECONDS)


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> Response:
        return render_error(
            400,
            _(
                "The form's security token was missing or expired, so "
                "nothing was done. Go back, reload the page and try again."
            ),
        )

    @app.errorhandler(413)
    def too_large(_exc: HTTPException) -> Response:
        # The request's own limit: a submission form's is larger (it may carry a logo).
        limit_kib = (request.max_content_length or app.config["MAX_CONTENT_LENGTH"]) // 1024
        return render_error(
            413,
            _(
                "What you sent is larger than the %(limit)d KiB the hub "
                "accepts. Shorten it (or remove pasted images) and try again.",
                limit=limit_kib,
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response | HTTPException:
        if exc.code is None or exc.code < 400:
            return exc
        detail = exc.description if exc.code not in MESSAGES else None
        retry_after = getattr(exc, "retry_after", None)  # 429 and 503 may say when
        return render_error(exc.code, detail, retry_after if isinstance(retry_after, int) else None)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        if isinstance(exc, HTTPException):  # pragma: no cover - handled above
            return render_error(exc.code or 500)
        if storage_full(exc):
            return _storage_full(exc)
        if database_unavailable(exc):
            return _unavailable(exc)
        logger.exception("Unhandled error on %s %s", request.method, request.path)
        with suppress(SQLAlchemyError):
            db.session.rollback()
        return render_error(InternalServerError.code)
