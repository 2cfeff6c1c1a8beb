"""Writing, submitting, editing and withdrawing submissions, as their owner meets it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from hub.auth.models import User
from hub.extensions import db
from hub.submissions.models import STATUS_LABELS, Status, Submission
from hub.submissions.operations import (
    SubmissionsClosed,
    create_submission,
    update_submission,
    withdraw_submission,
)

from helpers import (
    KIND_FIELDS,
    count,
    detail_id,
    expect,
    field_error,
    field_value,
    form_data,
    form_token,
    full_content,
    row,
    rows,
)

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)  # 10:30 CET

KIND_HEADINGS = {
    "initiative": "New initiative",
    "coalition": "New coalition",
    "partnership": "New partnership",
    "concrete_action": "New concrete action",
}


# --- Helpers ------------------------------------------------------------------------------






















def as_utc(instant: datetime | None) -> datetime | None:
    """SQLite hands back naive UTC; PostgreSQL aware. Compare both as aware UTC."""
    if instant is None:
        return None
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)



@pytest.fixture
def owner(create_user: Any, auth: Any) -> User:
    """A logged-in submitter."""
    user = create_user(name="Olga Owner")
    expect(auth.login(user), 302)
    return user


# --- Forms per kind, and who may see them -------------------------------------------------


@pytest.mark.parametrize("kind", list(KIND_FIELDS))
def test_each_kind_has_its_own_form(client, owner, kind):
    page = expect(client.get(f"/submit/{kind}"), 200).text

    assert KIND_HEADINGS[kind] in page
    assert f'name="{KIND_FIELDS[kind]}"' in page
    for other, name in KIND_FIELDS.items():
        if other != kind:
            assert f'name="{name}"' not in page
    for shared in ("title", "summary", "description", "contact_email", "countries"):
        assert f'name="{shared}"' in page
    assert len(form_token(page)) >= 20
    assert 'value="submit"' in page and 'value="draft"' in page


def test_form_tokens_differ_between_forms(client, owner):
    first = form_token(client.get("/submit/initiative").text)
    second = form_token(client.get("/submit/initiative").text)
    assert first != second


def test_choose_page_links_every_kind(client, owner):
    page = expect(client.get("/submit/"), 200).text
    for kind in KIND_FIELDS:
        assert f'href="/submit/{kind}"' in page


@pytest.mark.parametrize("kind", ["nope", "Initiative", "initiatives", "submission"])
def test_unknown_kind_is_404(client, owner, kind):
    expect(client.get(f"/submit/{kind}"), 404)
    expect(client.post(f"/submit/{kind}", data=form_data()), 404)
    assert count(client.application) == 0


@pytest.mark.parametrize("method, path", [
    ("get", "/submit/"),
    ("get", "/submit/initiative"),
    ("get", "/my/"),
    ("get", "/my/1"),
    ("get", "/my/1/edit"),
    ("post", "/my/1/withdraw"),
])
def test_login_required(client, method, path):
    response = expect(getattr(client, method)(path), 302)

    target = urlsplit(response.location)
    assert target.path == "/account/login"
    assert parse_qs(target.query)["next"] == [path]


def test_post_without_login_saves_nothing(client):
    response = expect(client.post("/submit/initiative", data=form_data()), 302)
    assert urlsplit(response.location).path == "/account/login"
    assert count(client.application) == 0


# --- Drafts and submitting ----------------------------------------------------------------


def test_incomplete_draft_is_saved(app, client, clock, owner):
    clock.freeze(NOW)
    response = expect(client.post("/submit/initiative",
                                  data={"title": "Only a title", "action": "draft"}), 302)

    saved = row(app, detail_id(response))
    assert saved.status is Status.DRAFT
    assert saved.title == "Only a title"
    assert saved.summary == ""
    assert saved.submitted_at is None
    assert saved.owner_id == owner.id
    page = expect(client.get(response.location), 200).text
    assert "Draft saved" in page
    assert "Status: Draft" in page


def test_empty_draft_is_saved_untitled(app, client, owner):
    response = expect(client.post("/submit/coalition", data={"action": "draft"}), 302)
    page = client.get(response.location).text
    assert "(untitled draft)" in page
    assert row(app, detail_id(response)).title == ""


def test_incomplete_submission_is_refused_and_keeps_the_text(app, client, owner):
    typed = {"title": "Half-done initiative", "summary": "What we <plan> & why",
             "objectives": "Train people", "action": "submit"}

    page = expect(client.post("/submit/initiative", data=typed), 422).text

    missing = ("description", "lead_organisation", "stakeholder_group", "countries",
               "themes", "language", "contact_name", "contact_email")
    for name in missing:
        assert field_error(page, name).startswith("Required to submit"), name
    for name in ("title", "summary", "objectives", "partners", "website"):
        assert field_error(page, name) == "", name
    assert field_value(page, "title") == "Half-done initiative"
    assert field_value(page, "summary") == "What we <plan> & why"
    assert field_value(page, "objectives") == "Train people"
    assert f"Please check {len(missing)} fields" in page
    assert count(app) == 0


@pytest.mark.parametrize("kind", list(KIND_FIELDS))
def test_complete_submission_is_submitted(app, client, clock, owner, kind):
    clock.freeze(NOW)
    response = expect(client.post(f"/submit/{kind}", data=form_data(kind)), 302)

    saved = row(app, detail_id(response))
    assert saved.kind == kind
    assert saved.status is Status.SUBMITTED
    assert as_utc(saved.submitted_at) == NOW
    assert saved.title == "AI skills for public servants"
    assert saved.countries == ["CH", "KE"]
    assert saved.sdgs == [4, 17]
    assert saved.start_date == date(2026, 9, 1)
    assert getattr(saved, KIND_FIELDS[kind]) == full_content()[KIND_FIELDS[kind]]
    page = expect(client.get(response.location), 200).text
    assert "Submitted. Moderators will review it" in page
    assert STATUS_LABELS[Status.SUBMITTED] in page


@pytest.mark.parametrize("kind, name, blank", [
    ("coalition", "member_organisations", ""),
    ("partnership", "partners", ""),
    ("concrete_action", "start_date", ""),
    ("concrete_action", "timeline", ""),
    ("initiative", "title", "   "),
])
def test_kind_specific_required_fields(app, client, owner, kind, name, blank):
    page = expect(client.post(f"/submit/{kind}", data=form_data(kind, **{name: blank})),
                  422).text
    assert field_error(page, name).startswith("Required to submit")
    assert count(app) == 0

    # The same text is fine as a draft.
    expect(client.post(f"/submit/{kind}", data=form_data(kind, "draft", **{name: blank})), 302)
    assert [r.status for r in rows(app)] == [Status.DRAFT]


@pytest.mark.parametrize("kind, name", [
    ("initiative", "objectives"),
    ("initiative", "partners"),
    ("coalition", "partners"),
    ("concrete_action", "end_date"),
    ("partnership", "resources"),
])
def test_optional_fields_may_stay_empty(app, client, owner, kind, name):
    expect(client.post(f"/submit/{kind}", data=form_data(kind, **{name: ""})), 302)
    assert [r.status for r in rows(app)] == [Status.SUBMITTED]


def test_fields_of_other_kinds_are_not_stored(app, client, owner):
    data = form_data("initiative", timeline="Secret timeline",
                     member_organisations="Secret members", resources="Secret resources")
    response = expect(client.post("/submit/initiative", data=data), 302)

    saved = row(app, detail_id(response))
    assert saved.objectives == "Train 500 people."
    assert (saved.timeline, saved.member_organisations, saved.resources) == ("", "", "")
    assert "Secret" not in client.get(response.location).text


def test_hub_fields_cannot_be_posted(app, client, owner):
    forged = form_data(status="approved", owner_id="999", slug="mine", kind="coalition",
                       submitted_at="2000-01-01", version="7")
    response = expect(client.post("/submit/initiative", data=forged), 302)

    saved = row(app, detail_id(response))
    assert saved.status is Status.SUBMITTED
    assert saved.owner_id == owner.id
    assert saved.kind == "initiative"
    assert saved.slug.startswith("submission-")  # its public slug comes with approval
    assert saved.version >= 1 and saved.version != 7


def test_double_post_of_one_form_creates_one_submission(app, client, owner):
    token = form_token(client.get("/submit/partnership").text)
    data = {**form_data("partnership"), "form_token": token}

    first = expect(client.post("/submit/partnership", data=data), 302)
    second = expect(client.post("/submit/partnership", data=data), 302)

    assert first.location == second.location
    assert count(app) == 1
    assert "This form was already saved" in client.get(second.location).text


def test_two_forms_create_two_submissions(app, client, owner):
    for _ in range(2):
        token = form_token(client.get("/submit/initiative").text)
        expect(client.post("/submit/initiative", data={**form_data(), "form_token": token}), 302)
    assert count(app) == 2


def test_refused_post_does_not_use_up_the_form_token(app, client, owner):
    token = form_token(client.get("/submit/initiative").text)
    expect(client.post("/submit/initiative",
                       data={**form_data(summary=""), "form_token": token}), 422)
    expect(client.post("/submit/initiative", data={**form_data(), "form_token": token}), 302)
    assert count(app) == 1


def test_form_token_of_another_account_does_not_break_the_post(app, client, auth, create_user):
    first = create_user()
    expect(auth.login(first), 302)
    token = form_token(client.get("/submit/initiative").text)
    expect(client.post("/submit/initiative", data={**form_data(), "form_token": token}), 302)
    expect(auth.logout(), 302)

    # Same browser, another account, back button + resend of the same form.
    second = create_user()
    expect(auth.login(second), 302)
    response = client.post("/submit/initiative", data={**form_data(), "form_token": token})
    assert response.status_code == 302
    assert [r.owner_id for r in rows(app)] == [first.id, second.id]


# --- Editing ------------------------------------------------------------------------------


@pytest.mark.parametrize("status, action, after", [
    (Status.DRAFT, "draft", Status.DRAFT),
    (Status.DRAFT, "submit", Status.SUBMITTED),
    (Status.SUBMITTED, "draft", Status.SUBMITTED),
    (Status.SUBMITTED, "submit", Status.SUBMITTED),
    (Status.CHANGES_REQUESTED, "submit", Status.SUBMITTED),
    (Status.CHANGES_REQUESTED, "draft", Status.CHANGES_REQUESTED),
])
def test_edit_while_editable(app, client, clock, owner, create_submission_for, status, action,
                             after):
    sub = create_submission_for(owner, status, title="Before the edit")
    page = expect(client.get(f"/my/{sub.id}/edit"), 200).text
    assert field_value(page, "title") == "Before the edit"
    assert "Edit initiative" in page

    clock.freeze(NOW)
    response = expect(client.post(f"/my/{sub.id}/edit",
                                  data=form_data(action=action, title="After the edit")), 302)

    assert response.location == f"/my/{sub.id}"
    shown = client.get(f"/my/{sub.id}").text
    flash = re.findall(r'<p class="flash flash-success">(.*?)</p>', shown)
    assert flash == ["Submitted." if action == "submit" else "Changes saved."]
    saved = row(app, sub.id)
    assert saved.title == "After the edit"
    assert saved.status is after
    assert as_utc(saved.updated_at) == NOW
    if after is Status.SUBMITTED and status is not Status.SUBMITTED:
        assert as_utc(saved.submitted_at) == NOW
    assert count(app) == 1


def test_edit_keeps_the_submission_kind_fields(app, client, owner, create_submission_for):
    sub = create_submission_for(owner, kind="concrete_action", timeline="Old plan")
    page = client.get(f"/my/{sub.id}/edit").text
    assert field_value(page, "timeline") == "Old plan"
    assert field_value(page, "start_date") == "2026-09-01"

    data = form_data("concrete_action", timeline="New plan", objectives="Not mine")
    expect(client.post(f"/my/{sub.id}/edit", data=data), 302)
    saved = row(app, sub.id)
    assert (saved.timeline, saved.objectives) == ("New plan", "")


def test_incomplete_edit_of_a_submitted_item_is_refused(app, client, owner,
                                                        create_submission_for):
    sub = create_submission_for(owner, title="Complete")
    page = expect(client.post(f"/my/{sub.id}/edit",
                              data=form_data(title="Edited", summary="")), 422).text
    assert field_error(page, "summary").startswith("Required to submit")
    assert field_value(page, "title") == "Edited"
    assert row(app, sub.id).title == "Complete"


@pytest.mark.parametrize("status", [Status.REJECTED, Status.WITHDRAWN])
def test_decided_or_withdrawn_cannot_be_edited(app, client, owner, create_submission_for,
                                               status):
    sub = create_submission_for(owner, status, title="Frozen text")
    before = row(app, sub.id)

    page = expect(client.get(f"/my/{sub.id}/edit"), 409).text
    assert f"A {STATUS_LABELS[status].lower()} submission cannot be edited." in page
    expect(client.post(f"/my/{sub.id}/edit", data=form_data(title="Changed")), 409)

    after = row(app, sub.id)
    assert (after.title, after.status, after.version) == ("Frozen text", status, before.version)
    assert f'href="/my/{sub.id}/edit"' not in client.get(f"/my/{sub.id}").text


def test_edit_of_approved_item_waits_for_review(app, client, owner, create_submission_for):
    """Approved text stays as approved; the edit becomes a pending update (not a 409)."""
    sub = create_submission_for(owner, Status.APPROVED, title="Approved text")

    expect(client.post(f"/my/{sub.id}/edit", data=form_data(title="Proposed text")), 302)

    saved = row(app, sub.id)
    assert (saved.title, saved.status) == ("Approved text", Status.APPROVED)
    page = client.get(f"/my/{sub.id}").text
    assert "Your update is waiting for review" in page
    assert field_value(client.get(f"/my/{sub.id}/edit").text, "title") == "Proposed text"


# --- Withdrawing --------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED,
                                    Status.APPROVED])
def test_withdraw_then_no_more_edits(app, client, owner, create_submission_for, status):
    sub = create_submission_for(owner, status, title="To withdraw")

    response = expect(client.post(f"/my/{sub.id}/withdraw"), 302)
    assert response.location == f"/my/{sub.id}"
    assert row(app, sub.id).status is Status.WITHDRAWN
    assert "Withdrawn. It will not be reviewed or published." in client.get(response.location).text

    expect(client.get(f"/my/{sub.id}/edit"), 409)
    expect(client.post(f"/my/{sub.id}/edit", data=form_data(title="Back again")), 409)
    page = expect(client.post(f"/my/{sub.id}/withdraw"), 409).text
    assert "cannot be withdrawn" in page
    assert row(app, sub.id).title == "To withdraw"


def test_rejected_cannot_be_withdrawn(app, client, owner, create_submission_for):
    sub = create_submission_for(owner, Status.REJECTED)
    expect(client.post(f"/my/{sub.id}/withdraw"), 409)
    assert row(app, sub.id).status is Status.REJECTED


def test_withdraw_needs_post(client, owner, create_submission_for):
    sub = create_submission_for(owner)
    expect(client.get(f"/my/{sub.id}/withdraw"), 405)


# --- My submissions -----------------------------------------------------------------------


def test_my_submissions_lists_each_with_status_and_last_change(app, client, clock, owner,
                                                               create_submission_for):
    for status in (Status.APPROVED, Status.REJECTED, Status.CHANGES_REQUESTED,
                   Status.WITHDRAWN):
        create_submission_for(owner, status, title=f"Item {status.value}")
    clock.freeze(NOW)
    client.post("/submit/coalition", data={"title": "Item draft", "action": "draft"})
    clock.freeze(NOW + timedelta(days=1, hours=2))
    client.post("/submit/initiative", data=form_data(title="Item submitted"))

    page = expect(client.get("/my/"), 200).text

    stored = rows(app, owner_id=owner.id)
    assert len(stored) == 6
    body = page[page.index("<tbody>"):]
    for sub in stored:
        line = re.search(rf'<tr>\s*<td><a href="/my/{sub.id}">(.*?)</tr>', body, re.S)
        assert line, sub.title
        assert sub.title in line.group(1)
        assert STATUS_LABELS[sub.status] in line.group(1)
        assert clock.format(sub.updated_at) in line.group(1)
    assert "2 March 2026, 10:30 CET" in page
    assert "3 March 2026, 12:30 CET" in page
    # Most recently changed first.
    assert body.index("Item submitted") < body.index("Item draft")


def test_my_submissions_shows_only_mine(client, owner, create_user, create_submission_for):
    create_submission_for(owner, title="My own item")
    create_submission_for(create_user(), title="Somebody else's item")
    page = expect(client.get("/my/"), 200).text
    assert "My own item" in page
    assert "Somebody else" not in page


def test_my_submissions_empty(client, owner):
    assert "You have no submissions yet." in expect(client.get("/my/"), 200).text


# --- Other people's submissions -----------------------------------------------------------


@pytest.mark.parametrize("method, suffix", [
    ("get", ""),
    ("get", "/edit"),
    ("post", "/edit"),
    ("post", "/withdraw"),
])
@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.APPROVED])
def test_someone_elses_submission_is_404(app, client, owner, create_user,
                                         create_submission_for, method, suffix, status):
    other = create_submission_for(create_user(), status, title="Not yours")
    before = row(app, other.id)

    call = getattr(client, method)
    data = form_data(title="Hijacked") if method == "post" else None
    page = expect(call(f"/my/{other.id}{suffix}", data=data), 404).text

    assert "Not yours" not in page
    after = row(app, other.id)
    assert (after.title, after.status, after.version) == ("Not yours", status, before.version)
    assert after.kept_changes is None


@pytest.mark.parametrize("method, suffix", [
    ("get", ""), ("get", "/edit"), ("post", "/edit"), ("post", "/withdraw"),
])
@pytest.mark.parametrize("submission_id", ["999999", "0"])
def test_nonexistent_submission_is_404(client, owner, method, suffix, submission_id):
    expect(getattr(client, method)(f"/my/{submission_id}{suffix}"), 404)


@pytest.mark.parametrize("path", [
    "/my/abc", "/my/-1", "/my/1.5/edit", "/my/1e3", "/my/99999999999999999999",
    "/my/2147483648", "/my/%EF%BC%91",
])
def test_malformed_submission_id_is_404(client, owner, path):
    expect(client.get(path), 404)


# --- The operations, called directly ------------------------------------------------------


def test_operations_create_update_withdraw(app, clock, owner):
    clock.freeze(NOW)
    with app.app_context():
        user = db.session.get(User, owner.id)
        draft = create_submission(user, "coalition", {"title": "Direct", "timeline": "No"},
                                  submit=False, form_token="tok-1")
        db.session.commit()
        assert (draft.status, draft.timeline, draft.submitted_at) == (Status.DRAFT, "", None)

        content = {**full_content(title="Direct, complete"),
                   "start_date": date(2026, 9, 1), "end_date": date(2027, 1, 1)}
        clock.freeze(NOW + timedelta(hours=1))
        update_submission(draft, content, submit=True, actor=user)
        db.session.commit()
        assert draft.status is Status.SUBMITTED
        assert as_utc(draft.submitted_at) == NOW + timedelta(hours=1)
        assert draft.member_organisations == "Member A\nMember B"
        assert (draft.objectives, draft.resources, draft.timeline) == ("", "", "")

        withdraw_submission(draft, user)
        db.session.commit()
        draft_id = draft.id

    saved = row(app, draft_id)
    assert (saved.title, saved.status, saved.form_token) == (
        "Direct, complete", Status.WITHDRAWN, "tok-1")


def test_operations_refuse_what_the_views_refuse(app, clock, owner, create_submission_for):
    withdrawn = create_submission_for(owner, Status.WITHDRAWN)
    submitted = create_submission_for(owner)
    with app.app_context():
        user = db.session.get(User, owner.id)
        item = db.session.get(Submission, withdrawn.id)
        with pytest.raises(ValueError, match="cannot be edited"):
            update_submission(item, {"title": "x"}, submit=False, actor=user)
        with pytest.raises(ValueError, match="cannot be withdrawn"):
            withdraw_submission(item, user)

        clock.close_at = NOW
        clock.freeze(NOW + timedelta(seconds=1))
        with pytest.raises(SubmissionsClosed, match="Submissions closed on 2 March 2026"):
            create_submission(user, "initiative", full_content(), submit=True)
        with pytest.raises(SubmissionsClosed):
            update_submission(db.session.get(Submission, submitted.id), {"title": "Late"},
                              submit=False, actor=user)
        with pytest.raises(SubmissionsClosed):
            withdraw_submission(db.session.get(Submission, submitted.id), user)
        db.session.rollback()
    assert row(app, submitted.id).status is Status.SUBMITTED
    assert count(app) == 2
