"""Staff in Chromium: an admin turns two-factor authentication on (the QR code and the key on
the page, a code computed from that key), logs out and back in with a code, then gives an
account the moderator role; axe-core checks every new page type on the way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp

from browser_steps import click_and_wait, flash_text, login
from page_tour import _AXE_RUN, AXE_TAGS

T0 = datetime(2026, 12, 1, 9, 0, 0, tzinfo=UTC)


def _no_axe_violations(page: Any, axe_source: Any, name: str) -> None:
    """axe-core's WCAG 2.1 AA rules (the page tour's) find nothing on the page."""
    page.add_script_tag(path=str(axe_source))
    found = page.evaluate(_AXE_RUN, AXE_TAGS)
    assert not found, f"{name}: " + "; ".join(
        f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in found
    )


def test_an_admin_enrols_logs_in_with_a_code_and_grants_a_role(hub, new_context, axe_source):
    admin = hub.create_user("admin", name="Ada Admin")
    colleague = hub.create_user(name="Chen Colleague")
    hub.clock.freeze(T0)
    # bypass_csp: axe-core is added as an inline script, which the hub's policy blocks.
    page = new_context(bypass_csp=True).new_page()
    login(page, admin)

    page.goto("/account/two-factor")
    _no_axe_violations(page, axe_source, "two-factor: off")
    click_and_wait(page, "main form button[type=submit]")  # "Set up two-factor authentication"
    assert page.locator("main svg.qr-code").count() == 1  # drawn in the page, no image fetched
    secret = page.locator("#totp-secret").inner_text().strip()
    _no_axe_violations(page, axe_source, "two-factor: enrol")
    page.fill("#code", pyotp.TOTP(secret).at(T0))
    click_and_wait(page, "main form.card button[type=submit]")
    assert page.locator("h1").inner_text() == "Your recovery codes"
    assert len(page.locator(".recovery-codes code").all_inner_texts()) == 10
    _no_axe_violations(page, axe_source, "two-factor: recovery codes")
    page.goto("/account/two-factor")
    _no_axe_violations(page, axe_source, "two-factor: on")

    click_and_wait(page, ".account-nav form button[type=submit]")  # log out
    hub.clock.freeze(T0 + timedelta(minutes=1))
    login(page, admin)
    assert page.locator("h1").inner_text() == "Two-factor code"
    assert page.locator(".account-nav form").count() == 0  # not logged in between the steps
    _no_axe_violations(page, axe_source, "login: code")
    page.fill("#code", pyotp.TOTP(secret).at(T0 + timedelta(minutes=1)))
    click_and_wait(page, "main form.card button[type=submit]")
    assert "Logged in as Ada Admin" in flash_text(page)

    page.goto("/moderation/")
    click_and_wait(page, "nav.subnav a[href='/admin/accounts']")
    _no_axe_violations(page, axe_source, "admin: accounts")
    page.fill("#a-q", "colleague")
    click_and_wait(page, "form[role=search].filters button[type=submit]")
    click_and_wait(page, f"table a:text('{colleague}')")
    assert page.locator("h1").inner_text() == "Chen Colleague"
    _no_axe_violations(page, axe_source, "admin: account")
    page.select_option("#role", "moderator")
    click_and_wait(page, "main form.card:has(#role) button[type=submit]")
    assert f"{colleague} is now: Moderator." in flash_text(page)
    _no_axe_violations(page, axe_source, "admin: account (after a change)")
