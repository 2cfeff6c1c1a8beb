"""Co-editors: the owner invites colleagues by e-mail; once they accept, they edit, submit
and withdraw like the owner, and hear about the submission by e-mail in their language."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from hub.audit.models import Action
from hub.auth.models import User
from hub.clock import clock as hub_clock
from hub.extensions import db
from hub.moderation import operations as moderation
from hub.submissions.editors import Invitation, InvitationStatus, SubmissionEditor
from hub.submissions.invitations import hand_over, remove_person
from hub.submissions.models import Status, Submission

from helpers import Browser, events, expect, form_data, outbox, page_text, row


@pytest.fixture
def people(app: Flask, create_user) -> dict[str, User]:
    """An owner, a colleague and a stranger, all with confirmed addresses."""
    made = {
        "owner": create_user(email="olga@example.org", name="Olga Owner"),
        "colleague": create_user(email="Cleo@Example.org", name="Cleo Colleague"),
        "stranger": create_user(email="sam@example.org", name="Sam Stranger"),
    }
    with app.app_context():
        for user in made.values():
            db.session.get(User, user.id).email_confirmed_at = hub_clock().now()
        db.session.commit()
    return made


@pytest.fixture
def item(people, create_submission_for) -> Submission:
    """Olga's draft."""
    return create_submission_for(people["owner"], status=Status.DRAFT, title="Shared draft")


def invitation_link(app: Flask, to: str) -> str:
    """The path of the newest invitation link mailed to `to`."""
    mails = [m for m in outbox(app) if m.to_addr == to and m.kind == "invitation"]
    assert mails, f"no invitation mailed to {to}"
    found = re.search(r"https?://[^/\s]+(/invitation/\S+)", mails[-1].body)
    assert found, mails[-1].body
    return found.group(1)


def invite(browser: Browser, item_id: int, email: str, status: int = 302) -> Any:
    """The owner's invitation form, posted."""
    return expect(browser.post(f"/my/{item_id}/invite", data={"email": email}), status)


def join(app: Flask, owner: Browser, item_id: int, colleague: Browser) -> None:
    """Invite the colleague and accept in their own browser."""
    invite(owner, item_id, colleague.user.email)
    link = invitation_link(app, colleague.user.email)
    expect(colleague.post(link, data={"action": "accept"}), 302)


def editors(app: Flask, item_id: int) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(SubmissionEditor.user_id).where(SubmissionEditor.submission_id == item_id)
            )
        )


def test_an_invited_colleague_accepts_and_then_edits_submits_and_withdraws(app, people, item):
    owner, colleague = Browser(app, people["owner"]), Browser(app, people["colleague"])
    invite(owner, item.id, "cleo@example.org")
    link = invitation_link(app, "cleo@example.org")
    opened = expect(colleague.get(link), 200)
    assert "Olga Owner invites cleo@example.org to co-edit “Shared draft”" in page_text(opened.text)
    assert editors(app, item.id) == []  # opening the link (a mail scanner) changes nothing
    expect(colleague.post(link, data={"action": "accept"}), 302)
    assert editors(app, item.id) == [people["colleague"].id]

    mine = page_text(expect(colleague.get("/my/"), 200).text)
    assert "Shared draft" in mine and "Co-editor (owner: Olga Owner)" in mine
    expect(
        colleague.post(f"/my/{item.id}/edit", data=form_data(action="save", title="Better")), 302
    )
    expect(colleague.post(f"/my/{item.id}/edit", data=form_data(title="Better")), 302)
    assert row(app, item.id).status is Status.SUBMITTED
    # The receipt goes to both, the owner staying the owner.
    receipts = [m.to_addr for m in outbox(app) if m.kind == "receipt"]
    assert sorted(receipts) == ["cleo@example.org", "olga@example.org"]
    expect(colleague.post(f"/my/{item.id}/withdraw"), 302)
    stored = row(app, item.id)
    assert stored.status is Status.WITHDRAWN and stored.owner_id == people["owner"].id
    done = {(e.action, e.actor_id) for e in events(app, item.id)}
    for action in (Action.EDITOR_JOINED, Action.EDITOR_JOINED, Action.EDITED, Action.SUBMITTED):
        assert (action, people["colleague"].id) in done
    assert (Action.WITHDRAWN, people["colleague"].id) in done
    # The history on the submission's page names who did what.
    history = page_text(expect(owner.get(f"/my/{item.id}"), 200).text)
    assert "withdrawn by Cleo Colleague" in history and "created by Olga Owner" in history


def test_everyone_on_a_submission_hears_the_decision_in_their_own_language(
    app, people, create_submission_for, moderator
):
    item = create_submission_for(people["owner"], status=Status.SUBMITTED, title="Pour tous")
    with app.app_context():
        db.session.get(User, people["owner"].id).language = "fr"
        db.session.get(User, people["colleague"].id).language = "es"
        db.session.commit()
    join(app, Browser(app, people["owner"]), item.id, Browser(app, people["colleague"]))
    with app.app_context():
        moderation.approve_submission(
            db.session.get(Submission, item.id), db.session.get(User, moderator.id)
        )
        db.session.commit()
    decisions = {m.to_addr: m for m in outbox(app) if m.kind == "decision"}
    assert set(decisions) == {"olga@example.org", "cleo@example.org"}
    assert decisions["olga@example.org"].subject.startswith("Approuvée et publiée")
    assert "Bonjour Olga Owner" in decisions["olga@example.org"].body
    assert "Buenos días, Cleo Colleague" in decisions["cleo@example.org"].body


def test_the_owner_removes_a_co_editor_who_then_sees_nothing(app, people, item):
    owner, colleague = Browser(app, people["owner"]), Browser(app, people["colleague"])
    join(app, owner, item.id, colleague)
    expect(
        owner.post(f"/my/{item.id}/editors/remove", data={"user_id": people["colleague"].id}), 302
    )
    assert editors(app, item.id) == []
    expect(colleague.get(f"/my/{item.id}"), 404)
    assert "Shared draft" not in colleague.get("/my/").text
    removed = [e for e in events(app, item.id) if e.action is Action.EDITOR_REMOVED]
    assert [(e.actor_id, e.subject_user_id) for e in removed] == [
        (people["owner"].id, people["colleague"].id)
    ]


def test_a_co_editor_leaves(app, people, item):
    owner, colleague = Browser(app, people["owner"]), Browser(app, people["colleague"])
    join(app, owner, item.id, colleague)
    mine = people["colleague"].id
    expect(colleague.post(f"/my/{item.id}/editors/remove", data={"user_id": mine}), 302)
    assert editors(app, item.id) == []
    assert [e.actor_id for e in events(app, item.id) if e.action is Action.EDITOR_LEFT] == [mine]


def test_the_owner_hands_over_and_becomes_a_co_editor(app, people, item):
    owner, colleague = Browser(app, people["owner"]), Browser(app, people["colleague"])
    join(app, owner, item.id, colleague)
    new_owner = people["colleague"].id
    expect(owner.post(f"/my/{item.id}/editors/hand-over", data={"user_id": new_owner}), 302)
    assert row(app, item.id).owner_id == new_owner
    assert editors(app, item.id) == [people["owner"].id]
    # Now only the new owner may invite; the old one is refused with a page that says why.
    refused = expect(owner.post(f"/my/{item.id}/invite", data={"email": "x@example.org"}), 403)
    assert "Only the owner of a submission can invite co-editors." in page_text(refused.text)
    invite(colleague, item.id, "x@example.org")


def test_hooks_for_account_deletion_hand_over_and_take_the_person_off(app, people, item):
    owner, colleague = Browser(app, people["owner"]), Browser(app, people["colleague"])
    join(app, owner, item.id, colleague)
    invite(owner, item.id, "pending@example.org")
    with app.app_context():
        leaving = db.session.get(User, people["owner"].id)
        submission = db.session.get(Submission, item.id)
        hand_over(submission, db.session.get(User, people["colleague"].id), None)
        assert remove_person(leaving) == []  # owns nothing any more
        db.session.commit()
        pending = db.session.scalar(
            select(func.count())
            .select_from(Invitation)
            .where(Invitation.status == InvitationStatus.PENDING)
        )
    assert row(app, item.id).owner_id == people["colleague"].id
    assert editors(app, item.id) == [] and pending == 0
    handed = [e for e in events(app, item.id) if e.action is Action.OWNERSHIP_HANDED_OVER]
    assert handed[0].actor_id is None  # the hub did it, not a person


def test_a_public_contact_is_listed_by_their_own_choice_never_with_an_address(
    app, people, create_submission_for
):
    item = create_submission_for(people["owner"], status=Status.APPROVED, contact_name="Olga O.")
    owner, colleague = Browser(app, people["owner"]), Browser(app, people["colleague"])
    join(app, owner, item.id, colleague)
    slug = row(app, item.id).slug
    before = page_text(Browser(app).get(f"/s/{slug}").text)  # cached for visitors
    assert "Cleo Colleague" not in before
    expect(colleague.post(f"/my/{item.id}/editors/public-contact", data={"listed": "1"}), 302)
    page = page_text(expect(Browser(app).get(f"/s/{slug}"), 200).text)
    assert "Olga O." in page and "Cleo Colleague, Test Org" in page
    assert "cleo@example.org" not in page
    api = Browser(app).get(f"/api/v1/submissions/{slug}").get_json()
    assert api["public_contacts"] == [
        {"name": "Olga O.", "organisation": ""},
        {"name": "Cleo Colleague", "organisation": "Test Org"},
    ]
    assert api["contact_name"] == "Olga O."  # the old key keeps its meaning
    [exported] = Browser(app).get("/export.json").get_json()
    assert exported["public_contacts"] == api["public_contacts"]


@pytest.mark.parametrize("cut", ["truncated", "forged", "garbage"])
def test_a_broken_link_gets_a_clear_page_and_changes_nothing(app, people, item, cut):
    owner, colleague = Browser(app, people["owner"]), Browser(app, people["colleague"])
    invite(owner, item.id, "cleo@example.org")
    link = invitation_link(app, "cleo@example.org")
    broken = {
        "truncated": link[:-6],
        "forged": link[: link.rindex(".") + 1] + "A" * 27,
        "garbage": "/invitation/%E2%80%AEnot-a-token",
    }[cut]
    for answer in (colleague.get(broken), colleague.post(broken, data={"action": "accept"})):
        expect(answer, 400)
        assert "This invitation link is not valid" in page_text(answer.text)
    assert editors(app, item.id) == []


def test_expired_used_and_revoked_links_say_so(app, people, item, clock):
    owner, colleague = Browser(app, people["owner"]), Browser(app, people["colleague"])
    invite(owner, item.id, "cleo@example.org")
    link = invitation_link(app, "cleo@example.org")
    clock.freeze(hub_clock_now(app) + timedelta(days=15))
    expired = expect(colleague.post(link, data={"action": "accept"}), 410)
    assert "This invitation has expired" in page_text(expired.text)
    clock.freeze(None)
    expect(colleague.post(link, data={"action": "accept"}), 302)
    used = expect(colleague.post(link, data={"action": "accept"}), 410)
    assert "already been answered" in page_text(used.text)

    invite(owner, item.id, "sam@example.org")
    second = invitation_link(app, "sam@example.org")
    with app.app_context():
        pending = db.session.scalar(
            select(Invitation).where(Invitation.status == InvitationStatus.PENDING)
        )
    expect(owner.post(f"/my/{item.id}/invitations/{pending.id}/revoke"), 302)
    revoked = expect(Browser(app, people["stranger"]).get(second), 410)
    assert "This invitation was withdrawn" in page_text(revoked.text)
    assert editors(app, item.id) == [people["colleague"].id]


def hub_clock_now(app: Flask) -> Any:
    with app.app_context():
        return hub_clock().now()


def test_only_the_invited_confirmed_address_can_accept(app, people, item, create_user):
    owner = Browser(app, people["owner"])
    invite(owner, item.id, "cleo@example.org")
    link = invitation_link(app, "cleo@example.org")
    other = expect(Browser(app, people["stranger"]).post(link, data={"action": "accept"}), 403)
    assert "This invitation was sent to cleo@example.org" in page_text(other.text)
    unconfirmed = create_user(email="nina@example.org", name="Nina", confirmed=False)
    invite(owner, item.id, "nina@example.org")
    nina_link = invitation_link(app, "nina@example.org")
    page = expect(Browser(app, unconfirmed).post(nina_link, data={"action": "accept"}), 403)
    assert "Confirm your e-mail address first" in page_text(page.text)
    anonymous = expect(Browser(app).get(link), 200)
    assert "Log in, or register, to accept." in page_text(anonymous.text)
    assert re.search(r"next=(/|%2F)invitation(/|%2F)", anonymous.text)  # back here after
    assert editors(app, item.id) == []


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("olga@example.org", "You cannot invite yourself"),
        ("not an address", "Enter a valid e-mail address."),
        ("", "This field is required."),
    ],
)
def test_bad_invitations_are_refused_with_the_reason_by_the_field(
    app, people, item, email, message
):
    answer = invite(Browser(app, people["owner"]), item.id, email, 422)
    assert message in page_text(answer.text)
    assert [m for m in outbox(app) if m.kind == "invitation"] == []


def test_an_owner_whose_address_is_unconfirmed_cannot_invite(
    app, create_user, create_submission_for
):
    owner = create_user(email="new@example.org", confirmed=False)
    item = create_submission_for(owner, status=Status.DRAFT)
    refused = invite(Browser(app, owner), item.id, "friend@example.org", 403)
    assert "Confirm your own e-mail address" in page_text(refused.text)
    assert outbox(app) == []


def test_a_co_editor_cannot_be_invited_twice_and_pending_invitations_are_capped(app, people, item):
    owner, colleague = Browser(app, people["owner"]), Browser(app, people["colleague"])
    join(app, owner, item.id, colleague)
    again = invite(owner, item.id, "CLEO@example.org", 422)
    assert "cleo@example.org is already a co-editor" in page_text(again.text)
    for n in range(10):
        invite(owner, item.id, f"guest{n}@example.org")
    invite(owner, item.id, "guest3@example.org")  # the same address again: a new link
    capped = invite(owner, item.id, "one-too-many@example.org", 422)
    assert "already has 10 invitations waiting" in page_text(capped.text)
    assert 'value="one-too-many@example.org"' in capped.text  # what was typed stays


def test_who_may_do_what(app, people, item):
    owner, colleague = Browser(app, people["owner"]), Browser(app, people["colleague"])
    stranger = Browser(app, people["stranger"])
    join(app, owner, item.id, colleague)
    cid, oid = people["colleague"].id, people["owner"].id
    for url, data in [
        (f"/my/{item.id}/invite", {"email": "z@example.org"}),
        (f"/my/{item.id}/editors/hand-over", {"user_id": cid}),
    ]:
        assert colleague.post(url, data=data).status_code == 403
        assert stranger.post(url, data=data).status_code == 404
    # A co-editor cannot remove anyone else, nor the owner (who is no co-editor).
    expect(colleague.post(f"/my/{item.id}/editors/remove", data={"user_id": oid}), 409)
    expect(stranger.get(f"/my/{item.id}"), 404)
    expect(stranger.post(f"/my/{item.id}/edit", data=form_data()), 404)
    assert row(app, item.id).owner_id == oid and editors(app, item.id) == [cid]


def test_a_moderator_cannot_decide_a_submission_they_co_edit(
    app, people, create_submission_for, moderator
):
    item = create_submission_for(people["owner"], status=Status.SUBMITTED)
    with app.app_context():
        db.session.get(User, moderator.id).email_confirmed_at = hub_clock().now()
        db.session.commit()
    mod = Browser(app, moderator)
    join(app, Browser(app, people["owner"]), item.id, mod)
    review = page_text(expect(mod.get(f"/moderation/{item.id}"), 200).text)
    assert "This is your own submission: another moderator must decide on it." in review
    # The names and addresses are isolated (<bdi>), which page_text() turns into blanks.
    assert re.search(rf"Co-editors: Mona Moderator \( ?{re.escape(moderator.email)} ?\)", review)
    with app.app_context():
        refusal = moderation.why_not_decidable(
            db.session.get(Submission, item.id), db.session.get(User, moderator.id)
        )
    assert refusal is not None and refusal.status == 403


def test_invitations_are_throttled_like_other_saves(make_app, people, item):
    throttled_hub = make_app(
        HUB_RATELIMIT_ENABLED=True, HUB_RATELIMIT_SUBMIT="2 per 10 minutes per account"
    )
    owner = Browser(throttled_hub, people["owner"])
    invite(owner, item.id, "one@example.org")
    invite(owner, item.id, "two@example.org")
    refused = invite(owner, item.id, "three@example.org", 429)
    assert 'value="three@example.org"' in refused.text  # what was typed stays
    assert [m.to_addr for m in outbox(throttled_hub) if m.kind == "invitation"] == [
        "one@example.org",
        "two@example.org",
    ]


def test_a_file_sent_as_the_address_is_refused_whole(app, people, item):
    answer = Browser(app, people["owner"]).post(
        f"/my/{item.id}/invite",
        data={"email": (io.BytesIO(b"x" * 100), "list.csv", "text/csv")},
        content_type="multipart/form-data",
    )
    expect(answer, 400)
    assert "This form was sent with a file (email)" in page_text(answer.text)
    assert [m for m in outbox(app) if m.kind == "invitation"] == []
