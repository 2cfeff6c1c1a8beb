"""The tour's page types of the owners' side of issue 16: a form after the cutoff (read-only
text, disabled buttons), asking for more time, the moderators' requests and a grant filled
from one, the edit form of an item sent back (the moderator's message first), and a review
page with the changes since the last review. page_tour.py visits them in every language.

The cutoff is moved only for the visit of a closed page (the tour hub's clock is shared
with its server thread) and put back at once: the page is served by then.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from browser_steps import LiveHub, at
from helpers import content

Action = Callable[[Any, dict[str, Any]], Any]


def _goto(path: Callable[[dict[str, Any]], str]) -> Action:
    return lambda page, data: page.goto(at(data, path(data)))


def _after_cutoff(path: Callable[[dict[str, Any]], str]) -> Action:
    """Visit `path` an hour after a cutoff that has just passed."""

    def act(page: Any, data: dict[str, Any]) -> None:
        clock = data["hub"].clock
        saved = clock.close_at
        clock.close_at = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
        try:
            page.goto(at(data, path(data)))
            page.wait_for_load_state("load")
        finally:
            clock.close_at = saved

    return act


def seed_owner(hub: LiveHub, submitter: str, other: str) -> dict[str, Any]:
    """A request for more time (by `other`), and an item of `submitter` resubmitted after
    changes were requested, with a changed title and partners."""
    from hub.auth.models import User
    from hub.extensions import db
    from hub.submissions.models import Submission
    from hub.submissions.operations import update_submission
    from hub.submissions.timerequests import ask_for_time

    sent_back = hub.create_submission(
        submitter,
        "changes_requested",
        title="Eau potable pour les écoles",
        partners="Réseau Eau\nÉcoles du Sahel",
    )
    with hub._writing():
        owner = db.session.scalar(select(User).where(User.email == submitter))
        asker = db.session.scalar(select(User).where(User.email == other))
        item = db.session.get(Submission, sent_back["id"])
        update_submission(
            item,
            content(
                title="Eau potable pour les écoles rurales",
                partners="Réseau Eau\nUnion des écoles du Sahel",
            ),
            submit=True,
            actor=owner,
        )
        asked = ask_for_time(
            asker, "Notre conseil signe le texte lundi ; il nous faut trois jours.", 3
        )
        db.session.flush()
        request_id = asked.id
    return {"resubmitted_id": sent_back["id"], "time_request_id": request_id}


# The page types toured with the cutoff passed (the rest of the tour runs while submissions
# are open).
AFTER_CUTOFF = ("submission-form-after-cutoff", "ask-more-time")

PAGE_TYPES: list[tuple[str, str, Action]] = [
    (
        "submission-form-after-cutoff",
        "submitter",
        _after_cutoff(lambda d: f"/my/{d['submitted_id']}/edit"),
    ),
    ("ask-more-time", "submitter", _after_cutoff(lambda d: "/my/more-time")),
    (
        "edit-changes-requested",
        "submitter",
        _goto(lambda d: f"/my/{d['changes_requested_id']}/edit"),
    ),
    ("review-resubmitted", "moderator", _goto(lambda d: f"/moderation/{d['resubmitted_id']}")),
    (
        "exceptions-grant-request",
        "moderator",
        _goto(lambda d: f"/moderation/exceptions?request={d['time_request_id']}"),
    ),
]
EXPECTED_STATUS: dict[str, int] = {}
