"""Two requests doing the same thing at the same moment, over real HTTP: two moderators
deciding one item (exactly one decision wins, the other is told who decided, nothing is
overwritten); and a submitter's double registration, withdrawal or late edit (one result,
the other a clear answer, never a 500)."""

from __future__ import annotations

import logging
import re
import threading
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from hub.audit.models import Action, AuditEvent
from hub.auth.models import Role, User
from hub.extensions import db
from hub.submissions.models import Status, Submission

from helpers import PASSWORD, PG_URL, form_data, logged_in, outbox

ROUNDS = 4


def version_on_page(session: requests.Session, base: str, item_id: int) -> str:
    page = session.get(f"{base}/moderation/{item_id}", timeout=30).text
    return re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_simultaneous_decisions_one_wins(
    app, live, create_user, create_submission_for, caplog, round_
):
    owner = create_user()
    ann = create_user(role=Role.MODERATOR, name="Ann Approver")
    rob = create_user(role=Role.MODERATOR, name="Rob Rejecter")
    item = create_submission_for(owner)
    sessions = {"approve": logged_in(live, ann.email), "reject": logged_in(live, rob.email)}
    forms = {
        action: {
            "action": action,
            "message": "Not in scope." if action == "reject" else "",
            "version": version_on_page(s, live, item.id),
        }
        for action, s in sessions.items()
    }
    start = threading.Barrier(2)
    answers: dict[str, requests.Response] = {}

    def decide(action: str) -> None:
        start.wait()  # both posts leave together
        answers[action] = sessions[action].post(
            f"{live}/moderation/{item.id}/decide",
            data=forms[action],
            allow_redirects=False,
            timeout=60,
        )

    threads = [threading.Thread(target=decide, args=(a,)) for a in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)

    codes = sorted(r.status_code for r in answers.values())
    assert codes == [302, 409], {a: r.status_code for a, r in answers.items()}
    winner = next(a for a, r in answers.items() if r.status_code == 302)
    loser = "reject" if winner == "approve" else "approve"
    who = "Ann Approver" if winner == "approve" else "Rob Rejecter"
    refusal = unescape(answers[loser].text)
    assert f"Already decided by {who}" in refusal and "Nothing was changed" in refusal
    with app.app_context():
        saved = db.session.get(Submission, item.id)
        assert saved.status is (Status.APPROVED if winner == "approve" else Status.REJECTED)
        decisions = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.submission_id == item.id,
                AuditEvent.action.in_([Action.APPROVED, Action.REJECTED]),
            )
        ).all()
        assert len(decisions) == 1  # the loser left no trace
    # Neither request waited out a lock held by the other (the search index's update after
    # the winner's commit and the loser's review page share the process).
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# --- Submitters and visitors doing one thing twice at the same moment -----------------------
#
# On PostgreSQL two requests read the same row, then both write: the second write meets the
# first one's (a unique e-mail, the version counter). To make that interleaving happen every
# time, a barrier holds each request just after its read until the other has read too.
# SQLite serialises writing requests (BEGIN IMMEDIATE), so there the second request reads
# what the first wrote, and a barrier would only wait for a request that is waiting for it.


def both_at_once(
    posts: dict[str, tuple[requests.Session, str, dict[str, Any]]],
) -> dict[str, requests.Response]:
    """Send the posts together (one thread each); their answers by name."""
    start = threading.Barrier(len(posts))
    answers: dict[str, requests.Response] = {}

    def send(name: str) -> None:
        session, url, data = posts[name]
        start.wait()
        answers[name] = session.post(url, data=data, allow_redirects=False, timeout=60)

    threads = [threading.Thread(target=send, args=(name,)) for name in posts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    assert set(answers) == set(posts), "a request did not finish"
    return answers


def hold_after_reading(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
    """On PostgreSQL, make `module.name` wait until both requests have called it (once per
    request: a request that calls it again, retrying, goes straight through)."""
    if not PG_URL:
        return
    meeting = threading.Barrier(2, timeout=30)
    real = getattr(module, name)
    met = threading.local()  # the live server runs each request in a thread of its own

    def held(*args: Any, **kwargs: Any) -> Any:
        if not getattr(met, "done", False):
            met.done = True
            meeting.wait()
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, held)


def test_two_simultaneous_registrations_with_one_email(app, live, monkeypatch):
    """A double click without script, or two tabs: one account, and the same answer to both
    (not a 500): the address is mailed its confirmation link and the owner's notice."""
    import hub.auth.operations

    hold_after_reading(monkeypatch, hub.auth.operations, "hash_password")
    form = {
        "email": "twice@example.org",
        "display_name": "Twice",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    answers = both_at_once(
        {tab: (requests.Session(), f"{live}/account/register", form) for tab in ("first", "second")}
    )

    assert [(r.status_code, r.headers["Location"]) for r in answers.values()] == [
        (302, "/account/register/sent")
    ] * 2
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert sorted(m.kind for m in outbox(app)) == ["confirm", "register_attempt"]


def test_two_simultaneous_withdrawals(app, live, create_user, create_submission_for, monkeypatch):
    """Withdraw pressed in two tabs at once: withdrawn once, the other tab is told so (409)."""
    import hub.submissions.operations

    owner = create_user()
    item = create_submission_for(owner)
    tabs = {tab: logged_in(live, owner.email) for tab in ("first", "second")}
    hold_after_reading(monkeypatch, hub.submissions.operations, "ensure_window")

    answers = both_at_once(
        {tab: (s, f"{live}/my/{item.id}/withdraw", {}) for tab, s in tabs.items()}
    )

    assert sorted(r.status_code for r in answers.values()) == [302, 409]
    refused = next(r for r in answers.values() if r.status_code == 409)
    assert "This submission was already withdrawn" in unescape(refused.text)
    with app.app_context():
        assert db.session.get(Submission, item.id).status is Status.WITHDRAWN
        withdrawals = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.submission_id == item.id, AuditEvent.action == Action.WITHDRAWN
            )
        ).all()
        assert len(withdrawals) == 1


def test_two_simultaneous_late_edits_of_one_item(
    app, live, clock, create_user, create_submission_for, monkeypatch
):
    """After the cutoff, two tabs send changes to the same item at once: each is kept, or
    (when the other changed the item at the same moment) shown back with a clear 409."""
    import hub.submissions.refused

    owner = create_user()
    item = create_submission_for(owner, title="Original title")
    tabs = {tab: logged_in(live, owner.email) for tab in ("first", "second")}
    clock.close_at = datetime(2026, 6, 19, 21, 59, tzinfo=UTC)
    clock.freeze(clock.close_at + timedelta(minutes=1))
    hold_after_reading(monkeypatch, hub.submissions.refused, "keep_refused_post")

    answers = both_at_once(
        {
            tab: (s, f"{live}/my/{item.id}/edit", form_data(title=f"Late text of the {tab} tab"))
            for tab, s in tabs.items()
        }
    )

    codes = sorted(r.status_code for r in answers.values())
    assert codes == ([403, 409] if PG_URL else [403, 403])
    for tab, answer in answers.items():
        page = unescape(answer.text)
        assert f'value="Late text of the {tab} tab"' in page  # never lost from the page
        if answer.status_code == 409:
            assert "changed at the same moment" in page and "nothing was saved" in page
    kept_by = [tab for tab, r in answers.items() if r.status_code == 403]
    with app.app_context():
        saved = db.session.get(Submission, item.id)
        assert saved.title == "Original title"
        assert saved.kept_changes["title"] in [f"Late text of the {tab} tab" for tab in kept_by]
