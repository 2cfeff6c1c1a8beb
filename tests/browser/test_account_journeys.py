"""Account journeys in Chromium: a forgotten password reset by the mailed link, and a new
account that must confirm its address before submitting. Every page on the way passes
axe-core (WCAG 2.1 A/AA) and the Nu HTML Checker."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from browser_steps import (
    COMPLETE_FORM,
    click_and_wait,
    fill_submission,
    flash_text,
    login,
)
from helpers import PASSWORD
from page_tour import _AXE_RUN, AXE_TAGS

NEW_PASSWORD = "a new and longer passphrase"


class Pages:
    """The pages a journey passed through: axe-core's findings now, their HTML for later."""

    def __init__(self, axe: Path) -> None:
        self.axe = axe
        self.html: dict[str, str] = {}

    def check(self, page: Any, name: str) -> None:
        """Keep the page's HTML for the HTML checker (before axe-core's script joins it), and
        run axe-core on the page as shown."""
        self.html[name] = page.content()
        page.add_script_tag(path=str(self.axe))
        violations = page.evaluate(_AXE_RUN, AXE_TAGS)
        assert violations == [], f"{name}: axe-core found {json.dumps(violations, indent=1)}"

    def validate(self, nu_checker: str, folder: Path) -> None:
        """Run the Nu HTML Checker once over every kept page: no errors."""
        files = []
        for name, html in self.html.items():
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
        errors = [
            f"{Path(m.get('url', '?')).stem}: {m.get('message')} [{m.get('extract', '')}]"
            for m in messages
            if m.get("type") != "info"
        ]
        assert errors == [], "\n".join(errors)


@pytest.fixture
def pages(axe_source: Path) -> Pages:
    return Pages(axe_source)


def test_a_forgotten_password_is_reset_by_the_mailed_link(
    hub, new_context, expect, pages, nu_checker, tmp_path
):
    email = hub.create_user(email="ines@example.org", name="Inès Martín")
    laptop = new_context(bypass_csp=True).new_page()
    login(laptop, email)  # left logged in on another computer
    me = new_context(bypass_csp=True).new_page()

    me.goto("/account/login")
    click_and_wait(me, "a[href='/account/forgot']")
    expect(me.locator("h1")).to_have_text("Forgot your password?")
    me.fill("#email", "not an address")
    click_and_wait(me, "main form button[type=submit]")
    expect(me.locator("#email-field .error")).to_contain_text("valid e-mail")
    pages.check(me, "forgot-with-errors")
    me.fill("#email", email)
    click_and_wait(me, "main form button[type=submit]")
    expect(me.locator("h1")).to_have_text("Check your inbox")
    pages.check(me, "forgot-sent")

    link = hub.mailed_link(email, "/account/reset/")
    me.goto(link)
    expect(me.locator("h1")).to_have_text("Choose a new password")
    pages.check(me, "reset")
    me.fill("#password", "short")
    me.fill("#confirm", "short")
    click_and_wait(me, "main form button[type=submit]")
    expect(me.locator("#error-summary")).to_be_visible()
    pages.check(me, "reset-with-errors")
    me.fill("#password", NEW_PASSWORD)
    me.fill("#confirm", NEW_PASSWORD)
    click_and_wait(me, "main form button[type=submit]")
    assert "Your new password is set" in flash_text(me)
    expect(me.locator("h1")).to_have_text("My submissions")

    laptop.goto("/my/")
    expect(laptop.locator("h1")).to_have_text("Log in")  # the other session has ended
    me.goto(link)  # the link works once
    expect(me.locator("h1")).to_have_text("This link has already been used")
    pages.check(me, "reset-used")

    me.goto("/account/settings")
    expect(me.locator("h1")).to_have_text("Your account")
    pages.check(me, "settings")
    me.fill("#current_password", "not my password")
    me.fill("#password", PASSWORD)
    me.fill("#confirm", PASSWORD)
    click_and_wait(me, "form[action$='/settings/password'] button[type=submit]")
    expect(me.locator("#current_password-field .error")).to_contain_text("not your current")
    pages.check(me, "settings-with-errors")

    pages.validate(nu_checker, tmp_path)


def test_a_new_account_confirms_its_address_before_submitting(
    hub, new_context, expect, pages, nu_checker, tmp_path
):
    email = "kofi@example.org"
    me = new_context(bypass_csp=True).new_page()
    me.goto("/account/register")
    me.fill("#email", email)
    me.fill("#display_name", "Kofi Mensah")
    me.fill("#password", PASSWORD)
    me.fill("#confirm", PASSWORD)
    click_and_wait(me, "form.card button[type=submit]")
    login(me, email)  # logged in, the address not confirmed yet

    me.goto("/my/")
    expect(me.locator("#unconfirmed-notice")).to_contain_text("is not confirmed yet")
    pages.check(me, "mine-unconfirmed")

    me.goto("/submit/")
    click_and_wait(me, "a[href$='/submit/initiative']")
    fill_submission(me, **COMPLETE_FORM)
    click_and_wait(me, "button[value=submit]")
    notice = me.locator("main .notice-error")
    expect(notice).to_contain_text("is not confirmed yet, so nothing was submitted")
    expect(me.locator("#title")).to_have_value(COMPLETE_FORM["title"])  # nothing lost
    pages.check(me, "submit-unconfirmed")
    [row] = hub.submissions_of(email)
    assert row["status"] == "draft"

    click_and_wait(me, "main .notice-error form button[type=submit]")  # send the link again
    assert "We sent a new link" in flash_text(me)

    me.goto(hub.mailed_link(email, "/account/confirm/"))
    click_and_wait(me, "main form button[type=submit]")
    assert "Your address is confirmed" in flash_text(me)
    expect(me.locator("#unconfirmed-notice")).to_have_count(0)

    me.goto(f"/my/{row['id']}/edit")
    click_and_wait(me, "button[value=submit]")
    assert "Submitted" in flash_text(me)
    assert hub.submissions_of(email)[0]["status"] == "submitted"

    pages.validate(nu_checker, tmp_path)
