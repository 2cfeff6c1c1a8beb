"""The reset flow through a real SMTP server (aiosmtpd on a free local port): the link that
arrives sets a new password, and the notices about it arrive too."""

from __future__ import annotations

import re

import pytest

from helpers import NEW_PASSWORD, PASSWORD, Browser, expect, is_logged_in, mail_text

# The hub sends through the test SMTP server (tests/conftest.py app_config).
pytestmark = pytest.mark.smtp


@pytest.fixture
def app_config(app_config: dict) -> dict:
    """The test server's settings, with the hub's own sender."""
    app_config.update(HUB_MAIL_SENDER="Partnerships Hub <no-reply@hub.example.org>")
    return app_config


def test_a_reset_link_arrives_and_sets_a_new_password(smtp_inbox, app, create_user):
    create_user(email="ada@example.org", name="Ada Lovelace")
    old_laptop = Browser(app)
    old_laptop.post("/account/login", data={"email": "ada@example.org", "password": PASSWORD})
    browser = Browser(app)

    # Each request delivers what it queued once its response is closed (no sender loop).
    browser.post("/account/forgot", data={"email": "ada@example.org"}).close()
    browser.post("/account/forgot", data={"email": "nobody@example.org"}).close()

    [reset] = smtp_inbox.to("ada@example.org")
    assert reset["Subject"] == "Set a new password for Partnerships Hub"
    body = mail_text(reset)
    assert "Hello Ada Lovelace," in body and "within one hour" in body
    link = re.search(r"https://hub\.example\.org(/account/reset/\S+)", body)
    assert link, body
    [other] = smtp_inbox.to("nobody@example.org")
    assert other["Subject"] == reset["Subject"]
    assert "/account/reset/" not in mail_text(other) and "has no account" in mail_text(other)

    response = browser.post(link.group(1), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    expect(response, 302)
    response.close()

    assert is_logged_in(browser) and not is_logged_in(old_laptop)
    [_, notice] = smtp_inbox.to("ada@example.org")
    assert notice["Subject"] == "Your Partnerships Hub password was changed"
    assert "was reset with a link sent to this address" in mail_text(notice)
