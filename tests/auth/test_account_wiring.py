"""The account pieces together: the account page links its own data and two-factor pages;
deleting an account hands work over to co-editors; deleted and deactivated accounts are
refused alike by the admin pages, the last-admin rule, invitations and the reset form; two-
factor holds across reset, password change and "log out everywhere"."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from hub.audit.models import Action, AuditEvent
from hub.auth.models import Role, User
from hub.clock import clock as hub_clock
from hub.extensions import db
from hub.submissions.editors import Invitation, InvitationStatus, SubmissionEditor
from hub.submissions.invitations import why_cannot_accept
from hub.submissions.models import Status, Submission

from helpers import PASSWORD, Browser, events, expect, log_in_with_code, outbox, page_text, row


@pytest.fixture
def people(app: Flask, create_user) -> dict[str, User]:
    """A person who will leave, two colleagues and a third owner, all confirmed."""
    return {
        "dana": create_user(email="dana@example.org", name="Dana Leaving"),
        "cleo": create_user(email="cleo@example.org", name="Cleo Colleague"),
        "kim": create_user(email="kim@example.org", name="Kim Colleague"),
        "olga": create_user(email="olga@example.org", name="Olga Owner"),
    }


def _invite(app: Flask, owner: Browser, item_id: int, email: str) -> str:
    expect(owner.post(f"/my/{item_id}/invite", data={"email": email}), 302)
    [*_, mail] = [m for m in outbox(app) if m.to_addr == email and m.kind == "invitation"]
    return re.search(r"https?://[^/\s]+(/invitation/\S+)", mail.body).group(1)


def join(app: Flask, owner: Browser, item_id: int, colleague: Browser) -> None:
    """Invite the colleague and accept in their own browser."""
    link = _invite(app, owner, item_id, colleague.user.email)
    expect(colleague.post(link, data={"action": "accept"}), 302)


def editors(app: Flask, item_id: int) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(SubmissionEditor.user_id).where(SubmissionEditor.submission_id == item_id)
            )
        )


def _delete(browser: Browser, **choices: str) -> Any:
    expect(browser.get("/account/delete"), 200)
    return browser.post("/account/delete", data={"password": PASSWORD, **choices})


def _set(app: Flask, user: User, **values: Any) -> None:
    with app.app_context():
        found = db.session.get(User, user.id)
        for key, value in values.items():
            setattr(found, key, value)
        db.session.commit()


T0 = datetime(2026, 12, 1, 9, 0, 0, tzinfo=UTC)


# --- The account page -----------------------------------------------------------------------


def test_the_account_page_links_two_factor_own_data_and_the_privacy_notice(app, people):
    page = expect(Browser(app, people["dana"]).get("/account/settings"), 200).text
    for href in ("/account/two-factor", "/account/export", "/account/delete", "/privacy"):
        assert f'href="{href}"' in page, href
    assert "Two-factor authentication is off." in page_text(page)


# --- Deleting an account with co-editors ----------------------------------------------------


def test_deleting_hands_work_over_to_co_editors_and_leaves_what_the_person_co_edits(
    app, people, create_submission_for
):
    dana, cleo, kim, olga = (Browser(app, people[k]) for k in ("dana", "cleo", "kim", "olga"))
    published = create_submission_for(people["dana"], Status.APPROVED, title="Shared item")
    shared_draft = create_submission_for(people["dana"], Status.DRAFT, title="Shared draft")
    own_draft = create_submission_for(people["dana"], Status.DRAFT, title="Own draft")
    theirs = create_submission_for(people["olga"], Status.DRAFT, title="Olga's")
    join(app, dana, published.id, cleo)
    join(app, dana, published.id, kim)
    join(app, dana, shared_draft.id, kim)
    join(app, olga, theirs.id, dana)
    _invite(app, dana, published.id, "pending@example.org")  # sent by Dana: goes
    _invite(app, olga, theirs.id, "dana2@example.org")  # to another address: stays
    olgas_other = create_submission_for(people["olga"], Status.DRAFT, title="Olga's other")
    _invite(app, olga, olgas_other.id, "dana@example.org")  # to Dana, unanswered: goes

    page = page_text(expect(dana.get("/account/delete"), 200).text)
    assert "Hand it over to Cleo Colleague (cleo@example.org)" in page
    assert "Hand it over to Kim Colleague (kim@example.org)" in page
    assert "(1) are not deleted: each goes to the co-editor who joined it first" in page
    assert "You leave the submissions you co-edit" in page

    done = _delete(dana, **{f"choice_{published.id}": f"hand_over:{people['kim'].id}"})
    assert done.status_code == 302, page_text(done.text)
    kim_id, dana_id = people["kim"].id, people["dana"].id
    assert row(app, published.id).owner_id == kim_id
    assert row(app, published.id).status is Status.APPROVED
    assert editors(app, published.id) == [people["cleo"].id]  # Dana is off it
    assert row(app, shared_draft.id).owner_id == kim_id  # not deleted: Kim's work too
    assert editors(app, shared_draft.id) == []
    with app.app_context():
        assert db.session.get(Submission, own_draft.id) is None
        pending = db.session.scalars(
            select(Invitation.email).where(Invitation.status == InvitationStatus.PENDING)
        ).all()
        assert list(pending) == ["dana2@example.org"]  # Olga's, to another address
        trail = " ".join(e.message or "" for e in db.session.scalars(select(AuditEvent)))
        assert "dana@example.org" not in trail
    assert editors(app, theirs.id) == []
    assert row(app, theirs.id).owner_id == people["olga"].id
    chosen = [e for e in events(app, published.id) if e.action is Action.OWNERSHIP_HANDED_OVER]
    assert [(e.actor_id, e.subject_user_id) for e in chosen] == [(dana_id, kim_id)]
    automatic = [
        e for e in events(app, shared_draft.id) if e.action is Action.OWNERSHIP_HANDED_OVER
    ]
    assert [(e.actor_id, e.subject_user_id) for e in automatic] == [(None, kim_id)]
    left = [e.actor_id for e in events(app, theirs.id) if e.action is Action.EDITOR_LEFT]
    assert left == [dana_id]
    # The new owner works on as before.
    assert expect(Browser(app, people["kim"]).get(f"/my/{published.id}"), 200)


def test_hand_over_is_not_offered_to_a_deactivated_co_editor_nor_accepted_forged(
    app, people, create_submission_for
):
    dana, cleo = Browser(app, people["dana"]), Browser(app, people["cleo"])
    item = create_submission_for(people["dana"], Status.APPROVED)
    join(app, dana, item.id, cleo)
    _set(app, people["cleo"], deactivated_at=hub_clock().now())
    assert "Hand it over to" not in page_text(dana.get("/account/delete").text)
    refused = _delete(dana, **{f"choice_{item.id}": f"hand_over:{people['cleo'].id}"})
    assert refused.status_code == 422
    assert "Choose what happens to this submission." in page_text(refused.text)
    assert row(app, item.id).owner_id == people["dana"].id


# --- Deleted and deactivated accounts -------------------------------------------------------


def test_the_admin_page_shows_a_deleted_account_and_refuses_to_revive_it(app, people, admin):
    assert _delete(Browser(app, people["dana"])).status_code == 302
    staff = Browser(app, admin)
    listing = page_text(staff.get("/admin/accounts?q=deleted-user").text)
    assert "Deleted" in listing
    page = page_text(expect(staff.get(f"/admin/accounts/{people['dana'].id}"), 200).text)
    assert "Deleted by its owner on" in page and "Reactivate" not in page
    message = "This account was deleted by its owner: it can never log in again"
    for path, data in (("role", {"role": "admin"}), ("active", {"action": "reactivate"})):
        answer = staff.post(f"/admin/accounts/{people['dana'].id}/{path}", data=data)
        assert answer.status_code == 409 and message in page_text(answer.text)
    with app.app_context():
        gone = db.session.get(User, people["dana"].id)
        assert gone.role is Role.SUBMITTER and gone.deleted_at is not None


def test_a_deactivated_admin_does_not_count_as_another_admin(app, admin, create_user):
    other = create_user(role=Role.ADMIN, email="other.admin@example.org")
    _set(app, other, deactivated_at=hub_clock().now())
    me = Browser(app, admin)
    # Deleting the account: the one active admin cannot.
    page = me.post("/account/delete", data={"password": PASSWORD})
    assert page.status_code == 403 and "only administrator" in page_text(page.text)
    # Demoting oneself: the same rule.
    refused = me.post(f"/admin/accounts/{admin.id}/role", data={"role": "submitter"})
    assert refused.status_code == 409 and "last active administrator" in page_text(refused.text)
    # Once the other is active again, either may go.
    expect(me.post(f"/admin/accounts/{other.id}/active", data={"action": "reactivate"}), 303)
    assert _delete(me).status_code == 302


def test_a_deactivated_or_deleted_account_cannot_accept_an_invitation(
    app, people, create_submission_for
):
    item = create_submission_for(people["olga"], Status.DRAFT)
    _invite(app, Browser(app, people["olga"]), item.id, "cleo@example.org")
    _set(app, people["cleo"], deactivated_at=hub_clock().now())
    with app.test_request_context():
        invitation = db.session.scalar(select(Invitation))
        cleo = db.session.get(User, people["cleo"].id)
        assert "cannot accept invitations" in (why_cannot_accept(invitation, cleo) or "")
        cleo.deactivated_at, cleo.deleted_at = None, hub_clock().now()
        assert "cannot accept invitations" in (why_cannot_accept(invitation, cleo) or "")


def test_reset_for_a_deleted_accounts_address_answers_as_for_an_unknown_one(app, people):
    assert _delete(Browser(app, people["dana"])).status_code == 302
    with app.app_context():
        alias = db.session.get(User, people["dana"].id).email
    before = len(outbox(app))
    unknown = "deleted-user-000000000000@deleted.invalid"
    answers = [Browser(app).post("/account/forgot", data={"email": e}) for e in (alias, unknown)]
    assert answers[0].status_code == answers[1].status_code
    texts = [page_text(a.text).replace(alias, "ADDRESS") for a in answers]
    assert texts[0] == texts[1].replace(unknown, "ADDRESS")
    assert outbox(app)[before:] == []  # no mail, no link: nothing for anyone to find


# --- Two-factor across the flows ------------------------------------------------------------


def test_a_reset_with_two_factor_sends_to_log_in_with_the_code(app, people, enrol):
    secret = enrol(people["dana"])
    visitor = Browser(app)
    expect(visitor.post("/account/forgot", data={"email": "dana@example.org"}), 302)
    [*_, mail] = [m for m in outbox(app) if m.to_addr == "dana@example.org"]
    link = re.search(r"https?://[^/\s]+(/account/reset/\S+)", mail.body).group(1)
    new = "a brand new passphrase"
    done = visitor.post(link, data={"password": new, "confirm": new})
    assert done.status_code == 302 and done.location.endswith("/account/login")
    assert visitor.get("/my/").status_code == 302  # not logged in by the link
    step = visitor.post("/account/login", data={"email": "dana@example.org", "password": new})
    assert step.location.endswith("/account/login/code")  # the code is still asked
    del secret


def test_password_change_and_log_out_everywhere_keep_two_factor(app, people, enrol, clock):
    secret = enrol(people["dana"])
    here, other = Browser(app), Browser(app)
    clock.freeze(T0)
    with app.app_context():
        assert log_in_with_code(here.client, "dana@example.org", secret, T0).status_code == 302
    later = T0 + timedelta(minutes=1)  # a code is accepted once: the next one
    clock.freeze(later)
    with app.app_context():
        assert log_in_with_code(other.client, "dana@example.org", secret, later).status_code == 302
    assert here.get("/my/").status_code == 200 and other.get("/my/").status_code == 200
    new = "another long passphrase"
    changed = here.post(
        "/account/settings/password",
        data={"current_password": PASSWORD, "password": new, "confirm": new},
    )
    assert changed.status_code == 302
    assert here.get("/account/settings").status_code == 200  # this browser stays in
    assert other.get("/my/").status_code == 302  # the other is out
    expect(here.post("/account/logout-everywhere"), 302)
    assert here.get("/my/").status_code == 302
    step = here.post("/account/login", data={"email": "dana@example.org", "password": new})
    assert step.location.endswith("/account/login/code")  # two-factor is still on


def test_a_moderator_required_to_enrol_reaches_enrolment_and_the_account_page(
    make_app, create_user
):
    app = make_app(HUB_STAFF_2FA="required")
    moderator = create_user(role=Role.MODERATOR, email="mona@example.org")
    browser = Browser(app, moderator)
    assert browser.get("/admin/accounts").status_code in (303, 403)
    assert browser.get("/moderation/").location.endswith("/account/two-factor")
    assert expect(browser.get("/account/two-factor"), 200)
    assert expect(browser.get("/account/settings"), 200)
    expect(browser.post("/account/two-factor/setup"), 303)


# --- Registering from an invitation ---------------------------------------------------------


def test_registering_from_an_invitation_comes_back_to_it_after_confirming(
    app, people, create_submission_for
):
    item = create_submission_for(people["olga"], Status.DRAFT, title="Team plan")
    link = _invite(app, Browser(app, people["olga"]), item.id, "newcomer@example.org")
    visitor = Browser(app)
    page = visitor.get(link).text
    register = re.search(r'href="(/account/register\?next=[^"]+)"', page).group(1)
    registered = visitor.post(
        register.replace("&amp;", "&"),
        data={
            "email": "newcomer@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "display_name": "Nia Newcomer",
        },
    )
    assert registered.status_code == 302, page_text(registered.text)
    [mail] = [m for m in outbox(app) if m.to_addr == "newcomer@example.org" and m.kind == "confirm"]
    confirm = re.search(r"https?://[^/\s]+(/account/confirm/\S+)", mail.body).group(1)
    assert re.search(r"\?next=(/|%2F)invitation(/|%2F)", confirm)
    form = visitor.get(confirm).text
    action = re.search(r'<form method="post" action="([^"]+)"', form).group(1)
    done = visitor.post(action.replace("&amp;", "&"))
    assert done.status_code == 302 and done.location == link
    expect(visitor.post(link, data={"action": "accept"}), 302)
    with app.app_context():
        newcomer = db.session.scalar(select(User).where(User.email == "newcomer@example.org"))
        assert editors(app, item.id) == [newcomer.id]


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil"])
def test_a_confirmation_link_never_leads_off_the_site(app, create_user, target):
    from hub.auth.tokens import confirmation_token

    newcomer = create_user(email="nia@example.org", confirmed=False)
    with app.test_request_context():
        token = confirmation_token(db.session.get(User, newcomer.id))
    done = Browser(app).client.post(f"/account/confirm/{token}", query_string={"next": target})
    assert done.status_code == 302 and done.location == "/my/"
