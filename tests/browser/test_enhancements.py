"""What the script adds, in Chromium: the similar panel fills itself while one types, a form
with unsaved changes asks before it is left, counters speak once, the deadline in the
visitor's own time, and "Go back" from an error page keeps the form's text."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from browser_steps import click_and_wait, login


@pytest.fixture
def writer(hub, page):
    """A logged-in submitter's page, and one approved submission to be found similar."""
    owner = hub.create_user()
    hub.create_submission(
        owner,
        title="Mangrove carbon mapping",
        summary="Satellite mapping of mangrove carbon stocks in the tropics.",
    )
    login(page, hub.create_user())
    return page


def test_the_similar_panel_fills_itself_while_the_title_is_typed(writer, expect):
    page = writer
    page.goto("/submit/initiative")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    panel = page.locator("#similar")
    expect(panel).not_to_contain_text("Mangrove carbon mapping")

    page.locator("#title").press_sequentially("Mangrove mapping")
    page.locator("#summary").press_sequentially("Carbon stocks of coastal mangroves.")

    expect(panel.locator("li")).to_have_count(1)
    expect(panel).to_contain_text("These published submissions look similar to yours:")
    expect(panel.locator("li a")).to_have_text("Mangrove carbon mapping")
    expect(panel.locator("li .badge")).to_have_text("Kind: Initiative")
    expect(panel.locator("button[value=similar]")).to_be_visible()  # still there
    expect(page.locator("p[aria-live]").filter(has_text="similar")).to_have_text(
        "1 similar published submission found."
    )
    assert posts == []  # looked up, nothing posted (and nothing saved)

    # Similar is judged on the title and the summary typed (against the published texts):
    # both must change for the match to go.
    page.locator("#summary").fill("")
    page.locator("#title").fill("")
    page.locator("#title").press_sequentially("Quantum zebra logistics")
    expect(panel).to_contain_text("No similar published submission was found.")
    expect(panel.locator("li")).to_have_count(0)


def test_leaving_a_changed_form_asks_first(writer, dialogs, expect):
    page = writer
    page.goto("/submit/initiative")
    page.locator("#title").press_sequentially("Un titre pas encore enregistré")

    dialogs.answers.append(False)  # "Stay on page"
    page.click(".main-nav a:has-text('Browse')")
    expect(page.locator("#title")).to_have_value("Un titre pas encore enregistré")
    assert len(dialogs.seen) == 1
    assert "/submit/initiative?t=" in page.url  # still on the form

    click_and_wait(page, "button[value=draft]")  # saving leaves without a question
    assert len(dialogs.seen) == 1
    assert re.search(r"/my/\d+$", page.url)
    page.click(".main-nav a:has-text('Browse')")  # nothing unsaved on a detail page
    expect(page.locator("h1")).to_have_text("Browse approved contributions")
    assert len(dialogs.seen) == 1


def test_an_unchanged_form_is_left_without_a_question(writer, dialogs, expect):
    page = writer
    page.goto("/submit/initiative")
    page.click(".main-nav a:has-text('Browse')")
    expect(page.locator("h1")).to_have_text("Browse approved contributions")
    assert dialogs.seen == []


def test_counters_speak_once_typing_pauses(writer, expect):
    """The visible counter follows every key and is not a live region; the one polite live
    region says the count once."""
    page = writer
    page.goto("/submit/initiative")
    counter = page.locator("#title-count")
    page.locator("#title").press_sequentially("Santé")

    expect(counter).to_have_text(re.compile(r"^5 of \d+ characters$"))
    assert counter.get_attribute("aria-live") is None
    assert page.locator(".counter[aria-live], .counter [aria-live]").count() == 0
    live = page.locator("p.visually-hidden[aria-live=polite]")
    expect(live.filter(has_text="characters")).to_have_text(counter.inner_text())


def test_the_deadline_in_the_visitors_own_time(hub, new_context, expect):
    """Same words and format as the hub's ("19 June 2026, 23:59 CEST"); only the time when
    it is the same day; and the countdown in the server's words."""
    close = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=2, hours=5)
    hub.clock.close_at = close
    for zone in ("America/New_York", "Asia/Tokyo"):
        page = new_context(timezone_id=zone).new_page()
        page.goto("/")
        local = close.astimezone(ZoneInfo(zone))
        geneva = hub.clock.local(close)
        text = page.locator(".cutoff-banner .local-time").inner_text()
        day = f"{local.day} {local:%B %Y}, " if local.date() != geneva.date() else ""
        assert re.fullmatch(rf"; your time: {day}{local:%H:%M} \S+", text), (zone, text)
        expect(page.locator(".cutoff-banner .countdown")).to_have_text(
            re.compile(r"^2 days [45] h \d+ min left$")
        )
    page = new_context(timezone_id="Europe/Zurich").new_page()
    page.goto("/")
    expect(page.locator(".cutoff-banner .local-time")).to_have_text("")  # already Geneva


def test_go_back_from_an_error_page_keeps_the_forms_text(page, expect):
    """A post refused by an error page (here: a body over the size limit, a 413): "Go back"
    returns to the form as it was left, not to an empty one."""
    page.goto("/account/register")
    page.fill("#email", "amina@example.org")
    page.fill("#display_name", "Amina Diallo")
    # An organisation pasted from a huge document: over HUB_MAX_REQUEST_BYTES (1 MiB).
    page.eval_on_selector(
        "#organisation",
        "el => { el.removeAttribute('maxlength'); el.value = 'x'.repeat(1100000); }",
    )
    click_and_wait(page, "main form button[type=submit]")
    expect(page.locator(".error-code")).to_have_text("Error 413")

    page.click("main a:has-text('Go back')")
    expect(page.locator("#email")).to_have_value("amina@example.org")
    expect(page.locator("#display_name")).to_have_value("Amina Diallo")


def _in(hub, language: str, text: Callable[[], str]) -> str:
    """`text()` as the hub writes it in `language` (its catalogue, its CLDR data)."""
    from flask_babel import force_locale

    with hub.app.test_request_context(f"/{language}/"), force_locale(language):
        return text()


@pytest.mark.parametrize("language", ["fr", "zh", "ar"])
def test_counter_and_local_time_in_the_pages_language(hub, new_context, expect, language):
    """The character counter says the page's words (the catalogue's, plural by the limit);
    the deadline in the visitor's time is the hub's date in the page's language and order
    ("6 décembre 2026, 04:00 …", "2026年12月6日 04:00 …"), not an English one."""
    from babel.dates import format_date
    from flask_babel import gettext, ngettext

    zurich, tokyo = ZoneInfo("Europe/Zurich"), ZoneInfo("Asia/Tokyo")
    # 20:00 in Geneva is 04:00 the next day in Tokyo: the page writes the whole date.
    day = datetime.now(zurich).date() + timedelta(days=3)
    hub.clock.close_at = datetime(day.year, day.month, day.day, 20, tzinfo=zurich).astimezone(UTC)
    page = new_context(timezone_id="Asia/Tokyo").new_page()
    login(page, hub.create_user())
    page.goto(f"/{language}/submit/initiative")

    local = hub.clock.close_at.astimezone(tokyo)
    date = format_date(local.date(), "long", locale="zh_Hans" if language == "zh" else language)
    when = _in(hub, language, lambda: gettext("%(date)s, %(time)s %(zone)s"))
    when = when % {"date": date, "time": "04:00", "zone": "ZONE"}
    said = _in(hub, language, lambda: gettext("; your time: %(when)s", when="WHEN"))
    pattern = re.escape(said).replace("WHEN", re.escape(when)).replace("ZONE", r"\S+")
    text = page.locator(".cutoff-banner .local-time").inner_text()
    assert re.fullmatch(pattern, text), (text, pattern)

    limit = int(page.locator("#title").get_attribute("data-maxlength"))
    page.locator("#title").press_sequentially("Santé")
    expect(page.locator("#title-count")).to_have_text(
        _in(
            hub,
            language,
            lambda: ngettext(
                "%(used)s of %(num)d character", "%(used)s of %(num)d characters", limit, used=5
            ),
        )
    )
