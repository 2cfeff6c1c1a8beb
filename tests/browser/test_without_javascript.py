"""Scripts only enhance: registering, searching and moderating work with JavaScript off,
on a desktop and on the narrowest phone."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from browser_steps import (
    PASSWORD,
    click_and_wait,
    confirm_address,
    decide,
    flash_text,
    login,
)

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 780}}


@pytest.fixture
def no_js(new_context):
    """Factory: a page with JavaScript off at a width."""
    return lambda width="desktop": new_context(
        java_script_enabled=False, viewport=WIDTHS[width]
    ).new_page()


@pytest.mark.parametrize("width", WIDTHS)
def test_register_without_javascript(hub, no_js, expect, width):
    """Errors are shown and linked, the account is made, the banner tells the deadline and
    how long is left (the server's countdown)."""
    hub.clock.close_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3, hours=2)
    page = no_js(width)
    page.goto("/account/register")
    banner = page.locator(".cutoff-banner")
    deadline = hub.clock.format(hub.clock.close_at)
    expect(banner).to_contain_text(f"Submissions are open until {deadline}")
    expect(banner).to_contain_text(re.compile(r"3 days [12] h \d+ min left"))
    expect(banner).not_to_contain_text("your time")  # that one needs the script

    page.fill("#email", "not-an-address")
    page.fill("#display_name", "Amina Diallo")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", "something else")
    click_and_wait(page, "main form button[type=submit]")
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#email")).to_have_value("not-an-address")
    expect(page.locator("#display_name")).to_have_value("Amina Diallo")

    page.fill("#email", "amina.nojs@example.org")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    click_and_wait(page, "main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Check your inbox")
    expect(page.locator("main")).to_contain_text("we sent a link to amina.nojs@example.org")
    expect(page.locator(".account-nav")).not_to_contain_text("Log out")
    confirm_address(page, hub, "amina.nojs@example.org")
    assert "Welcome" in flash_text(page)
    expect(page.locator(".account-nav")).to_contain_text("Log out")
    expect(page.locator(".main-nav")).to_contain_text("My submissions")


@pytest.mark.parametrize("width", WIDTHS)
def test_search_without_javascript(hub, no_js, published, expect, width):
    """Words without accents, a facet, the sort, a detail page and the CSV."""
    page = no_js(width)
    page.goto("/")
    page.fill("#home-q", "sante")
    click_and_wait(page, "form[role=search] button[type=submit]")
    titles = page.locator(".results .result-title")
    expect(titles).to_have_count(2)
    expect(page.locator("main")).not_to_contain_text("quokka")

    # The filters are open without the script, even on a phone, and Apply is at hand.
    expect(page.locator("aside.facets details.facet-toggle")).to_have_attribute("open", "")
    page.check("input[name=theme][value=health]")
    page.check("input[name=kind][value=coalition]")
    click_and_wait(page, "aside.facets button[type=submit]")
    assert "kind=coalition" in page.url and "theme=health" in page.url
    expect(titles).to_have_text(["Coalition pour la santé mentale"])
    expect(page.locator(".active-filters")).to_contain_text("Kind: Coalition")

    click_and_wait(page, ".active-filters a:has-text('Kind: Coalition')")  # remove one
    expect(titles).to_have_count(2)
    page.select_option("#sort", "title")
    click_and_wait(page, ".sort-form button[type=submit]")
    assert "sort=title" in page.url
    expect(titles).to_have_text(
        ["Coalition pour la santé mentale", "Santé numérique dans les écoles"]
    )

    click_and_wait(page, ".results .result-title a >> nth=1")
    expect(page.locator("h1")).to_have_text("Santé numérique dans les écoles")
    expect(page.locator("main")).to_contain_text("Theme: AI for health")

    with page.expect_download() as info:
        page.click("footer a[href$='/export.csv']")
    rows = list(
        csv.DictReader(io.StringIO(info.value.path().read_text(encoding="utf-8").lstrip("\ufeff")))
    )
    assert {row["title"] for row in rows} == {item["title"] for item in published}


@pytest.mark.parametrize("width", WIDTHS)
def test_moderating_without_javascript(hub, no_js, expect, width):
    """Filter the queue, decide in bulk (approve; a rejection without a reason is refused),
    and decide on one submission from its review page."""
    owner = hub.create_user()
    items = [
        hub.create_submission(owner, "submitted", kind=kind, title=title)
        for kind, title in [
            ("initiative", "Réseau santé Afrique"),
            ("coalition", "Coalition climat"),
            ("initiative", "Laboratoire éthique"),
            ("partnership", "Partenariat données"),
        ]
    ]
    page = no_js(width)
    login(page, hub.create_user("moderator"))
    page.goto("/moderation/")
    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(4)

    page.select_option("#f-kind", "initiative")
    click_and_wait(page, "form.filters button[type=submit]")
    expect(rows).to_have_count(2)
    page.fill("#f-q", "santé")
    click_and_wait(page, "form.filters button[type=submit]")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Réseau santé Afrique")

    page.goto("/moderation/")
    page.check(f"#sel-{items[0]['id']}")
    page.check(f"#sel-{items[1]['id']}")
    click_and_wait(page, "form .bulk button[value=reject]")  # no reason: nothing changes
    expect(page.locator("#message-field .error")).to_contain_text("Give a reason")
    expect(page.locator(f"#sel-{items[0]['id']}")).to_be_checked()  # the ticks stay
    assert [r["status"] for r in hub.submissions_of(owner)] == ["submitted"] * 4

    page.check(f"#sel-{items[0]['id']}")
    page.check(f"#sel-{items[1]['id']}")
    click_and_wait(page, "form .bulk button[value=approve]")
    assert "2 submissions approved" in flash_text(page)
    expect(rows).to_have_count(2)

    click_and_wait(page, f"a[href='/moderation/{items[2]['id']}']")
    decide(page, "request_changes", "Merci de nommer vos partenaires.")
    assert "changes requested" in flash_text(page).lower()
    assert [r["status"] for r in hub.submissions_of(owner)] == [
        "approved",
        "approved",
        "changes_requested",
        "submitted",
    ]
