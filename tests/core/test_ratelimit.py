"""Throttling: too many logins, registrations, submissions or decisions get a 429 that
re-shows the form with what was typed and says how long to wait; browsing never does."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from hub import create_app
from hub.auth.models import User
from hub.extensions import db
from hub.ratelimit import Limit, RateLimitHit, parse_limits

from helpers import PASSWORD, field_value, form_data, page_text, rows

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
NO_LIMITS = {
    f"HUB_RATELIMIT_{scope}": "" for scope in ("LOGIN", "REGISTER", "PASSWORD", "SUBMIT", "DECIDE")
}


@pytest.fixture
def make_app(make_app: Callable[..., Flask]) -> Callable[..., Flask]:
    """Factory: the hub with throttling on, only the given limits, its clock at NOW."""

    def make(**limits: Any) -> Flask:
        application = make_app(**{**NO_LIMITS, "HUB_RATELIMIT_ENABLED": True, **limits})
        application.extensions["hub_clock"].freeze(NOW)
        return application

    return make


def later(app: Flask, **delta: float) -> None:
    """Move the app's clock on."""
    app.extensions["hub_clock"].freeze(NOW + timedelta(**delta))


def message(response: Any) -> str:
    """The page's flash and notice texts."""
    return page_text(
        " ".join(
            re.findall(
                r'<(?:p|div) class="(?:flash|notice)[^"]*"[^>]*>(.*?)'
                r"</(?:p|div)>",
                response.text,
                re.S,
            )
        )
    )


def login(client: Any, email: str, password: str = "wrong-password-here") -> Any:
    """Post the login form."""
    return client.post("/account/login", data={"email": email, "password": password})


# --- The settings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", []),
        ("10 per 15 minutes per account", [Limit(10, 900, "account")]),
        (
            "5 per minute per IP; 100 per hour per account",
            [Limit(5, 60, "ip"), Limit(100, 3600, "account")],
        ),
        (" 3  per  2 days  per  ip ", [Limit(3, 172800, "ip")]),
    ],
)
def test_limits_are_read_as_people_write_them(value, expected):
    assert parse_limits("HUB_RATELIMIT_LOGIN", value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "10 per fortnight per IP",
        "ten per minute per IP",
        "0 per minute per IP",
        "5 per minute",
        "5 per minute per IP; 6 per hour per IP",
    ],
)
def test_a_wrong_limit_stops_the_start_naming_the_setting(app_config, value):
    with pytest.raises(ValueError, match="HUB_RATELIMIT_SUBMIT"):
        create_app({**app_config, "HUB_RATELIMIT_SUBMIT": value})


def test_an_unknown_storage_stops_the_start(app_config):
    with pytest.raises(ValueError, match="HUB_RATELIMIT_STORAGE"):
        create_app({**app_config, "HUB_RATELIMIT_STORAGE": "redis"})


# --- Logging in ------------------------------------------------------------------------------


@pytest.mark.parametrize("storage", ["database", "memory"])
def test_too_many_logins_for_an_account_get_429_keeping_the_email(make_app, create_user, storage):
    app = make_app(
        HUB_RATELIMIT_LOGIN="3 per 15 minutes per account", HUB_RATELIMIT_STORAGE=storage
    )
    user = create_user()
    client = app.test_client()
    for _ in range(3):
        assert login(client, user.email).status_code == 422

    later(app, minutes=5)
    response = login(client, user.email, PASSWORD)  # even the right password waits

    assert response.status_code == 429
    assert "Too many attempts, try again in 10 minutes" in message(response)
    assert field_value(response.text, "email") == user.email
    assert int(response.headers["Retry-After"]) == 600
    assert 'class="site-header"' in response.text and "<form" in response.text
    assert "Log out" not in response.text  # not logged in

    later(app, minutes=15, seconds=1)  # the first attempts have left the window
    assert login(client, user.email, PASSWORD).status_code == 302


def test_the_account_limit_does_not_lock_out_other_accounts(make_app, create_user):
    app = make_app(HUB_RATELIMIT_LOGIN="2 per 15 minutes per account")
    target, other = create_user(), create_user()
    client = app.test_client()
    for _ in range(3):
        login(client, target.email.upper())  # the same account, however it is typed
    assert login(client, target.email, PASSWORD).status_code == 429
    assert login(client, other.email, PASSWORD).status_code == 302


def test_guesses_from_elsewhere_do_not_lock_the_owner_out(make_app, create_user):
    """Someone typing wrong passwords for a delegate's e-mail is stopped; the delegate, on
    another network, still logs in (the account limit counts per address)."""
    app = make_app(HUB_RATELIMIT_LOGIN="3 per 15 minutes per account")
    user = create_user()
    stranger, owner = app.test_client(), app.test_client()
    stranger.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    for _ in range(3):
        assert login(stranger, user.email).status_code == 422
    assert login(stranger, user.email, PASSWORD).status_code == 429
    assert login(owner, user.email, PASSWORD).status_code == 302


def test_too_many_logins_from_one_address_get_429(make_app, create_user):
    app = make_app(HUB_RATELIMIT_LOGIN="3 per minute per IP")
    user = create_user()
    here, elsewhere = app.test_client(), app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    for n in range(3):
        assert login(here, f"guess{n}@example.org").status_code == 422

    response = login(here, user.email, PASSWORD)

    assert response.status_code == 429
    assert "try again in 1 minute." in message(response)
    assert login(elsewhere, user.email, PASSWORD).status_code == 302


def test_the_counts_are_shared_by_every_worker(make_app, create_user):
    """Two app instances on one database stand for two gunicorn workers."""
    first = make_app(HUB_RATELIMIT_LOGIN="2 per 15 minutes per account")
    second = make_app(HUB_RATELIMIT_LOGIN="2 per 15 minutes per account")
    user = create_user()
    login(first.test_client(), user.email)
    login(second.test_client(), user.email)

    assert login(first.test_client(), user.email, PASSWORD).status_code == 429
    assert login(second.test_client(), user.email, PASSWORD).status_code == 429


def test_stored_attempts_name_neither_address_nor_email(make_app, create_user):
    app = make_app(HUB_RATELIMIT_LOGIN="5 per minute per account; 5 per minute per IP")
    user = create_user()
    login(app.test_client(), user.email)
    with app.app_context():
        buckets = db.session.scalars(select(RateLimitHit.bucket)).all()
    assert len(buckets) == 2
    assert not any(user.email in b or "127.0.0.1" in b for b in buckets)


def test_old_attempts_are_forgotten(make_app, create_user):
    app = make_app(HUB_RATELIMIT_LOGIN="5 per minute per account")
    user = create_user()
    login(app.test_client(), user.email)
    later(app, hours=2)
    login(app.test_client(), "someone-else@example.org")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RateLimitHit)) == 1


# --- Registering -----------------------------------------------------------------------------


def test_too_many_registrations_get_429_keeping_what_was_typed(make_app):
    app = make_app(HUB_RATELIMIT_REGISTER="2 per hour per IP")
    client = app.test_client()

    def register(n: int) -> Any:
        return client.post(
            "/account/register",
            data={
                "email": f"new{n}@example.org",
                "display_name": f"Amina {n}",
                "organisation": "Institut",
                "password": PASSWORD,
                "confirm": PASSWORD,
            },
        )

    assert register(1).status_code == 302
    client.post("/account/logout")
    assert register(2).status_code == 302
    client.post("/account/logout")

    response = register(3)

    assert response.status_code == 429
    assert "Too many attempts, try again in 60 minutes" in message(response)
    assert field_value(response.text, "email") == "new3@example.org"
    assert field_value(response.text, "display_name") == "Amina 3"
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "new3@example.org")) is None


# --- Submitting ------------------------------------------------------------------------------


def test_too_many_submission_posts_get_429_keeping_the_text(make_app, create_user, auth):
    app = make_app(HUB_RATELIMIT_SUBMIT="2 per 10 minutes per account")
    user = create_user()
    client = app.test_client()
    client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    for n in range(2):
        assert (
            client.post(
                "/submit/initiative", data=form_data(action="draft", title=f"Draft {n}")
            ).status_code
            == 302
        )
    # Checking for similar submissions saves nothing and is not counted.
    assert client.post("/submit/initiative", data=form_data(action="similar")).status_code == 200

    response = client.post(
        "/submit/initiative", data=form_data(title="Santé numérique dans les écoles")
    )

    assert response.status_code == 429
    assert "Too many attempts, try again in 10 minutes" in message(response)
    assert field_value(response.text, "title") == "Santé numérique dans les écoles"
    assert [s.title for s in rows(app)] == ["Draft 0", "Draft 1"]

    draft = rows(app)[0]
    response = client.post(
        f"/my/{draft.id}/edit", data=form_data(action="draft", title="Edited title")
    )
    assert response.status_code == 429
    assert field_value(response.text, "title") == "Edited title"
    assert rows(app)[0].title == "Draft 0"


# --- Deciding --------------------------------------------------------------------------------


@pytest.fixture
def moderating(make_app, create_user, create_submission_for):
    """A moderator logged in on a hub allowing 1 decision per 10 minutes (used up), and
    two submitted items."""
    app = make_app(HUB_RATELIMIT_DECIDE="1 per 10 minutes per account")
    owner = create_user()
    moderator = create_user("moderator")
    items = [create_submission_for(owner, title=f"Item {n}") for n in range(2)]
    client = app.test_client()
    client.post("/account/login", data={"email": moderator.email, "password": PASSWORD})
    assert (
        client.post(
            f"/moderation/{items[0].id}/decide",
            data={"action": "approve", "version": items[0].version},
        ).status_code
        == 302
    )
    return app, client, items, owner


def test_too_many_decisions_get_429_keeping_the_message(moderating):
    app, client, items, _owner = moderating

    response = client.post(
        f"/moderation/{items[1].id}/decide",
        data={
            "action": "reject",
            "message": "Hors sujet : merci de lire l'appel.",
            "version": items[1].version,
        },
    )

    assert response.status_code == 429
    assert "Too many attempts, try again in 10 minutes" in message(response)
    assert field_value(response.text, "message") == "Hors sujet : merci de lire l'appel."
    assert rows(app, id=items[1].id)[0].status.value == "submitted"


def test_too_many_bulk_decisions_get_429_keeping_the_reason(moderating):
    app, client, items, _owner = moderating

    response = client.post(
        "/moderation/bulk",
        data={
            "ids": [str(items[1].id)],
            "action": "reject",
            "message": "Out of scope for the call.",
        },
    )

    assert response.status_code == 429
    assert "Too many attempts" in message(response)
    assert field_value(response.text, "message") == "Out of scope for the call."
    assert rows(app, id=items[1].id)[0].status.value == "submitted"


def test_too_many_decisions_on_updates_get_429_keeping_the_message(
    moderating, create_submission_for
):
    from hub.submissions.models import Submission
    from hub.submissions.operations import update_submission
    from hub.submissions.revisions import Revision

    app, client, _items, owner = moderating
    approved = create_submission_for(owner, status="approved")
    with app.app_context():
        sub = db.session.get(Submission, approved.id)
        update_submission(
            sub, content_of(sub, summary="A new summary."), submit=True, actor=sub.owner
        )
        db.session.commit()
        revision = db.session.scalar(select(Revision))

    response = client.post(
        f"/moderation/revisions/{revision.id}/decide",
        data={"action": "reject", "message": "Gardez l'ancienne version."},
    )

    assert response.status_code == 429
    assert "Too many attempts" in message(response)
    assert "Gardez l&#39;ancienne version." in response.text
    with app.app_context():
        assert db.session.get(Revision, revision.id).status.value == "pending"


def content_of(sub: Any, **changes: Any) -> dict[str, Any]:
    """The submission's content as update_submission takes it, with some changes."""
    from hub.submissions.operations import CONTENT_FIELDS

    return {**{name: getattr(sub, name) for name in CONTENT_FIELDS}, **changes}


# --- Browsing --------------------------------------------------------------------------------


def test_browsing_is_never_throttled(make_app, create_user, create_submission_for):
    app = make_app(**{name: "1 per hour per IP" for name in NO_LIMITS})
    item = create_submission_for(create_user(), status="approved")
    client = app.test_client()
    for _ in range(5):
        for path in (
            "/",
            "/browse",
            "/search?q=skills",
            f"/s/{item.slug}",
            "/stats",
            "/account/login",
            "/account/register",
            "/api/v1/submissions",
        ):
            assert client.get(path).status_code == 200, path


def test_throttling_is_off_when_disabled(make_app, create_user):
    app = make_app(HUB_RATELIMIT_LOGIN="1 per hour per account", HUB_RATELIMIT_ENABLED=False)
    user = create_user()
    client = app.test_client()
    for _ in range(3):
        login(client, user.email)
    assert login(client, user.email, PASSWORD).status_code == 302


def test_too_many_duplicate_markings_get_429_keeping_the_number(moderating):
    app, client, items, _owner = moderating

    response = client.post(
        f"/moderation/{items[1].id}/duplicate",
        data={"dup-duplicate_of": str(items[0].id), "dup-version": items[1].version},
    )

    assert response.status_code == 429
    assert "Too many attempts" in message(response)
    assert field_value(response.text, "dup-duplicate_of") == str(items[0].id)
    assert rows(app, id=items[1].id)[0].status.value == "submitted"
