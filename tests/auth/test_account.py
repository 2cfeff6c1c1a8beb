"""The account page: details and language, which mails, a new password (the current one
first), a new address (confirmed at that address, the old one told), log out everywhere."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from itsdangerous import URLSafeTimedSerializer

from hub.audit.models import Action
from hub.auth.models import Role, User
from hub.extensions import db
from hub.moderation.digest import queue_moderator_digest

from helpers import (
    NEW_PASSWORD,
    PASSWORD,
    Browser,
    events,
    expect,
    field_error,
    field_value,
    flash_messages,
    is_logged_in,
    outbox,
    page_text,
    stored_user,
)

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
EMAIL = "grace@example.org"
NEW_EMAIL = "grace.hopper@example.net"


@pytest.fixture
def grace(app, create_user) -> User:
    return create_user(email=EMAIL, name="Grace Hopper")


def change_link(app: Flask, to: str = NEW_EMAIL) -> str:
    """The path of the last address-change link mailed to `to`."""
    [*_, mail] = [m for m in outbox(app) if m.to_addr == to]
    found = re.search(r"http://127\.0\.0\.1:5000(/account/email/\S+)", mail.body)
    assert found, mail.body
    return found.group(1)


def can_log_in(app: Flask, email: str, password: str) -> bool:
    response = Browser(app).post("/account/login", data={"email": email, "password": password})
    return response.status_code == 302


def profile(**overrides: str) -> dict[str, str]:
    return {
        "display_name": "Grace B. Hopper",
        "organisation": "Navy",
        "language": "en",
        **overrides,
    }


# --- The page -----------------------------------------------------------------------------


def test_the_account_page_needs_a_login_and_is_linked_from_the_header(app, grace):
    assert Browser(app).get("/account/settings").location.startswith("/account/login")
    browser = Browser(app, grace)

    header = browser.get("/my/").text
    page = expect(browser.get("/account/settings"), 200).text

    assert '<a href="/account/settings">Your account</a>' in header
    text = page_text(page)
    for heading in ("About you", "E-mails from the hub", "Your e-mail address", "Password"):
        assert heading in text
    assert field_value(page, "display_name") == "Grace Hopper"
    assert f"You log in with {EMAIL} ." in text


def test_details_and_language_are_saved_and_the_page_follows_the_language(app, grace):
    browser = Browser(app, grace)

    response = expect(browser.post("/account/settings/profile", data=profile(language="fr")), 302)

    assert response.location == "/fr/account/settings"
    user = stored_user(app, EMAIL)
    assert (user.display_name, user.organisation, user.language) == (
        "Grace B. Hopper",
        "Navy",
        "fr",
    )
    assert '<html lang="fr"' in browser.get("/account/settings").text


@pytest.mark.parametrize(
    ("field", "typed", "error"),
    [
        ("display_name", "   ", "This field is required."),
        ("display_name", "x" * 121, "120"),
        ("organisation", "y" * 201, "200"),
        ("language", "xx", "Not a valid choice"),
    ],
)
def test_bad_details_are_refused_and_what_was_typed_comes_back(app, grace, field, typed, error):
    browser = Browser(app, grace)

    response = expect(
        browser.post("/account/settings/profile", data=profile(**{field: typed})), 422
    )

    assert error in field_error(response.text, field)
    if field != "language":
        assert field_value(response.text, field) == typed.strip()
    assert stored_user(app, EMAIL).display_name == "Grace Hopper"


def test_reminders_can_be_turned_off_and_a_submitter_has_no_digest_to_choose(app, grace):
    browser = Browser(app, grace)
    page = browser.get("/account/settings").text
    assert 'name="reminders"' in page and 'name="digest"' not in page

    expect(browser.post("/account/settings/notifications", data={"digest": "y"}), 302)

    user = stored_user(app, EMAIL)
    assert user.notify_reminders is False
    assert user.notify_digest is True  # not a moderator: nothing to change there


def test_a_moderator_who_turns_the_digest_off_gets_none(app, create_user, create_submission_for):
    mona = create_user(role=Role.MODERATOR, email="mona@example.org")
    create_user(role=Role.MODERATOR, email="max@example.org")
    browser = Browser(app, mona)
    expect(browser.post("/account/settings/notifications", data={"reminders": "y"}), 302)
    create_submission_for(create_user(), status="submitted")

    with app.app_context():
        queue_moderator_digest()
        db.session.commit()

    digests = [m.to_addr for m in outbox(app) if m.kind == "digest"]
    assert "max@example.org" in digests and "mona@example.org" not in digests
    assert stored_user(app, "mona@example.org").notify_reminders is True


# --- A new password -----------------------------------------------------------------------


def change_password(browser: Browser, current: str = PASSWORD, new: str = NEW_PASSWORD, **extra):
    data = {"current_password": current, "password": new, "confirm": new, **extra}
    return browser.post("/account/settings/password", data=data)


def test_a_new_password_keeps_this_session_and_ends_the_others(app, grace):
    browser, phone = Browser(app, grace), Browser(app, grace)

    expect(change_password(browser), 302)

    assert "Your password is changed" in " ".join(flash_messages(browser.get("/account/settings")))
    assert is_logged_in(browser) and not is_logged_in(phone)
    assert can_log_in(app, EMAIL, NEW_PASSWORD) and not can_log_in(app, EMAIL, PASSWORD)
    assert [e.action for e in events(app)][-1] is Action.PASSWORD_CHANGED
    assert outbox(app)[-1].kind == "password_changed" and outbox(app)[-1].to_addr == EMAIL


@pytest.mark.parametrize(
    ("current", "new", "confirm", "field", "error"),
    [
        ("wrong password", NEW_PASSWORD, NEW_PASSWORD, "current_password", "not your current"),
        (PASSWORD, "short", "short", "password", "Use at least"),
        (PASSWORD, NEW_PASSWORD, "another thing", "confirm", "The two passwords differ."),
        ("", NEW_PASSWORD, NEW_PASSWORD, "current_password", "This field is required."),
    ],
)
def test_a_wrong_current_or_weak_new_password_changes_nothing(
    app, grace, current, new, confirm, field, error
):
    browser, phone = Browser(app, grace), Browser(app, grace)

    response = expect(change_password(browser, current, new, confirm=confirm), 422)

    assert error in field_error(response.text, field)
    assert 'value="' + PASSWORD not in response.text  # passwords are never sent back
    assert can_log_in(app, EMAIL, PASSWORD) and is_logged_in(phone)
    assert outbox(app) == []


def test_password_changes_are_throttled(make_app, create_user):
    app = make_app(HUB_RATELIMIT_ENABLED=True, HUB_RATELIMIT_PASSWORD="2 per hour per account")
    browser = Browser(app, create_user(email=EMAIL))
    for _ in range(2):
        expect(change_password(browser, "wrong guess"), 422)

    response = expect(change_password(browser), 429)

    assert "Too many attempts" in page_text(response.text)
    assert can_log_in(app, EMAIL, PASSWORD)


# --- A new address ------------------------------------------------------------------------


def change_email(browser: Browser, new: str = NEW_EMAIL, password: str = PASSWORD):
    return browser.post(
        "/account/settings/email", data={"new_email": new, "email_password": password}
    )


def test_a_new_address_changes_only_when_its_link_is_opened_and_the_old_one_is_told(app, grace):
    browser = Browser(app, grace)

    expect(change_email(browser, "Grace.Hopper@Example.NET"), 302)

    assert stored_user(app, EMAIL) is not None  # nothing changed yet
    sent = {m.to_addr: m for m in outbox(app)}
    assert set(sent) == {EMAIL, NEW_EMAIL}
    assert "/account/email/" not in sent[EMAIL].body  # the old address cannot confirm it
    assert NEW_EMAIL in sent[EMAIL].body and "Nothing changes until" in sent[EMAIL].body
    link = change_link(app)
    page = expect(Browser(app).get(link), 200)  # opened on another device, e.g. a phone
    assert "Use this address" in page.text and stored_user(app, NEW_EMAIL) is None

    expect(browser.post(link), 302)

    user = stored_user(app, NEW_EMAIL)
    assert user is not None and user.email_confirmed_at is not None
    assert stored_user(app, EMAIL) is None
    assert can_log_in(app, NEW_EMAIL, PASSWORD) and not can_log_in(app, EMAIL, PASSWORD)
    told = outbox(app)[-1]
    assert (told.to_addr, told.kind) == (EMAIL, "address_changed")
    actions = [e.action for e in events(app)]
    assert actions[-2:] == [Action.EMAIL_CHANGE_REQUESTED, Action.EMAIL_CHANGED]


@pytest.mark.parametrize(
    ("new", "password", "field", "error"),
    [
        (NEW_EMAIL, "wrong password", "email_password", "not your current"),
        ("taken@example.org", PASSWORD, "new_email", "Another account uses this address"),
        ("GRACE@example.org", PASSWORD, "new_email", "already your address"),
        ("not an address", PASSWORD, "new_email", "valid e-mail"),
    ],
)
def test_a_refused_address_change_sends_nothing(
    app, grace, create_user, new, password, field, error
):
    create_user(email="taken@example.org")
    browser = Browser(app, grace)

    response = expect(change_email(browser, new, password), 422)

    assert error in field_error(response.text, field)
    assert field_value(response.text, "new_email") == new
    assert outbox(app) == []
    assert stored_user(app, EMAIL) is not None


def test_a_used_expired_or_forged_change_link_changes_nothing(app, grace, clock):
    clock.freeze(NOW)
    browser = Browser(app, grace)
    change_email(browser)
    link = change_link(app)

    clock.freeze(NOW + timedelta(hours=49))
    assert "expired" in page_text(expect(browser.post(link), 410).text)
    forged = URLSafeTimedSerializer("not-the-key", salt="hub-change-email").dumps(
        [grace.id, EMAIL, "mallory@example.org", "x"]
    )
    expect(browser.post(f"/account/email/{forged}"), 400)
    expect(browser.post(link[:-6]), 400)
    assert stored_user(app, EMAIL) is not None

    clock.freeze(NOW + timedelta(hours=1))
    expect(browser.post(link), 302)
    assert "already been used" in page_text(expect(browser.post(link), 410).text)


def test_a_new_password_cancels_a_pending_address_change(app, grace):
    browser = Browser(app, grace)
    change_email(browser)
    link = change_link(app)

    change_password(browser)

    expect(Browser(app).post(link), 410)
    assert stored_user(app, EMAIL) is not None


def test_an_address_taken_meanwhile_is_not_changed(app, grace, create_user):
    browser = Browser(app, grace)
    change_email(browser)
    create_user(email=NEW_EMAIL)

    response = expect(browser.post(change_link(app)), 409)

    assert "Another account now uses" in page_text(response.text)
    assert stored_user(app, EMAIL) is not None


# --- Forms and sessions ---------------------------------------------------------------------


def test_an_expired_form_keeps_what_was_typed(make_app, create_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    user = create_user(email=EMAIL)
    browser = Browser(app)
    page = browser.get("/account/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]*)"', page).group(1)
    browser.post("/account/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})

    response = expect(browser.post("/account/settings/profile", data=profile()), 400)

    assert "This form had expired" in page_text(response.text)
    assert field_value(response.text, "display_name") == "Grace B. Hopper"
    assert stored_user(app, user.email).display_name == "Test User"


def test_log_out_everywhere_is_on_the_account_page_and_ends_this_session_too(app, grace):
    browser, phone = Browser(app, grace), Browser(app, grace)
    page = browser.get("/account/settings").text
    assert re.search(r'<form method="post" action="/account/logout-everywhere"', page)

    expect(browser.post("/account/logout-everywhere"), 302)

    assert not is_logged_in(browser) and not is_logged_in(phone)
