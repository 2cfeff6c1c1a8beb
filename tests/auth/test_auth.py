"""Accounts as a person meets them: register, log in, log out, and where they land after."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from hub.extensions import db

from helpers import (
    NEW_PASSWORD,
    PASSWORD,
    is_logged_in,
    outbox,
    register_form,
    stored_user,
    user_count,
)


def login_link_next(page: str) -> str:
    """Where the "Log in" button of the check-your-inbox page leads after logging in."""
    link = re.search(r'<a class="button primary" href="(/account/login[^"]*)"', page)
    assert link, "no log-in link"
    return parse_qs(urlsplit(unescape(link.group(1))).query)["next"][0]


def hidden_next(html: str) -> str:
    """The value of the login form's hidden `next` field."""
    tag = re.search(r'<input[^>]*name="next"[^>]*>', html)
    assert tag, "login form has no hidden next field"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


# --- Register ---------------------------------------------------------------------------


def test_register_sends_to_check_your_inbox_without_logging_in(app, client):
    response = client.post("/account/register", data=register_form())

    assert response.status_code == 302
    assert response.location == "/account/register/sent"
    page = client.get(response.location)
    assert page.status_code == 200
    assert "Check your inbox" in page.text
    user = stored_user(app, "grace@example.org")
    assert user is not None
    assert user.display_name == "Grace Hopper"
    assert user.organisation == "Navy Lab"
    assert user.email_confirmed_at is None
    assert not is_logged_in(client)


def test_register_stores_email_lower_case(app, client):
    response = client.post(
        "/account/register", data=register_form(email="  Grace.Hopper@Example.ORG ")
    )

    assert response.status_code == 302
    assert stored_user(app, "grace.hopper@example.org") is not None
    assert user_count(app) == 1


@pytest.mark.parametrize("typed", ["grace@example.org", "GRACE@EXAMPLE.ORG", "Grace@Example.org"])
def test_register_makes_no_second_account_for_an_email_in_any_case(app, client, create_user, typed):
    """The answer is the same as for a new address (tests/auth/test_register.py); the owner
    is told by mail."""
    create_user(email="grace@example.org")

    response = client.post(
        "/account/register", data=register_form(email=typed, display_name="Second Grace")
    )

    assert (response.status_code, response.location) == (302, "/account/register/sent")
    assert user_count(app) == 1
    assert stored_user(app, "grace@example.org").display_name == "Test User"
    assert [m.to_addr for m in outbox(app)] == ["grace@example.org"]
    assert not is_logged_in(client)


@pytest.mark.parametrize(
    ("minimum", "password", "accepted"),
    [
        (10, "x" * 9, False),
        (10, "x" * 10, True),
        (16, "x" * 15, False),
        (16, "x" * 16, True),
    ],
)
def test_register_enforces_minimum_password_length(app_config, minimum, password, accepted):
    app_config["HUB_MIN_PASSWORD_LENGTH"] = minimum
    from hub import create_app

    app = create_app(app_config)
    try:
        client = app.test_client()
        response = client.post(
            "/account/register", data=register_form(password=password, confirm=password)
        )
        if accepted:
            assert response.status_code == 302
            assert stored_user(app, "grace@example.org") is not None
        else:
            assert response.status_code == 422
            assert f"Use at least {minimum} characters." in response.text
            assert user_count(app) == 0
    finally:
        app.extensions["hub_db"].kw["bind"].dispose()


def test_register_page_states_the_minimum_password_length(client):
    assert "At least 10 characters." in client.get("/account/register").text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"confirm": NEW_PASSWORD + "!"}, "The two passwords differ."),
        ({"email": "not-an-email"}, "Enter a valid e-mail address."),
        ({"email": "grace@"}, "Enter a valid e-mail address."),
        ({"email": "grace@localhost"}, "Enter a valid e-mail address."),
        ({"email": "grace hopper@example.org"}, "Enter a valid e-mail address."),
        ({"email": ""}, "This field is required."),
        ({"display_name": "   "}, "This field is required."),
    ],
)
def test_register_refuses_invalid_input_and_keeps_the_name(app, client, overrides, message):
    response = client.post("/account/register", data=register_form(**overrides))

    assert response.status_code == 422
    assert message in response.text
    assert "error-summary" in response.text
    if "display_name" not in overrides:
        assert 'value="Grace Hopper"' in response.text
    assert NEW_PASSWORD not in response.text  # passwords are never echoed back
    assert user_count(app) == 0
    assert not is_logged_in(client)


def test_logged_in_user_visiting_register_is_sent_to_my_submissions(client, create_user, auth):
    auth.login(create_user())

    response = client.get("/account/register")

    assert response.status_code == 302
    assert response.location == "/my/"


def test_password_is_stored_as_a_scrypt_hash_by_default(app, client):
    from hub.config import DEFAULTS

    app.config["HUB_PASSWORD_HASH_METHOD"] = DEFAULTS["PASSWORD_HASH_METHOD"]  # not the suite's
    client.post("/account/register", data=register_form())

    stored = stored_user(app, "grace@example.org").password_hash
    assert NEW_PASSWORD not in stored
    method, salt, digest = stored.split("$")
    assert method.split(":")[0] == "scrypt"
    assert salt and digest
    assert check_password_hash(stored, NEW_PASSWORD)
    assert not check_password_hash(stored, NEW_PASSWORD.upper())


# --- Log in / log out ----------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["ada@example.org", "ADA@EXAMPLE.ORG", " Ada@Example.Org "])
def test_login_ignores_email_case(client, create_user, auth, typed):
    create_user(email="ada@example.org", name="Ada Lovelace")

    response = auth.login(typed)

    assert response.status_code == 302
    assert response.location == "/my/"
    assert "Logged in as Ada Lovelace." in client.get("/my/").text


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("ada@example.org", "wrong-password-here"),
        ("ada@example.org", PASSWORD.upper()),
        ("nobody@example.org", PASSWORD),
        ("nobody@example.org", "wrong-password-here"),
    ],
)
def test_failed_login_says_the_same_whatever_was_wrong(client, create_user, auth, email, password):
    create_user(email="ada@example.org")

    response = auth.login(email, password)

    assert response.status_code == 422
    assert "E-mail or password is wrong." in response.text
    summary = re.search(r'<div class="error-summary".*?</div>', response.text, re.S).group(0)
    assert re.findall(r"<li>.*?</li>", summary, re.S) == [
        '<li><a href="#password-field">Password: E-mail or password is wrong.</a></li>'
    ]
    assert password not in response.text
    assert not is_logged_in(client)


def test_login_records_last_login_at(app, create_user, auth, clock):
    user = create_user()
    assert user.last_login_at is None
    instant = datetime(2026, 5, 4, 12, 30, tzinfo=UTC)
    clock.freeze(instant)

    auth.login(user)

    last = stored_user(app, user.email).last_login_at
    assert last is not None
    assert (last if last.tzinfo else last.replace(tzinfo=UTC)) == instant


def test_logout_logs_out(client, create_user, auth):
    auth.login(create_user())
    assert is_logged_in(client)

    response = auth.logout()

    assert response.status_code == 302
    assert response.location == "/"
    assert "You are logged out." in client.get("/").text
    assert not is_logged_in(client)


def test_logout_by_get_is_refused_and_keeps_the_user_logged_in(client, create_user, auth):
    auth.login(create_user())

    response = client.get("/account/logout")

    assert response.status_code == 405
    assert "Partnerships Hub" in response.text  # the hub's own error page
    assert is_logged_in(client)


# --- Where people land -----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/my/", "/submit/", "/submit/initiative", "/my/1", "/my/1/edit"])
def test_login_required_pages_send_to_login_and_back(client, create_user, auth, path):
    user = create_user()

    response = client.get(path)

    assert response.status_code == 302
    target = urlsplit(response.location)
    assert target.path == "/account/login"
    assert parse_qs(target.query)["next"] == [path]
    login_page = client.get(response.location)
    assert "Please log in to continue." in login_page.text
    assert hidden_next(login_page.text) == path

    response = client.post(
        "/account/login",
        data={"email": user.email, "password": PASSWORD, "next": hidden_next(login_page.text)},
    )
    assert response.status_code == 302
    assert response.location == path


UNSAFE_NEXT = [
    "https://evil.example/",
    "http://evil.example/my/",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
    "https:/evil.example",
    "evil.example",
    # Not addresses at all (urlsplit raises on an unclosed IPv6 bracket): never a 500.
    "//[",
    "http://[::1",
    "http://[",
    "https://]::1[/",
]


@pytest.mark.parametrize(
    ("target", "landing"),
    [
        ("/my/", "/my/"),
        ("/submit/", "/submit/"),
        ("/submit/initiative?from=home", "/submit/initiative?from=home"),
        ("", "/my/"),
        *[(unsafe, "/my/") for unsafe in UNSAFE_NEXT],
    ],
)
def test_login_follows_next_only_to_pages_of_this_site(client, create_user, auth, target, landing):
    user = create_user()

    response = client.post(
        "/account/login", data={"email": user.email, "password": PASSWORD, "next": target}
    )

    assert response.status_code == 302
    assert response.location == landing


@pytest.mark.parametrize(
    ("target", "landing"),
    [
        ("/submit/", "/submit/"),
        *[(unsafe, "/my/") for unsafe in UNSAFE_NEXT],
    ],
)
def test_register_follows_next_only_to_pages_of_this_site(client, target, landing):
    """Registering does not log in: the next page is kept for the "Log in" link of the
    check-your-inbox page."""
    response = client.post("/account/register", query_string={"next": target}, data=register_form())

    assert response.status_code == 302
    assert urlsplit(response.location).path == "/account/register/sent"
    assert login_link_next(client.get(response.location).text) == landing


@pytest.mark.parametrize("target", ["/\r\nSet-Cookie: x=1", "/my/\n", "/\x00"])
def test_register_with_a_line_break_in_next_lands_on_check_your_inbox(app, client, target):
    """A line break cannot go into the Location header: the account is made and the user is
    told to check their inbox, not shown an error for an account that exists."""
    response = client.post("/account/register", query_string={"next": target}, data=register_form())

    assert (response.status_code, response.location) == (302, "/account/register/sent?next=/my/")
    page = client.get(response.location)
    assert page.status_code == 200
    assert login_link_next(page.text) == "/my/"
    assert stored_user(app, "grace@example.org") is not None


def test_a_next_link_with_a_broken_address_logs_in_all_the_same(client, create_user):
    """Anyone can post a link such as /account/login?next=//%5B: the login still works."""
    user = create_user()
    page = client.get("/account/login?next=//%5B").text
    assert hidden_next(page) == "//["

    response = client.post(
        "/account/login",
        data={"email": user.email, "password": PASSWORD, "next": hidden_next(page)},
    )

    assert response.status_code == 302
    assert response.location == "/my/"


def test_a_post_with_a_broken_origin_is_not_parked(app, client):
    """A logged-out post whose Origin header is no address (forged) is simply not kept."""
    from hub.auth.parking import ParkedPost

    response = client.post(
        "/submit/initiative", data={"title": "Planted"}, headers={"Origin": "http://["}
    )

    assert response.status_code == 302
    assert "/account/login" in response.location
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ParkedPost)) == 0
