"""The cutoff: what is accepted one second before, refused (but kept) after, and how the
hub shows it, including on the days clocks change."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest

from hub.clock import Clock, ClockError, Phase, clock_from_config, parse_instant
from hub.submissions.models import STATUS_LABELS, Status

from helpers import expect, field_value, form_data, row, rows
from helpers import page_text as text_of

ZURICH = ZoneInfo("Europe/Zurich")
CLOSE = datetime(2026, 6, 19, 23, 59, tzinfo=ZURICH)
CLOSED_TEXT = "Submissions closed on 19 June 2026, 23:59 CEST"
SECOND = timedelta(seconds=1)


# --- Helpers ------------------------------------------------------------------------------


def banner(page: str) -> str:
    """The text of the deadline banner ('' when there is none)."""
    found = re.search(r'<div class="cutoff-banner[^"]*"[^>]*>(.*?)</div>\s*</div>', page, re.S)
    return re.sub(r" ([.,])", r"\1", text_of(found.group(1))).strip() if found else ""


def as_utc(instant: datetime | None) -> datetime | None:
    if instant is None:
        return None
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


@pytest.fixture
def owner(create_user: Any, auth: Any) -> Any:
    user = create_user()
    expect(auth.login(user), 302)
    return user


@pytest.fixture
def cutoff(clock: Clock) -> Clock:
    """The call closes at CLOSE (19 June 2026, 23:59 in Geneva)."""
    clock.close_at = CLOSE
    return clock


# --- New submissions around the cutoff ----------------------------------------------------


def test_one_second_before_the_cutoff_is_accepted(app, client, cutoff, owner):
    cutoff.freeze(CLOSE - SECOND)
    expect(client.post("/submit/initiative", data=form_data(title="Just in time")), 302)

    [saved] = rows(app)
    assert (saved.title, saved.status) == ("Just in time", Status.SUBMITTED)
    assert as_utc(saved.submitted_at) == CLOSE - SECOND


@pytest.mark.parametrize(
    "late",
    [timedelta(0), SECOND, timedelta(days=3)],
    ids=["at-cutoff", "one-second-after", "days-after"],
)
@pytest.mark.parametrize("action", ["submit", "draft"])
def test_after_the_cutoff_a_new_post_is_refused_but_kept(app, client, cutoff, owner, late, action):
    cutoff.freeze(CLOSE + late)
    typed = form_data(action=action, title="Too late initiative", summary="Kept <text> & more")

    page = expect(client.post("/submit/initiative", data=typed), 403).text

    assert CLOSED_TEXT in page
    assert "kept as a draft" in page
    assert field_value(page, "title") == "Too late initiative"
    assert field_value(page, "summary") == "Kept <text> & more"
    [kept] = rows(app, owner_id=owner.id)
    assert (kept.title, kept.status, kept.submitted_at) == (
        "Too late initiative",
        Status.DRAFT,
        None,
    )
    assert kept.summary == "Kept <text> & more"
    mine = client.get("/my/").text
    assert "Too late initiative" in mine
    assert STATUS_LABELS[Status.DRAFT] in mine
    detail = client.get(f"/my/{kept.id}").text
    assert "Editing is closed" in detail
    assert f'href="/my/{kept.id}/edit"' not in detail


def test_incomplete_late_post_is_kept_too(app, client, cutoff, owner):
    cutoff.freeze(CLOSE + SECOND)
    page = expect(
        client.post("/submit/coalition", data={"title": "Only a title", "action": "submit"}), 403
    ).text
    assert CLOSED_TEXT in page
    assert [(r.title, r.kind) for r in rows(app)] == [("Only a title", "coalition")]


# A late post with a field that is not valid is kept all the same, as typed: the field is
# left empty in the draft, and the whole post is kept beside it.
LATE_INVALID = [
    ("title", "x" * 201, "x" * 201),
    ("contact_email", "not-an-address", "not-an-address"),
    ("website", "example.org", "example.org"),
    ("website", "http://[::1", "http://[::1"),
    ("end_date", "2026-08-31", "2026-08-31"),  # before the start date
    ("start_date", "31/12/2026", "31/12/2026"),  # not a date the form can read
    ("countries", ["XX"], ["XX"]),  # a forged choice
    ("stakeholder_group", "overlord", "overlord"),
]


@pytest.mark.parametrize("name, typed, kept", LATE_INVALID)
def test_late_post_with_an_invalid_field_is_kept_as_typed(
    app, client, cutoff, owner, name, typed, kept
):
    cutoff.freeze(CLOSE + SECOND)
    data = form_data(title="Late and imperfect", **({} if name == "title" else {name: typed}))
    if name == "title":
        data["title"] = typed

    page = expect(client.post("/submit/initiative", data=data), 403).text

    assert CLOSED_TEXT in page
    assert "kept as a draft" in page and "exactly as you typed them" in page
    if name not in ("countries", "stakeholder_group"):  # inputs, not choices
        assert field_value(page, name) == typed
    [draft] = rows(app)
    assert (draft.status, draft.submitted_at) == (Status.DRAFT, None)
    assert draft.kept_changes[name] == kept
    assert draft.kept_changes["summary"] == data["summary"]
    assert getattr(draft, name) in ("", None, [])  # the draft itself holds only valid text
    assert draft.summary == data["summary"]
    assert f'href="/my/{draft.id}">Open the kept copy</a>' in page
    detail = text_of(expect(client.get(f"/my/{draft.id}"), 200).text)
    assert "Text sent after the cutoff, as you typed it" in detail
    shown = kept[0] if isinstance(kept, list) else kept
    assert shown in detail


def test_late_edit_with_an_invalid_field_is_kept_as_typed(
    app, client, cutoff, owner, create_submission_for
):
    sub = create_submission_for(owner, title="Original title")
    cutoff.freeze(CLOSE + SECOND)
    late = form_data(title="Late title", contact_email="ada@", end_date="2020-01-01")

    page = expect(client.post(f"/my/{sub.id}/edit", data=late), 403).text

    assert "kept with the submission" in page
    assert f'href="/my/{sub.id}">Open the kept copy</a>' in page
    after = row(app, sub.id)
    assert (after.title, after.contact_email) == ("Original title", "ada@example.org")
    assert (
        after.kept_changes["title"],
        after.kept_changes["contact_email"],
        after.kept_changes["end_date"],
    ) == ("Late title", "ada@", "2020-01-01")


def test_a_website_kept_as_typed_is_not_a_link(app, client, cutoff, owner):
    """Kept text is shown as typed; an address that is not a web address stays plain text."""
    cutoff.freeze(CLOSE + SECOND)
    expect(client.post("/submit/initiative", data=form_data(website="javascript:alert(1)")), 403)
    [draft] = rows(app)
    detail = client.get(f"/my/{draft.id}").text
    assert "javascript:alert(1)" in detail
    assert 'href="javascript:' not in detail


def test_a_second_late_post_from_the_refusal_page_is_kept_too(app, client, cutoff, owner):
    """The 403 page shows the form again; what is sent from it again is kept, not dropped."""
    cutoff.freeze(CLOSE + SECOND)
    first = form_data(title="First late text")
    page = expect(client.post("/submit/initiative", data=first), 403).text
    [kept] = rows(app)
    assert f'action="/my/{kept.id}/edit"' in page

    second = {**form_data(title="Second late text"), "form_token": field_value(page, "form_token")}
    page = expect(client.post(f"/my/{kept.id}/edit", data=second), 403).text

    assert "kept with the submission" in page
    [after] = rows(app)
    assert (after.title, after.kept_changes["title"]) == ("First late text", "Second late text")


def test_changed_text_sent_again_with_a_used_form_token_is_not_dropped(app, client, cutoff, owner):
    """Even sent to the new-form address with the same one-time token (a page of before),
    changed text is shown back, unsaved, with a fresh token: the next press keeps it."""
    token = field_value(client.get("/submit/initiative", follow_redirects=True).text, "form_token")
    cutoff.freeze(CLOSE + SECOND)
    expect(
        client.post(
            "/submit/initiative", data={**form_data(title="First late text"), "form_token": token}
        ),
        403,
    )
    again = {**form_data(title="Changed late text"), "form_token": token}

    page = expect(client.post("/submit/initiative", data=again), 409).text

    assert "already sent once" in page and "differs from it and was not saved" in page
    assert field_value(page, "title") == "Changed late text"
    fresh = field_value(page, "form_token")
    assert fresh != token
    expect(client.post("/submit/initiative", data={**again, "form_token": fresh}), 403)
    assert [r.title for r in rows(app)] == ["First late text", "Changed late text"]


def test_form_opened_before_the_cutoff_and_sent_after(app, client, cutoff, owner):
    cutoff.freeze(CLOSE - timedelta(minutes=20))
    page = expect(client.get("/submit/initiative", follow_redirects=True), 200).text
    token = field_value(page, "form_token")

    cutoff.freeze(CLOSE + SECOND)
    data = {**form_data(title="Written before, sent after"), "form_token": token}
    page = expect(client.post("/submit/initiative", data=data), 403).text

    assert CLOSED_TEXT in page
    assert field_value(page, "title") == "Written before, sent after"
    [kept] = rows(app)
    assert (kept.status, kept.form_token) == (Status.DRAFT, token)

    # Pressing the button again does not make a second copy.
    again = expect(client.post("/submit/initiative", data=data), 302)
    assert again.location == f"/my/{kept.id}"
    assert len(rows(app)) == 1


# --- Edits around the cutoff --------------------------------------------------------------


def test_edit_one_second_before_the_cutoff_is_applied(
    app, client, cutoff, owner, create_submission_for
):
    sub = create_submission_for(owner, title="Original")
    cutoff.freeze(CLOSE - SECOND)
    expect(client.post(f"/my/{sub.id}/edit", data=form_data(title="Edited in time")), 302)
    assert row(app, sub.id).title == "Edited in time"


@pytest.mark.parametrize("late", [timedelta(0), SECOND], ids=["at-cutoff", "one-second-after"])
@pytest.mark.parametrize(
    "status, action",
    [
        (Status.SUBMITTED, "submit"),
        (Status.SUBMITTED, "draft"),
        (Status.DRAFT, "draft"),
        (Status.DRAFT, "submit"),
    ],
)
def test_late_edit_leaves_the_item_unchanged_and_keeps_the_text(
    app, client, cutoff, owner, create_submission_for, late, status, action
):
    sub = create_submission_for(owner, status, title="Original title")
    before = row(app, sub.id)

    cutoff.freeze(CLOSE + late)
    late_post = form_data(action=action, title="Late title", summary="Late text")
    page = expect(client.post(f"/my/{sub.id}/edit", data=late_post), 403).text

    assert CLOSED_TEXT in page
    assert "kept with the submission" in page
    assert field_value(page, "title") == "Late title"
    after = row(app, sub.id)
    assert (after.title, after.summary, after.status) == ("Original title", before.summary, status)
    assert as_utc(after.updated_at) == as_utc(before.updated_at)
    assert after.kept_changes["title"] == "Late title"
    assert after.kept_changes["summary"] == "Late text"
    assert as_utc(after.kept_at) == CLOSE + late
    detail = expect(client.get(f"/my/{sub.id}"), 200).text
    assert "Changes refused after the cutoff" in detail
    assert "Late title" in detail and "Late text" in detail
    assert "Refused changes kept" in client.get("/my/").text
    assert len(rows(app)) == 1


def test_edit_form_opened_before_the_cutoff_and_sent_after(
    app, client, cutoff, owner, create_submission_for
):
    sub = create_submission_for(owner, title="Original title")
    cutoff.freeze(CLOSE - timedelta(hours=1))
    expect(client.get(f"/my/{sub.id}/edit"), 200)

    cutoff.freeze(CLOSE + SECOND)
    page = expect(client.post(f"/my/{sub.id}/edit", data=form_data(title="Sent late")), 403).text
    assert CLOSED_TEXT in page
    after = row(app, sub.id)
    assert (after.title, after.kept_changes["title"]) == ("Original title", "Sent late")


def test_changes_requested_may_be_revised_after_the_cutoff(
    app, client, cutoff, owner, create_submission_for
):
    sub = create_submission_for(owner, Status.CHANGES_REQUESTED, title="Needs work")
    cutoff.freeze(CLOSE + timedelta(days=2))
    expect(client.post(f"/my/{sub.id}/edit", data=form_data(title="Reworked")), 302)
    after = row(app, sub.id)
    assert (after.title, after.status) == ("Reworked", Status.SUBMITTED)


def test_revisions_close_too_when_configured(app, client, cutoff, owner, create_submission_for):
    sub = create_submission_for(owner, Status.CHANGES_REQUESTED, title="Needs work")
    cutoff.revisions_close_at = CLOSE + timedelta(days=7)
    cutoff.freeze(CLOSE + timedelta(days=7))
    page = expect(client.post(f"/my/{sub.id}/edit", data=form_data(title="Too late")), 403).text
    assert "Revisions closed on 26 June 2026, 23:59 CEST" in page
    after = row(app, sub.id)
    assert (after.title, after.kept_changes["title"]) == ("Needs work", "Too late")


# --- Withdrawing around the cutoff --------------------------------------------------------


def test_withdraw_before_the_cutoff(app, client, cutoff, owner, create_submission_for):
    sub = create_submission_for(owner)
    cutoff.freeze(CLOSE - SECOND)
    expect(client.post(f"/my/{sub.id}/withdraw"), 302)
    assert row(app, sub.id).status is Status.WITHDRAWN


@pytest.mark.parametrize("late", [timedelta(0), SECOND], ids=["at-cutoff", "one-second-after"])
def test_withdraw_after_the_cutoff_is_allowed(
    app, client, cutoff, owner, create_submission_for, late
):
    """An owner may take their text down at any time (issue 16), also after the cutoff."""
    sub = create_submission_for(owner)
    cutoff.freeze(CLOSE + late)
    expect(client.post(f"/my/{sub.id}/withdraw"), 302)
    assert row(app, sub.id).status is Status.WITHDRAWN


# --- Cutoffs on the days the clocks change ------------------------------------------------


DST_CASES = [
    # Autumn: 02:00-03:00 happens twice; +01:00 is the second time (after falling back).
    ("2026-10-25T02:30:00+01:00", "25 October 2026, 02:30 CET"),
    ("2026-10-25T02:30:00+02:00", "25 October 2026, 02:30 CEST"),
    # Spring: 02:00-03:00 does not exist; 03:30 is already summer time.
    ("2026-03-29T03:30:00+02:00", "29 March 2026, 03:30 CEST"),
    ("2026-03-29T01:30:00+01:00", "29 March 2026, 01:30 CET"),
]


@pytest.mark.parametrize("setting, shown", DST_CASES)
def test_cutoff_on_a_clock_change_day(app, client, clock, owner, setting, shown):
    close_at = parse_instant(setting, "HUB_SUBMISSIONS_CLOSE_AT")
    clock.close_at = close_at

    clock.freeze(close_at - timedelta(minutes=90))
    home = expect(client.get("/"), 200).text
    assert shown in banner(home)
    assert "1 h 30 min left" in banner(home)

    clock.freeze(close_at - SECOND)
    expect(client.post("/submit/initiative", data=form_data(title="In time")), 302)

    clock.freeze(close_at + SECOND)
    page = expect(client.post("/submit/initiative", data=form_data(title="Late")), 403).text
    assert f"Submissions closed on {shown}" in page
    assert [(r.title, r.status) for r in rows(app)] == [
        ("In time", Status.SUBMITTED),
        ("Late", Status.DRAFT),
    ]
    assert f"Submissions closed on {shown}" in banner(client.get("/").text)


def test_autumn_cutoff_is_still_open_the_first_time_the_clock_shows_it(app, client, clock, owner):
    """Closing at 02:30 CET: at 02:30 CEST (an hour earlier, same wall time) it is open."""
    clock.close_at = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET
    first_0230 = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    assert clock.format(first_0230) == "25 October 2026, 02:30 CEST"

    clock.freeze(first_0230)
    expect(client.post("/submit/initiative", data=form_data()), 302)
    assert "1 h 0 min left" in banner(client.get("/").text)


def test_cutoff_from_the_settings(app_config):
    """The settings are read with their offset: the same instant whatever the server zone."""
    from hub import create_app

    app = create_app(
        {
            **app_config,
            "HUB_SUBMISSIONS_CLOSE_AT": "2026-10-25T02:30:00+01:00",
            "HUB_SUBMISSIONS_OPEN_AT": "2026-03-01T09:00:00Z",
        }
    )
    try:
        c = app.extensions["hub_clock"]
        assert c.close_at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
        assert c.format(c.close_at) == "25 October 2026, 02:30 CET"
        assert c.format(c.open_at) == "1 March 2026, 10:00 CET"
    finally:
        app.extensions["hub_db"].kw["bind"].dispose()


# --- No cutoff, not yet open --------------------------------------------------------------


@pytest.mark.parametrize(
    "when", [datetime(2000, 1, 1, tzinfo=UTC), datetime(2099, 12, 31, 23, 59, tzinfo=UTC)]
)
def test_without_a_cutoff_submissions_are_always_open(app, client, clock, owner, when):
    assert (clock.open_at, clock.close_at) == (None, None)
    clock.freeze(when)
    expect(client.post("/submit/initiative", data=form_data()), 302)
    assert [r.status for r in rows(app)] == [Status.SUBMITTED]
    for path in ("/", "/submit/", "/my/"):
        page = client.get(path).text
        assert "cutoff-banner" not in page
        assert "closed on" not in page and "left" not in banner(page)


OPEN = datetime(2026, 3, 1, 9, 0, tzinfo=ZURICH)
OPENS_TEXT = "Submissions open on 1 March 2026, 09:00 CET"


@pytest.fixture
def not_yet_open(cutoff: Clock) -> Clock:
    cutoff.open_at = OPEN
    cutoff.freeze(OPEN - SECOND)
    return cutoff


def test_before_opening_submitting_is_refused(app, client, not_yet_open, owner):
    page = expect(client.post("/submit/initiative", data=form_data(title="Early bird")), 403).text
    assert OPENS_TEXT in page
    assert "you can save a draft until then" in page
    assert field_value(page, "title") == "Early bird"
    assert [(r.title, r.status) for r in rows(app)] == [("Early bird", Status.DRAFT)]


def test_before_opening_drafts_may_be_saved_and_edited(app, client, not_yet_open, owner):
    response = expect(
        client.post("/submit/initiative", data=form_data(action="draft", title="Prepared early")),
        302,
    )
    sub_id = int(response.location.rsplit("/", 1)[1])
    expect(
        client.post(f"/my/{sub_id}/edit", data=form_data(action="draft", title="Still a draft")),
        302,
    )
    page = expect(client.post(f"/my/{sub_id}/edit", data=form_data(title="Submit early")), 403).text
    assert OPENS_TEXT in page
    assert "Your text was saved as a draft, not submitted." in page
    after = row(app, sub_id)
    # What was typed is the draft, as for a new form: nothing kept aside, nothing lost.
    assert (after.title, after.status, after.kept_changes) == ("Submit early", Status.DRAFT, None)
    detail = text_of(client.get(f"/my/{sub_id}").text)
    assert "refused" not in detail and "after submissions closed" not in detail


def test_before_opening_the_page_after_a_refused_submit_saves_to_the_draft(
    app, client, not_yet_open, owner
):
    page = expect(client.post("/submit/initiative", data=form_data(title="Early bird")), 403).text
    [draft] = rows(app)
    assert f'action="/my/{draft.id}/edit"' in page
    assert f'href="/my/{draft.id}">Open the saved draft</a>' in page

    expect(
        client.post(
            f"/my/{draft.id}/edit", data=form_data(action="draft", title="Early bird, revised")
        ),
        302,
    )

    assert [(r.title, r.status) for r in rows(app)] == [("Early bird, revised", Status.DRAFT)]


def test_before_opening_changes_to_an_item_in_review_say_when_submissions_open(
    app, client, not_yet_open, owner, create_submission_for
):
    """An item already in review before the opening (the opening was moved later): its
    changes are refused and kept, and the page says why in the words of the moment."""
    sub = create_submission_for(owner, title="Submitted early")
    page = expect(
        client.post(f"/my/{sub.id}/edit", data=form_data(title="Changed early")), 403
    ).text
    assert OPENS_TEXT in page
    assert row(app, sub.id).kept_changes["title"] == "Changed early"
    detail = text_of(client.get(f"/my/{sub.id}").text)
    assert "Changes refused before submissions opened" in detail
    assert "submissions open on 1 March 2026, 09:00 CET" in detail
    assert "after submissions closed" not in detail and "after the cutoff" not in detail


def test_submitting_opens_exactly_at_the_opening(app, client, not_yet_open, owner):
    not_yet_open.freeze(OPEN)
    expect(client.post("/submit/initiative", data=form_data()), 302)
    assert [r.status for r in rows(app)] == [Status.SUBMITTED]


def test_banner_before_opening(client, not_yet_open, owner):
    for path in ("/", "/submit/"):
        text = banner(expect(client.get(path), 200).text)
        assert OPENS_TEXT in text
        assert "close on 19 June 2026, 23:59 CEST" in text
        assert "You can prepare drafts now." in text


# --- The banner and home page -------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/submit/", "/my/"])
def test_banner_while_open_shows_cutoff_and_countdown(client, cutoff, owner, path):
    cutoff.freeze(CLOSE - timedelta(days=2, hours=3, minutes=4, seconds=30))
    page = expect(client.get(path), 200).text
    text = banner(page)
    assert "Submissions are open until 19 June 2026, 23:59 CEST" in text
    assert "2 days 3 h 4 min left" in text
    assert 'datetime="2026-06-19T23:59:00+02:00"' in page


@pytest.mark.parametrize("path", ["/", "/submit/", "/my/"])
def test_banner_after_the_cutoff_says_closed(client, cutoff, owner, path):
    cutoff.freeze(CLOSE + SECOND)
    text = banner(expect(client.get(path), 200).text)
    assert text == f"{CLOSED_TEXT}."
    assert "left" not in text


def test_home_page_states_the_deadline_once(client, cutoff):
    """The banner states it (with the countdown); the hero does not say it again."""
    cutoff.freeze(CLOSE - timedelta(days=10))
    html = expect(client.get("/"), 200).text
    page = text_of(html)
    assert "Submissions are open until 19 June 2026, 23:59 CEST" in banner(html)
    assert page.count("19 June 2026, 23:59 CEST") == 1
    assert html.count("data-countdown-for") == 1
    assert "Submit a contribution" in page

    cutoff.freeze(CLOSE)
    page = text_of(expect(client.get("/"), 200).text)
    assert CLOSED_TEXT in page
    assert "Submit a contribution" not in page


def test_banner_uses_the_configured_zone(app_config):
    from hub import create_app

    app = create_app(
        {
            **app_config,
            "HUB_TIMEZONE": "America/New_York",
            "HUB_SUBMISSIONS_CLOSE_AT": "2026-06-19T23:59:00+02:00",
        }
    )
    try:
        app.extensions["hub_clock"].freeze(datetime(2026, 6, 1, tzinfo=UTC))
        page = app.test_client().get("/").text
        assert "19 June 2026, 17:59 EDT" in banner(page)
    finally:
        app.extensions["hub_db"].kw["bind"].dispose()


# --- hub.clock on its own -----------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, None),
        ("", None),
        ("2026-06-19T23:59:00+02:00", datetime(2026, 6, 19, 21, 59, tzinfo=UTC)),
        ("2026-06-19T21:59:00Z", datetime(2026, 6, 19, 21, 59, tzinfo=UTC)),
        (" 2026-06-19T21:59:00+00:00 ", datetime(2026, 6, 19, 21, 59, tzinfo=UTC)),
        (datetime(2026, 6, 19, 23, 59, tzinfo=ZURICH), datetime(2026, 6, 19, 21, 59, tzinfo=UTC)),
    ],
)
def test_parse_instant_reads_aware_instants(value, expected):
    parsed = parse_instant(value, "SETTING")
    assert parsed == expected
    if parsed is not None:
        assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "value, message",
    [
        ("2026-06-19T23:59:00", "needs an offset"),
        ("2026-06-19", "needs an offset"),
        (datetime(2026, 6, 19, 23, 59), "needs an offset"),
        ("19 June 2026", "is not an ISO 8601 date and time"),
        ("tomorrow", "is not an ISO 8601 date and time"),
        ("2026-02-30T10:00:00+01:00", "is not an ISO 8601 date and time"),
        ("2026-06-19T25:00:00+02:00", "is not an ISO 8601 date and time"),
    ],
)
def test_parse_instant_refuses_naive_and_garbage(value, message):
    with pytest.raises(ClockError, match=message) as refused:
        parse_instant(value, "HUB_SUBMISSIONS_CLOSE_AT")
    assert "HUB_SUBMISSIONS_CLOSE_AT" in str(refused.value)


@pytest.mark.parametrize(
    "config, message",
    [
        (
            {
                "HUB_SUBMISSIONS_OPEN_AT": "2026-06-20T00:00:00+02:00",
                "HUB_SUBMISSIONS_CLOSE_AT": "2026-06-19T23:59:00+02:00",
            },
            "must be after",
        ),
        (
            {
                "HUB_SUBMISSIONS_OPEN_AT": "2026-06-19T21:59:00Z",
                "HUB_SUBMISSIONS_CLOSE_AT": "2026-06-19T23:59:00+02:00",
            },
            "must be after",
        ),
        ({"HUB_TIMEZONE": "Mars/Olympus_Mons"}, "unknown time zone"),
        ({"HUB_TIMEZONE": "../etc/passwd"}, "unknown time zone"),
        ({"HUB_SUBMISSIONS_CLOSE_AT": "soon"}, "not an ISO 8601"),
    ],
)
def test_clock_from_config_refuses_bad_settings(config, message):
    with pytest.raises(ClockError, match=message):
        clock_from_config(config)


def test_clock_from_config_defaults():
    c = clock_from_config({})
    assert (c.open_at, c.close_at, c.zone.key) == (None, None, "Europe/Zurich")
    assert c.phase() is Phase.OPEN
    assert c.seconds_left() is None


@pytest.mark.parametrize(
    "instant, with_time, shown",
    [
        (datetime(2026, 6, 19, 21, 59, tzinfo=UTC), True, "19 June 2026, 23:59 CEST"),
        (datetime(2026, 1, 5, 8, 0, tzinfo=UTC), True, "5 January 2026, 09:00 CET"),
        (datetime(2026, 1, 5, 8, 0), True, "5 January 2026, 09:00 CET"),  # naive = UTC (SQLite)
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), True, "1 January 2027, 00:30 CET"),
        (datetime(2026, 6, 19, 21, 59, tzinfo=UTC), False, "19 June 2026"),
        (None, True, ""),
    ],
)
def test_clock_format(instant, with_time, shown):
    c = clock_from_config({"HUB_TIMEZONE": "Europe/Zurich"})
    assert c.format(instant, with_time=with_time) == shown


def test_clock_phase_and_seconds_left():
    c = clock_from_config(
        {
            "HUB_SUBMISSIONS_OPEN_AT": "2026-03-01T09:00:00+01:00",
            "HUB_SUBMISSIONS_CLOSE_AT": "2026-06-19T23:59:00+02:00",
        }
    )
    c.freeze(OPEN - SECOND)
    assert c.phase() is Phase.NOT_YET_OPEN
    c.freeze(OPEN)
    assert c.phase() is Phase.OPEN
    c.freeze(CLOSE - timedelta(seconds=90))
    assert (c.phase(), c.seconds_left()) == (Phase.OPEN, 90)
    c.freeze(CLOSE)
    assert (c.phase(), c.seconds_left()) == (Phase.CLOSED, None)
    c.freeze(None)
    assert c.frozen_at is None


# --- "Now" is when the request arrived ------------------------------------------------------


def test_a_slow_upload_is_judged_by_when_it_arrived(app, client, cutoff, owner, monkeypatch):
    """A post whose body is still arriving at the cutoff was sent in time: "now" is taken
    when the request reaches the hub, before its body is read (here the body's reading is
    what moves the clock past the cutoff)."""
    import hub.clock

    cutoff.freeze(None)
    times = [CLOSE - SECOND]

    class Clock(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            return times[0].astimezone(tz)

    class SlowBody(io.BytesIO):
        """The body: its bytes arrive after the cutoff, however they are read."""

        def read(self, *args: Any) -> bytes:
            times[0] = CLOSE + timedelta(seconds=30)
            return super().read(*args)

        def readinto(self, buffer: Any) -> int:
            times[0] = CLOSE + timedelta(seconds=30)
            return super().readinto(buffer)

    monkeypatch.setattr(hub.clock, "datetime", Clock)
    body = urlencode(form_data(title="Uploaded slowly"), doseq=True).encode()
    response = client.post(
        "/submit/initiative",
        input_stream=SlowBody(body),
        content_type="application/x-www-form-urlencoded",
        content_length=len(body),
    )

    expect(response, 302)
    [saved] = rows(app)
    assert (saved.title, saved.status) == ("Uploaded slowly", Status.SUBMITTED)
    assert as_utc(saved.submitted_at) == CLOSE - SECOND
