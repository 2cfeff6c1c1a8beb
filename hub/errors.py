"""Error pages in the hub's design, or JSON for API clients. Never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from hub.extensions import db

logger = logging.getLogger("hub.errors")

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Go back and try again."),
    401: ("Please log in", "You need to log in to do that."),
    403: ("Not allowed", "You are not allowed to do that."),
    404: ("Page not found", "There is nothing at this address. It may have been moved, "
          "or it may not be public."),
    405: ("Not allowed here", "This address does not accept that kind of request."),
    409: ("Conflict", "Someone changed this in the meantime. Reload and try again."),
    413: ("Too large", "What you sent is larger than the hub accepts. Shorten it and try again."),
    422: ("Check your input", "Some of what you sent is not valid."),
    429: ("Too many requests", "Please wait a moment before trying again."),
    500: ("Something went wrong", "An unexpected error happened on our side. Nothing was "
          "saved. Please try again; if it persists, contact the organisers."),
    503: ("Temporarily unavailable", "The hub is busy or under maintenance. Try again soon."),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def render_error(status: int, detail: str | None = None) -> tuple[Response | str, int]:
    """The error page (or JSON) for `status`, with an optional specific message."""
    title, message = MESSAGES.get(status, MESSAGES[500])
    if _wants_json():
        return jsonify(error=title, message=detail or message, status=status), status
    return render_template("errors/error.html", status=status, title=title,
                           message=detail or message), status


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> tuple[Response | str, int]:
        return render_error(400, "The form's security token was missing or expired, so "
                            "nothing was done. Go back, reload the page and try again.")

    @app.errorhandler(413)
    def too_large(_exc: HTTPException) -> tuple[Response | str, int]:
        limit_kib = app.config["MAX_CONTENT_LENGTH"] // 1024
        return render_error(413, f"What you sent is larger than the {limit_kib} KiB the hub "
                            "accepts. Shorten it (or remove pasted images) and try again.")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[Response | str, int] | HTTPException:
        if exc.code is None or exc.code < 400:
            return exc
        detail = exc.description if exc.code not in MESSAGES else None
        return render_error(exc.code, detail)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[Response | str, int]:
        if isinstance(exc, HTTPException):  # pragma: no cover - handled above
            return render_error(exc.code or 500)
        logger.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_error(InternalServerError.code)
