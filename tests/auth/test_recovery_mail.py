"""The reset flow through a real SMTP server (aiosmtpd on a free local port): the link that
arrives sets a new password, and the notices about it arrive too."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from helpers import NEW_PASSWORD, PASSWORD, Browser, expect, is_logged_in


class Inbox:
    """What the SMTP server accepts, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[Controller]:
    """A real SMTP server on a free local port."""
    controller = Controller(Inbox(), hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def app_config(app_config: dict, smtp: Controller) -> dict:
    """Settings of a hub that sends through `smtp`."""
    app_config.update(
        HUB_MAIL_SERVER="127.0.0.1",
        HUB_MAIL_PORT=smtp.port,
        HUB_MAIL_TIMEOUT_SECONDS=2,
        HUB_BASE_URL="https://hub.example.org",
        HUB_MAIL_SENDER="Partnerships Hub <no-reply@hub.example.org>",
    )
    return app_config


@pytest.fixture
def inbox(smtp: Controller) -> Inbox:
    """What the SMTP server received."""
    return smtp.handler


def text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def test_a_reset_link_arrives_and_sets_a_new_password(inbox, app, create_user):
    create_user(email="ada@example.org", name="Ada Lovelace")
    old_laptop = Browser(app)
    old_laptop.post("/account/login", data={"email": "ada@example.org", "password": PASSWORD})
    browser = Browser(app)

    # Each request delivers what it queued once its response is closed (no sender loop).
    browser.post("/account/forgot", data={"email": "ada@example.org"}).close()
    browser.post("/account/forgot", data={"email": "nobody@example.org"}).close()

    [reset] = inbox.to("ada@example.org")
    assert reset["Subject"] == "Set a new password for Partnerships Hub"
    body = text(reset)
    assert "Hello Ada Lovelace," in body and "within one hour" in body
    link = re.search(r"https://hub\.example\.org(/account/reset/\S+)", body)
    assert link, body
    [other] = inbox.to("nobody@example.org")
    assert other["Subject"] == reset["Subject"]
    assert "/account/reset/" not in text(other) and "has no account" in text(other)

    response = browser.post(link.group(1), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    expect(response, 302)
    response.close()

    assert is_logged_in(browser) and not is_logged_in(old_laptop)
    [_, notice] = inbox.to("ada@example.org")
    assert notice["Subject"] == "Your Partnerships Hub password was changed"
    assert "was reset with a link sent to this address" in text(notice)
