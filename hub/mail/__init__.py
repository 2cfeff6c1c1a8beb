"""E-mail: an outbox written with each state change, delivered with retries."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, g
from werkzeug.wrappers import Response

from hub.clock import clock

# How often a process looks, after a response, whether the moderators' digest is due.
DIGEST_CHECK_EVERY = timedelta(minutes=1)


def init_app(app: Flask) -> None:
    """After the response: deliver the mail the request queued, and write the moderators'
    digest when one is due (HUB_MAIL_SEND_AFTER_REQUEST; `send-mail` does both too)."""

    @app.after_request
    def _deliver_later(response: Response) -> Response:
        if not app.config.get("HUB_MAIL_SEND_AFTER_REQUEST") or response.status_code >= 500:
            return response  # a failed request queued nothing; a 503 has no database
        queued = bool(g.get("hub_mail_queued"))
        # Not only after requests that queued mail: an item submitted within a digest period
        # would otherwise wait, without `send-mail --loop`, for the next mail of any kind.
        if queued or _time_to_check_digest(app):
            response.call_on_close(lambda: _deliver_in_context(app, queued))
        return response


def _time_to_check_digest(app: Flask) -> bool:
    """True at most once per DIGEST_CHECK_EVERY in this process (by the hub's clock)."""
    now = clock().now()
    last = app.extensions.get("hub_digest_checked_at")
    if last is not None and timedelta(0) <= now - last < DIGEST_CHECK_EVERY:
        return False
    app.extensions["hub_digest_checked_at"] = now
    return True


def _deliver_in_context(app: Flask, queued: bool) -> None:
    from hub.mail.outbox import deliver_after_request

    with app.app_context():
        deliver_after_request(queued)
