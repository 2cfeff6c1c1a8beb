"""A person's own data: "Download my data" holds everything and no secret; "Delete my account"
asks for the password, deletes drafts, withdraws or keeps each submission as chosen, and
leaves nothing that breaks a page, the API, an export or the audit CSV; the privacy notice."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from hub.audit.models import Action, AuditEvent
from hub.auth.models import Role, User, UserSession
from hub.extensions import db
from hub.mail.models import OutboxMail
from hub.moderation import operations as moderation
from hub.ratelimit import RateLimitHit, account_buckets
from hub.submissions.deadlines import DeadlineException
from hub.submissions.models import Status, Submission
from hub.submissions.revisions import Revision

from helpers import PASSWORD, Browser, decision_form, page_version, propose, text_of


@pytest.fixture
def person(create_user) -> User:
    """A submitter with a name and an address easy to look for."""
    return create_user(email="dana.delete@example.org", name="Dana Delete")


def _grant_exception(app: Flask, user: User, reason: str = "Flight delayed") -> None:
    with app.app_context():
        moderator = db.session.scalar(select(User).where(User.role == Role.MODERATOR))
        if moderator is None:
            moderator = User(
                email="mod@example.org", password_hash="x", display_name="Mo", role=Role.MODERATOR
            )
            db.session.add(moderator)
            db.session.flush()
        moderation.grant_exception(
            db.session.get(User, user.id), datetime.now(UTC) + timedelta(days=3), reason, moderator
        )
        db.session.commit()


def _download(browser: Browser) -> dict[str, Any]:
    response = browser.get("/account/export/download")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return json.loads(response.get_data(as_text=True))


# --- Download my data -------------------------------------------------------------------


def test_export_page_says_what_the_file_holds_and_links_the_download(app, person) -> None:
    browser = Browser(app, person)
    page = text_of(browser.get("/account/export"))
    assert "What the file contains" in page
    assert 'href="/account/export/download"' in page


def test_export_needs_a_login(client) -> None:
    assert client.get("/account/export/download").status_code == 302


def test_export_holds_profile_submissions_versions_decisions_mails_and_sessions(
    app, person, create_submission_for
) -> None:
    approved = create_submission_for(person, Status.APPROVED, title="Clean water for all")
    rejected = create_submission_for(person, Status.REJECTED, title="Too far off")
    propose(app, approved.id, person, title="Clean water for everyone")
    _grant_exception(app, person)
    browser = Browser(app, person)
    data = _download(browser)

    assert data["format"] == "partnerships-hub-account-export"
    assert data["format_version"] == 1
    account = data["account"]
    assert account["email"] == "dana.delete@example.org"
    assert account["display_name"] == "Dana Delete"
    assert account["organisation"] == "Test Org"
    assert account["roles"] == ["submitter"]
    assert {"created_at", "email_confirmed_at", "language", "last_login_at"} <= set(account)

    by_id = {s["id"]: s for s in data["submissions"]}
    assert set(by_id) == {approved.id, rejected.id}
    kept = by_id[approved.id]
    assert kept["content"]["title"] == "Clean water for all"
    assert kept["content"]["contact_email"]  # their own private contact is theirs to see
    assert kept["public_url"].endswith(f"/s/{approved.slug}")
    assert [r["content"]["title"] for r in kept["revisions"]] == ["Clean water for everyone"]
    assert [d["action"] for d in kept["decisions"]] == ["approved"]
    assert {h["action"] for h in kept["history"]} >= {"created", "submitted"}
    refusal = by_id[rejected.id]["decisions"][0]
    assert refusal["action"] == "rejected" and refusal["message"] == "Out of scope."
    assert refusal["by"] == "moderator"

    assert data["deadline_exceptions"][0]["reason"] == "Flight delayed"
    assert any(m["kind"] == "receipt" for m in data["mails"])
    assert all(m["to"] == "dana.delete@example.org" for m in data["mails"])
    assert data["sessions"] and data["sessions"][0]["ended_at"] is None
    assert any(e["action"] == "exception_granted" for e in data["account_events"])


def test_export_holds_no_secret_and_no_moderator_identity(
    app, person, create_submission_for
) -> None:
    create_submission_for(person, Status.APPROVED)
    browser = Browser(app, person)
    raw = browser.get("/account/export/download").get_data(as_text=True)
    with app.app_context():
        user = db.session.get(User, person.id)
        secrets_ = [user.password_hash, *db.session.scalars(select(UserSession.token_hash))]
        forms = db.session.scalars(select(Submission.form_token)).all()
    for secret in [*secrets_, *[f for f in forms if f]]:
        assert secret not in raw
    assert not [k for k in _keys(json.loads(raw)) if "password" in k or "token" in k]
    assert "factory-moderator@example.org" not in raw and "Factory Moderator" not in raw


def _keys(value: Any) -> list[str]:
    """Every key of a JSON document, at any depth."""
    if isinstance(value, dict):
        return [*value, *(k for v in value.values() for k in _keys(v))]
    if isinstance(value, list):
        return [k for v in value for k in _keys(v)]
    return []


# --- Delete my account --------------------------------------------------------------------


def _delete(browser: Browser, password: str = PASSWORD, **choices: str) -> Any:
    page = browser.get("/account/delete")
    assert page.status_code == 200
    return browser.post("/account/delete", data={"password": password, **choices})


def test_a_wrong_password_deletes_nothing_and_keeps_the_choices(
    app, person, create_submission_for
) -> None:
    item = create_submission_for(person, Status.APPROVED)
    browser = Browser(app, person)
    response = _delete(browser, "wrong password!", **{f"choice_{item.id}": "keep"})
    assert response.status_code == 422
    assert "The password is wrong." in text_of(response)
    assert 'value="keep" checked' in text_of(response)
    with app.app_context():
        assert db.session.get(User, person.id).deleted_at is None
    assert browser.get("/my/").status_code == 200


def test_each_public_submission_needs_a_choice(app, person, create_submission_for) -> None:
    item = create_submission_for(person, Status.APPROVED)
    browser = Browser(app, person)
    response = _delete(browser)
    assert response.status_code == 422
    assert "Choose what happens to this submission." in text_of(response)
    assert f'href="#choice_{item.id}-field"' in text_of(response)


def test_the_last_admin_cannot_delete_their_account(app, create_user) -> None:
    admin = create_user(role=Role.ADMIN)
    browser = Browser(app, admin)
    page = text_of(browser.get("/account/delete"))
    assert "only administrator" in page
    response = browser.post("/account/delete", data={"password": PASSWORD})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(User, admin.id).deleted_at is None
    create_user(role=Role.ADMIN)  # with a second admin, the first may go
    assert browser.post("/account/delete", data={"password": PASSWORD}).status_code == 302


def test_deletion_deletes_drafts_withdraws_or_keeps_as_chosen_and_scrubs_the_person(
    app, person, create_submission_for
) -> None:
    draft = create_submission_for(person, Status.DRAFT)
    keep = create_submission_for(person, Status.APPROVED, lead_organisation="Water Org")
    withdraw = create_submission_for(person, Status.APPROVED)
    pending = create_submission_for(person, Status.SUBMITTED)
    propose(app, keep.id, person, title="A pending update")
    _grant_exception(app, person)
    browser = Browser(app, person)
    other_browser = Browser(app, person)
    response = _delete(
        browser,
        **{
            f"choice_{keep.id}": "keep",
            f"choice_{withdraw.id}": "withdraw",
            f"choice_{pending.id}": "keep",
        },
    )
    assert response.status_code == 302
    assert browser.get("/my/").status_code == 302  # logged out here
    assert other_browser.get("/my/").status_code == 302  # and everywhere

    with app.app_context():
        user = db.session.get(User, person.id)
        assert user.deleted_at is not None
        assert user.email.startswith("deleted-user-") and user.email.endswith("@deleted.invalid")
        assert user.display_name.startswith("deleted-user-") and user.organisation == ""
        assert db.session.get(Submission, draft.id) is None
        kept = db.session.get(Submission, keep.id)
        assert kept.status is Status.APPROVED
        assert (kept.contact_name, kept.contact_email) == ("Water Org", "")
        revision = db.session.scalar(select(Revision).where(Revision.submission_id == keep.id))
        assert revision.content["contact_email"] == ""
        assert db.session.get(Submission, withdraw.id).status is Status.WITHDRAWN
        assert db.session.get(Submission, pending.id).status is Status.SUBMITTED
        assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0
        assert not db.session.scalars(
            select(OutboxMail).where(OutboxMail.to_addr == "dana.delete@example.org")
        ).all()
        assert not db.session.scalars(select(DeadlineException)).all()
        deleted = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == Action.ACCOUNT_DELETED)
        )
        assert deleted.subject_user_id == person.id
        assert (
            "dana"
            not in json.dumps([e.message for e in db.session.scalars(select(AuditEvent))]).lower()
        )


def test_deleted_account_cannot_log_in_and_its_address_registers_again(app, person, client) -> None:
    browser = Browser(app, person)
    assert _delete(browser).status_code == 302
    login = client.post("/account/login", data={"email": person.email, "password": PASSWORD})
    assert login.status_code == 422
    response = client.post(
        "/account/register",
        data={
            "email": person.email,
            "display_name": "Dana Again",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 302
    with app.app_context():
        again = db.session.scalar(select(User).where(User.email == person.email))
        assert again is not None and again.id != person.id and again.deleted_at is None


def test_no_mail_is_queued_to_a_deleted_account(app, person, create_submission_for) -> None:
    pending = create_submission_for(person, Status.SUBMITTED)
    assert _delete(Browser(app, person), **{f"choice_{pending.id}": "keep"}).status_code == 302
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(OutboxMail))
        moderator = db.session.scalar(select(User).where(User.role == Role.MODERATOR))
        moderation.approve_submission(db.session.get(Submission, pending.id), moderator)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == before


def test_the_accounts_throttling_counts_go_with_it(app_config, make_app, create_user) -> None:
    app = make_app(HUB_RATELIMIT_ENABLED=True)
    person = create_user(email="dana.delete@example.org")
    browser = Browser(app, person)
    browser.post("/account/delete", data={"password": "wrong password!"})
    with app.test_request_context():
        mine = account_buckets(person.id, person.email, "127.0.0.1")
        counted = select(RateLimitHit.bucket).where(RateLimitHit.bucket.in_(mine))
        assert len(db.session.scalars(counted).all()) == 2  # the login, the wrong password
    assert _delete(browser).status_code == 302
    with app.test_request_context():
        assert db.session.scalars(counted).all() == []
        # The per-address counts stay: they are nobody's.
        assert db.session.scalar(select(func.count()).select_from(RateLimitHit)) == 3


def test_nothing_breaks_after_a_deletion(app, person, create_user, create_submission_for) -> None:
    keep = create_submission_for(person, Status.APPROVED, title="Kept after the owner left")
    gone = create_submission_for(person, Status.APPROVED, title="Withdrawn as the owner left")
    pending = create_submission_for(person, Status.SUBMITTED, title="Still in the queue")
    rejected = create_submission_for(person, Status.REJECTED)
    choices = {f"choice_{keep.id}": "keep", f"choice_{gone.id}": "withdraw"}
    choices[f"choice_{pending.id}"] = "keep"
    assert _delete(Browser(app, person), **choices).status_code == 302

    visitor = Browser(app)
    detail = visitor.get(f"/s/{keep.slug}")
    assert detail.status_code == 200 and "Kept after the owner left" in text_of(detail)
    assert "Dana" not in text_of(detail)
    assert visitor.get(f"/s/{gone.slug}").status_code == 404
    for url in ("/", "/browse", "/search?q=owner", "/stats", "/feed.atom", "/export.csv"):
        response = visitor.get(url)
        assert response.status_code == 200, url
        assert "dana" not in response.get_data(as_text=True).lower(), url
    listed = visitor.get("/export.json").get_json()
    assert "Kept after the owner left" in json.dumps(listed)
    api = visitor.get("/api/v1/submissions").get_json()
    assert "Withdrawn as the owner left" not in json.dumps(api)
    assert visitor.get(f"/api/v1/submissions/{keep.slug}").status_code == 200

    moderator = Browser(app, create_user(role=Role.MODERATOR))
    for url in (
        "/moderation/",
        "/moderation/?status=all",
        f"/moderation/{keep.id}",
        f"/moderation/{pending.id}",
        f"/moderation/{rejected.id}",
        "/moderation/exceptions",
        "/moderation/dashboard",
    ):
        response = moderator.get(url)
        assert response.status_code == 200, url
        assert "dana" not in response.get_data(as_text=True).lower(), url
    audit = Browser(app, create_user(role=Role.ADMIN)).get("/moderation/audit.csv")
    assert audit.status_code == 200
    assert "account_deleted" in audit.get_data(as_text=True)
    assert "dana" not in audit.get_data(as_text=True).lower()


# --- The privacy notice -----------------------------------------------------------------------


def test_privacy_notice_is_linked_from_every_page_and_registration(client) -> None:
    for url in ("/", "/browse", "/account/login"):
        assert 'href="/privacy"' in client.get(url).get_data(as_text=True), url
    register = client.get("/account/register").get_data(as_text=True)
    assert register.count('href="/privacy"') >= 2  # the footer and the form


def test_privacy_notice_names_the_data_controller_from_the_setting(make_app) -> None:
    app = make_app(HUB_DATA_CONTROLLER="ITU Data Protection Officer, dpo@itu.example")
    page = text_of(app.test_client().get("/privacy"))
    assert "ITU Data Protection Officer, dpo@itu.example" in page
    assert "Who sees your private contact e-mail" in page
    assert "hub_lang" in page


def test_privacy_notice_without_a_controller_shows_a_placeholder_and_warns_admins(
    app, client, create_user
) -> None:
    page = text_of(client.get("/privacy"))
    assert "Not yet named by the operator of this hub." in page
    assert "HUB_DATA_CONTROLLER" not in page  # a visitor is not told about settings
    admin = Browser(app, create_user(role=Role.ADMIN))
    assert "HUB_DATA_CONTROLLER" in text_of(admin.get("/privacy"))


def test_changes_cannot_be_requested_of_an_owner_who_left(
    app, person, create_user, create_submission_for
) -> None:
    pending = create_submission_for(person, Status.SUBMITTED)
    assert _delete(Browser(app, person), **{f"choice_{pending.id}": "keep"}).status_code == 302
    moderator = Browser(app, create_user(role=Role.MODERATOR))
    review = text_of(moderator.get(f"/moderation/{pending.id}"))
    assert "The owner deleted their account" in review
    assert re.search(r'<button[^>]*value="request_changes"[^>]*disabled', review)
    version = page_version(moderator, pending.id)
    response = moderator.post(
        f"/moderation/{pending.id}/decide",
        data=decision_form("request_changes", version, message="Please add partners."),
    )
    assert response.status_code == 409
    approved = moderator.post(
        f"/moderation/{pending.id}/decide", data=decision_form("approve", version)
    )
    assert approved.status_code == 302
    with app.app_context():
        assert db.session.get(Submission, pending.id).status is Status.APPROVED


def test_password_guesses_at_the_deletion_form_are_throttled(make_app, create_user) -> None:
    app = make_app(
        HUB_RATELIMIT_ENABLED=True, HUB_RATELIMIT_PASSWORD="2 per 15 minutes per account"
    )
    person = create_user()
    browser = Browser(app, person)
    for _ in range(2):
        wrong = browser.post("/account/delete", data={"password": "wrong password!"})
        assert wrong.status_code == 422
    response = browser.post("/account/delete", data={"password": PASSWORD})
    assert response.status_code == 429
    assert response.headers["Retry-After"]
    with app.app_context():
        assert db.session.get(User, person.id).deleted_at is None
