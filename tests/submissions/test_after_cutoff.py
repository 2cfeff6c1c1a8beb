"""After the cutoff the owner's forms say so before anyone types: a notice with the cutoff,
read-only text, disabled buttons that point at the reason; a forged post is still refused
(and kept); an account with a deadline exception writes as before; withdrawing stays open."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hub.clock import Clock
from hub.extensions import db
from hub.submissions.deadlines import DeadlineException
from hub.submissions.models import Status

from helpers import expect, form_data, page_text, row

ZURICH = ZoneInfo("Europe/Zurich")
CLOSE = datetime(2026, 6, 19, 23, 59, tzinfo=ZURICH)
CLOSED_TEXT = "Submissions closed on 19 June 2026, 23:59 CEST"


@pytest.fixture
def owner(create_user: Any, auth: Any) -> Any:
    user = create_user()
    expect(auth.login(user), 302)
    return user


@pytest.fixture
def cutoff(clock: Clock) -> Clock:
    clock.close_at = CLOSE
    return clock


def closed_notice(page: str) -> str:
    """The text of the notice a locked form opens with ('' when there is none)."""
    found = re.search(r'<section class="notice notice-warn closed-form".*?</section>', page, re.S)
    return page_text(found.group(0)) if found else ""


def action_buttons(page: str) -> list[str]:
    """The form's save and submit buttons (not the check for similar submissions)."""
    return re.findall(
        r'<button type="submit" name="action" value="(?:submit|save|draft)"[^>]*>', page
    )


def tag_of(page: str, name: str) -> str:
    """The opening tag of the input or textarea called `name`."""
    found = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', page)
    assert found, name
    return found.group(0)


def assert_locked(page: str) -> None:
    assert CLOSED_TEXT in closed_notice(page)
    assert "Ask for more time" in closed_notice(page)
    buttons = action_buttons(page)
    assert buttons and all(
        " disabled" in b and 'aria-describedby="closed-reason"' in b for b in buttons
    )
    assert 'id="closed-reason"' in page
    # The text stays readable and copyable: read-only, not disabled.
    for name in ("title", "summary", "description", "lead_organisation"):
        assert "readonly" in tag_of(page, name) and "disabled" not in tag_of(page, name)


def assert_open(page: str) -> None:
    assert closed_notice(page) == ""
    assert all(" disabled" not in b for b in action_buttons(page))
    assert "readonly" not in tag_of(page, "title")


def test_the_new_form_says_it_is_closed_before_anyone_types(client, cutoff, owner):
    cutoff.freeze(CLOSE + timedelta(minutes=1))
    page = expect(client.get("/submit/initiative", follow_redirects=True), 200).text
    assert_locked(page)


def test_the_edit_form_says_it_is_closed_and_keeps_the_text_readable(
    client, cutoff, owner, create_submission_for
):
    sub = create_submission_for(owner, title="Readable after the cutoff")
    cutoff.freeze(CLOSE + timedelta(days=1))
    page = expect(client.get(f"/my/{sub.id}/edit"), 200).text
    assert_locked(page)
    assert 'value="Readable after the cutoff"' in tag_of(page, "title")


def test_before_the_cutoff_the_forms_are_open(client, cutoff, owner, create_submission_for):
    sub = create_submission_for(owner)
    cutoff.freeze(CLOSE - timedelta(seconds=1))
    assert_open(expect(client.get(f"/my/{sub.id}/edit"), 200).text)
    assert_open(expect(client.get("/submit/initiative", follow_redirects=True), 200).text)


def test_a_forged_post_after_the_cutoff_is_still_refused_and_kept(
    app, client, cutoff, owner, create_submission_for
):
    sub = create_submission_for(owner, title="Before")
    cutoff.freeze(CLOSE + timedelta(minutes=5))
    page = expect(client.post(f"/my/{sub.id}/edit", data=form_data(title="Forged")), 403).text
    assert CLOSED_TEXT in page and 'value="Forged"' in tag_of(page, "title")
    assert row(app, sub.id).title == "Before"
    assert row(app, sub.id).kept_changes["title"] == "Forged"


def test_an_account_with_a_deadline_exception_sees_the_normal_form(
    app, client, cutoff, owner, moderator, create_submission_for
):
    sub = create_submission_for(owner)
    with app.app_context():
        db.session.add(
            DeadlineException(
                user_id=owner.id, until=CLOSE + timedelta(days=3), granted_by_id=moderator.id
            )
        )
        db.session.commit()
    cutoff.freeze(CLOSE + timedelta(days=1))
    assert_open(expect(client.get(f"/my/{sub.id}/edit"), 200).text)
    assert_open(expect(client.get("/submit/initiative", follow_redirects=True), 200).text)
    expect(client.post(f"/my/{sub.id}/edit", data=form_data(title="With more time")), 302)
    assert row(app, sub.id).title == "With more time"


def test_the_owners_pages_link_to_asking_for_more_time(
    client, cutoff, owner, create_submission_for
):
    sub = create_submission_for(owner)
    cutoff.freeze(CLOSE + timedelta(days=1))
    for url in (f"/my/{sub.id}", "/my/"):
        page = expect(client.get(url), 200).text
        assert 'href="/my/more-time"' in page, url


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED])
def test_an_owner_withdraws_a_submission_after_the_cutoff(
    app, client, cutoff, owner, create_submission_for, status
):
    sub = create_submission_for(owner, status=status)
    cutoff.freeze(CLOSE + timedelta(days=30))
    page = expect(client.get(f"/my/{sub.id}"), 200).text
    assert f'action="/my/{sub.id}/withdraw"' in page
    expect(client.post(f"/my/{sub.id}/withdraw"), 302)
    assert row(app, sub.id).status is Status.WITHDRAWN
