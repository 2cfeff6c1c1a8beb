"""Writing, submitting, editing and withdrawing submissions, as their owner meets it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from hub.auth.models import User
from hub.extensions import db
from hub.submissions.deadlines import SubmissionsClosed
from hub.submissions.models import STATUS_LABELS, Status, Submission
from hub.submissions.operations import create_submission, update_submission, withdraw_submission
from hub.submissions.revisions import Revision
from hub.vocab import countries

from helpers import (
    KIND_FIELDS,
    REQUIRED,
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
    page = expect(client.get(f"/submit/{kind}", follow_redirects=True), 200).text

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
    first = form_token(client.get("/submit/initiative", follow_redirects=True).text)
    second = form_token(client.get("/submit/initiative", follow_redirects=True).text)
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


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/submit/"),
        ("get", "/submit/initiative"),
        ("get", "/my/"),
        ("get", "/my/1"),
        ("get", "/my/1/edit"),
        ("post", "/my/1/withdraw"),
    ],
)
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
    response = expect(
        client.post("/submit/initiative", data={"title": "Only a title", "action": "draft"}), 302
    )

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
    typed = {
        "title": "Half-done initiative",
        "summary": "What we <plan> & why",
        "objectives": "Train people",
        "action": "submit",
    }

    page = expect(client.post("/submit/initiative", data=typed), 422).text

    missing = [name for name in REQUIRED["initiative"] if name not in typed]
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


@pytest.mark.parametrize(
    "kind, name, blank",
    [
        ("coalition", "member_organisations", ""),
        ("partnership", "partners", ""),
        ("concrete_action", "start_date", ""),
        ("concrete_action", "timeline", ""),
        ("initiative", "title", "   "),
    ],
)
def test_kind_specific_required_fields(app, client, owner, kind, name, blank):
    page = expect(client.post(f"/submit/{kind}", data=form_data(kind, **{name: blank})), 422).text
    assert field_error(page, name).startswith("Required to submit")
    assert count(app) == 0

    # The same text is fine as a draft.
    expect(client.post(f"/submit/{kind}", data=form_data(kind, "draft", **{name: blank})), 302)
    assert [r.status for r in rows(app)] == [Status.DRAFT]


@pytest.mark.parametrize(
    "kind, name",
    [
        ("initiative", "objectives"),
        ("initiative", "partners"),
        ("coalition", "partners"),
        ("concrete_action", "end_date"),
        ("partnership", "resources"),
    ],
)
def test_optional_fields_may_stay_empty(app, client, owner, kind, name):
    expect(client.post(f"/submit/{kind}", data=form_data(kind, **{name: ""})), 302)
    assert [r.status for r in rows(app)] == [Status.SUBMITTED]


def test_fields_of_other_kinds_are_not_stored(app, client, owner):
    data = form_data(
        "initiative",
        timeline="Secret timeline",
        member_organisations="Secret members",
        resources="Secret resources",
    )
    response = expect(client.post("/submit/initiative", data=data), 302)

    saved = row(app, detail_id(response))
    assert saved.objectives == "Train 500 people."
    assert (saved.timeline, saved.member_organisations, saved.resources) == ("", "", "")
    assert "Secret" not in client.get(response.location).text


def test_hub_fields_cannot_be_posted(app, client, owner):
    forged = form_data(
        status="approved",
        owner_id="999",
        slug="mine",
        kind="coalition",
        submitted_at="2000-01-01",
        version="7",
    )
    response = expect(client.post("/submit/initiative", data=forged), 302)

    saved = row(app, detail_id(response))
    assert saved.status is Status.SUBMITTED
    assert saved.owner_id == owner.id
    assert saved.kind == "initiative"
    assert saved.slug.startswith("submission-")  # its public slug comes with approval
    assert saved.version >= 1 and saved.version != 7


def test_double_post_of_one_form_creates_one_submission(app, client, owner):
    token = form_token(client.get("/submit/partnership", follow_redirects=True).text)
    data = {**form_data("partnership"), "form_token": token}

    first = expect(client.post("/submit/partnership", data=data), 302)
    second = expect(client.post("/submit/partnership", data=data), 302)

    assert first.location == second.location
    assert count(app) == 1
    assert "This form was already saved" in client.get(second.location).text


def test_a_new_form_has_its_one_time_token_in_its_address(client, owner):
    """Without script, going back to a sent form fetches it again: its token must come back
    with it, so it comes from the address."""
    response = expect(client.get("/submit/initiative"), 302)
    target = urlsplit(response.location)
    assert target.path == "/submit/initiative"
    [token] = parse_qs(target.query)["t"]
    page = expect(client.get(response.location), 200).text
    assert form_token(page) == token
    form_tag = re.search(r'<form method="post"[^>]*submission-form[^>]*>', page).group(0)
    assert 'action="' not in form_tag
    assert form_token(expect(client.get(response.location), 200).text) == token  # again


@pytest.mark.parametrize("bad", ["", "x" * 65, "<script>", "a b"])
def test_a_form_address_with_a_forged_token_gets_a_fresh_one(client, owner, bad):
    response = expect(client.get("/submit/initiative", query_string={"t": bad}), 302)
    [token] = parse_qs(urlsplit(response.location).query)["t"]
    assert token != bad and re.fullmatch(r"[A-Za-z0-9_-]{20,64}", token)


def test_back_to_a_sent_form_without_script_leads_to_the_first_result(app, client, owner):
    """Back after submitting: the form comes again with the same token and says it was sent;
    sending it again (the browser refilled it) creates nothing more."""
    address = expect(client.get("/submit/initiative"), 302).location
    data = {**form_data(title="Sent once"), "form_token": form_token(client.get(address).text)}
    first = expect(client.post(address, data=data), 302)

    page = expect(client.get(address), 200).text  # the back button, without script

    assert form_token(page) == data["form_token"]
    assert "You already sent this form" in page and "Sent once" in page
    assert f'href="{first.location}">Open what was saved</a>' in page
    again = expect(client.post(address, data=data), 302)
    assert again.location == first.location
    assert "This form was already saved" in client.get(again.location).text
    assert count(app) == 1


def test_a_form_address_used_by_another_account_gets_a_fresh_token(
    client, auth, owner, create_user
):
    address = expect(client.get("/submit/initiative"), 302).location
    token = form_token(client.get(address).text)
    expect(client.post(address, data={**form_data(), "form_token": token}), 302)
    expect(auth.logout(), 302)
    expect(auth.login(create_user()), 302)

    response = expect(client.get(address), 302)

    assert parse_qs(urlsplit(response.location).query)["t"] != [token]


def test_two_forms_create_two_submissions(app, client, owner):
    for _ in range(2):
        token = form_token(client.get("/submit/initiative", follow_redirects=True).text)
        expect(client.post("/submit/initiative", data={**form_data(), "form_token": token}), 302)
    assert count(app) == 2


def test_refused_post_does_not_use_up_the_form_token(app, client, owner):
    token = form_token(client.get("/submit/initiative", follow_redirects=True).text)
    expect(
        client.post("/submit/initiative", data={**form_data(summary=""), "form_token": token}), 422
    )
    expect(client.post("/submit/initiative", data={**form_data(), "form_token": token}), 302)
    assert count(app) == 1


def test_form_token_of_another_account_does_not_break_the_post(app, client, auth, create_user):
    first = create_user()
    expect(auth.login(first), 302)
    token = form_token(client.get("/submit/initiative", follow_redirects=True).text)
    expect(client.post("/submit/initiative", data={**form_data(), "form_token": token}), 302)
    expect(auth.logout(), 302)

    # Same browser, another account, back button + resend of the same form.
    second = create_user()
    expect(auth.login(second), 302)
    response = client.post("/submit/initiative", data={**form_data(), "form_token": token})
    assert response.status_code == 302
    assert [r.owner_id for r in rows(app)] == [first.id, second.id]


# --- Editing ------------------------------------------------------------------------------


STILL_IN_REVIEW = "Changes saved. The submission is still awaiting review."


@pytest.mark.parametrize(
    "status, action, after, flashed",
    [
        (Status.DRAFT, "draft", Status.DRAFT, "Changes saved."),
        (Status.DRAFT, "submit", Status.SUBMITTED, "Submitted."),
        (Status.SUBMITTED, "draft", Status.SUBMITTED, STILL_IN_REVIEW),
        (Status.SUBMITTED, "submit", Status.SUBMITTED, STILL_IN_REVIEW),  # "Save changes"
        (Status.CHANGES_REQUESTED, "submit", Status.SUBMITTED, "Submitted."),
        (Status.CHANGES_REQUESTED, "save", Status.CHANGES_REQUESTED, "Changes saved."),
        (Status.CHANGES_REQUESTED, "draft", Status.CHANGES_REQUESTED, "Changes saved."),
    ],
)
def test_edit_while_editable(
    app, client, clock, owner, create_submission_for, status, action, after, flashed
):
    sub = create_submission_for(owner, status, title="Before the edit")
    page = expect(client.get(f"/my/{sub.id}/edit"), 200).text
    assert field_value(page, "title") == "Before the edit"
    assert "Edit initiative" in page

    clock.freeze(NOW)
    response = expect(
        client.post(f"/my/{sub.id}/edit", data=form_data(action=action, title="After the edit")),
        302,
    )

    assert response.location == f"/my/{sub.id}"
    shown = client.get(f"/my/{sub.id}").text
    assert re.findall(r'<p class="flash flash-success">(.*?)</p>', shown) == [flashed]
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


IN_REVIEW = [Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.APPROVED]


@pytest.mark.parametrize("status", IN_REVIEW)
@pytest.mark.parametrize("action", ["submit", "save", "draft"])
def test_incomplete_edit_of_an_item_in_review_is_refused_whatever_the_button(
    app, client, owner, create_submission_for, status, action
):
    """Once an item is no longer a draft, every save is checked in full: the "draft"
    button (not offered there, but a page of before or a forged post may send it) cannot
    empty a submission in review, nor make an empty update of an approved one."""
    sub = create_submission_for(owner, status, title="Complete")
    emptied = form_data(
        action=action,
        title="Edited",
        summary="",
        description="",
        stakeholder_group="",
        countries=[],
    )

    page = expect(client.post(f"/my/{sub.id}/edit", data=emptied), 422).text

    for name in ("summary", "description", "stakeholder_group", "countries"):
        assert field_error(page, name) == "Required: this submission is no longer a draft.", name
    assert field_value(page, "title") == "Edited"
    assert "These fields are required (this submission is no longer a draft):" in page
    saved = row(app, sub.id)
    assert (saved.title, saved.status) == ("Complete", status)
    assert saved.summary and saved.description and saved.countries
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Revision)) == 0


@pytest.mark.parametrize(
    "status, buttons",
    [
        (Status.DRAFT, ["Submit for review", "Save as draft"]),
        (Status.SUBMITTED, ["Save changes"]),
        (Status.CHANGES_REQUESTED, ["Submit again for review", "Save changes without submitting"]),
        (Status.APPROVED, ["Send the update for review"]),
    ],
)
def test_edit_page_offers_a_draft_button_only_for_drafts(
    client, owner, create_submission_for, status, buttons
):
    sub = create_submission_for(owner, status)
    page = expect(client.get(f"/my/{sub.id}/edit"), 200).text
    shown = re.findall(
        r'<button type="submit" name="action" value="(?:submit|save|draft)"'
        r"[^>]*>([^<]+)</button>",
        page,
    )
    assert shown == buttons


def test_changes_requested_may_be_saved_without_resubmitting(
    app, client, owner, create_submission_for
):
    sub = create_submission_for(owner, Status.CHANGES_REQUESTED, title="Needs work")
    expect(client.post(f"/my/{sub.id}/edit", data=form_data(action="save", title="Reworking")), 302)
    saved = row(app, sub.id)
    assert (saved.title, saved.status) == ("Reworking", Status.CHANGES_REQUESTED)


@pytest.mark.parametrize("status", [Status.REJECTED, Status.WITHDRAWN])
def test_decided_or_withdrawn_cannot_be_edited(app, client, owner, create_submission_for, status):
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


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.APPROVED]
)
def test_withdraw_then_no_more_edits(app, client, owner, create_submission_for, status):
    sub = create_submission_for(owner, status, title="To withdraw")

    response = expect(client.post(f"/my/{sub.id}/withdraw"), 302)
    assert response.location == f"/my/{sub.id}"
    assert row(app, sub.id).status is Status.WITHDRAWN
    assert "Withdrawn. It will not be reviewed or published." in client.get(response.location).text

    expect(client.get(f"/my/{sub.id}/edit"), 409)
    expect(client.post(f"/my/{sub.id}/edit", data=form_data(title="Back again")), 409)
    page = expect(client.post(f"/my/{sub.id}/withdraw"), 409).text
    assert "already withdrawn" in page
    assert row(app, sub.id).title == "To withdraw"


def test_rejected_cannot_be_withdrawn(app, client, owner, create_submission_for):
    sub = create_submission_for(owner, Status.REJECTED)
    expect(client.post(f"/my/{sub.id}/withdraw"), 409)
    assert row(app, sub.id).status is Status.REJECTED


def test_withdraw_needs_post(client, owner, create_submission_for):
    sub = create_submission_for(owner)
    expect(client.get(f"/my/{sub.id}/withdraw"), 405)


# --- My submissions -----------------------------------------------------------------------


def test_my_submissions_lists_each_with_status_and_last_change(
    app, client, clock, owner, create_submission_for
):
    for status in (Status.APPROVED, Status.REJECTED, Status.CHANGES_REQUESTED, Status.WITHDRAWN):
        create_submission_for(owner, status, title=f"Item {status.value}")
    clock.freeze(NOW)
    client.post("/submit/coalition", data={"title": "Item draft", "action": "draft"})
    clock.freeze(NOW + timedelta(days=1, hours=2))
    client.post("/submit/initiative", data=form_data(title="Item submitted"))

    page = expect(client.get("/my/"), 200).text

    stored = rows(app, owner_id=owner.id)
    assert len(stored) == 6
    body = page[page.index("<tbody>") :]
    for sub in stored:
        line = re.search(rf'<tr>\s*<td><a href="/my/{sub.id}"[^>]*>(.*?)</tr>', body, re.S)
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

# The pages of one submission that only its owner may see or use.
OWNER_PAGES = [("get", ""), ("get", "/edit"), ("post", "/edit"), ("post", "/withdraw")]


@pytest.mark.parametrize("method, suffix", OWNER_PAGES)
@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.APPROVED])
def test_someone_elses_submission_is_404(
    app, client, owner, create_user, create_submission_for, method, suffix, status
):
    other = create_submission_for(create_user(), status, title="Not yours")
    before = row(app, other.id)

    call = getattr(client, method)
    data = form_data(title="Hijacked") if method == "post" else None
    page = expect(call(f"/my/{other.id}{suffix}", data=data), 404).text

    assert "Not yours" not in page
    after = row(app, other.id)
    assert (after.title, after.status, after.version) == ("Not yours", status, before.version)
    assert after.kept_changes is None


@pytest.mark.parametrize("method, suffix", OWNER_PAGES)
@pytest.mark.parametrize("submission_id", ["999999", "0"])
def test_nonexistent_submission_is_404(client, owner, method, suffix, submission_id):
    expect(getattr(client, method)(f"/my/{submission_id}{suffix}"), 404)


@pytest.mark.parametrize(
    "path",
    [
        "/my/abc",
        "/my/-1",
        "/my/1.5/edit",
        "/my/1e3",
        "/my/99999999999999999999",
        "/my/2147483648",
        "/my/%EF%BC%91",
    ],
)
def test_malformed_submission_id_is_404(client, owner, path):
    expect(client.get(path), 404)


# --- The operations, called directly ------------------------------------------------------


def test_operations_create_update_withdraw(app, clock, owner):
    clock.freeze(NOW)
    with app.app_context():
        user = db.session.get(User, owner.id)
        draft = create_submission(
            user,
            "coalition",
            {"title": "Direct", "timeline": "No"},
            submit=False,
            form_token="tok-1",
        )
        db.session.commit()
        assert (draft.status, draft.timeline, draft.submitted_at) == (Status.DRAFT, "", None)

        content = {
            **full_content(title="Direct, complete"),
            "start_date": date(2026, 9, 1),
            "end_date": date(2027, 1, 1),
        }
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
        "Direct, complete",
        Status.WITHDRAWN,
        "tok-1",
    )


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
            update_submission(
                db.session.get(Submission, submitted.id),
                {"title": "Late"},
                submit=False,
                actor=user,
            )
        # Withdrawing is open at any time (issue 16): test_after_cutoff.py.
        db.session.rollback()
    assert row(app, submitted.id).status is Status.SUBMITTED
    assert count(app) == 2


# --- How the form shows errors and long choices ---------------------------------------------


def summary_of(page: str) -> str:
    found = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert found, "no error summary"
    return found.group(0)


def test_error_summary_follows_the_order_of_the_page(client, owner):
    """The summary lists fields in the order a person meets them on the page (not in the
    order the form's code declares them): the required ones together, then the others."""
    data = {
        "action": "submit",
        "title": "x" * 201,
        "website": "example.org",
        "start_date": "2026-09-01",
        "end_date": "2026-01-01",
        "contact_email": "ada@",
    }
    page = expect(client.post("/submit/coalition", data=data), 422).text

    summary = summary_of(page)
    required = re.findall(r'href="#([a-z_]+)-field"', summary.split("<ul>")[0])
    others = re.findall(r'href="#([a-z_]+)-field"', summary.split("<ul>")[1])
    on_page = re.findall(r'<div class="field has-error" id="([a-z_]+)-field"', page)
    assert sorted(required + others) == sorted(on_page)
    assert required == [name for name in on_page if name in required]
    assert others == [name for name in on_page if name in others]
    assert others == ["title", "contact_email", "website", "end_date"]
    # The kind's own field comes right after the description, as on the page.
    assert required.index("member_organisations") < required.index("lead_organisation")
    assert required.index("contact_name") < required.index("countries")


def test_error_summary_names_the_required_fields_once(client, owner):
    page = expect(client.post("/submit/coalition", data={"action": "submit"}), 422).text

    summary = summary_of(page)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", summary))
    assert text.count("These fields are required to submit (a draft may leave them empty):") == 1
    assert "Required to submit" not in text
    assert re.findall(r'href="#([a-z_]+)-field"', summary) == [
        "title",
        "summary",
        "description",
        "member_organisations",
        "lead_organisation",
        "stakeholder_group",
        "contact_name",
        "contact_email",
        "countries",
        "themes",
        "language",
    ]
    assert "Please check 11 fields" in text
    # Each field still says it next to itself.
    assert field_error(page, "title") == "Required to submit (drafts may leave it empty)."


def test_countries_are_checkboxes_by_continent_with_global_first(client, owner):
    page = expect(client.get("/submit/initiative", follow_redirects=True), 200).text
    block = re.search(r'id="countries-field">(.*?)</fieldset>', page, re.S).group(1)

    assert "<select" not in block and "Ctrl" not in block
    assert block.index('value="global"') < block.index("<details")
    assert re.findall(r"<summary>([^<]+)</summary>", block) == [
        "Africa",
        "Americas",
        "Asia",
        "Europe",
        "Oceania",
        "Antarctica",
    ]
    boxes = re.findall(
        r'<input type="checkbox" name="countries" id="([^"]+)" value="([^"]+)"', block
    )
    assert sorted(value for _, value in boxes) == sorted(countries())
    for box_id, _ in boxes:
        assert f'<label for="{box_id}">' in block
    assert '<details class="choice-group" open' not in block  # nothing ticked: all folded


def test_a_continent_with_ticked_countries_starts_open_and_names_them(client, owner):
    data = form_data(countries=["KE", "SN", "global"], summary="")
    page = expect(client.post("/submit/initiative", data=data), 422).text
    block = re.search(r'id="countries-field">(.*?)</fieldset>', page, re.S).group(1)

    groups = {
        name.strip(): opened
        for opened, name in re.findall(
            r'<details class="choice-group"( open)?>\s*<summary>([^<]+)', block
        )
    }
    assert groups == {
        "Africa": " open",
        "Americas": "",
        "Asia": "",
        "Europe": "",
        "Oceania": "",
        "Antarctica": "",
    }
    assert "(2 selected: Kenya, Senegal)" in block
    for code in ("KE", "SN", "global"):
        assert re.search(rf'value="{code}" checked>', block), code
    assert not re.search(r'value="CH" checked>', block)


def test_date_fields_have_no_format_hint_but_an_unreadable_date_says_how(client, owner):
    page = expect(client.get("/submit/concrete_action", follow_redirects=True), 200).text
    assert "YYYY" not in page
    assert 'type="date"' in page
    page = expect(
        client.post(
            "/submit/concrete_action", data=form_data("concrete_action", start_date="19/06/2026")
        ),
        422,
    ).text
    assert field_error(page, "start_date") == (
        "Not a valid date. Write it as year-month-day, for example 2026-09-01."
    )
    assert field_value(page, "start_date") == "19/06/2026"
