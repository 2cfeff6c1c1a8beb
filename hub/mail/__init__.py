"""E-mail: an outbox written with each state change, delivered with retries.

Mail sits below the areas and imports none of them: each area writes its own messages
(hub.mail.outbox), and the mail that falls due with time rather than with a request (the
moderators' digest) is handed in by create_app as `write_due`.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, g
from werkzeug.wrappers import Response

from hub.clock import clock
from hub.mail.delivery import WriteDue, deliver_after_request, nothing_due

# How often a process looks, after a response, whether mail due with time (the digest) is due.
DUE_CHECK_EVERY = timedelta(minutes=1)


def init_app(app: Flask, write_due: WriteDue = nothing_due) -> None:
    """After the response: deliver the mail the request queued, and write what `write_due`
    finds due (the moderators' digest) when it is time to look (HUB_MAIL_SEND_AFTER_REQUEST;
    `send-mail` does both too)."""

    @app.after_request
    def _deliver_later(response: Response) -> Response:
        if not app.config.get("HUB_MAIL_SEND_AFTER_REQUEST") or response.status_code >= 500:
            return response  # a failed request queued nothing; a 503 has no database
        queued = bool(g.get("hub_mail_queued"))
        # Not only after requests that queued mail: an item submitted within a digest period
        # would otherwise wait, without `send-mail --loop`, for the next mail of any kind.
        if queued or (write_due is not nothing_due and _time_to_check(app)):
            response.call_on_close(lambda: _deliver_in_context(app, queued, write_due))
        return response


def _time_to_check(app: Flask) -> bool:
    """True at most once per DUE_CHECK_EVERY in this process (by the hub's clock)."""
    now = clock().now()
    last = app.extensions.get("hub_mail_due_checked_at")
    if last is not None and timedelta(0) <= now - last < DUE_CHECK_EVERY:
        return False
    app.extensions["hub_mail_due_checked_at"] = now
    return True


def _deliver_in_context(app: Flask, queued: bool, write_due: WriteDue) -> None:
    with app.app_context():
        deliver_after_request(queued, write_due)
