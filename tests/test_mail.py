"""E-mail through a real SMTP server (aiosmtpd on a free local port): what arrives, its
headers, the moderators' digest, and nothing lost while the server is down."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select

from hub.auth.models import Role, User
from hub.extensions import db
from hub.mail.models import OutboxMail
from hub.mail.outbox import deliver_due
from hub.moderation import operations as moderation
from hub.submissions.models import Submission

from helpers import PASSWORD, full_content


def soon() -> datetime:
    """A little after now: what the factories queued (at the real time) is due by then."""
    return datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)


class Inbox:
    """Collects what the SMTP server accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        """Keep the message, parsed."""
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        """Messages addressed to `address`."""
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    """A real SMTP server that can be started and stopped on a fixed port."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    yield server
    server.stop()


@pytest.fixture
def app_config(app_config: dict, smtp: SmtpServer) -> dict:
    """Settings of a hub that sends through `smtp` (started by each test as it needs)."""
    app_config.update(HUB_MAIL_SERVER="127.0.0.1", HUB_MAIL_PORT=smtp.port,
                      HUB_MAIL_TIMEOUT_SECONDS=2, HUB_BASE_URL="https://hub.example.org",
                      HUB_MAIL_SENDER="Partnerships Hub <no-reply@hub.example.org>")
    return app_config


def deliver(app: Flask) -> tuple[int, int]:
    with app.app_context():
        return deliver_due()


def outbox(app: Flask) -> list[OutboxMail]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)))
        db.session.expunge_all()
        return rows


def login(app: Flask, user: User) -> Any:
    client = app.test_client()
    client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    return client


def body(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def test_receipt_arrives_with_correct_headers(app, smtp, create_user):
    smtp.start()
    owner = create_user(email="ada@example.org", name="Ada")
    client = login(app, owner)
    form = {**full_content(title="Éducation numérique : accès pour tous"), "action": "submit"}
    response = client.post("/submit/initiative", data=form)
    assert response.status_code == 302
    deliver(app)
    [message] = smtp.inbox.to("ada@example.org")
    assert message["Subject"] == "Received: Éducation numérique : accès pour tous"
    assert message["From"] == "Partnerships Hub <no-reply@hub.example.org>"
    assert message["Message-ID"].endswith("@hub.example.org>")
    assert email.utils.parsedate_to_datetime(message["Date"]).tzinfo is not None
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    text = body(message)
    assert "Éducation numérique : accès pour tous" in text
    with app.app_context():
        sub = db.session.scalars(select(Submission)).one()
    assert f"https://hub.example.org/my/{sub.id}" in text
    assert all(m.sent_at is not None and m.attempts == 1 for m in outbox(app))


def test_mail_goes_out_right_after_the_request(app, smtp, create_user):
    """No sender loop running: the request that queued the receipt delivers it once the
    response is closed."""
    smtp.start()
    owner = create_user(email="quick@example.org")
    client = login(app, owner)
    response = client.post("/submit/initiative",
                           data={**full_content(), "action": "submit"})
    response.close()
    assert [m["Subject"] for m in smtp.inbox.to("quick@example.org")] == [
        "Received: AI skills for public servants"]


@pytest.mark.parametrize(("decide", "subject", "expected"), [
    ("approve", "Approved and published", "https://hub.example.org/s/"),
    ("reject", "Not accepted", "Out of scope for this dialogue."),
    ("request_changes", "Changes requested", "Please name your partners."),
])
def test_decision_mails(app, smtp, create_user, create_submission_for, decide,
                        subject, expected):
    smtp.start()
    owner = create_user(email="owner@example.org")
    moderator = create_user(role=Role.MODERATOR)
    item = create_submission_for(owner, title="Coalition for open data")
    deliver(app)
    smtp.inbox.messages.clear()
    with app.app_context():
        sub, mod = db.session.get(Submission, item.id), db.session.get(User, moderator.id)
        if decide == "approve":
            moderation.approve_submission(sub, mod)
        elif decide == "reject":
            moderation.reject_submission(sub, mod, "Out of scope for this dialogue.")
        else:
            moderation.request_changes(sub, mod, "Please name your partners.")
        db.session.commit()
        slug = sub.slug
    deliver(app)
    [message] = smtp.inbox.to("owner@example.org")
    assert message["Subject"] == f"{subject}: Coalition for open data"
    assert expected in body(message)
    if decide == "approve":
        assert f"https://hub.example.org/s/{slug}" in body(message)
    if decide == "request_changes":
        assert f"https://hub.example.org/my/{item.id}/edit" in body(message)


def test_moderators_get_one_digest_per_period(app, smtp, clock, create_user,
                                              create_submission_for):
    smtp.start()
    mods = [create_user(role=Role.MODERATOR, email=f"mod{i}@example.org") for i in (1, 2)]
    owner = create_user()
    now = soon()
    clock.freeze(now)
    first = create_submission_for(owner, title="Digest item one")
    with app.app_context():  # the factory submits outside the frozen clock: pin the time
        db.session.get(Submission, first.id).submitted_at = now - timedelta(minutes=1)
        db.session.commit()
    deliver(app)
    for mod in mods:
        [digest] = [m for m in smtp.inbox.to(mod.email) if "to review" in m["Subject"]]
        assert digest["Subject"] == "1 new submission to review"
        assert "Digest item one" in body(digest)
        assert f"https://hub.example.org/moderation/{first.id}" in body(digest)

    def digests() -> list[EmailMessage]:
        return [m for m in smtp.inbox.messages
                if "to review" in m["Subject"] and m["To"] in ("mod1@example.org",
                                                               "mod2@example.org")]

    assert len(digests()) == 2  # one per moderator

    second = create_submission_for(owner, title="Digest item two")
    with app.app_context():
        db.session.get(Submission, second.id).submitted_at = now + timedelta(minutes=5)
        db.session.commit()
    clock.freeze(now + timedelta(minutes=10))  # within HUB_MODERATOR_DIGEST_MINUTES (15)
    deliver(app)
    assert len(digests()) == 2
    clock.freeze(now + timedelta(minutes=16))
    deliver(app)
    later = [m for m in smtp.inbox.to("mod1@example.org") if "to review" in m["Subject"]]
    assert len(later) == 2
    assert "Digest item two" in body(later[-1]) and "Digest item one" not in body(later[-1])


def test_nothing_is_lost_while_the_server_is_down(app, smtp, clock, create_user,
                                                  create_submission_for):
    owner = create_user(email="patient@example.org")
    now = soon()
    clock.freeze(now)
    for title in ("First while down", "Second while down"):
        create_submission_for(owner, title=title)
    sent, failed = deliver(app)  # the server is not running: connection refused
    assert (sent, failed) == (0, 1)  # one connection attempt, not one per mail
    rows = outbox(app)
    assert len(rows) >= 2 and all(m.sent_at is None for m in rows)
    [tried] = [m for m in rows if m.attempts]
    assert tried.attempts == 1 and "Refused" in tried.last_error
    assert tried.next_attempt_at == now + timedelta(seconds=30)

    smtp.start()
    clock.freeze(now + timedelta(seconds=10))  # the untried go; the failed one waits 30 s
    assert deliver(app) == (len(rows) - 1, 0)
    assert [m.id for m in outbox(app) if m.sent_at is None] == [tried.id]
    clock.freeze(now + timedelta(minutes=1))
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "1 sent, 0 failed" in result.output
    subjects = sorted(m["Subject"] for m in smtp.inbox.to("patient@example.org"))
    assert subjects == ["Received: First while down", "Received: Second while down"]
    assert all(m.sent_at is not None for m in outbox(app))
    assert deliver(app) == (0, 0)  # and nothing twice


def test_a_title_with_a_line_break_cannot_break_the_headers(app, smtp, create_user,
                                                            create_submission_for):
    smtp.start()
    owner = create_user(email="victim@example.org")
    client = login(app, owner)
    client.post("/submit/initiative", data={
        **full_content(title="Line one\r\nBcc: everyone@example.org"), "action": "submit"})
    with app.app_context():  # a row written some other way (old data, a script)
        sub = db.session.scalars(select(Submission)).one()
        assert sub.title == "Line one Bcc: everyone@example.org"  # the form joined the lines
        from hub.mail.outbox import queue

        queue("test", "victim@example.org", "Line one\nBcc: everyone@example.org", "Body")
        db.session.commit()
    sent, failed = deliver(app)
    assert (sent, failed) == (2, 0)
    subjects = [m["Subject"] for m in smtp.inbox.to("victim@example.org")]
    assert "Line one Bcc: everyone@example.org" in subjects
    assert all(m["Bcc"] is None for m in smtp.inbox.messages)
