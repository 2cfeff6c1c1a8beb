"""The three journeys and the cutoff, end to end in Chromium."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from browser_steps import (
    COMPLETE_FORM,
    click_and_wait,
    fill_submission,
    flash_text,
    login,
    register,
)


def test_submitter_and_moderator_journey(hub, new_context, expect):
    """Register, save a draft, submit, edit; changes requested, resubmitted, approved."""
    email = "amina@example.org"
    me = new_context().new_page()
    register(me, hub, email)
    assert "Welcome" in flash_text(me)

    me.goto("/submit/")
    click_and_wait(me, "a[href$='/submit/initiative']")
    fill_submission(me, title="Santé numérique dans les écoles")
    click_and_wait(me, "button[value=draft]")
    assert "Draft saved" in flash_text(me)
    expect(me.locator("main .meta")).to_contain_text("Status: Draft")
    [row] = hub.submissions_of(email)
    assert row["status"] == "draft"

    click_and_wait(me, "main a.button:has-text('Edit')")
    expect(me.locator("#title")).to_have_value("Santé numérique dans les écoles")
    fill_submission(me, **{k: v for k, v in COMPLETE_FORM.items() if k != "title"})
    click_and_wait(me, "button[value=submit]")
    assert "Submitted" in flash_text(me)
    expect(me.locator("main .meta")).to_contain_text("Status: Submitted")

    click_and_wait(me, "main a.button:has-text('Edit')")
    me.fill("#summary", "Former 300 infirmières scolaires à l'usage responsable de l'IA.")
    click_and_wait(me, "button[value=submit]")
    [row] = hub.submissions_of(email)
    assert row["status"] == "submitted" and row["summary"].startswith("Former 300")

    moderator_email = hub.create_user("moderator")
    mod = new_context().new_page()
    login(mod, moderator_email)
    mod.goto("/moderation/")
    click_and_wait(mod, f"a[href='/moderation/{row['id']}']")
    expect(mod.locator("h1")).to_have_text("Santé numérique dans les écoles")
    mod.fill("textarea[name=message]", "Merci de nommer vos partenaires.")
    click_and_wait(mod, "form[action$='/decide'] button[value=request_changes]")
    assert "changes requested" in flash_text(mod).lower()
    assert hub.submissions_of(email)[0]["status"] == "changes_requested"

    me.goto("/my/")
    expect(me.locator("main table")).to_contain_text("Changes requested")
    click_and_wait(me, "main table a")
    expect(me.locator("main")).to_contain_text("Merci de nommer vos partenaires.")
    click_and_wait(me, "main a.button:has-text('Edit')")
    me.fill("#partners", "Ministère de la santé\nUniversité Cheikh Anta Diop")
    click_and_wait(me, "button[value=submit]")
    assert "Submitted" in flash_text(me)
    expect(me.locator("main .meta")).to_contain_text("Status: Submitted")
    assert hub.submissions_of(email)[0]["status"] == "submitted"

    mod.goto(f"/moderation/{row['id']}")
    click_and_wait(mod, "form[action$='/decide'] button[value=approve]")
    assert "approved" in flash_text(mod).lower()
    [row] = hub.submissions_of(email)
    assert row["status"] == "approved"

    me.goto(f"/my/{row['id']}")
    expect(me.locator("main .meta")).to_contain_text("Status: Approved")
    click_and_wait(me, f"a[href='/s/{row['slug']}']")
    expect(me.locator("h1")).to_have_text("Santé numérique dans les écoles")
    expect(me.locator("main")).to_contain_text("Université Cheikh Anta Diop")
    expect(me.locator("main")).not_to_contain_text("amina@example.org")


def test_visitor_searches_filters_opens_and_downloads(hub, page, published, expect):
    """Search with and without accents, filter by a facet, open a detail page, get the CSV."""
    page.goto("/")
    page.fill("#home-q", "santé")
    click_and_wait(page, "form[role=search] button[type=submit]")
    results = page.locator(".results .result-title")
    expect(results).to_have_count(2)
    expect(page.locator("main")).not_to_contain_text("quokka")  # drafts never show

    page.fill("#q", "sante")  # no accent: the same two
    click_and_wait(page, "form.search-form button[type=submit]")
    expect(results).to_have_count(2)
    assert set(results.all_inner_texts()) == {
        "Santé numérique dans les écoles",
        "Coalition pour la santé mentale",
    }

    page.check("input[name=kind][value=coalition]")
    click_and_wait(page, "aside.facets button[type=submit]")
    assert "kind=coalition" in page.url
    expect(results).to_have_count(1)
    expect(results).to_have_text("Coalition pour la santé mentale")

    click_and_wait(page, ".results .result-title a")
    assert page.url.endswith(f"/s/{published[1]['slug']}")
    expect(page.locator("h1")).to_have_text("Coalition pour la santé mentale")

    page.goto("/browse")
    expect(results).to_have_count(3)
    with page.expect_download() as info:
        page.click("main a[href$='/export.csv']")
    text = info.value.path().read_text(encoding="utf-8")
    titles = {row["title"] for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    assert titles == {item["title"] for item in published}


def test_form_opened_before_the_cutoff_and_posted_after_keeps_the_text(hub, page, expect):
    """The clock moves past the cutoff while the form is open: refused, text kept, draft kept."""
    email = hub.create_user()
    now = datetime.now(UTC).replace(microsecond=0)
    hub.clock.close_at = now + timedelta(hours=1)
    login(page, email)
    page.goto("/submit/initiative")
    expect(page.locator(".cutoff-banner")).to_contain_text("Submissions are open until")
    fill_submission(page, **COMPLETE_FORM)

    hub.clock.freeze(hub.clock.close_at + timedelta(seconds=1))
    click_and_wait(page, "button[value=submit]")

    closed = f"Submissions closed on {hub.clock.format(hub.clock.close_at)}"
    expect(page.locator(".notice[role=alert]")).to_contain_text(closed)
    expect(page.locator("#title")).to_have_value(COMPLETE_FORM["title"])
    expect(page.locator("#summary")).to_have_value(COMPLETE_FORM["summary"])
    expect(page.locator("#description")).to_have_value(COMPLETE_FORM["description"])

    page.goto("/my/")
    expect(page.locator("main table")).to_contain_text(COMPLETE_FORM["title"])
    expect(page.locator("main table")).to_contain_text("Draft")
    [row] = hub.submissions_of(email)
    assert row["status"] == "draft" and row["summary"] == COMPLETE_FORM["summary"]


def test_withdraw_asks_first_and_a_no_keeps_the_submission(hub, page, dialogs, expect):
    """Withdrawing is irreversible: the browser asks; "Cancel" changes nothing, "OK" withdraws
    and says so."""
    email = hub.create_user()
    item = hub.create_submission(email, "submitted", title="Réseau des laboratoires")
    login(page, email)
    page.goto(f"/my/{item['id']}")

    dialogs.answers.append(False)
    page.click("main button:has-text('Withdraw')")
    assert dialogs.seen == [
        "Withdraw “Réseau des laboratoires”? It will not be reviewed or "
        "published, and this cannot be undone."
    ]
    expect(page.locator("main .meta")).to_contain_text("Status: Submitted")
    assert hub.submissions_of(email)[0]["status"] == "submitted"

    click_and_wait(page, "main button:has-text('Withdraw')")
    assert len(dialogs.seen) == 2
    assert "Withdrawn" in flash_text(page)
    assert hub.submissions_of(email)[0]["status"] == "withdrawn"


def test_reject_asks_first_and_other_decisions_do_not(hub, page, dialogs):
    """A moderator is asked before a rejection is recorded; cancelling keeps the submission
    waiting. Requesting changes asks nothing."""
    owner = hub.create_user()
    item = hub.create_submission(owner, "submitted", title="Coalition pour l'éthique")
    login(page, hub.create_user("moderator"))
    page.goto(f"/moderation/{item['id']}")
    page.fill("textarea[name=message]", "Hors sujet.")

    dialogs.answers.append(False)
    page.click("form[action$='/decide'] button[value=reject]")
    assert len(dialogs.seen) == 1 and dialogs.seen[0].startswith("Reject “Coalition pour")
    assert hub.submissions_of(owner)[0]["status"] == "submitted"

    click_and_wait(page, "form[action$='/decide'] button[value=reject]")
    assert len(dialogs.seen) == 2
    assert "rejected" in flash_text(page).lower()
    assert hub.submissions_of(owner)[0]["status"] == "rejected"

    other = hub.create_submission(owner, "submitted", title="Second")
    page.goto(f"/moderation/{other['id']}")
    page.fill("textarea[name=message]", "Nommez vos partenaires.")
    click_and_wait(page, "form[action$='/decide'] button[value=request_changes]")
    assert len(dialogs.seen) == 2  # no question this time
    assert hub.submissions_of(owner)[1]["status"] == "changes_requested"


@pytest.mark.parametrize("script", [True, False], ids=["with-javascript", "without"])
def test_moderator_selects_a_whole_page_and_approves_it(hub, new_context, dialogs, expect, script):
    """ "Select all on this page" is a checkbox with JavaScript (all, some or none ticked) and
    a button that brings the page back with every box ticked without it."""
    owner = hub.create_user()
    items = [hub.create_submission(owner, "submitted", title=f"Lot {n}") for n in range(3)]
    page = new_context(java_script_enabled=script).new_page()
    login(page, hub.create_user("moderator"))
    page.goto("/moderation/")
    if script:
        expect(page.locator("button[value=select_all]")).to_have_count(0)
        page.check("#select-all")
        expect(page.locator("input[name=ids]:checked")).to_have_count(3)
        page.uncheck(f"#sel-{items[0]['id']}")
        assert page.eval_on_selector("#select-all", "el => el.indeterminate")
        page.check("#select-all")
    else:
        click_and_wait(page, "button[value=select_all]")
    expect(page.locator("input[name=ids]:checked")).to_have_count(3)
    click_and_wait(page, "button[value=approve]")
    assert dialogs.seen == (["Apply this decision to every selected submission?"] if script else [])
    assert "3 submissions approved." in flash_text(page)
    assert [row["status"] for row in hub.submissions_of(owner)] == ["approved"] * 3


def test_moderator_goes_from_one_decision_to_the_next(hub, page, expect):
    """Deciding from a filtered queue opens the next item of that queue, then the queue."""
    owner = hub.create_user()
    first = hub.create_submission(owner, "submitted", kind="coalition", title="Coalition one")
    hub.create_submission(owner, "submitted", kind="initiative", title="Not a coalition")
    second = hub.create_submission(owner, "submitted", kind="coalition", title="Coalition two")
    login(page, hub.create_user("moderator"))
    page.goto("/moderation/?kind=coalition")
    click_and_wait(page, f"a[href='/moderation/{first['id']}?kind=coalition']")
    click_and_wait(page, "form[action*='/decide'] button[value=approve]")
    expect(page.locator("h1")).to_have_text("Coalition two")
    assert "Approved and published: “Coalition one”" in flash_text(page)
    page.fill("textarea[name=message]", "Name your partners, please.")
    click_and_wait(page, "form[action*='/decide'] button[value=request_changes]")
    assert page.url.endswith("/moderation/?kind=coalition")
    assert "Nothing left after it" in flash_text(page)
    assert [r["status"] for r in hub.submissions_of(owner)] == [
        "approved",
        "submitted",
        "changes_requested",
    ]
    assert hub.submissions_of(owner)[2]["id"] == second["id"]
