"""Fixtures: a fresh database per test (SQLite file copy, or truncated PostgreSQL),
the clock, factories and an auth helper."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, request_finished
from flask import request as flask_request
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text
from werkzeug.serving import make_server

from hub import create_app
from hub.auth.models import Role, User
from hub.cli import upgrade_database
from hub.clock import Clock
from hub.extensions import db
from hub.models import Base
from hub.submissions.models import Status, Submission
from hub.submissions.operations import create_submission

from helpers import PASSWORD, PG_URL, Inbox, compile_catalogues, full_content


def pytest_configure(config: pytest.Config) -> None:
    """The translations compiled; temporary folders (each test's SQLite database, search
    index, instance folder) in memory (/dev/shm) unless the run chose a place: SQLite syncs
    every commit to disk, ~8 ms a commit on a slow disk against 0.3 ms in memory, and a test
    commits dozens of times."""
    if not hasattr(config, "workerinput"):  # once, before the xdist workers start
        compile_catalogues()  # the .mo files are build output (make i18n-compile)
    chosen = config.option.basetemp or os.environ.get("PYTEST_DEBUG_TEMPROOT")
    if not chosen and "TMPDIR" not in os.environ and os.access("/dev/shm", os.W_OK):
        os.environ["PYTEST_DEBUG_TEMPROOT"] = "/dev/shm"


@contextmanager
def _private_pg_database(admin_url: str) -> Iterator[str]:
    """A database of this run's own on the server of `admin_url`, dropped afterwards.

    Its own database lets two runs (two developers, CI and a benchmark), and the xdist workers
    of one run, share a server.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")  # one database per xdist worker
    name = f"hub_test_{os.getpid()}_{worker}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated once per run: a SQLite file to copy, or a PostgreSQL URL."""
    if PG_URL:
        with _private_pg_database(PG_URL) as url:
            upgrade_database(url)
            yield url
        return
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade_database(f"sqlite:///{path}")
    yield str(path)


def _empty_pg_database(url: str) -> None:
    """Delete every row and restart the ids. DELETE, not TRUNCATE: TRUNCATE swaps the tables'
    files and syncs them to disk, ~0.5 s a test on a slow disk; a test leaves few rows."""
    engine = create_engine(url)
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):  # children before parents
            conn.execute(table.delete())
        for table in Base.metadata.sorted_tables:
            if "id" in table.c and table.c.id.autoincrement is not False:
                conn.execute(
                    text("SELECT setval(pg_get_serial_sequence(:t, 'id'), 1, false)"),
                    {"t": table.name},
                )
    engine.dispose()


@pytest.fixture
def database_url(migrated_template: str, tmp_path: Path) -> Iterator[str]:
    """A clean database for one test."""
    if PG_URL:
        yield migrated_template
        _empty_pg_database(migrated_template)
        return
    path = tmp_path / "hub.sqlite3"
    shutil.copy(migrated_template, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def app_config(database_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> dict[str, Any]:
    """Test settings; tests may change them before `app` is first used. Under the `smtp`
    mark (`pytestmark = pytest.mark.smtp`) the hub sends through the `smtp_inbox` server,
    its links on https://hub.example.org (a module's own app_config may change either)."""
    config = {
        "TESTING": True,
        "HUB_DATABASE_URL": database_url,
        "HUB_SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "HUB_SUBMISSIONS_OPEN_AT": None,
        "HUB_SUBMISSIONS_CLOSE_AT": None,
        "HUB_TIMEZONE": "Europe/Zurich",
        "HUB_INDEX_DIR": str(tmp_path / "index"),
        # scrypt costs ~0.2 s per hash and per login: hundreds of tests log in. The method
        # is a setting; test_auth checks that the default stays scrypt.
        "HUB_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # Pages are rendered afresh in tests (a test that changes rows behind the hub's back
        # must see it); test_public checks the cache itself.
        "HUB_PAGE_CACHE": 0,
        # Tests post far faster than people; test_ratelimit turns throttling on.
        "HUB_RATELIMIT_ENABLED": False,
    }
    if request.node.get_closest_marker("smtp") is not None:
        inbox: Inbox = request.getfixturevalue("smtp_inbox")
        config.update(
            HUB_MAIL_SERVER="127.0.0.1",
            HUB_MAIL_PORT=inbox.port,
            HUB_MAIL_TIMEOUT_SECONDS=2,
            HUB_BASE_URL="https://hub.example.org",
        )
    return config


@pytest.fixture(autouse=True)
def _never_500(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail any test that caused a server error (unless it is about the 500 page itself,
    marked `server_error`, a view of the browser tour that shows it, or a known bug marked
    xfail)."""
    errors: list[str] = []

    def check(_sender: Any, response: Any, **_extra: Any) -> None:
        if (
            response.status_code >= 500
            and response.status_code != 503
            and not flask_request.path.startswith("/test-only/error/")
        ):  # on purpose
            errors.append(f"{flask_request.method} {flask_request.path} -> {response.status_code}")

    with request_finished.connected_to(check):
        yield
    expected = request.node.get_closest_marker("server_error") or request.node.get_closest_marker(
        "xfail"
    )
    if expected is None:
        assert not errors, f"server errors: {errors}"


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    """The hub, on a fresh database."""
    application = create_app(app_config)
    yield application
    application.extensions["hub_db"].kw["bind"].dispose()


@pytest.fixture
def make_app(app_config: dict[str, Any]) -> Iterator[Callable[..., Flask]]:
    """Factory: more hubs on the test settings (and database), `drop` keys removed and
    others replaced; their engines are disposed afterwards."""
    made: list[Flask] = []

    def make(drop: tuple[str, ...] = (), **overrides: Any) -> Flask:
        config = {k: v for k, v in app_config.items() if k not in drop}
        application = create_app({**config, **overrides})
        made.append(application)
        return application

    yield make
    for application in made:
        application.extensions["hub_db"].kw["bind"].dispose()


@pytest.fixture
def moderator(create_user) -> User:
    """A moderator account (not logged in)."""
    return create_user(role=Role.MODERATOR, name="Mona Moderator")


@pytest.fixture
def owner(create_user) -> User:
    """A submitter account (not logged in; modules that want it logged in, or plainer,
    define their own `owner`)."""
    return create_user(name="Olga Owner")


@pytest.fixture
def clock(app: Flask) -> Clock:
    """The app's clock; tests set open_at/close_at and freeze() it."""
    return app.extensions["hub_clock"]


@pytest.fixture
def session(app: Flask) -> Iterator[Any]:
    """The database session inside an app context."""
    with app.app_context():
        yield db.session


_seq = count(1)


@pytest.fixture
def create_user(app: Flask):
    """Factory: create_user(role='submitter', email=None, confirmed=True) -> User (committed).

    Accounts are confirmed, as an operator's are (`create-user`); confirmed=False gives one
    as registering leaves it, which may save drafts but not submit. Submitters declare
    "Test Org", staff "Test Secretariat": a moderator of the submitters' organisation could
    not decide their submissions (hub/moderation/conflicts.py)."""
    from hub.auth.operations import create_user as op_create_user

    def make(
        role: str | Role = Role.SUBMITTER,
        email: str | None = None,
        name: str = "Test User",
        password: str = PASSWORD,
        confirmed: bool = True,
        organisation: str | None = None,
    ) -> User:
        if organisation is None:
            organisation = "Test Org" if Role(role) is Role.SUBMITTER else "Test Secretariat"
        with app.app_context():
            user = op_create_user(
                email or f"user{next(_seq)}@example.org",
                password,
                name,
                organisation,
                Role(role),
                confirmed=confirmed,
            )
            db.session.commit()
            db.session.expunge(user)
            return user

    return make


@pytest.fixture
def create_submission_for(app: Flask):
    """Factory: create_submission_for(owner, status='submitted', kind='initiative', **fields).

    Decided states go through the real moderation operations (by a factory moderator), so
    the rows look exactly like the hub's own.
    """
    from hub.moderation import operations as moderation

    def make(
        owner: User,
        status: str | Status = Status.SUBMITTED,
        kind: str = "initiative",
        **fields: Any,
    ) -> Submission:
        status = Status(status)
        content = full_content(**fields)
        for key in ("start_date", "end_date"):
            if isinstance(content.get(key), str):
                content[key] = datetime.fromisoformat(content[key]).date()
        with app.app_context():
            clock_ = app.extensions["hub_clock"]
            saved = (clock_.open_at, clock_.close_at, clock_.frozen_at)
            clock_.open_at = clock_.close_at = None  # factories write whatever the cutoff
            clock_.freeze(None)
            try:
                owner_row = db.session.get(User, owner.id)
                sub = create_submission(owner_row, kind, content, submit=status is not Status.DRAFT)
                referee = _factory_moderator()
                if status is Status.APPROVED:
                    moderation.approve_submission(sub, referee)
                elif status is Status.REJECTED:
                    moderation.reject_submission(sub, referee, "Out of scope.")
                elif status is Status.CHANGES_REQUESTED:
                    moderation.request_changes(sub, referee, "Please add partners.")
                elif status is Status.WITHDRAWN:
                    from hub.submissions.operations import withdraw_submission

                    withdraw_submission(sub, owner_row)
                db.session.commit()
                db.session.expunge_all()
                return sub
            finally:
                clock_.open_at, clock_.close_at = saved[0], saved[1]
                clock_.freeze(saved[2])

    return make


def _factory_moderator() -> User:
    """The moderator the factory uses to decide (created on first use)."""
    from hub.auth.operations import create_user as op_create_user
    from hub.auth.operations import find_user

    return find_user("factory-moderator@example.org") or op_create_user(
        "factory-moderator@example.org", PASSWORD, "Factory Moderator", "", Role.MODERATOR
    )


@pytest.fixture
def live(app: Flask) -> Iterator[str]:
    """The app on a real port, one thread per request (as gunicorn's workers would be)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)
    server.server_close()


class AuthActions:
    """Log in and out through the real forms."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, user_or_email: User | str, password: str = PASSWORD) -> Any:
        """Log in; returns the response."""
        email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
        return self._client.post("/account/login", data={"email": email, "password": password})

    def logout(self) -> Any:
        """Log out; returns the response."""
        return self._client.post("/account/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """Login helper bound to the test client."""
    return AuthActions(client)


@pytest.fixture
def enrol(app: Flask):
    """Factory: enrol(user) turns two-factor authentication on for the account (as if it had
    scanned the QR code and confirmed) and returns its secret; no code is used up."""
    import pyotp

    from hub.clock import clock as hub_clock

    def make(user: User) -> str:
        with app.app_context():
            row = db.session.get(User, user.id)
            row.totp_secret = pyotp.random_base32()
            row.totp_enabled_at = hub_clock().now()
            db.session.commit()
            user.totp_secret, user.totp_enabled_at = row.totp_secret, row.totp_enabled_at
            return row.totp_secret

    return make


@pytest.fixture
def admin(create_user) -> User:
    """An admin account (not logged in, no second factor)."""
    return create_user(role=Role.ADMIN, name="Ada Admin")


@pytest.fixture
def enrolled_moderator(moderator: User, enrol) -> tuple[User, str]:
    """A moderator with two-factor authentication on, and its secret (not logged in)."""
    return moderator, enrol(moderator)


@pytest.fixture
def smtp_inbox() -> Iterator[Inbox]:
    """A real SMTP server (aiosmtpd) on a free local port: what it received, and its port."""
    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    received = Inbox()
    received.port = port
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    yield received
    controller.stop()
