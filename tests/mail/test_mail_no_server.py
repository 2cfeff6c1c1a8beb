"""Mail without an SMTP server (HUB_MAIL_SERVER unset): everything, the moderators' digest
included, is kept in the outbox and written to the log."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from hub import create_app
from hub.auth.models import Role
from hub.extensions import db
from hub.moderation.models import DigestItem

from helpers import PASSWORD, full_content, outbox

START = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def at(app: Flask, moment: datetime, client: Any, method: str, url: str, **kwargs: Any) -> Any:
    """One request at `moment`, its response closed (the after-response work runs then)."""
    app.extensions["hub_clock"].freeze(moment)
    with app.app_context():
        response = client.open(url, method=method, **kwargs)
        assert response.status_code in (200, 302), response.text[:500]
        response.close()
    return response


def submitter(app: Flask, create_user: Any) -> Any:
    client = app.test_client()
    user = create_user(email="owner@example.org")
    at(
        app,
        START,
        client,
        "POST",
        "/account/login",
        data={"email": user.email, "password": PASSWORD},
    )
    return client


def submit(app: Flask, client: Any, moment: datetime, title: str) -> None:
    at(
        app,
        moment,
        client,
        "POST",
        "/submit/initiative",
        data={**full_content(title=title), "action": "submit"},
    )


def digests(app: Flask) -> list[tuple[str, str]]:
    """(recipient, body) of each digest in the outbox."""
    return [(m.to_addr, m.body) for m in outbox(app) if m.kind == "digest"]


def test_the_digest_is_kept_in_the_outbox_and_logged(app, create_user, caplog):
    assert not app.config["HUB_MAIL_SERVER"]
    for n in (1, 2):
        create_user(role=Role.MODERATOR, email=f"mod{n}@example.org")
    owner = submitter(app, create_user)
    with caplog.at_level(logging.INFO, logger="hub.mail"):
        submit(app, owner, START, "Kept in the outbox")
    kept = digests(app)
    assert sorted(to for to, _body in kept) == ["mod1@example.org", "mod2@example.org"]
    assert all("Kept in the outbox" in body for _to, body in kept)
    assert all(m.sent_at is None for m in outbox(app))  # nothing to send them with
    logged = [
        r.getMessage()
        for r in caplog.records
        if r.getMessage().startswith("Mail kept in outbox (no HUB_MAIL_SERVER)")
    ]
    assert any(
        "to mod1@example.org: 1 new submission to review" in line and "Kept in the outbox" in line
        for line in logged
    )


def test_the_digest_keeps_its_period_and_announces_each_item_once(app, create_user):
    """HUB_MODERATOR_DIGEST_MINUTES (15): an item submitted within the period waits for the
    next request after it (any request), then is never announced again."""
    create_user(role=Role.MODERATOR, email="mod@example.org")
    owner = submitter(app, create_user)
    submit(app, owner, START, "First item")
    submit(app, owner, START + timedelta(minutes=5), "Second item")
    assert len(digests(app)) == 1
    visitor = app.test_client()
    at(app, START + timedelta(minutes=10), visitor, "GET", "/")
    assert len(digests(app)) == 1  # still within the period
    at(app, START + timedelta(minutes=16), visitor, "GET", "/")
    [first, second] = [body for _to, body in digests(app)]
    assert "First item" in first and "Second item" not in first
    assert "Second item" in second and "First item" not in second
    for minutes in (32, 50):
        at(app, START + timedelta(minutes=minutes), visitor, "GET", "/")
    assert len(digests(app)) == 2
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DigestItem)) == 2


def test_send_mail_writes_the_digest_without_a_server(app, create_user, create_submission_for):
    """The sender (`send-mail`, or its loop) writes a due digest too, with no server set."""
    create_user(role=Role.MODERATOR, email="mod@example.org")
    create_submission_for(create_user(), title="Announced by the sender")
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "0 sent, 0 failed" in result.output
    [body] = [body for to, body in digests(app) if to == "mod@example.org"]
    assert "Announced by the sender" in body


def test_no_digest_after_requests_when_that_is_turned_off(app_config, create_user):
    """HUB_MAIL_SEND_AFTER_REQUEST=false: requests leave mail work to `send-mail`."""
    hub = create_app({**app_config, "HUB_MAIL_SEND_AFTER_REQUEST": False})
    try:
        create_user(role=Role.MODERATOR, email="mod@example.org")
        submit(hub, submitter(hub, create_user), START, "Left to the sender")
        assert digests(hub) == []
        assert hub.test_cli_runner().invoke(args=["send-mail"]).exit_code == 0
        assert len(digests(hub)) == 1
    finally:
        hub.extensions["hub_db"].kw["bind"].dispose()
