"""E-mail through a real SMTP server (aiosmtpd on a free local port): what arrives, its
headers, the moderators' digest, and nothing lost while the server is down."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select, text

from hub.auth.models import Role, User
from hub.extensions import db
from hub.mail.delivery import deliver_due
from hub.mail.models import OutboxMail
from hub.moderation import operations as moderation
from hub.moderation.digest import write_due_digest
from hub.submissions.models import Submission

from helpers import PASSWORD, PG_URL, content, full_content


def soon() -> datetime:
    """A little after now: what the factories queued (at the real time) is due by then."""
    return datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)


class Inbox:
    """Collects what the SMTP server accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        """Keep the message, parsed."""
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
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
    app_config.update(
        HUB_MAIL_SERVER="127.0.0.1",
        HUB_MAIL_PORT=smtp.port,
        HUB_MAIL_TIMEOUT_SECONDS=2,
        HUB_BASE_URL="https://hub.example.org",
        HUB_MAIL_SENDER="Partnerships Hub <no-reply@hub.example.org>",
    )
    return app_config


def deliver(app: Flask) -> tuple[int, int]:
    """One round of `send-mail`: the moderators' digest when one is due, then delivery."""
    with app.app_context():
        write_due_digest()
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
    response = client.post("/submit/initiative", data={**full_content(), "action": "submit"})
    response.close()
    assert [m["Subject"] for m in smtp.inbox.to("quick@example.org")] == [
        "Received: AI skills for public servants"
    ]


@pytest.mark.parametrize(
    ("decide", "subject", "expected"),
    [
        ("approve", "Approved and published", "https://hub.example.org/s/"),
        ("reject", "Not accepted", "Out of scope for this dialogue."),
        ("request_changes", "Changes requested", "Please name your partners."),
    ],
)
def test_decision_mails(app, smtp, create_user, create_submission_for, decide, subject, expected):
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


def test_moderators_get_one_digest_per_period(app, smtp, clock, create_user, create_submission_for):
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
        return [
            m
            for m in smtp.inbox.messages
            if "to review" in m["Subject"] and m["To"] in ("mod1@example.org", "mod2@example.org")
        ]

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


def test_an_item_submitted_within_the_period_is_announced_without_a_sender_loop(
    app, smtp, clock, create_user
):
    """No `send-mail --loop`: the second item, submitted while the first digest's period
    ran, goes out with the first request after the period, even one that queued no mail
    (a moderator opening the queue), and only once."""
    smtp.start()
    create_user(role=Role.MODERATOR, email="mod@example.org")
    owner = login(app, create_user(email="owner@example.org"))
    start = soon()

    def at(moment: datetime, client: Any, method: str, url: str, **kwargs: Any) -> None:
        clock.freeze(moment)
        with app.app_context():  # a `g` of its own, as each request has in production
            response = client.open(url, method=method, **kwargs)
            assert response.status_code in (200, 302)
            response.close()  # the after-response work runs here

    def announced() -> list[str]:
        return [body(m) for m in smtp.inbox.to("mod@example.org")]

    for minute, title in ((0, "Announced at once"), (5, "Submitted within the period")):
        at(
            start + timedelta(minutes=minute),
            owner,
            "POST",
            "/submit/initiative",
            data={**full_content(title=title), "action": "submit"},
        )
    assert len(announced()) == 1 and "Announced at once" in announced()[0]
    visitor = app.test_client()
    at(start + timedelta(minutes=16), visitor, "GET", "/")  # queues nothing itself
    assert len(announced()) == 2
    assert "Submitted within the period" in announced()[1]
    assert "Announced at once" not in announced()[1]
    at(start + timedelta(minutes=40), visitor, "GET", "/")
    assert len(announced()) == 2  # each item once


def test_nothing_is_lost_while_the_server_is_down(
    app, smtp, clock, create_user, create_submission_for
):
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


def test_a_title_with_a_line_break_cannot_break_the_headers(
    app, smtp, create_user, create_submission_for
):
    smtp.start()
    owner = create_user(email="victim@example.org")
    client = login(app, owner)
    client.post(
        "/submit/initiative",
        data={**full_content(title="Line one\r\nBcc: everyone@example.org"), "action": "submit"},
    )
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


# --- The digest: each item announced once, however runs overlap or requests commit late ----


def _digests(app: Flask) -> dict[str, list[str]]:
    """Digest bodies queued per moderator."""
    found: dict[str, list[str]] = {}
    for mail in outbox(app):
        if mail.kind == "digest":
            found.setdefault(mail.to_addr, []).append(mail.body)
    return found


def _waiting_for_a_lock(app: Flask) -> bool:
    """Whether some session of this PostgreSQL database waits for a lock."""
    with app.app_context():
        return bool(
            db.session.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
            )
        )


def test_two_overlapping_digest_runs_queue_one_digest(
    app, clock, create_user, create_submission_for
):
    """The after-response delivery of one request and `send-mail --loop` at the same moment:
    the second run waits for the first to commit, then finds the digest sent."""
    from hub.moderation.digest import queue_moderator_digest

    mods = [create_user(role=Role.MODERATOR, email=f"mod{i}@example.org") for i in (1, 2)]
    create_submission_for(create_user(), title="Announced once")
    clock.freeze(soon())
    first_queued, release = threading.Event(), threading.Event()
    counts: dict[str, int] = {}

    def first() -> None:
        with app.app_context():
            counts["first"] = queue_moderator_digest()
            first_queued.set()
            release.wait(60)  # the first run's transaction is still open here
            db.session.commit()

    def second() -> None:
        with app.app_context():
            counts["second"] = queue_moderator_digest()
            db.session.commit()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert first_queued.wait(60)
    threads[1].start()
    if PG_URL:  # make sure the second run really is waiting inside its transaction
        deadline = time.monotonic() + 60
        while not _waiting_for_a_lock(app):
            assert time.monotonic() < deadline, "the second run never waited"
            time.sleep(0.01)
    release.set()
    for thread in threads:
        thread.join(60)
    with app.app_context():  # the factory's own moderator is one of them
        everyone = set(
            db.session.scalars(
                select(User.email).where(User.role.in_([Role.MODERATOR, Role.ADMIN]))
            )
        )
    assert {m.email for m in mods} < everyone
    assert counts == {"first": len(everyone), "second": 0}
    assert {to: len(bodies) for to, bodies in _digests(app).items()} == {
        email: 1 for email in everyone
    }


def test_an_item_committed_after_a_digest_ran_is_in_the_next_one(
    app, clock, create_user, create_submission_for
):
    """A submission's time is when its request began: one that was still committing while a
    digest ran has a time before that digest, and must still be announced by the next."""
    from hub.moderation.digest import queue_moderator_digest

    create_user(role=Role.MODERATOR, email="mod@example.org")
    owner = create_user()
    now = soon()
    early = create_submission_for(owner, title="Early item")
    with app.app_context():
        db.session.get(Submission, early.id).submitted_at = now - timedelta(minutes=1)
        db.session.commit()
    clock.freeze(now)
    with app.app_context():
        assert queue_moderator_digest() > 0
        db.session.commit()
    late = create_submission_for(owner, title="Slow request item")
    with app.app_context():  # its request began before the digest, committed after it
        db.session.get(Submission, late.id).submitted_at = now - timedelta(seconds=30)
        db.session.commit()
    clock.freeze(now + timedelta(minutes=16))
    with app.app_context():
        assert queue_moderator_digest() > 0
        db.session.commit()
    [first, second] = _digests(app)["mod@example.org"]
    assert "Early item" in first and "Slow request item" not in first
    assert "Slow request item" in second and "Early item" not in second


@pytest.mark.skipif(
    not PG_URL,
    reason="an uncommitted submission is invisible only to "
    "PostgreSQL's other sessions (SQLite has one writer)",
)
def test_pg_submission_still_committing_during_a_digest_is_announced_later(app, clock, create_user):
    from hub.moderation.digest import queue_moderator_digest
    from hub.submissions.operations import create_submission

    create_user(role=Role.MODERATOR, email="mod@example.org")
    owner = create_user()
    now = soon()
    clock.freeze(now)
    committing = app.app_context()
    committing.push()
    try:
        create_submission(
            db.session.get(User, owner.id),
            "initiative",
            content(title="Slow commit item"),
            submit=True,
        )
        db.session.flush()  # written, not committed
        request_session = db.session
        clock.freeze(now + timedelta(seconds=1))
        with app.app_context():  # a digest runs meanwhile
            assert queue_moderator_digest() == 0  # nothing it can see yet
            db.session.commit()
        request_session.commit()
    finally:
        committing.pop()
    clock.freeze(now + timedelta(minutes=20))
    with app.app_context():
        assert queue_moderator_digest() == 1
        db.session.commit()
    assert any("Slow commit item" in body for body in _digests(app)["mod@example.org"])


def test_migration_marks_what_the_last_digest_announced(tmp_path):
    """Upgrading an installed hub: items the last digest (old rule: submitted before it)
    announced are marked, so the first digest after the upgrade repeats none of them."""
    from alembic import command
    from sqlalchemy import create_engine, insert, make_url

    from hub.cli import alembic_config
    from hub.moderation.models import DigestItem

    def check(url: str) -> None:
        command.upgrade(alembic_config(url), "0002")
        engine = create_engine(url)
        last = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
        with engine.begin() as conn:
            owner = conn.execute(
                insert(User.__table__).values(
                    email="o@example.org",
                    password_hash="x",
                    display_name="O",
                    organisation="",
                    role="submitter",
                    created_at=last,
                )
            ).inserted_primary_key[0]
            ids = [
                conn.execute(
                    insert(Submission.__table__).values(
                        slug=f"s-{n}",
                        owner_id=owner,
                        kind="initiative",
                        status="submitted",
                        title=f"Item {n}",
                        created_at=last,
                        updated_at=last,
                        submitted_at=last + timedelta(minutes=minutes),
                    )
                ).inserted_primary_key[0]
                for n, minutes in enumerate((-5, 0, 5))
            ]
            conn.execute(
                insert(OutboxMail.__table__).values(
                    kind="digest",
                    to_addr="m@example.org",
                    subject="2 new",
                    body="",
                    message_id="<d@hub>",
                    created_at=last,
                )
            )
        command.upgrade(alembic_config(url), "head")
        with engine.connect() as conn:
            marked = conn.execute(
                select(DigestItem.submission_id, DigestItem.announced_at).order_by(
                    DigestItem.submission_id
                )
            ).all()
        engine.dispose()
        assert marked == [(ids[0], last), (ids[1], last)]

    check(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    if PG_URL:  # a database of its own on the server, at 0002
        name = f"hub_test_migration_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            check(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


# --- When the SMTP server hangs, and when the database hiccups ----------------------------------


@pytest.fixture
def hanging_smtp() -> Iterator[int]:
    """A port that accepts connections and never says a word (a hung SMTP server)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(5)
    for conn in held:
        conn.close()
    listener.close()


def test_requests_do_not_wait_for_a_hanging_server_again(
    app_config, hanging_smtp, clock, create_user, monkeypatch
):
    """The first request after the server hung waits for it once (the timeout); the
    requests after it leave their mail in the outbox until the back-off is over, instead
    of holding their worker for the timeout each. Nothing is lost."""
    from hub import create_app
    from hub.mail import delivery as mail_delivery

    hub = create_app({**app_config, "HUB_MAIL_PORT": hanging_smtp, "HUB_MAIL_TIMEOUT_SECONDS": 1})
    try:
        connects: list[datetime] = []
        real_connect = mail_delivery._connect

        def counted(config: dict) -> Any:
            connects.append(clock.now())
            return real_connect(config)

        monkeypatch.setattr(mail_delivery, "_connect", counted)
        hub_clock = hub.extensions["hub_clock"]
        start = soon()
        owner = create_user(email="busy@example.org")
        client = hub.test_client()
        with hub.app_context():
            client.post("/account/login", data={"email": owner.email, "password": PASSWORD})

        def submit(title: str, at: datetime) -> None:
            hub_clock.freeze(at)
            with hub.app_context():
                response = client.post(
                    "/submit/initiative", data={**full_content(title=title), "action": "submit"}
                )
                assert response.status_code == 302
                response.close()  # the after-response delivery runs here

        submit("First", start)
        assert len(connects) == 1  # it tried, and waited for the timeout once
        submit("Second", start + timedelta(seconds=10))
        submit("Third", start + timedelta(seconds=20))
        assert len(connects) == 1  # backing off: no more waiting in requests
        submit("Fourth", start + timedelta(seconds=31))
        assert len(connects) == 2  # the back-off is over: one more try
        with hub.app_context():
            rows = list(
                db.session.scalars(
                    select(OutboxMail).where(OutboxMail.kind == "receipt").order_by(OutboxMail.id)
                )
            )
        assert len(rows) == 4 and all(m.sent_at is None for m in rows)  # all kept
        # The oldest mail was tried twice (and is backing off again), the others wait due.
        assert [m.attempts for m in rows] == [2, 0, 0, 0]
        assert rows[0].last_error.startswith("Could not connect: ")
    finally:
        hub.extensions["hub_db"].kw["bind"].dispose()


def test_a_working_connection_ends_the_back_off(
    app, smtp, clock, create_user, create_submission_for
):
    owner = create_user(email="patient@example.org")
    now = soon()
    clock.freeze(now)
    create_submission_for(owner, title="While down")
    assert deliver(app) == (0, 1)  # refused: backing off
    with app.app_context():
        from hub.mail.delivery import smtp_backing_off

        assert smtp_backing_off()
    smtp.start()
    create_submission_for(owner, title="Server back")
    clock.freeze(now + timedelta(seconds=5))
    deliver(app)  # the loop gets through: the held-back mail is due again
    with app.app_context():
        assert not smtp_backing_off()
    deliver(app)
    assert sorted(m["Subject"] for m in smtp.inbox.to("patient@example.org")) == [
        "Received: Server back",
        "Received: While down",
    ]


class StopLoop(Exception):
    """Ends the sender loop in a test."""


def test_send_mail_loop_survives_a_database_error(
    app, smtp, clock, create_user, create_submission_for, monkeypatch, caplog
):
    """A database restart makes one round fail: the loop logs it, rolls back and goes on;
    it never sleeps inside a transaction."""
    from sqlalchemy.exc import OperationalError

    from hub.mail import delivery as mail_delivery

    smtp.start()
    owner = create_user(email="loop@example.org")
    clock.freeze(soon())
    create_submission_for(owner, title="Sent by the second round")
    real_deliver = mail_delivery.deliver_due
    rounds: list[str] = []
    sleeps: list[bool] = []

    def flaky_deliver(limit: int = 100, deadline: float | None = None) -> tuple[int, int]:
        rounds.append("round")
        if len(rounds) == 1:
            db.session.execute(select(OutboxMail.id)).all()  # a transaction is open
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))
        return real_deliver(limit, deadline)

    def sleep(_seconds: float) -> None:
        sleeps.append(db.session.in_transaction())
        if len(sleeps) == 3:
            raise StopLoop

    monkeypatch.setattr(mail_delivery, "deliver_due", flaky_deliver)
    monkeypatch.setattr(mail_delivery, "_sleep", sleep)
    result = app.test_cli_runner().invoke(args=["send-mail", "--loop", "--every", "5"])
    assert isinstance(result.exception, StopLoop), result.output
    assert len(rounds) == 3
    assert sleeps == [False, False, False]  # no transaction held while asleep
    lines = result.output.splitlines()  # the failed round prints nothing; the log has it
    assert len(lines) == 2 and lines[1] == "0 sent, 0 failed (will be retried)."
    assert lines[0].endswith(" sent, 0 failed (will be retried).") and lines[0][0] != "0"
    assert [m["Subject"] for m in smtp.inbox.to("loop@example.org")] == [
        "Received: Sent by the second round"
    ]
    assert any("Delivering mail failed" in r.getMessage() for r in caplog.records)


def test_two_senders_at_once_send_each_mail_once(
    app, smtp, clock, create_user, create_submission_for
):
    """The after-response delivery and the loop at the same moment: each mail is claimed by
    one of them and arrives once."""
    smtp.start()
    owner = create_user(email="twice@example.org")
    clock.freeze(soon())
    for n in range(6):
        create_submission_for(owner, title=f"Mail {n}")
    start = threading.Barrier(2)
    results: list[tuple[int, int]] = []

    def sender() -> None:
        start.wait()
        results.append(deliver(app))

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    receipts = sorted(m["Subject"] for m in smtp.inbox.to("twice@example.org"))
    assert receipts == [f"Received: Mail {n}" for n in range(6)]
    assert sum(sent for sent, _failed in results) == len(smtp.inbox.messages)
    assert all(m.sent_at is not None for m in outbox(app))


# --- send-mail: one run delivers every due mail, bounded in time --------------------------------

BACKLOG = 205  # more than one batch of deliver_due (100), and a short last one


def queue_backlog(app: Flask, count: int = BACKLOG) -> None:
    """`count` due mails, as a busy day (or a long SMTP outage) leaves them."""
    from hub.mail.outbox import queue

    with app.app_context():
        for n in range(count):
            queue("test", f"reader{n}@example.org", f"Backlog {n}", "Body")
        db.session.commit()


def test_send_mail_delivers_the_whole_backlog_in_one_run(app, smtp):
    smtp.start()
    queue_backlog(app)
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"{BACKLOG} sent, 0 failed (will be retried)."]
    assert len(smtp.inbox.messages) == BACKLOG
    assert sorted(int(m["Subject"].split()[1]) for m in smtp.inbox.messages) == list(range(BACKLOG))
    assert all(m.sent_at is not None for m in outbox(app))


def test_send_mail_stops_at_its_time_bound_and_says_what_is_left(app, smtp, monkeypatch):
    """A run may not go on for ever: past --max-seconds it stops, says how much is still due
    and that another run will send it; the next run does."""
    from hub.mail import delivery as mail_delivery

    smtp.start()
    queue_backlog(app)
    ticks = iter(range(10**6))  # a clock that moves one second each time it is read
    monkeypatch.setattr(mail_delivery, "_monotonic", lambda: float(next(ticks)))
    result = app.test_cli_runner().invoke(args=["send-mail", "--max-seconds", "120"])
    assert result.exit_code == 0, result.output
    [line] = result.output.splitlines()
    sent, left = (
        int(n)
        for n in re.fullmatch(
            r"(\d+) sent, 0 failed \(will be retried\), (\d+) still due: run again\.", line
        ).groups()
    )
    assert 0 < sent < BACKLOG and sent + left == BACKLOG
    assert len(smtp.inbox.messages) == sent
    monkeypatch.undo()
    again = app.test_cli_runner().invoke(args=["send-mail"])
    assert again.output.splitlines() == [f"{left} sent, 0 failed (will be retried)."]
    assert len(smtp.inbox.messages) == BACKLOG  # each mail once


def test_send_mail_with_the_server_down_stops_after_one_attempt(app, smtp):
    """The server is down: one connection attempt, the rest left due for the next run
    (not one timeout per mail, and no endless retrying within the run)."""
    queue_backlog(app)
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"0 sent, 1 failed (will be retried), {BACKLOG - 1} still due: run again."
    ]
    assert sum(m.attempts for m in outbox(app)) == 1
