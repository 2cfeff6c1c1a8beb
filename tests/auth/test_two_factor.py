"""Two-factor authentication: enrolment, the code after the password, recovery codes,
turning it off, and what must be refused (wrong, reused or used-up codes, guessing)."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from hub.audit.models import Action
from hub.auth.models import RecoveryCode, User
from hub.extensions import db

from helpers import (
    PASSWORD,
    events,
    expect,
    flash_messages,
    log_in_with_code,
    outbox,
    page_text,
    totp_code,
)

T0 = datetime(2026, 12, 1, 9, 0, 0, tzinfo=UTC)


@pytest.fixture
def user(create_user) -> User:
    """An ordinary account."""
    return create_user(name="Tomás Twofactor")


@pytest.fixture
def frozen(clock):
    """The hub's clock pinned at T0 (tests move it)."""
    clock.freeze(T0)
    return clock


def _row(app, user: User) -> User:
    with app.app_context():
        row = db.session.get(User, user.id)
        db.session.expunge(row)
        return row


def _codes(page: str) -> list[str]:
    return re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", page)


def _enrol_through_pages(client, app) -> tuple[str, list[str]]:
    """Set up two-factor as a person does: the button, the secret shown, a first code."""
    expect(client.post("/account/two-factor/setup"), 303)
    page = expect(client.get("/account/two-factor"), 200).text
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7]+)<', page).group(1)
    done = expect(
        client.post("/account/two-factor/enable", data={"code": totp_code(secret, T0)}), 200
    )
    return secret, _codes(done.text)


# --- Enrolment ------------------------------------------------------------------------------


def test_enrolment_shows_a_local_qr_code_and_the_secret_then_ten_recovery_codes(
    app, client, auth, user, frozen
):
    auth.login(user)
    page = expect(client.get("/account/two-factor"), 200).text
    assert "Set up two-factor authentication" in page and "<svg" not in page
    expect(client.post("/account/two-factor/setup"), 303)
    page = client.get("/account/two-factor").text
    # The QR code is drawn in the page (inline SVG, no image from elsewhere), the key as text.
    assert re.search(r'<svg role="img"[^>]*class="qr-code"', page)
    assert "<img" not in page.split("<main", 1)[1]
    secret = _row(app, user).totp_secret
    assert secret and f">{secret}<" in page
    assert not _row(app, user).has_two_factor  # not before the first code
    done = expect(
        client.post("/account/two-factor/enable", data={"code": totp_code(secret, T0)}), 200
    )
    codes = _codes(done.text)
    assert len(set(codes)) == 10
    assert _row(app, user).has_two_factor
    with app.app_context():
        stored = {r.code_hash for r in db.session.scalars(select(RecoveryCode))}
    assert len(stored) == 10 and not stored & set(codes)  # kept hashed only
    assert [e.action for e in events(app)][-1] is Action.TWO_FACTOR_ENABLED
    mail = outbox(app)[-1]
    assert mail.to_addr == user.email and mail.subject == "Two-factor authentication turned on"
    # Shown once: the page afterwards only counts them.
    page = client.get("/account/two-factor").text
    assert not _codes(page) and "10 unused recovery codes" in page


def test_a_wrong_first_code_leaves_two_factor_off_and_says_why(app, client, auth, user, frozen):
    auth.login(user)
    client.post("/account/two-factor/setup")
    for typed in ("000000", "12345", "abcdef", " "):
        answer = expect(client.post("/account/two-factor/enable", data={"code": typed}), 422)
        assert 'aria-invalid="true"' in answer.text
    assert not _row(app, user).has_two_factor
    assert "This field is required." in page_text(
        client.post("/account/two-factor/enable", data={"code": ""}).text
    )


def test_the_mail_is_in_the_account_language(app, client, auth, user, frozen):
    with app.app_context():
        db.session.get(User, user.id).language = "fr"
        db.session.commit()
    auth.login(user)
    _enrol_through_pages(client, app)
    assert outbox(app)[-1].body.startswith("Bonjour Tomás Twofactor,")


# --- Logging in -----------------------------------------------------------------------------


def test_login_asks_for_the_code_and_the_half_way_state_grants_nothing(
    app, client, user, enrol, frozen
):
    secret = enrol(user)
    first = expect(
        client.post("/account/login", data={"email": user.email, "password": PASSWORD}), 302
    )
    assert first.location.endswith("/account/login/code")
    # Between password and code: nothing of the account is reachable.
    for path in ("/my/", "/account/two-factor"):
        assert "/account/login" in expect(client.get(path), 302).location
    assert "Log out" not in client.get("/account/login/code").text
    done = expect(client.post("/account/login/code", data={"code": totp_code(secret, T0)}), 302)
    assert done.location.endswith("/my/")
    expect(client.get("/my/"), 200)


def test_a_wrong_code_does_not_log_in(client, user, enrol, frozen):
    secret = enrol(user)
    client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    wrong = str((int(totp_code(secret, T0)) + 1) % 1_000_000).zfill(6)
    answer = expect(client.post("/account/login/code", data={"code": wrong}), 422)
    assert "This code is not right" in page_text(answer.text)
    assert "/account/login" in client.get("/my/").location


def test_a_code_is_accepted_once(client, auth, user, enrol, frozen):
    secret = enrol(user)
    expect(log_in_with_code(client, user.email, secret, T0), 302)
    auth.logout()
    again = expect(log_in_with_code(client, user.email, secret, T0), 422)
    assert "used already" in page_text(again.text)
    # The code of an earlier step, still within the drift window, is refused too.
    frozen.freeze(T0 + timedelta(seconds=30))
    expect(client.post("/account/login/code", data={"code": totp_code(secret, T0)}), 422)
    expect(
        client.post(
            "/account/login/code", data={"code": totp_code(secret, T0 + timedelta(seconds=30))}
        ),
        302,
    )


def test_the_password_step_expires(client, user, enrol, frozen):
    secret = enrol(user)
    client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    frozen.freeze(T0 + timedelta(minutes=11))
    late = client.post("/account/login/code", data={"code": totp_code(secret, frozen.now())})
    assert expect(late, 302).location.endswith("/account/login")
    assert "/account/login" in client.get("/my/").location


def test_no_code_page_without_a_password_first(client):
    assert expect(client.get("/account/login/code"), 302).location.endswith("/account/login")
    assert client.post("/account/login/code", data={"code": "123456"}).status_code == 302


def test_a_recovery_code_logs_in_once(app, client, auth, user, frozen):
    auth.login(user)
    secret, codes = _enrol_through_pages(client, app)
    auth.logout()
    client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    done = expect(client.post("/account/login/code", data={"code": codes[0].upper()}), 302)
    assert any("9 are left" in m for m in flash_messages(client.get(done.location)))
    assert [e.action for e in events(app)][-1] is Action.RECOVERY_CODE_USED
    auth.logout()
    client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    expect(client.post("/account/login/code", data={"code": codes[0]}), 422)
    expect(client.post("/account/login/code", data={"code": "aaaaa-bbbbb"}), 422)


def test_code_guesses_are_throttled(make_app, create_user, enrol, frozen):
    app = make_app(
        HUB_RATELIMIT_ENABLED=True, HUB_RATELIMIT_TWOFACTOR="3 per 15 minutes per account"
    )
    user = create_user()
    secret = enrol(user)
    client = app.test_client()
    app.extensions["hub_clock"].freeze(T0)
    client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    for _guess in range(3):
        expect(client.post("/account/login/code", data={"code": "000000"}), 422)
    refused = expect(client.post("/account/login/code", data={"code": totp_code(secret, T0)}), 429)
    assert "Too many attempts" in page_text(refused.text)
    assert "/account/login" in client.get("/my/").location


def test_a_deactivated_account_cannot_finish_its_login(app, client, user, enrol, frozen):
    secret = enrol(user)
    client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    with app.app_context():
        db.session.get(User, user.id).deactivated_at = T0
        db.session.commit()
    answer = client.post("/account/login/code", data={"code": totp_code(secret, T0)})
    assert expect(answer, 302).location.endswith("/account/login")


# --- Managing it ----------------------------------------------------------------------------


def test_turning_it_off_asks_the_password_and_a_code(app, client, auth, user, frozen):
    auth.login(user)
    secret, _codes_shown = _enrol_through_pages(client, app)
    frozen.freeze(T0 + timedelta(minutes=1))
    code = totp_code(secret, frozen.now())
    bad_password = client.post(
        "/account/two-factor/disable",
        data={"disable-password": "not-my-password", "disable-code": code},
    )
    assert "This is not your password." in expect(bad_password, 422).text
    bad_code = client.post(
        "/account/two-factor/disable",
        data={"disable-password": PASSWORD, "disable-code": "999999"},
    )
    expect(bad_code, 422)
    assert _row(app, user).has_two_factor
    done = client.post(
        "/account/two-factor/disable", data={"disable-password": PASSWORD, "disable-code": code}
    )
    expect(done, 303)
    row = _row(app, user)
    assert not row.has_two_factor and row.totp_secret is None
    with app.app_context():
        assert db.session.scalar(select(RecoveryCode.id)) is None
    assert outbox(app)[-1].subject == "Two-factor authentication turned off"
    assert [e.action for e in events(app)][-1] is Action.TWO_FACTOR_DISABLED
    auth.logout()
    assert auth.login(user).location.endswith("/my/")  # the password alone again


def test_new_recovery_codes_replace_the_old_ones(app, client, auth, user, frozen):
    auth.login(user)
    secret, old = _enrol_through_pages(client, app)
    expect(client.post("/account/two-factor/recovery-codes", data={"renew-code": old[0]}), 422)
    frozen.freeze(T0 + timedelta(minutes=1))
    page = client.post(
        "/account/two-factor/recovery-codes",
        data={"renew-code": totp_code(secret, frozen.now())},
    )
    new = _codes(expect(page, 200).text)
    assert len(new) == 10 and not set(new) & set(old)
    auth.logout()
    client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    expect(client.post("/account/login/code", data={"code": old[1]}), 422)
    expect(client.post("/account/login/code", data={"code": new[1]}), 302)


def test_the_secret_is_never_logged_nor_in_the_audit_trail(
    app, client, auth, create_user, user, frozen, caplog
):
    caplog.set_level(logging.DEBUG)
    auth.login(user)
    secret, codes = _enrol_through_pages(client, app)
    auth.logout()
    log_in_with_code(client, user.email, secret, T0 + timedelta(minutes=1))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert secret not in logged and not any(c in logged for c in codes)
    assert all(secret not in e.message for e in events(app))
    admin = create_user(role="admin")
    auth.logout()
    auth.login(admin)
    csv = client.get("/moderation/audit.csv").text
    assert "two_factor_enabled" in csv and secret not in csv


def test_the_confirmation_link_does_not_skip_the_code(app, client, create_user, enrol, frozen):
    from hub.auth.tokens import confirmation_token

    user = create_user(name="Tomás Twofactor", confirmed=False)  # as registering leaves it
    enrol(user)
    with app.test_request_context():
        token = confirmation_token(db.session.get(User, user.id))
    done = expect(client.post(f"/account/confirm/{token}"), 302)
    assert done.location.endswith("/account/login")
    assert _row(app, user).email_confirmed_at is not None
    assert "/account/login" in client.get("/my/").location
