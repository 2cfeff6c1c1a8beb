"""Standard reasons: admins add, edit, retire and restore them (audited); moderators insert
one in their message from the review page (without JavaScript the form comes back with the
text added, nothing typed lost) and can still change it before deciding."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hub.audit.models import Action, AuditEvent
from hub.extensions import db
from hub.submissions.models import Status
from hub.submissions.reasons import StandardReason

from helpers import Browser, expect, field_value, page_version, row, text_of

SCOPE = "This proposal is outside the scope of the call: it does not concern AI governance."


def add(browser: Browser, label: str = "Out of scope", text: str = SCOPE, use: str = "reject"):
    return browser.post("/admin/reasons", data={"label": label, "text": text, "use": use})


def stored(app) -> list[StandardReason]:
    with app.app_context():
        found = list(db.session.scalars(select(StandardReason).order_by(StandardReason.id)))
        db.session.expunge_all()
        return found


def audit(app) -> list[tuple[Action, str]]:
    with app.app_context():
        return [
            (e.action, e.message)
            for e in db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action.in_([a for a in Action if a.value.startswith("reason")]))
                .order_by(AuditEvent.id)
            )
        ]


def test_only_admins_reach_the_page(app, moderator, owner):
    for user in (moderator, owner):
        browser = Browser(app, user)
        expect(browser.get("/admin/reasons"), 403)
        expect(add(browser), 403)
    assert stored(app) == []


def test_an_admin_adds_edits_retires_and_restores_a_reason(app, admin):
    browser = Browser(app, admin)
    assert 'href="/admin/reasons"' in browser.get("/moderation/").text  # in the menu
    assert expect(add(browser), 303).location.endswith("/admin/reasons")
    [reason] = stored(app)
    assert (reason.label, reason.text, reason.use.value) == ("Out of scope", SCOPE, "reject")
    page = browser.get("/admin/reasons")
    assert "Out of scope" in text_of(page)

    edit_page = browser.get(f"/admin/reasons/{reason.id}")
    assert field_value(edit_page.text, "label") == "Out of scope"
    expect(
        browser.post(
            f"/admin/reasons/{reason.id}",
            data={"label": "Outside the call", "text": SCOPE + " Sorry.", "use": "any"},
        ),
        303,
    )
    expect(browser.post(f"/admin/reasons/{reason.id}/retire", data={"action": "retire"}), 303)
    [reason] = stored(app)
    assert reason.label == "Outside the call" and reason.retired_at is not None
    assert "Retired" in text_of(browser.get("/admin/reasons"))
    expect(browser.post(f"/admin/reasons/{reason.id}/retire", data={"action": "restore"}), 303)
    assert stored(app)[0].retired_at is None
    assert audit(app) == [
        (Action.REASON_ADDED, "Out of scope"),
        (Action.REASON_EDITED, "Out of scope → Outside the call"),
        (Action.REASON_RETIRED, "Outside the call"),
        (Action.REASON_RESTORED, "Outside the call"),
    ]


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"label": "", "text": SCOPE, "use": "reject"}, "Give the reason a short label."),
        ({"label": "x" * 81, "text": SCOPE, "use": "reject"}, "80 characters"),
        ({"label": "Scope", "text": "  ", "use": "reject"}, "Write the text inserted"),
        ({"label": "Scope", "text": SCOPE, "use": "approve"}, "Not a valid choice"),
    ],
)
def test_bad_input_is_refused_with_what_was_typed_kept(app, admin, data, said):
    page = expect(Browser(app, admin).post("/admin/reasons", data=data), 422)
    assert said in text_of(page) or "Choose what the reason is offered for" in text_of(page)
    if data["text"].strip():
        assert SCOPE in text_of(page)
    assert stored(app) == []


def test_an_unknown_reason_is_404(app, admin):
    browser = Browser(app, admin)
    expect(browser.get("/admin/reasons/999"), 404)
    expect(browser.post("/admin/reasons/999/retire", data={"action": "retire"}), 404)


@pytest.fixture
def reasons(app, admin):
    browser = Browser(app, admin)
    add(browser)
    add(
        browser, "Add partners", "Please name at least one partner organisation.", "request_changes"
    )
    add(browser, "Retired one", "Old text nobody should see.", "any")
    retired = stored(app)[-1]
    browser.post(f"/admin/reasons/{retired.id}/retire", data={"action": "retire"})
    return {r.label: r.id for r in stored(app)}


def test_the_review_page_offers_the_reasons_in_use(
    app, moderator, owner, create_submission_for, reasons
):
    item = create_submission_for(owner)
    page = Browser(app, moderator).get(f"/moderation/{item.id}")
    assert "data-reason-picker" in page.text
    assert "Out of scope" in page.text and "Add partners" in page.text
    assert "Retired one" not in page.text
    assert '<optgroup label="For rejecting">' in page.text


def test_inserting_without_javascript_keeps_what_was_typed(
    app, moderator, owner, create_submission_for, reasons
):
    item = create_submission_for(owner)
    browser = Browser(app, moderator)
    page = browser.post(
        f"/moderation/{item.id}/decide",
        data={
            "message": "Thank you for the proposal.",
            "reason": str(reasons["Out of scope"]),
            "insert_reason": "1",
            "version": str(page_version(browser, item.id)),
        },
    )
    assert page.status_code == 200
    message = field_value(page.text, "message")
    assert message == f"Thank you for the proposal.\n\n{SCOPE}"
    assert "was added at the end of your message" in text_of(page)
    assert row(app, item.id).status is Status.SUBMITTED  # nothing decided
    # The moderator edits the inserted text, then rejects: what they sent is what they wrote.
    edited = message.replace("Thank you for the proposal.", "Dear submitter,")
    version = re.search(r'name="version"[^>]*value="(\d+)"', page.text).group(1)
    done = browser.post(
        f"/moderation/{item.id}/decide",
        data={"action": "reject", "message": edited, "version": version},
    )
    assert done.status_code == 302
    assert row(app, item.id).decision_message == edited


@pytest.mark.parametrize("chosen", ["", "abc", "999", "RETIRED"])
def test_inserting_nothing_or_a_retired_reason_says_so(
    app, moderator, owner, create_submission_for, reasons, chosen
):
    item = create_submission_for(owner)
    if chosen == "RETIRED":
        chosen = str(reasons["Retired one"])
    page = Browser(app, moderator).post(
        f"/moderation/{item.id}/decide",
        data={"message": "Typed text", "reason": chosen, "insert_reason": "1", "version": "1"},
    )
    assert page.status_code == 422
    assert "Choose a standard reason in the list" in text_of(page)
    assert field_value(page.text, "message") == "Typed text"
    assert "Old text nobody should see" not in page.text
    assert row(app, item.id).status is Status.SUBMITTED


def test_no_picker_without_reasons(app, moderator, owner, create_submission_for):
    item = create_submission_for(owner)
    assert "data-reason-picker" not in Browser(app, moderator).get(f"/moderation/{item.id}").text
