"""Moderation as moderators, admins and everyone else meet it: who may see what, every
decision in every state, bad input, the queue, bulk decisions, the review page, the audit
trail and its CSV export, and the figures.
(Browser and the other readers shared with the other moderation modules are in helpers.py.)
"""

from __future__ import annotations

import csv
import io
import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from hub.audit.models import Action, AuditEvent
from hub.auth.models import Role, User
from hub.extensions import db
from hub.moderation import operations as ops
from hub.submissions.deadlines import DeadlineException
from hub.submissions.models import Status, Submission
from hub.submissions.operations import update_submission
from hub.submissions.revisions import Revision, RevisionStatus

from helpers import (
    REASON,
    Browser,
    bar_rows,
    content,
    decision_form,
    events,
    field_error,
    field_value,
    flash_messages,
    item_state,
    outbox,
    page_version,
    propose,
    row,
    snapshot,
    submit_at,
    text_of,
    ticked,
)

# --------------------------------------------------------------------------- helpers


def last_flash(browser: Browser, response: Any) -> str:
    """The newest flash message on the page a redirect leads to (the helper never follows
    redirects, so the login's own message may still be waiting before it)."""
    page = text_of(browser.get(response.location))
    return re.findall(r'<p class="flash flash-\w+">(.*?)</p>', page)[-1]


def set_columns(app: Flask, submission_id: int, **values: Any) -> None:
    """Change stored columns directly (times the tests need to control)."""
    with app.app_context():
        db.session.execute(
            update(Submission).where(Submission.id == submission_id).values(**values)
        )
        db.session.commit()


def aware(instant: datetime | None) -> datetime | None:
    """SQLite gives naive UTC back; PostgreSQL aware: compare them as aware UTC."""
    if instant is None:
        return None
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


CHANGES = "Please name your partners."

# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def as_user(app: Flask):
    """Factory: a logged-in Browser for a user (or an anonymous one for None)."""
    return lambda user=None: Browser(app, user)


# --------------------------------------------------------------------------- access table

ROLES = ("anonymous", "submitter", "moderator", "admin")


@pytest.fixture
def world(app: Flask, create_user, create_submission_for, owner: User) -> dict[str, Any]:
    """A submitted item, an approved one with a pending revision, and an exception."""
    submitted = create_submission_for(owner, title="Waiting for review")
    approved = create_submission_for(owner, status="approved", title="Already public")
    with app.app_context():
        owner_row = db.session.get(User, owner.id)
        approved_row = db.session.get(Submission, approved.id)
        revision = update_submission(
            approved_row, content(title="Better title"), submit=False, actor=owner_row
        )
        moderator_row = db.session.scalar(select(User).where(User.role == Role.MODERATOR))
        exception = ops.grant_exception(
            owner_row, datetime.now(UTC) + timedelta(days=3), "Travel", moderator_row
        )
        db.session.commit()
        ids = {"revision": revision.id, "exception": exception.id}
    return {"owner": owner, "submitted": submitted, "approved": approved, **ids}


def _request(browser: Browser, target: str, world: dict[str, Any]) -> Any:
    sid = world["submitted"].id
    version = row(browser.app, sid).version
    requests = {
        "queue": lambda: browser.get("/moderation/"),
        "review": lambda: browser.get(f"/moderation/{sid}"),
        "decide": lambda: browser.post(
            f"/moderation/{sid}/decide", data=decision_form("approve", version)
        ),
        "bulk": lambda: browser.post(
            "/moderation/bulk", data={"ids": [str(sid)], "action": "approve"}
        ),
        "revision": lambda: browser.post(
            f"/moderation/revisions/{world['revision']}/decide", data={"action": "approve"}
        ),
        "exceptions": lambda: browser.get("/moderation/exceptions"),
        "grant": lambda: browser.post(
            "/moderation/exceptions",
            data={"email": world["owner"].email, "until": "2099-01-01T12:00", "reason": "x"},
        ),
        "revoke": lambda: browser.post(f"/moderation/exceptions/{world['exception']}/revoke"),
        "dashboard": lambda: browser.get("/moderation/dashboard"),
        "audit_csv": lambda: browser.get("/moderation/audit.csv"),
    }
    return requests[target]()


MODERATOR_EXPECTS = {
    "queue": 200,
    "review": 200,
    "decide": 302,
    "bulk": 302,
    "revision": 302,
    "exceptions": 200,
    "grant": 302,
    "revoke": 302,
    "dashboard": 200,
    "audit_csv": 404,
}
ACCESS = [
    (
        role,
        target,
        404
        if role in ("anonymous", "submitter")
        else 200
        if (role, target) == ("admin", "audit_csv")
        else MODERATOR_EXPECTS[target],
    )
    for role in ROLES
    for target in MODERATOR_EXPECTS
]


@pytest.mark.parametrize(
    ("role", "target", "expected"), ACCESS, ids=[f"{r}-{t}" for r, t, _e in ACCESS]
)
def test_access_table(app, create_user, world, role, target, expected):
    user = (
        {"anonymous": None, "submitter": world["owner"]}[role]
        if role in ("anonymous", "submitter")
        else create_user(role=role)
    )
    browser = Browser(app, user)
    response = _request(browser, target, world)
    assert response.status_code == expected
    if expected == 404:  # the area is not advertised, and nothing changed
        assert "Page not found" in response.text
        assert row(app, world["submitted"].id).status is Status.SUBMITTED
        with app.app_context():
            assert db.session.get(Revision, world["revision"]).status is RevisionStatus.PENDING
            assert db.session.get(DeadlineException, world["exception"]) is not None
    if (role, target) == ("admin", "audit_csv"):
        assert response.mimetype == "text/csv"
        assert response.text.splitlines()[0].startswith("\ufeffid,when_utc,actor,action")


def test_admin_sees_audit_link_moderator_does_not(app, create_user, as_user):
    admin_page = as_user(create_user(role="admin")).get("/moderation/")
    moderator_page = as_user(create_user(role="moderator")).get("/moderation/")
    assert "/moderation/audit.csv" in admin_page.text
    assert "/moderation/audit.csv" not in moderator_page.text


# --------------------------------------------------------------------------- transitions

STATES = ("submitted", "changes_requested", "approved", "rejected", "withdrawn", "draft")
ACTIONS = ("approve", "reject", "request_changes", "duplicate")
SUCCESS = {
    "approve": Status.APPROVED,
    "reject": Status.REJECTED,
    "request_changes": Status.CHANGES_REQUESTED,
    "duplicate": Status.REJECTED,
}
AUDIT_ACTION = {
    "approve": Action.APPROVED,
    "reject": Action.REJECTED,
    "request_changes": Action.CHANGES_REQUESTED,
    "duplicate": Action.MARKED_DUPLICATE,
}


def expected_outcome(state: str, action: str, role: str = "moderator") -> tuple[int, Status, str]:
    """(HTTP status, resulting status, text of the refusal) for state × action × role."""
    if state == "draft" or role == "submitter":
        return 404, Status(state), ""  # drafts are private; the area is not advertised
    if role == "moderator-owner":
        return 403, Status(state), "You cannot decide on your own submission"
    if state in ("submitted", "changes_requested"):
        return 302, SUCCESS[action], ""
    if state in ("approved", "rejected"):
        return 409, Status(state), "Already decided by Factory Moderator"
    return 409, Status.WITHDRAWN, "This submission cannot be decided on: it is “Withdrawn”."


TRANSITIONS = [(s, a, *expected_outcome(s, a)) for s in STATES for a in ACTIONS]
DECIDERS = ("submitter", "moderator", "moderator-owner", "admin")
ROLE_TRANSITIONS = [
    (r, s, a, *expected_outcome(s, a, r)) for r in DECIDERS for s in STATES for a in ACTIONS
]


def duplicate_form(version: int | None, duplicate_of: str = "") -> dict[str, Any]:
    """What the review page's small duplicate form posts (its fields carry a prefix)."""
    data: dict[str, Any] = {"dup-duplicate_of": duplicate_of}
    if version is not None:
        data["dup-version"] = str(version)
    return data


def post_decision(
    browser: Browser, submission_id: int, action: str, version: int | None, **extra: Any
) -> Any:
    """Post a decision as the review page does: approve, request changes and reject are
    buttons of one form; a duplicate has its own form and address."""
    if action == "duplicate":
        return browser.post(
            f"/moderation/{submission_id}/duplicate",
            data=duplicate_form(version, extra.get("duplicate_of", "")),
        )
    return browser.post(
        f"/moderation/{submission_id}/decide", data=decision_form(action, version, **extra)
    )


@pytest.fixture
def original(create_submission_for, create_user) -> Submission:
    """The approved submission others are marked duplicates of."""
    return create_submission_for(create_user(), status="approved", title="The original")


@pytest.mark.parametrize(
    ("role", "state", "action", "code", "result", "refusal"),
    ROLE_TRANSITIONS,
    ids=[f"{r}-{s}-{a}" for r, s, a, *_ in ROLE_TRANSITIONS],
)
def test_transition_table_over_http(
    app,
    clock,
    create_user,
    create_submission_for,
    owner,
    moderator,
    original,
    role,
    state,
    action,
    code,
    result,
    refusal,
):
    """Every state × decision × role: the status code, the resulting state, exactly one
    audit row and one mail on success, and nothing at all changed on a refusal."""
    actor = {
        "submitter": owner,
        "moderator": moderator,
        "admin": create_user(role="admin", name="Ada Admin"),
    }.get(role) or create_user(role="moderator", name="Owen Owner-Moderator")
    item_owner = actor if role == "moderator-owner" else owner
    item = create_submission_for(item_owner, status=state, title="Item under review")
    before = snapshot(app, item.id)
    moment = datetime(2026, 5, 4, 10, 30, tzinfo=UTC)
    clock.freeze(moment)
    extra = {
        "reject": {"message": REASON},
        "request_changes": {"message": CHANGES},
        "duplicate": {"duplicate_of": str(original.id)},
    }.get(action, {})
    response = post_decision(Browser(app, actor), item.id, action, before["version"], **extra)

    assert response.status_code == code
    after = row(app, item.id)
    assert after.status is result
    if code != 302:
        assert refusal in text_of(response)
        if code == 404:
            assert "Page not found" in response.text
        assert snapshot(app, item.id) == before
        return
    # Nothing else to review: back to the queue (no filters were set).
    assert response.headers["Location"].endswith("/moderation/")
    assert after.version == before["version"] + 1
    assert after.decided_by_id == actor.id
    assert aware(after.decided_at) == moment
    if action == "approve":
        assert aware(after.published_at) == moment
        assert after.decision_message == ""
    elif action == "duplicate":
        assert after.duplicate_of_id == original.id
        assert f"#{original.id}" in after.decision_message
    else:
        assert after.decision_message == extra["message"]
    new_events = events(app, item.id)[before["events"] :]
    assert [e.action for e in new_events] == [AUDIT_ACTION[action]]  # exactly one, this one
    event = new_events[0]
    assert (event.actor_id, event.from_status, event.to_status) == (actor.id, state, result.value)
    assert aware(event.created_at) == moment
    mails = [m for m in outbox(app) if m.kind == "decision"]
    assert mails[-1].to_addr == owner.email
    assert snapshot(app, item.id)["outbox"] == before["outbox"] + 1


@pytest.mark.parametrize(
    ("state", "action", "code", "result", "refusal"),
    TRANSITIONS,
    ids=[f"{s}-{a}" for s, a, *_ in TRANSITIONS],
)
def test_transition_table_via_operations(
    app, create_submission_for, owner, moderator, original, state, action, code, result, refusal
):
    item = create_submission_for(owner, status=state)
    before = snapshot(app, item.id)
    with app.app_context():
        submission = db.session.get(Submission, item.id)
        mod = db.session.get(User, moderator.id)
        calls = {
            "approve": lambda: ops.approve_submission(submission, mod, before["version"]),
            "reject": lambda: ops.reject_submission(submission, mod, REASON, before["version"]),
            "request_changes": lambda: ops.request_changes(
                submission, mod, CHANGES, before["version"]
            ),
            "duplicate": lambda: ops.mark_duplicate(
                submission, mod, db.session.get(Submission, original.id), before["version"]
            ),
        }
        if code == 302:
            calls[action]()
            db.session.commit()
        else:
            with pytest.raises(ops.DecisionRefused) as refused:
                calls[action]()
            db.session.rollback()
            assert refused.value.status == 409
            assert (refusal or "This submission cannot be decided on: it is “Draft”.") in str(
                refused.value
            )
    assert row(app, item.id).status is result
    if code != 302:
        assert snapshot(app, item.id) == before


REVISION_STATES = ("pending", "approved", "rejected", "withdrawn")


def expected_revision_outcome(state: str, action: str) -> tuple[int, RevisionStatus, str]:
    """(HTTP status, resulting revision status, text of the refusal) for state × action."""
    if state == "pending":
        return (
            302,
            (RevisionStatus.APPROVED if action == "approve" else RevisionStatus.REJECTED),
            "",
        )
    if state == "withdrawn":
        return 409, RevisionStatus.WITHDRAWN, "The owner withdrew this submission"
    return (
        409,
        RevisionStatus(state),
        f"This update was already {'accepted' if state == 'approved' else 'declined'} by Rita "
        "Referee",
    )


REVISION_TRANSITIONS = [
    (s, a, *expected_revision_outcome(s, a)) for s in REVISION_STATES for a in ("approve", "reject")
]


@pytest.mark.parametrize(
    ("state", "action", "code", "result", "refusal"),
    REVISION_TRANSITIONS,
    ids=[f"{s}-{a}" for s, a, *_ in REVISION_TRANSITIONS],
)
def test_revision_transition_table(
    app, create_user, create_submission_for, owner, moderator, state, action, code, result, refusal
):
    """An owner's update of an approved item in every state × publish / keep the old."""
    referee = create_user(role="moderator", name="Rita Referee")
    item = create_submission_for(owner, status="approved", title="Public text")
    with app.app_context():
        submission = db.session.get(Submission, item.id)
        revision = update_submission(
            submission,
            content(title="Proposed text"),
            submit=False,
            actor=db.session.get(User, owner.id),
        )
        if state in ("approved", "rejected"):
            ops.decide_revision(
                revision,
                db.session.get(User, referee.id),
                approve=state == "approved",
                message="Decided first.",
            )
        elif state == "withdrawn":
            from hub.submissions.operations import withdraw_submission

            withdraw_submission(submission, db.session.get(User, owner.id))
        db.session.commit()
        revision_id = revision.id
    before = snapshot(app, item.id)
    response = Browser(app, moderator).post(
        f"/moderation/revisions/{revision_id}/decide", data={"action": action, "message": "Typed."}
    )
    assert response.status_code == code
    with app.app_context():
        stored = db.session.get(Revision, revision_id)
        assert stored.status is result
        decided_by = stored.decided_by_id
    if code != 302:
        assert refusal in text_of(response)
        assert "someone" not in text_of(response)
        assert "Typed." in text_of(response)  # what the moderator wrote is shown, not lost
        assert snapshot(app, item.id) == before
        return
    assert decided_by == moderator.id
    assert row(app, item.id).title == ("Proposed text" if action == "approve" else "Public text")
    [mail] = [m for m in outbox(app) if m.kind == "revision"]
    assert mail.to_addr == owner.email and "Typed." in mail.body


def test_moderator_cannot_decide_the_update_of_their_own_item(
    app, create_user, create_submission_for
):
    me = create_user(role="moderator")
    mine = create_submission_for(me, status="approved", title="Mine, public")
    revision_id = propose(app, mine.id, me, title="Mine, edited")
    browser = Browser(app, me)
    page = browser.get(f"/moderation/{mine.id}")
    assert f"/moderation/revisions/{revision_id}/decide" not in page.text  # no form offered
    assert "another moderator must decide on the update" in text_of(page)
    before = snapshot(app, mine.id)
    response = browser.post(
        f"/moderation/revisions/{revision_id}/decide", data={"action": "approve"}
    )
    assert response.status_code == 403
    assert "You cannot decide on your own submission" in text_of(response)
    assert snapshot(app, mine.id) == before
    with app.app_context():
        assert db.session.get(Revision, revision_id).status is RevisionStatus.PENDING


def test_decision_without_expected_version_still_checks_state(
    app, create_submission_for, owner, moderator
):
    """The bulk path passes no version: the state check alone must refuse."""
    item = create_submission_for(owner, status="approved")
    with app.app_context(), pytest.raises(ops.DecisionRefused, match="Already decided"):
        ops.reject_submission(
            db.session.get(Submission, item.id), db.session.get(User, moderator.id), REASON
        )


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/moderation/99999999999999999999"),
        ("post", "/moderation/2147483648/decide"),
        ("post", "/moderation/revisions/99999999999/decide"),
        ("post", "/moderation/exceptions/99999999999/revoke"),
    ],
)
def test_ids_beyond_the_database_range_are_404(app, moderator, method, path):
    assert getattr(Browser(app, moderator), method)(path).status_code == 404


def test_bulk_ignores_ids_that_cannot_exist(app, create_submission_for, owner, moderator):
    item = create_submission_for(owner)
    response = Browser(app, moderator).post(
        "/moderation/bulk",
        data={"ids": ["99999999999999999999", "-3", "x", str(item.id)], "action": "approve"},
    )
    assert response.status_code == 302
    assert row(app, item.id).status is Status.APPROVED


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"action": "reject", "message": "   "}, "message", "Give a reason"),
        ({"action": "reject"}, "message", "Give a reason"),
        ({"action": "request_changes", "message": ""}, "message", "Write what should change"),
        ({"message": "Typed, but no button pressed."}, "action", "Nothing was decided"),
        ({"action": "publish_everything"}, "action", "Not a valid choice"),
        ({"action": "duplicate", "duplicate_of": "1"}, "action", "Not a valid choice"),
        ({"action": "approve", "message": "x" * 4001}, "message", "4000"),
    ],
    ids=[
        "reject-blank-reason",
        "reject-no-reason",
        "changes-no-message",
        "no-button",
        "forged-action",
        "duplicate-through-the-decision-form",
        "message-too-long",
    ],
)
def test_bad_decisions_are_refused_next_to_the_field(
    app, create_submission_for, owner, moderator, data, field, message
):
    """The error is said next to the field (linked by aria-describedby), with 422, the text
    typed is given back, and nothing changes."""
    item = create_submission_for(owner)
    before = snapshot(app, item.id)
    response = Browser(app, moderator).post(
        f"/moderation/{item.id}/decide", data={**data, "version": str(before["version"])}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in field_error(page, field)
    if field == "message":
        assert re.search(r'<textarea[^>]*aria-describedby="[^"]*message-error', page)
        assert field_value(page, "message") == (data.get("message") or "").strip()
    else:
        assert re.search(r'<button[^>]*aria-describedby="action-error"', page)
    if data.get("message", "").strip() and len(data["message"]) <= 4000:
        assert field_value(page, "message") == data["message"]
    assert f'href="#{field}-field"' in page  # the summary at the top leads to it
    assert snapshot(app, item.id) == before


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("999999", "No submission with that number"),
        ("", "Enter the number of the original submission"),
        ("abc", "Not a valid integer"),
        ("0", "at least 1"),
        ("99999999999999999999", "at least 1"),
    ],
    ids=["unknown", "missing", "not-a-number", "zero", "huge"],
)
def test_bad_duplicate_numbers_are_refused_next_to_the_field(
    app, create_submission_for, owner, moderator, value, message
):
    item = create_submission_for(owner)
    before = snapshot(app, item.id)
    response = Browser(app, moderator).post(
        f"/moderation/{item.id}/duplicate", data=duplicate_form(before["version"], value)
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in field_error(page, "dup-duplicate_of")
    assert re.search(r'<input[^>]*aria-describedby="[^"]*dup-duplicate_of-error', page)
    assert field_value(page, "dup-duplicate_of") == value
    assert snapshot(app, item.id) == before


def test_duplicate_of_itself_is_refused(app, create_submission_for, owner, moderator):
    item = create_submission_for(owner)
    before = snapshot(app, item.id)
    response = post_decision(
        Browser(app, moderator), item.id, "duplicate", before["version"], duplicate_of=str(item.id)
    )
    assert response.status_code == 422
    assert "cannot duplicate itself" in field_error(
        response.get_data(as_text=True), "dup-duplicate_of"
    )
    assert snapshot(app, item.id) == before


BAD_VERSIONS = [None, "", "two", "²", "٣", "1.0", "99999999999"]
BAD_VERSION_IDS = [
    "absent",
    "empty",
    "not-a-number",
    "superscript-two",
    "arabic-indic-three",
    "decimal",
    "beyond-any-id",
]


@pytest.mark.parametrize("version", BAD_VERSIONS, ids=BAD_VERSION_IDS)
def test_missing_version_is_a_bad_request(app, create_submission_for, owner, moderator, version):
    item = create_submission_for(owner)
    before = snapshot(app, item.id)
    data = {"action": "approve"}
    if version is not None:
        data["version"] = version
    response = Browser(app, moderator).post(f"/moderation/{item.id}/decide", data=data)
    assert response.status_code == 400
    assert "no version" in text_of(response)
    assert snapshot(app, item.id) == before


@pytest.mark.parametrize(
    "version", ["²", "٣", "x"], ids=["superscript-two", "arabic-indic-three", "letter"]
)
def test_a_garbled_version_keeps_the_typed_text_and_can_be_sent_again(
    app, create_submission_for, owner, moderator, version
):
    """A version digits-but-not-ASCII (which int() refuses) is a bad request like any
    other: a 400 page, never a 500, with the reason or the number typed still in the form,
    which now carries the item's version so that sending again works."""
    item = create_submission_for(owner)
    before = snapshot(app, item.id)
    browser = Browser(app, moderator)
    typed = "Out of scope: the call is about AI governance, not about hardware."
    response = browser.post(
        f"/moderation/{item.id}/decide",
        data={"action": "reject", "message": typed, "version": version},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "nothing was decided" in text_of(response)
    assert field_value(page, "message") == typed
    assert field_value(page, "version") == str(before["version"])
    assert snapshot(app, item.id) == before

    response = browser.post(
        f"/moderation/{item.id}/duplicate", data={"dup-duplicate_of": "12", "dup-version": version}
    )
    assert response.status_code == 400
    assert field_value(response.get_data(as_text=True), "dup-duplicate_of") == "12"
    assert snapshot(app, item.id) == before

    response = browser.post(
        f"/moderation/{item.id}/decide",
        data={
            "action": "reject",
            "message": field_value(page, "message"),
            "version": field_value(page, "version"),
        },
    )
    assert response.status_code == 302
    assert (row(app, item.id).status, row(app, item.id).decision_message) == (
        Status.REJECTED,
        typed,
    )


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_moderator_cannot_decide_own_submission(app, create_user, create_submission_for, role):
    me = create_user(role=role)
    mine = create_submission_for(me)
    before = snapshot(app, mine.id)
    browser = Browser(app, me)
    page = browser.get(f"/moderation/{mine.id}")
    assert page.status_code == 200
    assert "This is your own submission" in page.text
    assert 'name="version"' not in page.text  # no decision form offered
    for action, extra in [("approve", {}), ("reject", {"message": REASON})]:
        response = browser.post(
            f"/moderation/{mine.id}/decide", data=decision_form(action, before["version"], **extra)
        )
        assert response.status_code == 403
        assert "You cannot decide on your own submission" in text_of(response)
    assert snapshot(app, mine.id) == before


def test_unknown_submission_is_404(app, moderator):
    browser = Browser(app, moderator)
    assert browser.get("/moderation/999999").status_code == 404
    assert (
        browser.post("/moderation/999999/decide", data=decision_form("approve", 1)).status_code
        == 404
    )
    assert (
        browser.post("/moderation/revisions/999999/decide", data={"action": "approve"}).status_code
        == 404
    )
    assert browser.post("/moderation/exceptions/999999/revoke").status_code == 404


def test_stale_version_is_refused_without_overwriting(
    app, create_submission_for, owner, moderator, create_user
):
    """A decision posted from a page read before someone else decided is refused."""
    item = create_submission_for(owner)
    first, second = (
        Browser(app, moderator),
        Browser(app, create_user(role="admin", name="Ada Admin")),
    )
    version = page_version(first, item.id)
    assert page_version(second, item.id) == version
    assert (
        second.post(
            f"/moderation/{item.id}/decide", data=decision_form("reject", version, message=REASON)
        ).status_code
        == 302
    )
    before = snapshot(app, item.id)
    late = first.post(f"/moderation/{item.id}/decide", data=decision_form("approve", version))
    assert late.status_code == 409
    assert "Already decided by Ada Admin at" in text_of(late)
    assert "Nothing was changed" in text_of(late)
    assert snapshot(app, item.id) == before
    assert row(app, item.id).status is Status.REJECTED


def test_decision_refused_after_owner_edit_in_between(app, create_submission_for, owner, moderator):
    """The owner edited the item after the moderator opened it: nothing is decided."""
    item = create_submission_for(owner)
    browser = Browser(app, moderator)
    version = page_version(browser, item.id)
    propose(app, item.id, owner, title="Edited while under review")
    before = snapshot(app, item.id)
    response = browser.post(f"/moderation/{item.id}/decide", data=decision_form("approve", version))
    assert response.status_code == 409
    assert "This submission changed since you opened it" in text_of(response)
    assert "Already decided" not in text_of(response)  # nobody decided anything
    assert "Nothing was changed" in text_of(response)
    assert snapshot(app, item.id) == before
    assert before["status"] is Status.SUBMITTED


@pytest.fixture
def impatient_sqlite(app_config: dict) -> None:
    """SQLite writers give up after 0.3 s: a session that waits for the request's own write
    lock fails at once (and logs an error) instead of stalling for the default 15 s."""
    app_config["HUB_SQLITE_BUSY_TIMEOUT_MS"] = 300


def test_refused_decision_before_the_search_index_exists(
    app, impatient_sqlite, create_submission_for, owner, moderator, caplog
):
    """The first page a fresh hub renders in a POST may be a refused decision: it answers
    with the refusal, and the review page's "similar" list (which builds the missing index
    through a session of its own) does not wait for the request's lock."""
    create_submission_for(owner, Status.APPROVED, title="Cold storage of mangrove data")
    item = create_submission_for(owner, title="Mangrove data storage")
    before = snapshot(app, item.id)
    response = Browser(app, moderator).post(
        f"/moderation/{item.id}/decide", data=decision_form("reject", before["version"])
    )
    assert response.status_code == 422
    assert "Give a reason" in text_of(response)
    assert "Cold storage of mangrove data" in text_of(response)  # similar, from the new index
    assert snapshot(app, item.id) == before
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# --------------------------------------------------------------------------- queue


def _positions(text: str, titles: list[str]) -> list[int]:
    return [text.index(t) for t in titles]


def test_queue_lists_submitted_oldest_first_with_details(
    app, create_submission_for, owner, moderator
):
    now = datetime.now(UTC)
    titles = ["Newest item", "Oldest item", "Middle item"]
    ages = [timedelta(minutes=5), timedelta(days=3, hours=1), timedelta(hours=5)]
    for title, age in zip(titles, ages, strict=True):
        item = create_submission_for(
            owner, title=title, stakeholder_group="civil_society", countries=["KE", "CH"]
        )
        set_columns(app, item.id, submitted_at=now - age)
    create_submission_for(owner, status="draft", title="A private draft")
    create_submission_for(owner, status="approved", title="Public already")
    page = text_of(Browser(app, moderator).get("/moderation/"))
    oldest, middle, newest = _positions(page, ["Oldest item", "Middle item", "Newest item"])
    assert oldest < middle < newest
    assert "A private draft" not in page and "Public already" not in page
    assert "3 days" in page and "5 h" in page and "5 min" in page  # age
    assert "Civil society" in page and "Kenya" in page  # stakeholder group, country
    assert "Initiative" in page  # kind


def _count_badges(text: str) -> dict[str, int]:
    return {
        label: int(n)
        for label, n in re.findall(
            r'<span class="chip-label">([^<]+)</span> <strong class="chip-count">(\d+)</strong>',
            text,
        )
    }


def test_queue_shows_counts_per_status(app, create_submission_for, owner, moderator):
    for status, n in [
        ("submitted", 3),
        ("approved", 2),
        ("rejected", 1),
        ("changes_requested", 1),
        ("withdrawn", 1),
        ("draft", 2),
    ]:
        for _ in range(n):
            create_submission_for(owner, status=status)
    counts = _count_badges(Browser(app, moderator).get("/moderation/").text)
    assert counts == {
        "Submitted": 3,
        "Approved": 2,
        "Rejected": 1,
        "Changes requested": 1,
        "Withdrawn": 1,
        "Updates to review": 0,
        "Held by me": 0,  # the moderator's own items (hub/moderation/team.py)
    }  # drafts: their owner's only


def test_queue_filters_by_status_kind_and_text(app, create_submission_for, owner, moderator):
    create_submission_for(owner, title="Open data for cities", kind="initiative")
    create_submission_for(
        owner, title="Coalition on compute", kind="coalition", lead_organisation="Compute Alliance"
    )
    create_submission_for(
        owner,
        title="Skills partnership",
        kind="partnership",
        summary="Teaching AUDITORS about models.",
    )
    create_submission_for(owner, status="approved", title="Approved initiative")
    create_submission_for(owner, status="rejected", title="Rejected coalition", kind="coalition")
    browser = Browser(app, moderator)

    def listed(query: str) -> set[str]:
        page = browser.get("/moderation/", query_string=query)
        assert page.status_code == 200
        link = r'<a href="/moderation/\d+(?:\?[^"]*)?"[^>]*>([^<]+)</a>'  # [^>]*: lang, dir
        return set(re.findall(link, text_of(page)))

    assert listed("") == {"Open data for cities", "Coalition on compute", "Skills partnership"}
    assert listed("status=approved") == {"Approved initiative"}
    assert listed("status=rejected") == {"Rejected coalition"}
    assert listed("status=") == {
        "Open data for cities",
        "Coalition on compute",
        "Skills partnership",
        "Approved initiative",
        "Rejected coalition",
    }
    assert listed("status=&kind=coalition") == {"Coalition on compute", "Rejected coalition"}
    assert listed("kind=coalition") == {"Coalition on compute"}
    assert listed("q=compute alliance") == {"Coalition on compute"}  # organisation
    assert listed("q=auditors") == {"Skills partnership"}  # summary, any case
    assert listed("q=OPEN DATA") == {"Open data for cities"}  # title
    assert listed("q=nothing-like-this") == set()
    assert listed("status=draft") == listed("")  # drafts cannot be asked for
    assert listed("kind=not-a-kind") == listed("")


def test_queue_pending_revisions_filter(app, create_submission_for, owner, moderator):
    edited = create_submission_for(owner, status="approved", title="Edited after approval")
    create_submission_for(owner, status="approved", title="Untouched approved")
    create_submission_for(owner, title="Just submitted")
    propose(app, edited.id, owner, title="Edited after approval, v2")
    browser = Browser(app, moderator)
    queue = text_of(browser.get("/moderation/"))
    assert _count_badges(queue)["Updates to review"] == 1
    page = text_of(browser.get("/moderation/?status=revisions"))
    assert "Edited after approval" in page  # the public title until the update is approved
    assert "Untouched approved" not in page and "Just submitted" not in page


# --------------------------------------------------------------------------- bulk


def test_bulk_approve_selected(app, create_submission_for, owner, moderator):
    a, b, c = (create_submission_for(owner, title=t) for t in ("A one", "B two", "C three"))
    browser = Browser(app, moderator)
    response = browser.post(
        "/moderation/bulk", data={"ids": [str(a.id), str(c.id)], "action": "approve"}
    )
    assert response.status_code == 302
    assert [row(app, s.id).status for s in (a, b, c)] == [
        Status.APPROVED,
        Status.SUBMITTED,
        Status.APPROVED,
    ]
    assert all(row(app, s.id).decided_by_id == moderator.id for s in (a, c))
    assert "2 submissions approved." in flash_messages(browser.get("/moderation/"))
    approvals = [
        e for e in events(app) if e.action is Action.APPROVED and e.actor_id == moderator.id
    ]
    assert {e.submission_id for e in approvals} == {a.id, c.id}
    assert len([m for m in outbox(app) if m.kind == "decision"]) == 2


def test_bulk_approve_publishes_each_item_once_committed(
    app, impatient_sqlite, create_submission_for, owner, moderator, caplog
):
    """Bulk decisions run in one SAVEPOINT per item; the search index is updated after the
    whole request commits (not at each SAVEPOINT, while the request still holds the lock)."""
    items = [create_submission_for(owner, title=f"Bulk pangolin {n}") for n in range(2)]
    response = Browser(app, moderator).post(
        "/moderation/bulk", data={"ids": [str(s.id) for s in items], "action": "approve"}
    )
    assert response.status_code == 302
    assert all(row(app, s.id).status is Status.APPROVED for s in items)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    page = re.sub(r"<[^>]+>", "", app.test_client().get("/search?q=pangolin").text)
    assert "Bulk pangolin 0" in page and "Bulk pangolin 1" in page


def test_bulk_reject_with_reason(app, create_submission_for, owner, moderator):
    a, b = create_submission_for(owner), create_submission_for(owner)
    response = Browser(app, moderator).post(
        "/moderation/bulk",
        data={"ids": [str(a.id), str(b.id)], "action": "reject", "message": REASON},
    )
    assert response.status_code == 302
    for item in (a, b):
        stored = row(app, item.id)
        assert (stored.status, stored.decision_message) == (Status.REJECTED, REASON)


@pytest.mark.parametrize("message", ["", "   "])
def test_bulk_reject_without_reason_changes_nothing(
    app, create_submission_for, owner, moderator, message
):
    items = [create_submission_for(owner) for _ in range(2)]
    before = [snapshot(app, s.id) for s in items]
    browser = Browser(app, moderator)
    response = browser.post(
        "/moderation/bulk?kind=initiative",
        data={"ids": [str(items[1].id)], "action": "reject", "message": message},
    )
    assert response.status_code == 422  # the queue again, the moderator's work kept
    page = response.get_data(as_text=True)
    assert "Give a reason to reject" in field_error(page, "message")
    assert ticked(page) == {items[1].id}
    assert 'action="/moderation/bulk?kind=initiative"' in page  # the filters stay
    assert [snapshot(app, s.id) for s in items] == before


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"action": "approve"}, "ids", "Select at least one submission"),
        (
            {"ids": ["x", "-1", "99999999999"], "action": "approve"},
            "ids",
            "Select at least one submission",
        ),
        ({"ids": ["1"], "action": "delete"}, "action", "Not a valid choice"),
        ({"ids": ["1"], "message": "Typed reason"}, "action", "Nothing was decided"),
        ({"ids": ["1"], "action": "reject", "message": "x" * 4001}, "message", "4000"),
    ],
    ids=["no-selection", "bad-ids", "forged-action", "no-button", "reason-too-long"],
)
def test_bulk_refuses_incomplete_forms_and_keeps_the_work(
    app, create_submission_for, owner, moderator, data, field, error
):
    """Each error is said where it belongs, with 422; the ticks and the reason stay."""
    item = create_submission_for(owner)
    before = snapshot(app, item.id)
    response = Browser(app, moderator).post("/moderation/bulk", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error in field_error(page, field)
    assert f'href="#{field}-field"' in page
    assert ticked(page) == ({item.id} if data.get("ids") == ["1"] else set())
    if "message" in data:
        assert field_value(page, "message") == data["message"]
    assert snapshot(app, item.id) == before


def test_bulk_reports_refused_items_and_applies_the_others(
    app, create_submission_for, owner, moderator
):
    good = create_submission_for(owner, title="Good one")
    decided = create_submission_for(owner, status="approved", title="Decided one")
    own = create_submission_for(moderator, title="Moderator's own")
    draft = create_submission_for(owner, status="draft", title="Secret draft")
    other_good = create_submission_for(owner, title="Another good one")
    untouched = {s.id: item_state(app, s.id) for s in (decided, own, draft)}
    browser = Browser(app, moderator)
    response = browser.post(
        "/moderation/bulk?kind=initiative&q=one",
        data={
            "ids": [str(s.id) for s in (good, decided, own, draft, other_good)] + ["999999"],
            "action": "reject",
            "message": REASON,
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/moderation/?kind=initiative&q=one"
    assert row(app, good.id).status is Status.REJECTED
    assert row(app, other_good.id).status is Status.REJECTED
    assert {sid: item_state(app, sid) for sid in untouched} == untouched
    flashes = flash_messages(browser.get("/moderation/"))[1:]  # after "Logged in as …"
    assert flashes[0] == "2 submissions rejected."
    [refusals] = flashes[1:]  # one message, however many items were refused
    assert refusals.startswith("4 not decided — ")
    assert f"#{decided.id} “Decided one”: Already decided by Factory Moderator at" in refusals
    assert f"#{own.id} “Moderator's own”: You cannot decide on your own submission" in refusals
    assert f"#{draft.id}, #999999: Not found." in refusals  # a draft's existence is not told
    assert "Secret draft" not in refusals
    assert [
        e.submission_id
        for e in events(app)
        if e.action is Action.REJECTED and e.actor_id == moderator.id
    ] == [good.id, other_good.id]


# --------------------------------------------------------------------------- review page


def test_review_page_shows_content_history_duplicates_and_form(
    app, create_submission_for, create_user, owner, moderator
):
    item = create_submission_for(
        owner,
        title="Open AI curricula for schools",
        lead_organisation="Learning Lab",
        description="A very particular description text.",
    )
    other = create_user(name="Somebody Else")
    same_org = create_submission_for(
        other, title="Something different entirely", lead_organisation="learning lab "
    )
    similar_title = create_submission_for(
        other,
        status="approved",
        title="Open AI curricula for school",
        lead_organisation="Other Org",
    )
    unrelated = create_submission_for(
        other, title="Satellite imagery for farms", lead_organisation="Agri Org"
    )
    hidden_draft = create_submission_for(
        other,
        status="draft",
        title="Open AI curricula for schools",
        lead_organisation="Learning Lab",
    )
    with app.app_context():  # a decision in the history, then resubmitted
        ops.request_changes(
            db.session.get(Submission, item.id),
            db.session.get(User, moderator.id),
            "Say which schools.",
        )
        update_submission(
            db.session.get(Submission, item.id),
            content(
                title="Open AI curricula for schools",
                lead_organisation="Learning Lab",
                description="A very particular description text.",
            ),
            submit=True,
            actor=db.session.get(User, owner.id),
        )
        db.session.commit()

    page = Browser(app, moderator).get(f"/moderation/{item.id}")
    assert page.status_code == 200
    body = text_of(page)
    assert "A very particular description text." in body  # the full submission
    assert owner.email in body
    history = body[body.index('id="hist-title"') :]
    assert [a for a in ("created", "submitted", "changes requested", "edited") if a in history] == [
        "created",
        "submitted",
        "changes requested",
        "edited",
    ]
    assert "Say which schools." in history
    assert "(submitted → changes requested)" in history
    assert "(changes requested → submitted)" in history
    assert "by Mona Moderator" in history and "by Olga Owner" in history
    duplicates = body[body.index('id="dup-title"') : body.index("Similar published")]
    assert f"#{same_org.id} " in duplicates
    assert f"#{similar_title.id} " in duplicates
    assert f"#{unrelated.id} " not in duplicates
    assert f"#{hidden_draft.id} " not in duplicates
    assert f"#{item.id} " not in duplicates
    # An item is listed once: as a possible duplicate, not again among the similar ones.
    assert body[body.index('id="dup-title"') :].count(f"#{similar_title.id} ") == 1
    decision = body[body.index('id="decide-title"') : body.index('id="dup-title"')]
    for name in (
        'name="message"',
        'name="version"',
        'name="dup-duplicate_of"',
        'name="dup-version"',
    ):
        assert name in decision
    # One button per decision, none chosen in advance (no select with a first option).
    assert re.findall(r'<button type="submit" name="action" value="(\w+)"', decision) == [
        "approve",
        "request_changes",
        "reject",
    ]
    assert "<select" not in decision
    assert f'action="/moderation/{item.id}/decide"' in decision
    assert f'action="/moderation/{item.id}/duplicate"' in decision


def test_review_page_of_decided_item_shows_the_decision_not_the_form(
    app, create_submission_for, owner, moderator
):
    item = create_submission_for(owner, status="rejected")
    body = text_of(Browser(app, moderator).get(f"/moderation/{item.id}"))
    assert 'name="version"' not in body
    assert "decided by Factory Moderator" in body
    assert "Last decision by Factory Moderator: Out of scope." in body


def test_review_of_a_draft_is_404(app, create_submission_for, owner, moderator):
    draft = create_submission_for(owner, status="draft")
    assert Browser(app, moderator).get(f"/moderation/{draft.id}").status_code == 404


def test_duplicate_is_linked_on_the_review_page(
    app, create_submission_for, owner, moderator, original
):
    item = create_submission_for(owner)
    browser = Browser(app, moderator)
    post_decision(
        browser, item.id, "duplicate", page_version(browser, item.id), duplicate_of=str(original.id)
    )
    body = text_of(browser.get(f"/moderation/{item.id}"))
    assert f'Marked as a duplicate of <a href="/moderation/{original.id}">' in body
    assert row(app, item.id).status is Status.REJECTED  # never public


# --------------------------------------------------------------------------- audit trail


def test_every_transition_is_audited_in_order(
    app, clock, create_submission_for, create_user, owner, moderator, caplog
):
    """A life: create, submit, changes requested, edit + resubmit, approve, revision
    proposed and approved, a second revision rejected; then a withdrawal and a duplicate."""
    caplog.set_level(logging.INFO, logger="hub.audit")
    t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    item = create_submission_for(owner, title="Life of an item")
    browser = Browser(app, moderator)

    steps = [
        ("request_changes", {"message": CHANGES}),
        ("resubmit", {}),
        ("approve", {}),
        ("revise", {"title": "Life of an item, v2"}),
        ("revision_approve", {}),
        ("revise", {"title": "Life of an item, v3"}),
        ("revision_reject", {"message": "Keep v2."}),
    ]
    moments = []
    for i, (step, extra) in enumerate(steps):
        moment = t0 + timedelta(hours=i)
        moments.append(moment)
        clock.freeze(moment)
        if step in ("request_changes", "approve"):
            response = browser.post(
                f"/moderation/{item.id}/decide",
                data=decision_form(step, row(app, item.id).version, **extra),
            )
            assert response.status_code == 302
        elif step in ("resubmit", "revise"):
            with app.app_context():
                update_submission(
                    db.session.get(Submission, item.id),
                    content(**(extra or {"title": "Life of an item"})),
                    submit=step == "resubmit",
                    actor=db.session.get(User, owner.id),
                )
                db.session.commit()
        else:
            with app.app_context():
                revision_id = db.session.scalar(
                    select(Revision.id).where(
                        Revision.submission_id == item.id, Revision.status == RevisionStatus.PENDING
                    )
                )
            response = browser.post(
                f"/moderation/revisions/{revision_id}/decide",
                data={"action": step.removeprefix("revision_"), **extra},
            )
            assert response.status_code == 302
            assert last_flash(browser, response).startswith(
                "Update published: “Life of an item, v2”"
                if step == "revision_approve"
                else "Update refused: “Life of an item, v2”"
            )
    clock.freeze(None)

    trail = [
        (e.action, e.from_status, e.to_status, e.actor_id, e.message) for e in events(app, item.id)
    ]
    o, m = owner.id, moderator.id
    assert trail == [
        (Action.CREATED, None, "draft", o, ""),
        (Action.SUBMITTED, "draft", "submitted", o, ""),
        (Action.CHANGES_REQUESTED, "submitted", "changes_requested", m, CHANGES),
        (Action.EDITED, "changes_requested", "changes_requested", o, ""),
        (Action.SUBMITTED, "changes_requested", "submitted", o, ""),
        (Action.APPROVED, "submitted", "approved", m, ""),
        (
            Action.REVISION_PROPOSED,
            "approved",
            "approved",
            o,
            "Edit of the approved text awaits review.",
        ),
        (Action.REVISION_APPROVED, "approved", "approved", m, ""),
        (
            Action.REVISION_PROPOSED,
            "approved",
            "approved",
            o,
            "Edit of the approved text awaits review.",
        ),
        (Action.REVISION_REJECTED, "approved", "approved", m, "Keep v2."),
    ]
    when = [aware(e.created_at) for e in events(app, item.id)][2:]
    assert when == [moments[0], moments[1], moments[1], *moments[2:]]
    logged = [r.getMessage() for r in caplog.records if r.name == "hub.audit"]
    assert any(
        line.startswith("approved: submission=") and "submitted -> approved" in line
        for line in logged
    )
    assert any(line.startswith("revision_rejected:") and "Keep v2." in line for line in logged)

    withdrawn = create_submission_for(owner, status="withdrawn")
    assert [(e.action, e.from_status, e.to_status) for e in events(app, withdrawn.id)][-1] == (
        Action.WITHDRAWN,
        "submitted",
        "withdrawn",
    )


def test_exception_grant_and_revoke_are_audited(app, clock, create_user, moderator):
    late = create_user(email="late@example.org")
    browser = Browser(app, moderator)
    response = browser.post(
        "/moderation/exceptions",
        data={"email": "late@example.org", "until": "2099-06-20T18:00", "reason": "Visa delays"},
    )
    assert response.status_code == 302
    assert last_flash(browser, response) == (
        "late@example.org may submit until 20 June 2099, 18:00 CEST."
    )
    granted = [e for e in events(app) if e.action is Action.EXCEPTION_GRANTED]
    assert len(granted) == 1
    assert (granted[0].actor_id, granted[0].subject_user_id, granted[0].submission_id) == (
        moderator.id,
        late.id,
        None,
    )
    assert granted[0].message == "Until 20 June 2099, 18:00 CEST. Visa delays"
    with app.app_context():
        exception_id = db.session.scalar(select(DeadlineException.id))
    response = browser.post(f"/moderation/exceptions/{exception_id}/revoke")
    assert response.status_code == 302
    assert last_flash(browser, response) == "The exception for late@example.org was revoked."
    revoked = [e for e in events(app) if e.action is Action.EXCEPTION_REVOKED]
    assert len(revoked) == 1 and revoked[0].subject_user_id == late.id


def _csv_rows(response: Any) -> list[dict[str, str]]:
    """The rows of a CSV download, read as a spreadsheet does (UTF-8 with its BOM)."""
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte order mark"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


AUDIT_HEADER = "id,when_utc,actor,action,submission_id,account,from_status,to_status,message"


def test_audit_csv_of_a_fresh_hub_has_its_header(app, create_user):
    """No event yet: the file still names its columns (a spreadsheet shows an empty table,
    not a blank file)."""
    admin = create_user(role="admin")
    with app.app_context():  # a fresh hub: even the admin's creation left no event
        db.session.execute(AuditEvent.__table__.delete())
        db.session.commit()
    response = Browser(app, admin).get("/moderation/audit.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.get_data() == ("\ufeff" + AUDIT_HEADER + "\r\n").encode()
    assert _csv_rows(response) == []


def test_audit_csv_keeps_accents_for_spreadsheets(
    app, create_user, create_submission_for, owner, moderator
):
    item = create_submission_for(owner, title="Café numérique")
    reason = "Hors du périmètre : « coopération » déjà publiée à Genève."
    Browser(app, moderator).post(
        f"/moderation/{item.id}/decide",
        data=decision_form("reject", row(app, item.id).version, message=reason),
    )
    response = Browser(app, create_user(role="admin")).get("/moderation/audit.csv")
    data = response.get_data()
    assert data.startswith(("\ufeff" + AUDIT_HEADER + "\r\n").encode())
    [line] = [r for r in _csv_rows(response) if r["action"] == "rejected"]
    assert line["message"] == reason


def test_audit_csv_contains_every_event(
    app, clock, create_user, create_submission_for, owner, moderator
):
    admin = create_user(role="admin")
    item = create_submission_for(owner, title="Exported")
    moment = datetime(2026, 7, 1, 22, 15, tzinfo=UTC)  # 2 July in Geneva, 1 July in UTC
    clock.freeze(moment)
    Browser(app, moderator).post(
        f"/moderation/{item.id}/decide",
        data=decision_form("reject", row(app, item.id).version, message=REASON),
    )
    clock.freeze(None)
    response = Browser(app, admin).get("/moderation/audit.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv_rows(response)
    assert len(rows) == len(events(app))
    assert [r["id"] for r in rows] == [str(e.id) for e in events(app)]
    rejected = [r for r in rows if r["action"] == "rejected" and r["submission_id"] == str(item.id)]
    assert rejected == [
        {
            "id": rejected[0]["id"],
            "when_utc": "2026-07-01T22:15:00+00:00",
            "actor": moderator.email,
            "action": "rejected",
            "submission_id": str(item.id),
            "account": "",
            "from_status": "submitted",
            "to_status": "rejected",
            "message": REASON,
        }
    ]
    assert any(r["action"] == "created" and r["actor"] == owner.email for r in rows)


@pytest.mark.parametrize(
    "reason", ['=HYPERLINK("http://evil.example","x")', "+1+2", "-3", "@SUM(A1)", "\t=1+1"]
)
def test_audit_csv_neutralises_formulas(
    app, create_user, create_submission_for, owner, moderator, reason
):
    item = create_submission_for(owner)
    response = Browser(app, moderator).post(
        f"/moderation/{item.id}/decide",
        data=decision_form("reject", row(app, item.id).version, message=reason),
    )
    assert response.status_code == 302
    stored = row(app, item.id).decision_message  # the form strips surrounding blanks
    rows = _csv_rows(Browser(app, create_user(role="admin")).get("/moderation/audit.csv"))
    [line] = [r for r in rows if r["action"] == "rejected"]
    assert line["message"] == "'" + stored
    assert [e.message for e in events(app, item.id) if e.action is Action.REJECTED] == [stored]


def test_audit_csv_exports_account_events_and_system_rows(app, create_user, moderator):
    admin = create_user(role="admin")
    Browser(app, moderator).post(
        "/moderation/exceptions",
        data={"email": admin.email, "until": "2099-01-01T00:00", "reason": ""},
    )
    rows = _csv_rows(Browser(app, admin).get("/moderation/audit.csv"))
    [row] = [r for r in rows if r["action"] == "exception_granted"]
    assert (row["actor"], row["account"], row["submission_id"]) == (
        moderator.email,
        admin.email,
        "",
    )


# --------------------------------------------------------------------------- dashboard


def decide_at(
    app: Flask, clock: Any, submission_id: int, when: datetime, how: str, moderator: User
) -> None:
    """A moderator's decision at `when`; "resubmit" is the owner's resubmission."""
    clock.freeze(when)
    with app.app_context():
        item = db.session.get(Submission, submission_id)
        mod = db.session.get(User, moderator.id)
        if how == "approve":
            ops.approve_submission(item, mod)
        elif how == "reject":
            ops.reject_submission(item, mod, REASON)
        elif how == "request_changes":
            ops.request_changes(item, mod, CHANGES)
        else:
            update_submission(item, content(), submit=True, actor=item.owner)
        db.session.commit()


def test_dashboard_shows_counts_charts_and_median(
    app, clock, create_submission_for, owner, moderator
):
    """Figures come from the audit trail: a resubmission neither moves the first submission
    to another day nor hides the decision that asked for it."""
    t0 = datetime(2026, 6, 9, 18, 0, tzinfo=UTC)  # 20:00 on 9 June in Geneva
    hours = timedelta(hours=1)
    for how, delay in (("approve", 2), ("reject", 4), ("request_changes", 30)):
        decide_at(app, clock, submit_at(app, clock, owner, t0), t0 + delay * hours, how, moderator)
    revised = submit_at(app, clock, owner, t0)
    decide_at(app, clock, revised, t0 + 1 * hours, "request_changes", moderator)
    decide_at(app, clock, revised, t0 + 10 * hours, "resubmit", moderator)  # 10 June
    decide_at(app, clock, revised, t0 + 12 * hours, "approve", moderator)
    for _ in range(2):
        submit_at(app, clock, owner, t0 + 40 * hours, kind="coalition")  # 11 June
    create_submission_for(owner, status="draft")
    clock.freeze(datetime(2026, 6, 12, 9, 0, tzinfo=UTC))
    response = Browser(app, moderator).get("/moderation/dashboard")
    assert response.status_code == 200
    body = text_of(response)
    assert "Median time to decision:" in body
    # Waits 2, 4, 30 h, and 1 h then 2 h for the resubmitted one: median 2 h, 5 decisions.
    assert "<strong>2.0 hours</strong>" in body
    assert "(5 decisions," in body
    bars = bar_rows(response.get_data(as_text=True))
    assert {
        k: bars[k]
        for k in ("Draft", "Submitted", "Changes requested", "Approved", "Rejected", "Withdrawn")
    } == {
        "Draft": 1,
        "Submitted": 2,
        "Changes requested": 1,
        "Approved": 2,
        "Rejected": 1,
        "Withdrawn": 0,
    }  # as people say them, not "changes_requested"
    assert (bars["Coalition"], bars["Initiative"]) == (2, 4)
    assert (bars["Tue 9 Jun"], bars["Wed 10 Jun"], bars["Thu 11 Jun"]) == (4, 0, 2)
    assert "30 days" in body and "changes_requested" not in body


def test_dashboard_median_in_days_and_without_decisions(app, clock, owner, moderator):
    browser = Browser(app, moderator)
    assert "no decisions yet" in text_of(browser.get("/moderation/dashboard"))
    t0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    decide_at(
        app,
        clock,
        submit_at(app, clock, owner, t0),
        t0 + timedelta(minutes=20),
        "approve",
        moderator,
    )
    assert "<strong>20 minutes</strong>" in text_of(browser.get("/moderation/dashboard"))
    decide_at(
        app,
        clock,
        submit_at(app, clock, owner, t0),
        t0 + timedelta(days=6, minutes=-20),
        "approve",
        moderator,
    )  # the median of two: their mean, 3 days
    assert "<strong>3.0 days</strong>" in text_of(browser.get("/moderation/dashboard"))
