"""Deleting an account in Chromium: register, submit, get published, delete the account
keeping the submission without personal data; the public page still works."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

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


def nu_html_errors(nu_checker: str, pages: dict[str, str], folder: Path) -> list[str]:
    """The Nu HTML Checker's errors and warnings on pages as served (name -> HTML); a canary
    page with a duplicate id shows the checker really ran."""
    canary = '<!doctype html><html lang="en"><title>c</title><p id="a"></p><p id="a"></p></html>'
    files = []
    for name, html in {**pages, "canary": canary}.items():
        files.append(folder / f"{name}.html")
        files[-1].write_text(html, encoding="utf-8")
    result = subprocess.run(
        [nu_checker, "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    messages = json.loads(result.stdout or '{"messages": []}')["messages"]
    found = [
        (Path(m.get("url", "")).stem, m.get("message", ""))
        for m in messages
        if m.get("type") != "info"
    ]
    assert any(name == "canary" and "Duplicate ID" in text for name, text in found), result
    return [f"{name}: {text}" for name, text in found if name != "canary"]


def test_delete_account_keeping_a_published_submission(
    hub, new_context, expect, axe_source, nu_checker, tmp_path
):
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

    served = {"mine": me.goto("/my/").text(), "export": me.goto("/account/export").text()}
    me.goto("/my/")
    click_and_wait(me, "main a[href$='/account/delete']")
    expect(me.locator("h1")).to_have_text("Delete my account")
    served["delete"] = me.goto("/account/delete").text()
    assert axe_violations(me, axe_source) == []
    with me.expect_navigation() as refused:  # nothing chosen, no password
        me.click("main form button[type=submit]")
    served["delete-refused"] = refused.value.text()
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
    served["privacy"] = visitor.goto("/privacy").text()
    expect(visitor.locator("h1")).to_have_text("Privacy notice")
    assert axe_violations(visitor, axe_source) == []
    assert nu_html_errors(nu_checker, served, tmp_path) == []
