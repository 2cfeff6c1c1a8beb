"""Races a moderation team meets: a bulk decision and a single one on the same item, two
grants of one account's deadline exception, a decision whose row another transaction is
changing. Real concurrent requests (as in test_concurrency) on both databases; on
PostgreSQL also the exact interleaving where the other write is still uncommitted when the
request reads, made certain by holding that write open until the request waits for it."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from html import unescape
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import create_engine, func, select, text

from hub.audit.models import Action, AuditEvent
from hub.auth.models import Role
from hub.extensions import db
from hub.submissions.deadlines import DeadlineException
from hub.submissions.models import Status
from hub.submissions.revisions import Revision

from helpers import (
    PG_URL,
    Browser,
    decision_form,
    field_value,
    flash_messages,
    logged_in,
    page_version,
    propose,
    row,
    text_of,
)

ROUNDS = 3
pg_only = pytest.mark.skipif(
    not PG_URL,
    reason="the uncommitted-write interleaving needs PostgreSQL (SQLite lets one writer in)",
)


def together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads that start at the same moment; their results in order."""
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        start.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    return results


def csrf_free_post(session: requests.Session, url: str, data: dict) -> requests.Response:
    return session.post(url, data=data, allow_redirects=False, timeout=60)


# --------------------------------------------------------------------------- bulk vs single


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_bulk_and_single_decision_on_the_same_item(
    app,
    live,  # noqa: F811 - the fixture imported above
    create_user,  # noqa: F811
    create_submission_for,
    round_,
):
    owner = create_user()
    ann = create_user(role=Role.MODERATOR, name="Ann Approver")
    rob = create_user(role=Role.MODERATOR, name="Rob Rejecter")
    raced = create_submission_for(owner, title="Raced item")
    other = create_submission_for(owner, title="Other item")
    single, bulk = logged_in(live, ann.email), logged_in(live, rob.email)
    version = re.search(
        r'name="version" type="hidden" value="(\d+)"',
        single.get(f"{live}/moderation/{raced.id}", timeout=30).text,
    ).group(1)
    queue = bulk.get(f"{live}/moderation/", timeout=30).text
    versions = dict(re.findall(r'name="version-(\d+)" value="(\d+)"', queue))

    answer, bulk_answer = together(
        lambda: csrf_free_post(
            single,
            f"{live}/moderation/{raced.id}/decide",
            {"action": "approve", "version": version},
        ),
        lambda: csrf_free_post(
            bulk,
            f"{live}/moderation/bulk",
            {
                "action": "reject",
                "message": "Out of scope.",
                "ids": [str(raced.id), str(other.id)],
                **{f"version-{i}": v for i, v in versions.items()},
            },
        ),
    )

    assert bulk_answer.status_code == 302
    report = " ".join(_flashes_of(bulk.get(f"{live}/moderation/", timeout=30).text))
    assert "UPDATE statement" not in report and "were matched" not in report
    with app.app_context():
        decisions = db.session.execute(
            select(AuditEvent.action, AuditEvent.actor_id).where(
                AuditEvent.submission_id == raced.id,
                AuditEvent.action.in_([Action.APPROVED, Action.REJECTED]),
            )
        ).all()
    assert len(decisions) == 1  # exactly one decision on the raced item, whoever won
    assert row(app, other.id).status is Status.REJECTED  # the bulk's other item is done
    if answer.status_code == 302:  # the single decision won: the bulk says who and when
        assert decisions == [(Action.APPROVED, ann.id)]
        assert row(app, raced.id).status is Status.APPROVED
        assert "1 submission rejected." in report
        assert f"#{raced.id} “Raced item”: Already decided by Ann Approver at" in report
    else:  # the bulk won: the single decision is told who decided
        assert answer.status_code == 409
        assert decisions == [(Action.REJECTED, rob.id)]
        assert "Already decided by Rob Rejecter at" in unescape(answer.text)
        assert "2 submissions rejected." in report


def _flashes_of(page: str) -> list[str]:
    return [unescape(f) for f in re.findall(r'<p class="flash flash-\w+">(.*?)</p>', page, re.S)]


# --------------------------------------------------------------------------- exceptions


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_one_account_granted_an_exception_twice_at_once(
    app,
    live,  # noqa: F811 - the fixture imported above
    create_user,  # noqa: F811
    round_,
):
    """A double click (or two moderators): both grants succeed in order, one row remains
    with the later one's date, and both are in the audit trail. Never a 500."""
    late = create_user(email="late@example.org")
    first = logged_in(live, create_user(role=Role.MODERATOR).email)
    second = logged_in(live, create_user(role=Role.MODERATOR).email)
    answers = together(
        *(
            (
                lambda s=s, until=until: csrf_free_post(
                    s,
                    f"{live}/moderation/exceptions",
                    {"email": late.email, "until": until, "reason": "Visa"},
                )
            )
            for s, until in ((first, "2099-01-01T12:00"), (second, "2099-02-01T12:00"))
        )
    )
    assert [a.status_code for a in answers] == [302, 302]
    with app.app_context():
        rows = db.session.scalars(select(DeadlineException)).all()
        grants = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == Action.EXCEPTION_GRANTED)
            .order_by(AuditEvent.id)
        ).all()
        assert len(rows) == 1 and len(grants) == 2
        # The row holds what the grant recorded last.
        assert grants[-1].message.startswith(
            "Until 1 February 2099" if rows[0].until.month == 2 else "Until 1 January 2099"
        )
        assert "replaces the exception until" in grants[-1].message


# --------------------------------------------------------------------------- PostgreSQL


@contextmanager
def write_held_open(app: Flask, *statements: tuple[str, dict]) -> Iterator[Callable[[], None]]:
    """Another transaction makes these writes and keeps them uncommitted; the yielded
    function returns once some other session waits for its locks, then commits."""
    engine = create_engine(app.config["HUB_DATABASE_URL"])
    conn = engine.connect()
    trans = conn.begin()
    for sql, params in statements:
        conn.execute(text(sql), params)

    def release_when_waited_for() -> None:
        with engine.connect() as probe:
            deadline = time.monotonic() + 60
            while not probe.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
            ).scalar():
                assert time.monotonic() < deadline, "the request never waited for the write"
                time.sleep(0.01)
        trans.commit()

    try:
        yield release_when_waited_for
    finally:
        if trans.is_active:
            trans.rollback()
        conn.close()
        engine.dispose()


def in_thread(call: Callable[[], Any]) -> Callable[[], Any]:
    """Start `call` in a thread; the returned function waits for and returns its result."""
    result: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: result.setdefault("r", call()))
    thread.start()

    def wait() -> Any:
        thread.join(90)
        return result["r"]

    return wait


DECIDED_BY_OTTO = (
    "UPDATE submissions SET status = 'approved', decided_by_id = :m, "
    "decided_at = :t, published_at = :t, version = version + 1 WHERE id = :i"
)
MOMENT = datetime(2026, 5, 4, 10, 30, tzinfo=UTC)  # 12:30 CEST


@pg_only
def test_pg_bulk_refusal_names_who_decided_while_it_ran(app, create_submission_for, create_user):
    owner, otto = create_user(), create_user(role=Role.MODERATOR, name="Otto Other")
    raced = create_submission_for(owner, title="Raced item")
    browser = Browser(app, create_user(role=Role.MODERATOR))
    with write_held_open(
        app, (DECIDED_BY_OTTO, {"m": otto.id, "t": MOMENT, "i": raced.id})
    ) as release:
        answer = in_thread(
            lambda: browser.post(
                "/moderation/bulk",
                data={"ids": [str(raced.id)], "action": "reject", "message": "No."},
            )
        )
        release()
        assert answer().status_code == 302
    [_, report] = [
        f for f in flash_messages(browser.get("/moderation/")) if not f.startswith("Logged in")
    ]
    assert report == (
        f"1 not decided — #{raced.id} “Raced item”: Already decided by Otto "
        "Other at 4 May 2026, 12:30 CEST: now “Approved — public”. Nothing was "
        "changed."
    )
    assert row(app, raced.id).status is Status.APPROVED


@pg_only
def test_pg_stale_decision_form_comes_back_with_the_current_version(
    app, create_user, create_submission_for
):
    owner = create_user()
    item = create_submission_for(owner)
    browser = Browser(app, create_user(role=Role.MODERATOR))
    seen = page_version(browser, item.id)
    reason = "My long, carefully typed reason."
    with write_held_open(
        app,
        (
            "UPDATE submissions SET title = 'Owner edit', updated_at = :t, "
            "version = version + 1 WHERE id = :i",
            {"t": MOMENT, "i": item.id},
        ),
    ) as release:
        answer = in_thread(
            lambda: browser.post(
                f"/moderation/{item.id}/decide",
                data=(decision_form("reject", seen, message=reason)),
            )
        )
        release()
        response = answer()
    assert response.status_code == 409
    assert "This submission changed since you opened it" in text_of(response)
    page = response.get_data(as_text=True)
    assert field_value(page, "version") == str(row(app, item.id).version)
    assert field_value(page, "message") == reason
    again = browser.post(
        f"/moderation/{item.id}/decide",
        data=decision_form("reject", int(field_value(page, "version")), message=reason),
    )
    assert again.status_code == 302
    assert row(app, item.id).status is Status.REJECTED


@pg_only
def test_pg_revision_decided_meanwhile_says_by_whom(app, create_user, create_submission_for):
    owner, otto = create_user(), create_user(role=Role.MODERATOR, name="Otto Other")
    item = create_submission_for(owner, status="approved")
    revision_id = propose(app, item.id, owner, title="v2")
    browser = Browser(app, create_user(role=Role.MODERATOR))
    stamp = re.search(
        r'name="seen" type="hidden" value="(\d+)"', browser.get(f"/moderation/{item.id}").text
    ).group(1)
    with write_held_open(
        app,
        ("UPDATE submissions SET version = version + 1 WHERE id = :i", {"i": item.id}),
        (
            "UPDATE revisions SET status = 'approved', decided_at = :t, decided_by_id = :m "
            "WHERE id = :r",
            {"t": MOMENT, "m": otto.id, "r": revision_id},
        ),
    ) as release:
        answer = in_thread(
            lambda: browser.post(
                f"/moderation/revisions/{revision_id}/decide",
                data={"action": "reject", "message": "Typed reason", "seen": stamp},
            )
        )
        release()
        response = answer()
    assert response.status_code == 409
    body = text_of(response)
    assert (
        "This update was already accepted by Otto Other at 4 May 2026, 12:30 CEST. "
        "Nothing was changed."
    ) in body
    assert "Typed reason" in body  # shown, not lost
    with app.app_context():
        assert db.session.get(Revision, revision_id).decided_by_id == otto.id


@pg_only
@pytest.mark.parametrize("by_self", [False, True], ids=["another-moderator", "double-click"])
def test_pg_exception_granted_while_another_grant_commits(app, create_user, by_self):
    """The other grant's row is inserted but not committed when this request looks: this
    one waits for it, then replaces it (no unique-key error, no 500)."""
    late = create_user(email="late@example.org")
    me = create_user(role=Role.MODERATOR)
    other = me if by_self else create_user(role=Role.MODERATOR, name="Otto Other")
    browser = Browser(app, me)
    with write_held_open(
        app,
        (
            "INSERT INTO deadline_exceptions (user_id, until, reason, granted_by_id, "
            "granted_at) VALUES (:u, :until, 'x', :m, :t)",
            {"u": late.id, "until": datetime(2099, 1, 1, tzinfo=UTC), "m": other.id, "t": MOMENT},
        ),
    ) as release:
        answer = in_thread(
            lambda: browser.post(
                "/moderation/exceptions",
                data={"email": late.email, "until": "2099-02-01T12:00", "reason": "Typed"},
            )
        )
        release()
        assert answer().status_code == 302
    with app.app_context():
        [row] = db.session.scalars(select(DeadlineException)).all()
        assert (row.until, row.reason, row.granted_by_id) == (
            datetime(2099, 2, 1, 11, 0, tzinfo=UTC),
            "Typed",
            me.id,
        )
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == Action.EXCEPTION_GRANTED)
            )
            == 1
        )
