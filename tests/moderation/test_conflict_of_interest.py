"""Conflict of interest: a moderator cannot decide on a submission led by the organisation
declared on their account (spelling variants included), nor on one they own or co-edit.
The review page says why there are no buttons; a forged post gets 403, changes nothing and
is logged; the queue offers no box for such items and skips them as "next"."""

from __future__ import annotations

import logging

import pytest

from hub.auth.models import User
from hub.extensions import db
from hub.moderation.conflicts import organisation_key
from hub.submissions.editors import SubmissionEditor
from hub.submissions.models import Status

from helpers import REASON, Browser, page_text, propose, row, snapshot, text_of, ticked

ORG = "Institut  Numérique de Genève"


def declare(app, user: User, organisation: str) -> None:
    """Set the organisation on the account, as the settings page saves it."""
    with app.app_context():
        db.session.get(User, user.id).organisation = organisation
        db.session.commit()


@pytest.fixture
def conflicted(app, moderator, owner, create_submission_for):
    """A moderator of ORG and a submission led by a spelling variant of it."""
    declare(app, moderator, ORG)
    return create_submission_for(owner, lead_organisation=" institut numerique  DE GENEVE ")


def test_names_are_compared_with_case_accents_and_blanks_folded():
    assert organisation_key(ORG) == organisation_key("INSTITUT NUMERIQUE de  genève ")
    assert organisation_key("Institut Numérique") != organisation_key(ORG)
    assert organisation_key("") == organisation_key(None) == ""


def test_the_review_page_says_why_there_are_no_decision_buttons(app, moderator, conflicted):
    page = Browser(app, moderator).get(f"/moderation/{conflicted.id}")
    assert page.status_code == 200
    text = text_of(page)
    assert "You cannot decide on this submission." in text
    assert "led by your organisation" in text and "Institut  Numérique de Genève" in text
    assert f"/moderation/{conflicted.id}/decide" not in page.text
    assert f"/moderation/{conflicted.id}/duplicate" not in page.text


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("decide", {"action": "approve"}),
        ("decide", {"action": "reject", "message": REASON}),
        ("decide", {"action": "request_changes", "message": "Add partners."}),
        ("duplicate", {"dup-duplicate_of": "ORIGINAL"}),
    ],
)
def test_a_forged_decision_gets_403_changes_nothing_and_is_logged(
    app, moderator, owner, conflicted, create_submission_for, caplog, path, data
):
    original = create_submission_for(owner, status="approved", title="The original")
    data = {k: str(original.id) if v == "ORIGINAL" else v for k, v in data.items()}
    before = snapshot(app, conflicted.id)
    version_field = "dup-version" if path == "duplicate" else "version"
    caplog.set_level(logging.WARNING, logger="hub.moderation")
    response = Browser(app, moderator).post(
        f"/moderation/{conflicted.id}/{path}", data={**data, version_field: before["version"]}
    )
    assert response.status_code == 403
    assert "your own organisation" in text_of(response)
    assert snapshot(app, conflicted.id) == before
    assert any(
        "conflict of interest" in r.getMessage() and f"submission={conflicted.id}" in r.getMessage()
        for r in caplog.records
    )


def test_a_forged_decision_on_an_update_is_refused(app, moderator, owner, create_submission_for):
    declare(app, moderator, ORG)
    item = create_submission_for(owner, status="approved", lead_organisation=ORG.upper())
    revision_id = propose(app, item.id, owner, title="New title", lead_organisation=ORG)
    browser = Browser(app, moderator)
    page = browser.get(f"/moderation/{item.id}")
    assert f"/moderation/revisions/{revision_id}/decide" not in page.text
    assert "led by your organisation" in text_of(page)
    before = snapshot(app, item.id)
    response = browser.post(
        f"/moderation/revisions/{revision_id}/decide", data={"action": "approve"}
    )
    assert response.status_code == 403
    assert snapshot(app, item.id) == before
    assert row(app, item.id).title != "New title"


def test_a_colleague_from_another_organisation_decides_it(app, conflicted, create_user):
    colleague = create_user(role="moderator", name="Other Org Moderator")
    declare(app, colleague, "Another Institute")
    browser = Browser(app, colleague)
    version = snapshot(app, conflicted.id)["version"]
    response = browser.post(
        f"/moderation/{conflicted.id}/decide", data={"action": "approve", "version": version}
    )
    assert response.status_code == 302
    assert row(app, conflicted.id).status is Status.APPROVED


def test_a_moderator_without_a_declared_organisation_has_no_conflict(
    app, moderator, owner, create_submission_for
):
    declare(app, moderator, "")
    item = create_submission_for(owner, lead_organisation="")
    page = Browser(app, moderator).get(f"/moderation/{item.id}")
    assert f"/moderation/{item.id}/decide" in page.text


def test_the_queue_offers_no_box_and_bulk_cannot_decide_it(
    app, moderator, owner, conflicted, create_submission_for
):
    other = create_submission_for(owner, lead_organisation="Someone Else")
    browser = Browser(app, moderator)
    page = browser.post("/moderation/bulk", data={"action": "select_all"})
    assert other.id in ticked(page.text) and conflicted.id not in ticked(page.text)
    before = snapshot(app, conflicted.id)
    browser.post(
        "/moderation/bulk",
        data={
            "action": "reject",
            "ids": [str(conflicted.id)],
            "message": REASON,
            f"version-{conflicted.id}": str(before["version"]),
        },
    )
    assert row(app, conflicted.id).status is Status.SUBMITTED
    assert snapshot(app, conflicted.id)["events"] == before["events"]


def test_next_in_the_queue_skips_items_of_ones_organisation(
    app, moderator, owner, create_submission_for, clock
):
    declare(app, moderator, ORG)
    first = create_submission_for(owner, lead_organisation="First Org")
    create_submission_for(owner, lead_organisation=ORG)
    third = create_submission_for(owner, lead_organisation="Third Org")
    page = Browser(app, moderator).get(f"/moderation/{first.id}")
    assert f'/moderation/{third.id}"' in page.text or f"/moderation/{third.id}?" in page.text


def test_a_co_editor_moderator_cannot_decide(app, create_user, owner, create_submission_for):
    editor = create_user(role="moderator", name="Co Editor")
    item = create_submission_for(owner)
    with app.app_context():
        db.session.add(SubmissionEditor(submission_id=item.id, user_id=editor.id))
        db.session.commit()
    browser = Browser(app, editor)
    assert "your own submission" in text_of(browser.get(f"/moderation/{item.id}"))
    before = snapshot(app, item.id)
    response = browser.post(
        f"/moderation/{item.id}/decide", data={"action": "approve", "version": before["version"]}
    )
    assert response.status_code == 403
    assert snapshot(app, item.id) == before


def test_the_settings_page_says_what_the_organisation_does_for_moderators(app, moderator, owner):
    assert "conflict of interest" in text_of(Browser(app, moderator).get("/account/settings"))
    assert "conflict of interest" not in text_of(Browser(app, owner).get("/account/settings"))


@pytest.fixture
def colleagues(app, moderator, create_user, create_submission_for):
    """A moderator and a submitter whose accounts declare the same ministry (spelt apart);
    the submission names another lead organisation."""
    declare(app, moderator, "Ministère du Numérique")
    colleague = create_user(name="Colleague", organisation="  ministere du  NUMERIQUE")
    item = create_submission_for(colleague, lead_organisation="National Digital Agency")
    return colleague, item


def test_a_colleagues_submission_is_not_decided_by_the_moderator(app, moderator, colleagues):
    _, item = colleagues
    browser = Browser(app, moderator)
    page = browser.get(f"/moderation/{item.id}")
    text = text_of(page)
    assert "You cannot decide on this submission." in text
    assert "sent from the account of someone in your organisation" in text
    assert "Ministère du Numérique" in text
    assert f"/moderation/{item.id}/decide" not in page.text
    before = snapshot(app, item.id)
    response = browser.post(
        f"/moderation/{item.id}/decide", data={"action": "approve", "version": before["version"]}
    )
    assert response.status_code == 403
    assert "account of your own organisation" in text_of(response)
    assert snapshot(app, item.id) == before


@pytest.fixture
def first(owner, create_submission_for):
    """A submission sent before the colleague's."""
    return create_submission_for(owner, title="Sent first", lead_organisation="First Org")


def test_a_colleagues_submission_has_no_box_and_next_skips_it(
    app, moderator, owner, first, colleagues, create_submission_for
):
    _, item = colleagues
    last = create_submission_for(owner, title="Sent last", lead_organisation="Last Org")
    browser = Browser(app, moderator)
    page = browser.post("/moderation/bulk", data={"action": "select_all"})
    assert {first.id, last.id} <= set(ticked(page.text)) and item.id not in ticked(page.text)
    review = browser.get(f"/moderation/{first.id}").text
    assert f"Skip to the next: #{last.id}" in page_text(review)
    before = snapshot(app, item.id)
    browser.post(
        "/moderation/bulk",
        data={
            "action": "approve",
            "ids": [str(item.id)],
            f"version-{item.id}": str(before["version"]),
        },
    )
    assert snapshot(app, item.id) == before


def test_an_empty_organisation_ties_no_one(app, moderator, create_user, create_submission_for):
    declare(app, moderator, "")
    other = create_user(organisation="")
    item = create_submission_for(other, lead_organisation="Somewhere")
    assert (
        f"/moderation/{item.id}/decide"
        in Browser(app, moderator).get(f"/moderation/{item.id}").text
    )
