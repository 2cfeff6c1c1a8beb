"""Two moderators deciding the same item at the same moment, over real HTTP: exactly one
decision wins, the other is told who decided, and nothing is overwritten."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from html import unescape

import pytest
import requests
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from hub.auth.models import Role
from hub.extensions import db
from hub.moderation.models import Action, AuditEvent
from hub.submissions.models import Status, Submission

from helpers import PASSWORD

ROUNDS = 4


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


def logged_in(base: str, email: str) -> requests.Session:
    session = requests.Session()
    response = session.post(f"{base}/account/login", data={"email": email, "password": PASSWORD},
                            allow_redirects=False, timeout=30)
    assert response.status_code == 302
    return session


def version_on_page(session: requests.Session, base: str, item_id: int) -> str:
    page = session.get(f"{base}/moderation/{item_id}", timeout=30).text
    return re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_simultaneous_decisions_one_wins(app, live, create_user, create_submission_for,
                                             caplog, round_):
    owner = create_user()
    ann = create_user(role=Role.MODERATOR, name="Ann Approver")
    rob = create_user(role=Role.MODERATOR, name="Rob Rejecter")
    item = create_submission_for(owner)
    sessions = {"approve": logged_in(live, ann.email), "reject": logged_in(live, rob.email)}
    forms = {action: {"action": action, "message": "Not in scope." if action == "reject" else "",
                      "version": version_on_page(s, live, item.id)}
             for action, s in sessions.items()}
    start = threading.Barrier(2)
    answers: dict[str, requests.Response] = {}

    def decide(action: str) -> None:
        start.wait()  # both posts leave together
        answers[action] = sessions[action].post(f"{live}/moderation/{item.id}/decide",
                                                data=forms[action], allow_redirects=False,
                                                timeout=60)

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
        decisions = db.session.scalars(select(AuditEvent).where(
            AuditEvent.submission_id == item.id,
            AuditEvent.action.in_([Action.APPROVED, Action.REJECTED]))).all()
        assert len(decisions) == 1  # the loser left no trace
    # Neither request waited out a lock held by the other (the search index's update after
    # the winner's commit and the loser's review page share the process).
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
