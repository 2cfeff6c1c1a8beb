"""The tour's page types of the moderators' rules (issue 16): standard reasons (the admins'
page, one reason, the picker on the review page with a reason inserted), the queue filtered
by field and with a value it does not know, and a review page whose decision buttons are
withheld for a conflict of interest. page_tour.py visits them in every language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from browser_steps import LiveHub, at

Action = Callable[[Any, dict[str, Any]], Any]
CONFLICTED = "tour-conflicted@example.org"  # a moderator of the submitted item's organisation


def _goto(path: Callable[[dict[str, Any]], str]) -> Action:
    return lambda page, data: page.goto(at(data, path(data)))


def _reason_inserted(page: Any, data: dict[str, Any]) -> None:
    """Pick a standard reason and insert it (hub.js puts it in the message at the cursor)."""
    page.goto(at(data, f"/moderation/{data['submitted_id']}"))
    page.fill("#message", "Thank you for your proposal.")
    page.select_option("#reason-pick", str(data["reason_ids"][0]))
    page.click("[data-insert-reason]")


def seed_rules(hub: LiveHub, organisation: str) -> dict[str, Any]:
    """Two standard reasons and a moderator who declared `organisation` on their account."""
    from sqlalchemy import select

    from hub.auth.models import User
    from hub.clock import clock
    from hub.extensions import db
    from hub.submissions.reasons import ReasonUse, StandardReason

    hub.create_user("moderator", CONFLICTED, "Moussa Ndiaye")
    with hub._writing():
        user = db.session.scalar(select(User).where(User.email == CONFLICTED))
        assert user is not None
        user.organisation = organisation
        now = clock().now()
        reasons = [
            StandardReason(
                label="Outside the call’s scope",
                text="This proposal is outside the scope of the call: it does not concern "
                "the governance of artificial intelligence.",
                use=ReasonUse.REJECT,
                created_at=now,
                updated_at=now,
            ),
            StandardReason(
                label="Name the partners",
                text="Please name at least one partner organisation and its role.",
                use=ReasonUse.REQUEST_CHANGES,
                created_at=now,
                updated_at=now,
            ),
        ]
        db.session.add_all(reasons)
        db.session.flush()
        ids = [reason.id for reason in reasons]
    return {"conflicted-moderator": CONFLICTED, "reason_ids": ids}


# name, who looks, how to get there
PAGE_TYPES: list[tuple[str, str, Action]] = [
    ("admin-reasons", "admin", _goto(lambda d: "/admin/reasons")),
    ("admin-reason", "admin", _goto(lambda d: f"/admin/reasons/{d['reason_ids'][0]}")),
    ("review-reason-inserted", "moderator", _reason_inserted),
    (
        "moderation-queue-filtered",
        "moderator",
        _goto(lambda d: "/moderation/?status=&language=fr&theme=health&region=africa"),
    ),
    ("moderation-queue-bad-filter", "moderator", _goto(lambda d: "/moderation/?country=ZZ")),
    (
        "review-conflict",
        "conflicted-moderator",
        _goto(lambda d: f"/moderation/{d['submitted_id']}"),
    ),
]
EXPECTED_STATUS = {"moderation-queue-bad-filter": 400}
