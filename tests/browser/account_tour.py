"""The tour's page types of the account work (issue 14): lost passwords, links that do
nothing, the account page, two-factor authentication, the administrators' pages, privacy,
co-editing. page_tour.py visits them with the others, in every language.

Their states are made as the hub makes them: links by the hub's own token functions
(hub/auth/tokens.py) or from the outbox mail (the invitation), two-factor codes from the
account's secret (pyotp, as an authenticator app does).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from browser_steps import COMPLETE_FORM, LiveHub, at, click_and_wait, fill_submission
from helpers import PASSWORD

Action = Callable[[Any, dict[str, Any]], Any]
BAD_LINK = "cut-short.link"  # what a link copied only in part leaves


def _goto(path: Callable[[dict[str, Any]], str]) -> Action:
    return lambda page, data: page.goto(at(data, path(data)))


def _user(hub: LiveHub, email: str) -> Any:
    from hub.auth.models import User
    from hub.extensions import db

    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None, email
    return user


def seed_accounts(hub: LiveHub, submitter: str, changes_id: int) -> dict[str, Any]:
    """The accounts and links of the account pages: an administrator, an account whose address
    is not confirmed, a reset link, an address change link, a co-editor and a pending
    invitation on the submission sent back for changes (its people and history)."""
    from hub.auth.tokens import email_change_token, reset_token, stop_reminders_token
    from hub.extensions import db
    from hub.submissions.invitations import accept, invite
    from hub.submissions.models import Submission

    hub.create_user("admin", "tour-admin@example.org", "Ana Administrator")
    hub.confirmation_path("tour-waiting@example.org", "Kofi Mensah")  # logs in, unconfirmed
    hub.create_user("submitter", "tour-reset@example.org", "Inès Martín")
    hub.create_user("submitter", "tour-stopping@example.org", "Amina Yusuf")
    with hub._writing():
        moving = _user(hub, "tour-other@example.org")
        reset = reset_token(_user(hub, "tour-reset@example.org"))
        ask_stop = stop_reminders_token(_user(hub, "tour-reset@example.org"))
        stopping = stop_reminders_token(_user(hub, "tour-stopping@example.org"))
        change = email_change_token(moving, "jonas.keller@example.net")
        submission = db.session.get(Submission, changes_id)
        owner = _user(hub, submitter)
        accept(invite(submission, moving.email, owner), moving)
        invite(submission, "tour-invited@example.org", owner)
        submitter_id = owner.id
    return {
        "admin": "tour-admin@example.org",
        "unconfirmed": "tour-waiting@example.org",
        "reset_path": f"/account/reset/{reset}",
        "change_path": f"/account/email/{change}",
        "stop_path": f"/account/reminders/stop/{ask_stop}",
        "stopping_path": f"/account/reminders/stop/{stopping}",
        "invitation_path": hub.mailed_link("tour-invited@example.org", "/invitation/"),
        "submitter_id": submitter_id,
        "hub": hub,  # the two-factor steps read and reset the submitter's secret
    }


def secured_account(hub: LiveHub, email: str) -> str:
    """An account with two-factor authentication on (its login asks for a code)."""
    import pyotp

    from hub.auth import twofactor

    hub.create_user("submitter", email, "Yuki Tanaka")
    with hub._writing():
        user = _user(hub, email)
        secret = twofactor.start_enrolment(user)
        assert twofactor.enable(user, pyotp.TOTP(secret).now()) is not None
    return email


def _two_factor_off(data: dict[str, Any]) -> None:
    """The submitter without two-factor authentication, as at the start (the tour turns it
    on; the next language, and the CSP test's login, need it off)."""
    from hub.auth import twofactor

    hub: LiveHub = data["hub"]
    with hub._writing():
        user = _user(hub, data["submitter"])
        if user.totp_secret is not None:
            twofactor.disable(user)


def _then(first: Callable[[dict[str, Any]], None], action: Action) -> Action:
    def both(page: Any, data: dict[str, Any]) -> None:
        first(data)
        action(page, data)

    return both


def _forgot_sent(page: Any, data: dict[str, Any]) -> None:
    page.goto(at(data, "/account/forgot"))
    page.fill("#email", data.get("stranger", "someone@example.org"))
    click_and_wait(page, "main form button[type=submit]")


def _reset_with_errors(page: Any, data: dict[str, Any]) -> None:
    page.goto(at(data, data["reset_path"]))
    page.fill("#password", "short")
    page.fill("#confirm", "other")
    click_and_wait(page, "main form button[type=submit]")


def _login_code(page: Any, data: dict[str, Any]) -> None:
    """The password of an account with two-factor authentication: the code is asked next."""
    page.goto(at(data, "/account/login"))
    page.fill("#email", data["secured"])
    page.fill("#password", PASSWORD)
    click_and_wait(page, "main form.card button[type=submit]")


def _settings_with_errors(page: Any, data: dict[str, Any]) -> None:
    page.goto(at(data, "/account/settings"))
    page.fill("#current_password", "not my password")
    page.fill("#password", "a-long-enough-password")
    page.fill("#confirm", "a-long-enough-password")
    click_and_wait(page, "form[action$='/settings/password'] button[type=submit]")


def _call_with_errors(page: Any, data: dict[str, Any]) -> None:
    """The call's English form sent with a document address that is not http(s)."""
    page.goto(at(data, "/admin/call?language=en"))
    page.fill("#documents", "Circular letter | ftp://example.org/circular.pdf")
    page.fill("#contact_email", "not an address")
    click_and_wait(page, "#call-form button[type=submit]")


def _enrol(page: Any, data: dict[str, Any]) -> None:
    """Press "Set up": the QR code and the key."""
    page.goto(at(data, "/account/two-factor"))
    click_and_wait(page, "form[action$='/two-factor/setup'] button[type=submit]")


def _recovery_codes(page: Any, data: dict[str, Any]) -> None:
    """Type the app's code (from the secret shown on the page): on, with recovery codes."""
    import pyotp

    secret = page.locator("#totp-secret").inner_text().strip()
    page.fill("#code", pyotp.TOTP(secret).now())
    click_and_wait(page, "form[action$='/two-factor/enable'] button[type=submit]")


def _refused_unconfirmed(page: Any, data: dict[str, Any]) -> None:
    """ "Submit" from an account whose address is unconfirmed: kept as a draft, not sent."""
    page.goto(at(data, "/submit/initiative"))
    fill_submission(page, **COMPLETE_FORM)
    click_and_wait(page, "button[value=submit]")


def _reminders_stopped(page: Any, data: dict[str, Any]) -> None:
    """The link in a reminder, its button pressed (in the first language; then the page
    says they are off already)."""
    page.goto(at(data, data["stopping_path"]))
    if page.locator("main form button[type=submit]").count():
        click_and_wait(page, "main form button[type=submit]")


def _delete_with_errors(page: Any, data: dict[str, Any]) -> None:
    """Delete with no choice made and no password: both said where they belong."""
    page.goto(at(data, "/account/delete"))
    click_and_wait(page, "main form button[type=submit]")


# name, who looks, how to get there (after page_tour's own, in this order: the two-factor
# pages follow each other, and the page after them turns it off again).
PAGE_TYPES: list[tuple[str, str, Action]] = [
    ("forgot", "visitor", _goto(lambda d: "/account/forgot")),
    ("forgot-sent", "visitor", _forgot_sent),
    ("reset", "visitor", _goto(lambda d: d["reset_path"])),
    ("reset-with-errors", "visitor", _reset_with_errors),
    ("reset-link-problem", "visitor", _goto(lambda d: f"/account/reset/{BAD_LINK}")),
    ("change-link-problem", "visitor", _goto(lambda d: f"/account/email/{BAD_LINK}")),
    ("invitation-link-problem", "visitor", _goto(lambda d: f"/invitation/{BAD_LINK}")),
    ("confirm-change", "visitor", _goto(lambda d: d["change_path"])),
    ("stop-reminders", "visitor", _goto(lambda d: d["stop_path"])),
    ("reminders-stopped", "visitor", _reminders_stopped),
    ("stop-link-problem", "visitor", _goto(lambda d: f"/account/reminders/stop/{BAD_LINK}")),
    ("invitation", "visitor", _goto(lambda d: d["invitation_path"])),
    ("privacy-notice", "visitor", _goto(lambda d: "/privacy")),
    ("login-code", "visitor", _login_code),
    ("submit-unconfirmed", "unconfirmed", _refused_unconfirmed),
    ("settings", "submitter", _goto(lambda d: "/account/settings")),
    ("settings-with-errors", "submitter", _settings_with_errors),
    ("two-factor-off", "submitter", _then(_two_factor_off, _goto(lambda d: "/account/two-factor"))),
    ("two-factor-enrol", "submitter", _enrol),
    ("recovery-codes", "submitter", _recovery_codes),
    ("two-factor-on", "submitter", _goto(lambda d: "/account/two-factor")),
    ("export", "submitter", _then(_two_factor_off, _goto(lambda d: "/account/export"))),
    ("delete-account", "submitter", _goto(lambda d: "/account/delete")),
    ("delete-account-with-errors", "submitter", _delete_with_errors),
    ("admin-accounts", "admin", _goto(lambda d: "/admin/accounts")),
    ("admin-account", "admin", _goto(lambda d: f"/admin/accounts/{d['submitter_id']}")),
    ("admin-call", "admin", _goto(lambda d: "/admin/call?language=fr")),
    ("admin-call-with-errors", "admin", _call_with_errors),
]
EXPECTED_STATUS = {
    "reset-with-errors": 422,
    "reset-link-problem": 400,
    "change-link-problem": 400,
    "invitation-link-problem": 400,
    "stop-link-problem": 400,
    "submit-unconfirmed": 403,
    "settings-with-errors": 422,
    "delete-account-with-errors": 422,
    "admin-call-with-errors": 422,
}
# The pages with a form sent back with errors (test_accessibility.py checks their summary).
WITH_ERRORS = [
    "reset-with-errors",
    "settings-with-errors",
    "delete-account-with-errors",
    "admin-call-with-errors",
]
WITHOUT_COUNTER = {"reset-with-errors", "delete-account-with-errors"}
