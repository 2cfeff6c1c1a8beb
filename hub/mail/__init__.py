"""E-mail: an outbox written with each state change, delivered with retries."""

from __future__ import annotations

from flask import Flask, g
from werkzeug.wrappers import Response


def init_app(app: Flask) -> None:
    """Deliver freshly queued mail once the response has gone out."""

    @app.after_request
    def _deliver_later(response: Response) -> Response:
        if g.get("hub_mail_queued") and app.config.get("HUB_MAIL_SEND_AFTER_REQUEST") \
                and app.config.get("HUB_MAIL_SERVER"):
            response.call_on_close(lambda: _deliver_in_context(app))
        return response


def _deliver_in_context(app: Flask) -> None:
    from hub.mail.outbox import deliver_after_request

    with app.app_context():
        deliver_after_request()
