"""Co-editing end to end in Chromium: the owner invites a colleague, who registers in a
browser of their own, accepts and edits; the owner sees who did what. The new page types
(the invitation, the people on a submission) pass axe-core's WCAG 2.1 A/AA rules."""

from __future__ import annotations

from typing import Any

from browser_steps import OUTPUT, click_and_wait, flash_text, register
from page_tour import _AXE_RUN, AXE_TAGS


def axe_violations(page: Any, axe_source: Any, name: str) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the open page (the tour's rules); screenshots
    of it at 1280 and 375 px go to tests/output/screenshots/coediting-<name>-*.png."""
    for width, height in ((1280, 900), (375, 812)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(
            path=str(OUTPUT / "screenshots" / f"coediting-{name}-{width}.png"), full_page=True
        )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.add_script_tag(path=str(axe_source))
    return page.evaluate(_AXE_RUN, AXE_TAGS)


def test_invite_accept_in_another_browser_and_edit(hub, new_context, expect, dialogs, axe_source):
    owner_email = "olga@example.org"
    confirm = hub.confirmation_path(owner_email, "Olga Owner")
    item = hub.create_submission(owner_email, status="draft", title="Shared draft")
    # bypass_csp: axe-core goes in as an inline script, which the hub's policy blocks
    # (test_security_headers.py checks the policy itself).
    owner = new_context(bypass_csp=True).new_page()
    owner.goto(confirm)  # the owner's address is confirmed (which logs in): they may invite
    click_and_wait(owner, "main form button[type=submit]")
    owner.goto(f"/my/{item['id']}")
    owner.fill("#email", "amina@example.org")
    click_and_wait(owner, "form[action$='/invite'] button[type=submit]")
    assert "Invitation sent to amina@example.org" in flash_text(owner)
    expect(owner.locator("#people")).to_contain_text("amina@example.org")
    assert axe_violations(owner, axe_source, "people-owner") == []

    # The colleague opens the mailed link in a browser of their own, without an account.
    link = hub.mailed_link("amina@example.org", "/invitation/")
    colleague = new_context(bypass_csp=True).new_page()
    colleague.goto(link)
    expect(colleague.locator("h1")).to_have_text("Invitation to co-edit")
    expect(colleague.locator("main")).to_contain_text("Log in, or register, to accept.")
    assert axe_violations(colleague, axe_source, "invitation") == []
    register(colleague, hub, "amina@example.org", name="Amina Diallo")
    colleague.goto(link)
    click_and_wait(colleague, "button[value=accept]")
    assert "You are now a co-editor" in flash_text(colleague)
    expect(colleague.locator("#people")).to_contain_text("Amina Diallo")
    assert axe_violations(colleague, axe_source, "people-co-editor") == []

    click_and_wait(colleague, "main a.button:has-text('Edit')")
    colleague.fill("#title", "Shared draft, improved")
    click_and_wait(colleague, "button[value=draft]")
    assert "Changes saved" in flash_text(colleague)

    owner.reload()
    expect(owner.locator("main h1")).to_have_text("Shared draft, improved")
    expect(owner.locator("main .history")).to_contain_text("edited by Amina Diallo")
    # The owner hands the submission over (the page asks first: the dialog is accepted).
    click_and_wait(owner, "form[action$='/hand-over'] button")
    assert "Amina Diallo now owns this submission" in flash_text(owner)
    assert any("Make Amina Diallo the owner" in message for message in dialogs.seen)
    assert [r["title"] for r in hub.submissions_of("amina@example.org")] == [
        "Shared draft, improved"
    ]
