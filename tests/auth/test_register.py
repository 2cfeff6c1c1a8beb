"""Registering tells nobody whether an address has an account: the same answer, the same
work and one mail either way; a new address is confirmed by a signed, single-use link."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from hub.extensions import db
from hub.mail.models import OutboxMail

from helpers import (
    NEW_PASSWORD,
    Browser,
    expect,
    is_logged_in,
    outbox,
    page_text,
    register_form,
    stored_user,
    user_count,
)

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
CHECK_INBOX = (
    "Check your inbox: we sent a link to {} to confirm it and log you in. "
    "You can also log in now with your password."
)


def answer(browser: Browser, **form: str) -> tuple[int, str, str]:
    """Status, redirect and the text of the page it leads to, after registering."""
    response = browser.post("/account/register", data=register_form(**form))
    page = browser.get(response.location) if response.status_code == 302 else response
    return response.status_code, response.location or "", page_text(page.text)


def confirmation_link(app: Flask, email: str) -> str:
    """The path of the confirmation link mailed to `email` (the last one)."""
    [*_, mail] = [m for m in outbox(app) if m.to_addr == email]
    found = re.search(r"http://127\.0\.0\.1:5000(/account/confirm/\S+)", mail.body)
    assert found, mail.body
    return found.group(1)


def confirmed_at(app: Flask, email: str) -> datetime | None:
    user = stored_user(app, email)
    assert user is not None
    return user.email_confirmed_at


# --- The same answer either way ------------------------------------------------------------


@pytest.mark.parametrize("typed", ["grace@example.org", "GRACE@EXAMPLE.ORG", " Grace@Example.org"])
def test_register_answers_the_same_whether_the_address_has_an_account_or_not(
    app, create_user, typed
):
    create_user(email="grace@example.org", name="Grace Original")

    taken = answer(Browser(app), email=typed, display_name="Second Grace")
    fresh = answer(Browser(app), email=re.sub("grace", "hopper", typed, flags=re.I))

    assert taken[:2] == fresh[:2] == (302, "/account/register/sent")
    assert CHECK_INBOX.format("grace@example.org") in taken[2]
    assert taken[2] == fresh[2].replace("hopper@example.org", "grace@example.org")
    assert "exists" not in taken[2]
    assert user_count(app) == 2  # the taken address got no second account
    assert stored_user(app, "grace@example.org").display_name == "Grace Original"


def test_register_does_the_same_work_either_way(app, create_user, monkeypatch):
    """One password hash and one queued mail whether or not the address has an account, so
    the time taken tells nothing either."""
    import hub.auth.operations

    hashed: list[str] = []
    real = hub.auth.operations.hash_password
    monkeypatch.setattr(hub.auth.operations, "hash_password", lambda p: hashed.append(p) or real(p))
    create_user(email="grace@example.org")
    hashed.clear()

    for email in ("grace@example.org", "hopper@example.org"):
        before = len(outbox(app))
        expect(Browser(app).post("/account/register", data=register_form(email=email)), 302)
        assert len(hashed) == 1, email
        assert len(outbox(app)) == before + 1, email
        hashed.clear()


def test_the_owner_of_a_taken_address_is_told_and_nothing_reaches_the_requester(app, create_user):
    create_user(email="grace@example.org", name="Grace Original", confirmed=False)
    browser = Browser(app)

    browser.post(
        "/account/register",
        data=register_form(display_name="Mallory <b>Spam</b>", organisation="Buy now"),
    )

    [mail] = outbox(app)
    assert mail.to_addr == "grace@example.org"
    assert "someone (perhaps you) tried to register" in mail.body.lower()
    assert "/account/login" in mail.body
    # Nothing the requester typed is mailed (no spam through the hub), no link logs in.
    assert "Mallory" not in mail.body and "Buy now" not in mail.body
    assert "/account/confirm/" not in mail.body
    assert not is_logged_in(browser)
    assert stored_user(app, "grace@example.org").email_confirmed_at is None


def test_registering_creates_an_unconfirmed_account_and_does_not_log_in(app):
    browser = Browser(app)

    status, location, text = answer(browser)

    assert (status, location) == (302, "/account/register/sent")
    assert CHECK_INBOX.format("grace@example.org") in text
    assert not is_logged_in(browser)
    user = stored_user(app, "grace@example.org")
    assert user is not None and user.email_confirmed_at is None
    [mail] = outbox(app)
    assert mail.to_addr == "grace@example.org"
    assert "Grace Hopper" in mail.body
    assert "48 hours" in mail.body


def test_login_with_an_unconfirmed_address_works(app):
    Browser(app).post("/account/register", data=register_form())

    browser = Browser(app)
    response = browser.post(
        "/account/login", data={"email": "grace@example.org", "password": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert is_logged_in(browser)


# --- The confirmation link -------------------------------------------------------------------


def test_the_confirmation_link_confirms_the_address_and_logs_in(app, clock):
    clock.freeze(NOW)
    Browser(app).post("/account/register", data=register_form())
    link = confirmation_link(app, "grace@example.org")
    browser = Browser(app)  # perhaps another device than the one that registered

    page = expect(browser.get(link), 200)
    assert "Confirm your address" in page.text
    assert confirmed_at(app, "grace@example.org") is None  # opening the link changes nothing

    response = expect(browser.post(link), 302)

    assert response.location == "/my/"
    assert "Your address is confirmed" in browser.get("/my/").text
    assert is_logged_in(browser)
    seen = confirmed_at(app, "grace@example.org")
    assert (seen if seen.tzinfo else seen.replace(tzinfo=UTC)) == NOW


def test_a_used_link_says_so_and_changes_nothing(app, clock):
    clock.freeze(NOW)
    Browser(app).post("/account/register", data=register_form())
    link = confirmation_link(app, "grace@example.org")
    Browser(app).post(link)
    first = confirmed_at(app, "grace@example.org")
    clock.freeze(NOW + timedelta(hours=1))
    again = Browser(app)

    for response in (again.get(link), again.post(link)):
        assert response.status_code == 410
        assert "already been used" in page_text(response.text)
        assert "/account/login" in response.text

    assert not is_logged_in(again)
    assert confirmed_at(app, "grace@example.org") == first


@pytest.mark.parametrize(("hours", "status"), [(47.9, 200), (48.1, 410)])
def test_a_link_expires_after_48_hours(app, clock, hours, status):
    clock.freeze(NOW)
    Browser(app).post("/account/register", data=register_form())
    link = confirmation_link(app, "grace@example.org")
    clock.freeze(NOW + timedelta(hours=hours))
    browser = Browser(app)

    expect(browser.get(link), status)
    response = browser.post(link)

    if status == 410:
        assert response.status_code == 410
        assert "expired" in page_text(response.text)
        assert confirmed_at(app, "grace@example.org") is None
        assert not is_logged_in(browser)
    else:
        assert response.status_code == 302
        assert confirmed_at(app, "grace@example.org") is not None


def _forged(app: Flask, link: str, how: str) -> str:
    from itsdangerous import URLSafeTimedSerializer

    token = link.rsplit("/", 1)[1]
    if how == "truncated":
        return link[:-4]
    user = stored_user(app, "grace@example.org")
    keys = {"other-key": ("not-the-key", "hub-confirm-email"), "other-salt": ("test-secret", "x")}
    if how in keys:  # the right content, signed with the wrong key or for another purpose
        key, salt = keys[how]
        forged = URLSafeTimedSerializer(key, salt=salt).dumps([user.id, user.email])
        return f"/account/confirm/{forged}"
    assert token
    return "/account/confirm/not-a-token-at-all"


@pytest.mark.parametrize("how", ["truncated", "other-key", "other-salt", "garbage"])
def test_a_forged_or_truncated_link_is_refused_and_changes_nothing(app, how):
    Browser(app).post("/account/register", data=register_form())
    link = _forged(app, confirmation_link(app, "grace@example.org"), how)
    browser = Browser(app)

    for response in (browser.get(link), browser.post(link)):
        assert response.status_code == 400
        text = page_text(response.text)
        assert "not valid" in text and "whole link" in text

    assert confirmed_at(app, "grace@example.org") is None
    assert not is_logged_in(browser)


def test_the_check_inbox_page_offers_to_log_in_and_keeps_where_they_were_going(app):
    browser = Browser(app)
    response = browser.post(
        "/account/register", query_string={"next": "/submit/"}, data=register_form()
    )

    page = browser.get(response.location).text
    assert 'href="/account/login?next=/submit/"' in page.replace("%2F", "/")


def outbox_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMail))


def test_confirmation_mail_goes_out_once_per_registration(app: Flask) -> None:
    Browser(app).post("/account/register", data=register_form())
    assert outbox_count(app) == 1
