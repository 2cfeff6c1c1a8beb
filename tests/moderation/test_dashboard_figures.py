"""The dashboard's team figures: the submission waiting longest for a decision (linked, with
its wait), the median time to a decision over the last 30 days (said so; computed in Python
from the audit trail, so the same on SQLite and PostgreSQL), and how many waiting items each
moderator holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hub.auth.models import Role, User
from hub.extensions import db
from hub.moderation import operations as ops
from hub.moderation import team
from hub.moderation.figures import decision_waits
from hub.submissions.models import Submission

from helpers import Browser, bar_rows, submit_at, text_of

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def approve_at(app, clock, submission_id: int, when: datetime, moderator: User) -> None:
    clock.freeze(when)
    with app.app_context():
        ops.approve_submission(
            db.session.get(Submission, submission_id), db.session.get(User, moderator.id)
        )
        db.session.commit()


def hold(app, submission_id: int, moderator: User) -> None:
    with app.app_context():
        mod = db.session.get(User, moderator.id)
        team.assign(db.session.get(Submission, submission_id), mod, mod, None)
        db.session.commit()


def test_median_counts_only_decisions_of_the_last_30_days(app, clock, owner, moderator):
    old = submit_at(app, clock, owner, T0)
    approve_at(app, clock, old, T0 + 100 * HOUR, moderator)  # decided 40 days before "now"
    start = T0 + timedelta(days=40)
    for wait in (2, 4):
        approve_at(app, clock, submit_at(app, clock, owner, start), start + wait * HOUR, moderator)
    clock.freeze(start + 5 * HOUR)
    with app.app_context():
        assert sorted(decision_waits()) == [2.0, 4.0, 100.0]  # all time
        assert sorted(decision_waits(since=clock.now() - timedelta(days=30))) == [2.0, 4.0]
    body = text_of(Browser(app, moderator).get("/moderation/dashboard"))
    assert "Median time to decision: <strong>3.0 hours</strong> (2 decisions," in body
    assert "decisions taken in the last 30 days)." in body


def test_oldest_pending_item_is_linked_with_its_wait(app, clock, owner, moderator):
    browser = Browser(app, moderator)
    assert "No submission is waiting for a decision." in text_of(
        browser.get("/moderation/dashboard")
    )
    first = submit_at(app, clock, owner, T0, title="First in line")
    submit_at(app, clock, owner, T0 + HOUR, title="Second in line")
    decided = submit_at(app, clock, owner, T0 - 10 * HOUR, title="Decided already")
    approve_at(app, clock, decided, T0 + 2 * HOUR, moderator)
    clock.freeze(T0 + 60 * HOUR)
    body = text_of(browser.get("/moderation/dashboard"))
    assert f'<a href="/moderation/{first}">#{first} <bdi>First in line</bdi></a>' in body
    assert "has waited <strong>2.5 days</strong> for a decision." in body


def test_items_held_per_moderator(app, clock, owner, create_user):
    ann = create_user(role=Role.MODERATOR, name="Ann Able")
    bob = create_user(role=Role.MODERATOR, name="Bob Baker")
    items = [submit_at(app, clock, owner, T0 + i * HOUR, title=f"Item {i}") for i in range(4)]
    for item, who in zip(items, (ann, ann, bob, bob), strict=True):
        hold(app, item, who)
    approve_at(app, clock, items[3], T0 + 10 * HOUR, ann)  # decided: Bob no longer holds it
    page = Browser(app, ann).get("/moderation/dashboard").get_data(as_text=True)
    assert "Held per moderator" in page
    bars = bar_rows(page)
    assert (bars["Ann Able"], bars["Bob Baker"]) == (2, 1)
