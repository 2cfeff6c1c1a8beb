"""Deleting an account in Chromium: register, submit, get published, delete the account
keeping the submission without personal data; the public page still works."""

from __future__ import annotations

from browser_steps import (
    COMPLETE_FORM,
    axe_violations,
    click_and_wait,
    decide,
    fill_submission,
    flash_text,
    login,
    register,
)
from helpers import PASSWORD


def test_delete_account_keeping_a_published_submission(hub, new_context, expect, axe_source):
    """The person chooses "keep": the page stays public with the organisation as contact."""
    email = "amina@example.org"
    me = new_context(bypass_csp=True).new_page()  # axe-core is injected as a script
    register(me, hub, email)
    me.goto("/submit/initiative")
    fill_submission(me, **COMPLETE_FORM)
    click_and_wait(me, "button[value=submit]")
    [row] = hub.submissions_of(email)

    moderator = new_context().new_page()
    login(moderator, hub.create_user("moderator"))
    moderator.goto(f"/moderation/{row['id']}")
    decide(moderator, "approve")
    [row] = hub.submissions_of(email)
    assert row["status"] == "approved"

    me.goto("/my/")
    click_and_wait(me, "main a[href$='/account/delete']")
    expect(me.locator("h1")).to_have_text("Delete my account")
    assert axe_violations(me, axe_source) == []
    click_and_wait(me, "main form button[type=submit]")  # nothing chosen, no password
    expect(me.locator(".error-summary")).to_be_visible()
    assert axe_violations(me, axe_source) == []
    me.check(f"#choice_{row['id']}-keep")
    me.fill("#password", PASSWORD)
    click_and_wait(me, "main form button[type=submit]")
    assert "Your account is deleted" in flash_text(me)
    me.goto("/my/")
    expect(me.locator("h1")).to_have_text("Log in")  # logged out

    visitor = new_context(bypass_csp=True).new_page()
    visitor.goto(f"/s/{row['slug']}")
    expect(visitor.locator("h1")).to_have_text(COMPLETE_FORM["title"])
    expect(visitor.locator("main")).to_contain_text(COMPLETE_FORM["lead_organisation"])
    expect(visitor.locator("main")).not_to_contain_text("Amina Diallo")
    visitor.goto("/privacy")
    expect(visitor.locator("h1")).to_have_text("Privacy notice")
    assert axe_violations(visitor, axe_source) == []
