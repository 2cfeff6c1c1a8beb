"""Login sessions end on the server: logout, "log out everywhere", a new id at every login,
and a cookie copied (or planted) by someone else authenticates nothing once it has ended."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from hub.auth.models import User
from hub.extensions import db

from helpers import PASSWORD, Browser, expect

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def is_logged_in(browser: Browser) -> bool:
    """Whether "My submissions" opens rather than sending to the login page."""
    return browser.get("/my/").status_code == 200


def copy_of(app: Flask, browser: Browser) -> Browser:
    """Another browser holding a copy of `browser`'s session cookie (a stolen cookie)."""
    thief = Browser(app)
    cookie = browser.client.get_cookie("session")
    assert cookie is not None
    thief.client.set_cookie("session", cookie.value)
    return thief


def session_data(app: Flask, browser: Browser) -> dict[str, Any]:
    """What the browser's (signed, not encrypted) session cookie holds."""
    cookie = browser.client.get_cookie("session")
    assert cookie is not None
    return dict(app.session_interface.get_signing_serializer(app).loads(cookie.value))


def session_rows(app: Flask) -> list[Any]:
    """Every stored login session, oldest first, detached."""
    from hub.auth.models import UserSession

    with app.app_context():
        found = list(db.session.scalars(select(UserSession).order_by(UserSession.id)))
        db.session.expunge_all()
        return found


# --- Logout ----------------------------------------------------------------------------------


def test_a_cookie_copied_before_logout_no_longer_authenticates(app, create_user):
    me = Browser(app, create_user())
    thief = copy_of(app, me)
    assert is_logged_in(thief)  # the copy works while the session lasts

    expect(me.post("/account/logout"), 302)

    assert not is_logged_in(me)
    assert not is_logged_in(thief)


def test_logging_out_ends_only_that_browsers_session(app, create_user):
    user = create_user()
    laptop, phone = Browser(app, user), Browser(app, user)

    laptop.post("/account/logout")

    assert not is_logged_in(laptop)
    assert is_logged_in(phone)
    assert [r.ended_at is not None for r in session_rows(app)] == [True, False]


def test_a_cookie_from_before_the_upgrade_logs_out(app, create_user):
    """Old cookies name the account by its number alone: they authenticate nobody."""
    user = create_user()
    old = Browser(app)
    value = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": str(user.id), "_fresh": True}
    )
    old.client.set_cookie("session", value)

    assert not is_logged_in(old)


# --- A new session at every login (no fixation) ----------------------------------------------


def test_every_login_starts_a_new_session_with_a_new_id(app, create_user):
    user = create_user()
    browser = Browser(app, user)
    first = session_data(app, browser)["_user_id"]
    thief = copy_of(app, browser)

    expect(browser.post("/account/login", data={"email": user.email, "password": PASSWORD}), 302)

    second = session_data(app, browser)["_user_id"]
    assert first != second
    assert first.split(":")[0] == second.split(":")[0] == str(user.id)
    assert is_logged_in(browser)
    assert not is_logged_in(thief)  # logging in again ended the earlier session
    assert [r.ended_at is not None for r in session_rows(app)] == [True, False]


def test_a_session_cookie_planted_before_login_is_not_the_one_authenticated(make_app, create_user):
    """Someone who plants their own session cookie in a victim's browser must not share the
    victim's session after the victim logs in: neither the cookie nor its form token."""
    app = make_app(WTF_CSRF_ENABLED=True)
    user = create_user()
    attacker = Browser(app)
    page = attacker.get("/account/login").text
    planted_token = re.search(r'name="csrf_token" type="hidden" value="([^"]*)"', page).group(1)
    victim = copy_of(app, attacker)

    expect(
        victim.post(
            "/account/login",
            data={"email": user.email, "password": PASSWORD, "csrf_token": planted_token},
        ),
        302,
    )

    assert is_logged_in(victim)
    assert victim.client.get_cookie("session").value != attacker.client.get_cookie("session").value
    assert not is_logged_in(attacker)
    # The form token the attacker read before the login is worthless in the victim's session.
    refused = victim.post("/account/logout", data={"csrf_token": planted_token})
    assert refused.status_code == 400
    assert is_logged_in(victim)


# --- Log out everywhere ----------------------------------------------------------------------


def test_log_out_everywhere_ends_every_session_of_the_account(app, create_user):
    user, other = create_user(), create_user()
    laptop, phone, colleague = Browser(app, user), Browser(app, user), Browser(app, other)
    thief = copy_of(app, phone)

    response = expect(laptop.post("/account/logout-everywhere"), 302)

    assert response.location == "/"
    assert "You are logged out on every device" in laptop.get("/").text
    assert not any(is_logged_in(b) for b in (laptop, phone, thief))
    assert is_logged_in(colleague)


def test_log_out_everywhere_is_on_my_submissions_and_needs_the_form_token(make_app, create_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    user = create_user()
    browser = Browser(app)
    page = browser.get("/account/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]*)"', page).group(1)
    browser.post(
        "/account/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    phone = Browser(app)
    page = phone.get("/account/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]*)"', page).group(1)
    phone.post(
        "/account/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )

    mine = browser.get("/my/").text
    form = re.search(
        r'<form method="post" action="/account/logout-everywhere"[^>]*>(.*?)</form>', mine, re.S
    )
    assert form, "no 'Log out everywhere' form on My submissions"
    assert "Log out everywhere" in form.group(1)

    expect(browser.post("/account/logout-everywhere"), 400)  # no token: nothing ended
    assert is_logged_in(browser) and is_logged_in(phone)

    token = re.search(r'name="csrf_token"[^>]*value="([^"]*)"', form.group(1)).group(1)
    expect(browser.post("/account/logout-everywhere", data={"csrf_token": token}), 302)
    assert not is_logged_in(browser) and not is_logged_in(phone)


def test_log_out_everywhere_is_audited(app, create_user):
    from hub.audit.models import Action

    from helpers import events

    user = create_user()
    Browser(app, user)  # another device
    Browser(app, user).post("/account/logout-everywhere")

    [event] = [e for e in events(app) if e.action is Action.SESSIONS_ENDED]
    assert (event.subject_user_id, event.actor_id) == (user.id, user.id)
    assert event.message == "Logged out everywhere: 2 sessions ended."


def test_end_sessions_can_keep_the_current_one(app, create_user):
    """What a password change will call: every other session ends, this one stays."""
    from hub.auth.operations import end_sessions

    user = create_user()
    here, elsewhere = Browser(app, user), Browser(app, user)
    token = session_data(app, here)["_user_id"].split(":", 1)[1]

    with app.app_context():
        ended = end_sessions(db.session.get(User, user.id), keep=token)
        db.session.commit()

    assert ended == 1
    assert is_logged_in(here)
    assert not is_logged_in(elsewhere)


# --- Bookkeeping -----------------------------------------------------------------------------


def test_the_session_row_keeps_no_usable_token(app, create_user):
    user = create_user()
    browser = Browser(app, user)
    token = session_data(app, browser)["_user_id"].split(":", 1)[1]

    [row] = session_rows(app)
    assert row.user_id == user.id
    assert token not in row.token_hash
    assert len(token) >= 32


def test_last_seen_is_written_at_most_every_few_minutes(app, create_user, clock):
    user = create_user()
    clock.freeze(NOW)
    browser = Browser(app, user)

    def last_seen() -> datetime:
        [row] = session_rows(app)
        seen = row.last_seen_at
        return seen if seen.tzinfo else seen.replace(tzinfo=UTC)

    for minutes, expected in [(1, 0), (4, 0), (6, 6), (8, 6), (12, 12)]:
        clock.freeze(NOW + timedelta(minutes=minutes))
        browser.get("/my/").close()
        assert last_seen() == NOW + timedelta(minutes=expected), minutes
