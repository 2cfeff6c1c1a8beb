"""A forgotten password: the forgot page answers the same whatever the address, the mailed
link sets a new password once within an hour, and every other session then ends."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from itsdangerous import URLSafeTimedSerializer

from hub.audit.models import Action

from helpers import (
    NEW_PASSWORD,
    PASSWORD,
    Browser,
    events,
    expect,
    field_error,
    field_value,
    is_logged_in,
    outbox,
    page_text,
    stored_user,
)

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
EMAIL = "grace@example.org"


def reset_link(app: Flask, email: str = EMAIL) -> str:
    """The path of the last reset link mailed to `email`."""
    [*_, mail] = [m for m in outbox(app) if m.to_addr == email]
    found = re.search(r"http://127\.0\.0\.1:5000(/account/reset/\S+)", mail.body)
    assert found, mail.body
    return found.group(1)


def ask(browser: Browser, email: str) -> tuple[int, str, str, str]:
    """Status, redirect, raw body of the answer, and the text of the page it leads to."""
    response = browser.post("/account/forgot", data={"email": email})
    page = browser.get(response.location) if response.status_code == 302 else response
    return response.status_code, response.location or "", response.text, page_text(page.text)


def new_password(browser: Browser, link: str, password: str = NEW_PASSWORD, confirm=None):
    return browser.post(link, data={"password": password, "confirm": confirm or password})


def can_log_in(app: Flask, password: str, email: str = EMAIL) -> bool:
    response = Browser(app).post("/account/login", data={"email": email, "password": password})
    return response.status_code == 302


# --- Asking for a link --------------------------------------------------------------------


def test_the_login_page_links_to_the_forgot_page(app):
    page = expect(Browser(app).get("/account/login"), 200).text
    assert re.search(r'<a href="/account/forgot">Forgot your password\?</a>', page)
    expect(Browser(app).get("/account/forgot"), 200)


@pytest.mark.parametrize("typed", [EMAIL, "GRACE@example.org ", " grace@EXAMPLE.org"])
def test_forgot_answers_the_same_whether_or_not_the_address_has_an_account(app, create_user, typed):
    create_user(email=EMAIL)
    other = typed.replace("grace", "nobody").replace("GRACE", "NOBODY")

    known = ask(Browser(app), typed)
    unknown = ask(Browser(app), other)

    assert known[:3] == unknown[:3]  # status, address and body of the answer are identical
    assert known[:2] == (302, "/account/forgot/sent")
    assert known[3] == unknown[3].replace("nobody@example.org", EMAIL)
    assert f"We sent a message to {EMAIL} . If an account uses this address" in known[3]


def test_forgot_does_the_same_work_either_way_one_mail_each(app, create_user):
    create_user(email=EMAIL)

    ask(Browser(app), EMAIL)
    ask(Browser(app), "nobody@example.org")

    known, unknown = outbox(app)
    assert (known.to_addr, unknown.to_addr) == (EMAIL, "nobody@example.org")
    assert known.subject == unknown.subject
    assert "/account/reset/" in known.body and "within one hour" in known.body
    # The address without an account gets no link that changes anything.
    assert "/account/reset/" not in unknown.body
    assert "has no account" in unknown.body


@pytest.mark.parametrize("typed", ["", "not-an-address", "a@b@c"])
def test_forgot_with_a_bad_address_says_so_and_keeps_it(app, typed):
    response = expect(Browser(app).post("/account/forgot", data={"email": typed}), 422)

    assert field_error(response.text, "email")
    assert field_value(response.text, "email") == typed
    assert outbox(app) == []


def test_forgot_is_throttled_like_login(make_app, create_user):
    app = make_app(
        HUB_RATELIMIT_ENABLED=True,
        HUB_RATELIMIT_PASSWORD="2 per 15 minutes per account; 50 per 15 minutes per IP",
    )
    create_user(email=EMAIL)
    browser = Browser(app)
    for _ in range(2):
        expect(browser.post("/account/forgot", data={"email": EMAIL}), 302)

    response = expect(browser.post("/account/forgot", data={"email": EMAIL}), 429)

    assert "Too many attempts" in page_text(response.text)
    assert field_value(response.text, "email") == EMAIL
    assert response.headers["Retry-After"]
    assert len(outbox(app)) == 2


# --- The link -----------------------------------------------------------------------------


def test_the_link_sets_a_new_password_logs_in_and_ends_every_other_session(app, create_user):
    create_user(email=EMAIL)
    laptop = Browser(app, stored_user(app, EMAIL))  # left logged in somewhere
    ask(Browser(app), EMAIL)
    link = reset_link(app)
    browser = Browser(app)

    page = expect(browser.get(link), 200)
    assert "Choose a new password" in page.text
    assert can_log_in(app, PASSWORD)  # opening the link changes nothing

    response = expect(new_password(browser, link), 302)

    assert response.location == "/my/"
    assert "Your new password is set" in browser.get("/my/").text
    assert is_logged_in(browser)
    assert not is_logged_in(laptop)
    assert can_log_in(app, NEW_PASSWORD) and not can_log_in(app, PASSWORD)
    [event] = [e for e in events(app) if e.action is Action.PASSWORD_RESET]
    assert event.subject_user_id == stored_user(app, EMAIL).id
    notice = outbox(app)[-1]
    assert notice.to_addr == EMAIL and notice.kind == "password_changed"


def test_a_used_link_says_so_and_changes_nothing(app, create_user):
    create_user(email=EMAIL)
    ask(Browser(app), EMAIL)
    link = reset_link(app)
    expect(new_password(Browser(app), link), 302)
    again = Browser(app)

    for response in (again.get(link), new_password(again, link, "yet another password 42")):
        assert response.status_code == 410
        text = page_text(response.text)
        assert "already been used" in text and "Nothing was changed" in text
        assert 'href="/account/forgot"' in response.text

    assert can_log_in(app, NEW_PASSWORD)
    assert not is_logged_in(again)


def test_a_link_is_spent_when_the_password_changes_another_way(app, create_user):
    create_user(email=EMAIL)
    ask(Browser(app), EMAIL)
    first = reset_link(app)
    ask(Browser(app), EMAIL)
    second = reset_link(app)
    expect(new_password(Browser(app), second), 302)

    expect(Browser(app).get(first), 410)


@pytest.mark.parametrize(("minutes", "status"), [(59, 200), (61, 410)])
def test_a_link_expires_after_one_hour(app, create_user, clock, minutes, status):
    clock.freeze(NOW)
    create_user(email=EMAIL)
    ask(Browser(app), EMAIL)
    link = reset_link(app)
    clock.freeze(NOW + timedelta(minutes=minutes))
    browser = Browser(app)

    response = new_password(browser, link)

    if status == 410:
        assert response.status_code == 410
        text = page_text(response.text)
        assert "expired" in text and "one hour" in text
        assert 'href="/account/forgot"' in response.text
        assert can_log_in(app, PASSWORD) and not is_logged_in(browser)
    else:
        assert response.status_code == 302 and can_log_in(app, NEW_PASSWORD)


def _forged(app: Flask, link: str, how: str) -> str:
    if how == "truncated":
        return link[:-5]
    if how == "garbage":
        return "/account/reset/not-a-token-at-all"
    user = stored_user(app, EMAIL)
    key, salt = {
        "other-key": ("not-the-key", "hub-reset-password"),
        "confirm-link": ("test-secret", "hub-confirm-email"),  # a link for another purpose
    }[how]
    return "/account/reset/" + URLSafeTimedSerializer(key, salt=salt).dumps([user.id, user.email])


@pytest.mark.parametrize("how", ["truncated", "garbage", "other-key", "confirm-link"])
def test_a_forged_or_truncated_link_is_refused_and_changes_nothing(app, create_user, how):
    create_user(email=EMAIL)
    ask(Browser(app), EMAIL)
    link = _forged(app, reset_link(app), how)
    browser = Browser(app)

    for response in (browser.get(link), new_password(browser, link)):
        assert response.status_code == 400
        text = page_text(response.text)
        assert "not valid" in text and "Nothing was changed" in text

    assert can_log_in(app, PASSWORD) and not is_logged_in(browser)


@pytest.mark.parametrize(
    ("password", "confirm", "field", "error"),
    [
        ("short", "short", "password", "Use at least"),
        (NEW_PASSWORD, "something else entirely", "confirm", "The two passwords differ."),
        ("", "", "password", "This field is required."),
    ],
)
def test_a_weak_or_mistyped_password_is_refused_and_the_link_still_works(
    app, create_user, password, confirm, field, error
):
    create_user(email=EMAIL)
    ask(Browser(app), EMAIL)
    link = reset_link(app)
    browser = Browser(app)

    response = expect(new_password(browser, link, password, confirm), 422)

    assert error in field_error(response.text, field)
    assert can_log_in(app, PASSWORD) and not is_logged_in(browser)
    expect(new_password(browser, link), 302)


def test_a_reset_confirms_an_unconfirmed_address(app, create_user):
    create_user(email=EMAIL, confirmed=False)
    ask(Browser(app), EMAIL)

    expect(new_password(Browser(app), reset_link(app)), 302)

    assert stored_user(app, EMAIL).email_confirmed_at is not None
