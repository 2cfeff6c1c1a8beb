"""What people really do in a browser: double clicks, the back button, a login that expires
while they type, and no JavaScript at all."""

from __future__ import annotations

import re

import pytest

from browser_steps import (
    COMPLETE_FORM,
    HeldPostAnswers,
    click_and_wait,
    fill_submission,
    flash_text,
    login,
)


@pytest.fixture
def submitter(hub):
    """A submitter's e-mail."""
    return hub.create_user()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_double_click_on_submit_creates_one_submission(
    hub, new_context, submitter, javascript, expect
):
    """The second click of a double click lands while the first post is on its way (the
    hub's answers are held back as on a slow connection). With JavaScript the second click
    sends nothing; without it both posts reach the hub, whose one-time form token makes the
    second lead to the first one's result. Either way: one submission."""
    page = new_context(java_script_enabled=javascript).new_page()
    login(page, submitter)
    page.goto("/submit/initiative")
    fill_submission(page, **COMPLETE_FORM)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    hub.app.wsgi_app = HeldPostAnswers(hub.app.wsgi_app, delay=1.0)
    button = page.locator("button[value=submit]")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # The mouse itself: Playwright's click() would wait for the first post's navigation.
    with page.expect_request(lambda r: r.method == "POST"):
        page.mouse.click(x, y)
    if javascript:
        page.mouse.click(x, y)  # the form is still on screen
    else:  # the second post replaces the first one's navigation: wait for it to leave
        with page.expect_request(lambda r: r.method == "POST"):
            page.mouse.click(x, y)
    page.wait_for_url("**/my/*")
    page.wait_for_load_state()
    assert len(posts) == (1 if javascript else 2), posts
    assert [r["status"] for r in hub.submissions_of(submitter)] == ["submitted"]
    expect(page.locator("main .meta")).to_contain_text("Status: Submitted")
    if not javascript:
        # The second post's answer says "already saved"; the first one's answer, cancelled by
        # the browser, may still set its session cookie last on a loaded machine ("Submitted.").
        # Either way the person sees their one submission.
        assert re.search(r"already saved|^Submitted\.", flash_text(page)), flash_text(page)


def test_back_button_after_submit_does_not_resubmit(hub, page, submitter, expect):
    """Post/Redirect/Get: going back and forth re-posts nothing; re-sending the old form
    (a back-forward cache copy, token and all) leads to the first result."""
    login(page, submitter)
    page.goto("/submit/initiative")
    fill_submission(page, **COMPLETE_FORM)
    click_and_wait(page, "button[value=submit]")
    detail_url = page.url
    assert "/my/" in detail_url
    assert len(hub.submissions_of(submitter)) == 1

    page.go_back()
    page.wait_for_load_state()
    assert "/submit/initiative?t=" in page.url
    assert len(hub.submissions_of(submitter)) == 1
    page.go_forward()
    page.wait_for_load_state()
    assert page.url == detail_url
    page.reload()
    assert len(hub.submissions_of(submitter)) == 1

    page.go_back()  # Chromium re-fetches the form and refills what was typed
    page.wait_for_load_state()
    expect(page.locator("#title")).to_have_value(COMPLETE_FORM["title"])
    click_and_wait(page, "button[value=submit]")
    assert page.url == detail_url
    assert "already saved" in flash_text(page)
    assert len(hub.submissions_of(submitter)) == 1


def test_back_button_after_submit_without_javascript_does_not_resubmit(
    hub, new_context, submitter, expect
):
    """No script to put the sent form's token back: the token is in the form's address, so
    going back fetches the same form, which says it was sent; sending it again (Chromium
    refilled it) leads to the first result, not to a second submission."""
    page = new_context(java_script_enabled=False).new_page()
    login(page, submitter)
    page.goto("/submit/initiative")
    form_address = page.url
    assert "/submit/initiative?t=" in form_address
    fill_submission(page, **COMPLETE_FORM)
    click_and_wait(page, "button[value=submit]")
    detail_url = page.url
    assert "/my/" in detail_url

    page.go_back()
    page.wait_for_load_state()
    assert page.url == form_address
    expect(page.locator(".notice-info")).to_contain_text("You already sent this form")
    expect(page.locator("#title")).to_have_value(COMPLETE_FORM["title"])
    click_and_wait(page, "button[value=submit]")

    assert page.url == detail_url
    assert "already saved" in flash_text(page)
    assert len(hub.submissions_of(submitter)) == 1
    # A new form is one click away, with a token of its own.
    page.go_back()
    page.wait_for_load_state()
    click_and_wait(page, "main .notice a:has-text('Start a new initiative')")
    assert "/submit/initiative?t=" in page.url and page.url != form_address
    fill_submission(page, **{**COMPLETE_FORM, "title": "A second one, on purpose"})
    click_and_wait(page, "button[value=submit]")
    assert [r["title"] for r in hub.submissions_of(submitter)] == [
        COMPLETE_FORM["title"],
        "A second one, on purpose",
    ]


def test_character_counter_counts_characters_as_the_hub_does(hub, page, submitter, expect):
    """An emoji is one character for the hub (and for the person typing): 200 of them fit a
    200-character title, and the counter says so."""
    login(page, submitter)
    page.goto("/submit/initiative")
    page.fill("#title", "😀" * 200)
    expect(page.locator("#title-count")).to_have_text("200 of 200 characters")
    page.fill("#title", "😀" * 201)
    expect(page.locator("#title-count")).to_have_text("201 of 200 characters: 1 too many")


def test_session_expired_while_typing_keeps_the_text(hub, new_context, submitter, expect):
    """The login cookie disappears mid-typing: submit → log in again → the text is back."""
    context = new_context()
    page = context.new_page()
    login(page, submitter)
    page.goto("/submit/initiative")
    form_address = page.url
    fill_submission(page, **COMPLETE_FORM)
    context.clear_cookies()
    page.fill("#objectives", "Typed after the session expired.")
    click_and_wait(page, "button[value=submit]")

    assert "/account/login" in page.url
    assert "session had expired" in flash_text(page)
    assert hub.submissions_of(submitter) == []
    login(page, submitter, go=False)

    assert page.url == form_address  # the same form, its one-time token and all
    expect(page.locator(".notice")).to_contain_text("We kept what you typed")
    for name in ("title", "summary", "description", "lead_organisation", "contact_email"):
        expect(page.locator(f"#{name}")).to_have_value(COMPLETE_FORM[name])
    expect(page.locator("#objectives")).to_have_value("Typed after the session expired.")
    expect(page.locator("#language")).to_have_value("fr")
    expect(page.locator("input[name=themes][value=health]")).to_be_checked()
    click_and_wait(page, "button[value=submit]")
    assert [r["title"] for r in hub.submissions_of(submitter)] == [COMPLETE_FORM["title"]]


def test_forms_work_without_javascript(hub, new_context, submitter, expect):
    """No script at all: log in, save a draft, see the errors of an incomplete submission,
    submit it. (Registering, searching and moderating without script: see
    test_without_javascript.py.)"""
    page = new_context(java_script_enabled=False).new_page()
    login(page, submitter)
    page.goto("/submit/coalition")
    fill_submission(page, title="Coalition sans JavaScript")
    click_and_wait(page, "button[value=draft]")
    assert "Draft saved" in flash_text(page)

    click_and_wait(page, "main a.button:has-text('Edit')")
    click_and_wait(page, "button[value=submit]")  # members are still missing
    expect(page.locator("#error-summary")).to_contain_text("Member organisations")
    fill_submission(
        page,
        **{**COMPLETE_FORM, "title": "Coalition sans JavaScript"},
        member_organisations="Membre A\nMembre B",
    )
    click_and_wait(page, "button[value=submit]")
    assert "Submitted" in flash_text(page)
    [row] = hub.submissions_of(submitter)
    assert row["status"] == "submitted"
