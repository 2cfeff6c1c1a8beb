"""Who reviews what: a moderator claims a pending item, releases it or assigns it to a
colleague; the queue says who holds each item and a "Held by me" view lists one's own; a
colleague's claim is never taken over silently (two claims at once: the second is told who
got it); a decision frees the item. Every change is audited."""

from __future__ import annotations

import re
import threading
from html import unescape

import pytest
from sqlalchemy import select

from hub.audit.models import Action
from hub.auth.models import Role
from hub.extensions import db
from hub.moderation.models import Assignment

from helpers import Browser, decision_form, events, flash_messages, logged_in, page_version, text_of


def holder_of(app, submission_id: int) -> int | None:
    with app.app_context():
        found = db.session.scalar(
            select(Assignment.moderator_id).where(Assignment.submission_id == submission_id)
        )
        return found


@pytest.fixture
def team(create_user):
    return {
        "ann": create_user(role=Role.MODERATOR, name="Ann Able"),
        "bob": create_user(role=Role.MODERATOR, name="Bob Baker"),
        "ada": create_user(role=Role.ADMIN, name="Ada Admin"),
    }


@pytest.fixture
def item(create_submission_for, owner):
    return create_submission_for(owner, title="Reef watch")


def test_claim_shows_in_the_queue_and_in_the_held_by_me_view(
    app, team, item, create_submission_for, owner
):
    other = create_submission_for(owner, title="Other item")
    ann = Browser(app, team["ann"])
    assert "Nobody holds it yet." in text_of(ann.get(f"/moderation/{item.id}"))
    answer = ann.post(f"/moderation/{item.id}/claim", data={"holder": ""})
    assert answer.status_code == 302 and holder_of(app, item.id) == team["ann"].id
    page = text_of(ann.get(f"/moderation/{item.id}"))
    assert "You hold this submission (since" in page
    queue = text_of(Browser(app, team["bob"]).get("/moderation/"))
    assert "<bdi>Ann Able</bdi>" in queue  # the queue's "Held by" column
    mine = text_of(ann.get("/moderation/?status=&mine=1"))
    assert "Reef watch" in mine and "Other item" not in mine
    assert re.search(r"Held by me</span> <strong class=\"chip-count\">1<", mine)
    assert [e.actor_id for e in events(app, item.id) if e.action is Action.CLAIMED] == [
        team["ann"].id
    ]
    assert other.id  # listed in the full queue only


def test_claiming_an_item_someone_holds_is_refused_unless_taken_over_knowingly(app, team, item):
    Browser(app, team["ann"]).post(f"/moderation/{item.id}/claim", data={"holder": ""})
    bob = Browser(app, team["bob"])
    # A page read before Ann's claim (it showed nobody): refused, and told who holds it.
    refused = bob.post(f"/moderation/{item.id}/claim", data={"holder": ""})
    assert refused.status_code == 409
    assert "Ann Able has held this submission since" in " ".join(flash_messages(refused))
    assert "Take it over from Ann Able" in text_of(refused)
    assert holder_of(app, item.id) == team["ann"].id
    # The page now says Ann holds it; taking over from her is a choice.
    taken = bob.post(f"/moderation/{item.id}/claim", data={"holder": str(team["ann"].id)})
    assert taken.status_code == 302 and holder_of(app, item.id) == team["bob"].id


def test_assign_to_a_colleague_and_release(app, team, item):
    ada = Browser(app, team["ada"])
    page = text_of(ada.get(f"/moderation/{item.id}"))
    assert f'<option value="{team["ann"].id}">Ann Able</option>' in page
    answer = ada.post(
        f"/moderation/{item.id}/assign", data={"holder": "", "moderator": str(team["ann"].id)}
    )
    assert answer.status_code == 302 and holder_of(app, item.id) == team["ann"].id
    [assigned] = [e for e in events(app, item.id) if e.action is Action.ASSIGNED]
    assert (assigned.actor_id, assigned.subject_user_id) == (team["ada"].id, team["ann"].id)
    # Bob may not release Ann's item; Ann may.
    bob = Browser(app, team["bob"])
    refused = bob.post(f"/moderation/{item.id}/release", data={"holder": str(team["ann"].id)})
    assert refused.status_code == 403 and holder_of(app, item.id) == team["ann"].id
    ann = Browser(app, team["ann"])
    assert (
        ann.post(f"/moderation/{item.id}/release", data={"holder": str(team["ann"].id)}).status_code
        == 302
    )
    assert holder_of(app, item.id) is None
    assert any(e.action is Action.RELEASED for e in events(app, item.id))


@pytest.mark.parametrize("target", ["submitter", "nobody", "owner"])
def test_assigning_to_someone_who_cannot_decide_is_refused(
    app, team, item, owner, create_user, target
):
    user_id = {"submitter": create_user().id, "nobody": 999999, "owner": owner.id}[target]
    answer = Browser(app, team["ada"]).post(
        f"/moderation/{item.id}/assign", data={"holder": "", "moderator": str(user_id)}
    )
    assert answer.status_code == 422
    assert "Choose an active moderator." in " ".join(flash_messages(answer))
    assert holder_of(app, item.id) is None


def test_a_moderator_cannot_claim_their_own_submission(app, team, create_submission_for):
    own = create_submission_for(team["ann"], title="Ann's own")
    ann = Browser(app, team["ann"])
    assert "Claim it" not in text_of(ann.get(f"/moderation/{own.id}"))
    refused = ann.post(f"/moderation/{own.id}/claim", data={"holder": ""})
    assert refused.status_code == 403 and holder_of(app, own.id) is None
    assigned = Browser(app, team["bob"]).post(
        f"/moderation/{own.id}/assign", data={"holder": "", "moderator": str(team["ann"].id)}
    )
    assert assigned.status_code == 403
    assert "Ann Able cannot decide on this submission: it is theirs." in " ".join(
        flash_messages(assigned)
    )


def test_a_non_moderator_cannot_claim(app, item, owner, create_user):
    for user in (None, create_user(), owner):
        assert (
            Browser(app, user).post(f"/moderation/{item.id}/claim", data={"holder": ""}).status_code
            == 404
        )
    assert holder_of(app, item.id) is None


def test_a_decision_frees_the_item(app, team, item):
    ann = Browser(app, team["ann"])
    ann.post(f"/moderation/{item.id}/claim", data={"holder": ""})
    version = page_version(ann, item.id)
    assert (
        ann.post(
            f"/moderation/{item.id}/decide", data=decision_form("approve", version)
        ).status_code
        == 302
    )
    assert holder_of(app, item.id) is None
    ann.get("/moderation/")  # the flash that names it
    assert "Reef watch" not in text_of(ann.get("/moderation/?status=&mine=1"))
    # A decided item can no longer be claimed.
    refused = ann.post(f"/moderation/{item.id}/claim", data={"holder": ""})
    assert refused.status_code == 409 and holder_of(app, item.id) is None


def test_two_moderators_claiming_at_once_one_wins_the_other_is_told_who(app, live, team, item):
    sessions = [logged_in(live, team[n].email) for n in ("ann", "bob")]
    start = threading.Barrier(2)
    answers: list = [None, None]

    def claim(i: int) -> None:
        start.wait()
        answers[i] = sessions[i].post(
            f"{live}/moderation/{item.id}/claim",
            data={"holder": ""},
            allow_redirects=False,
            timeout=60,
        )

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    codes = sorted(a.status_code for a in answers)
    assert codes == [302, 409]
    winner = ("ann", "bob")[[a.status_code for a in answers].index(302)]
    loser = answers[[a.status_code for a in answers].index(409)]
    name = {"ann": "Ann Able", "bob": "Bob Baker"}[winner]
    assert f"{name} has held this submission since" in unescape(loser.text)
    assert holder_of(app, item.id) == team[winner].id
    assert len([e for e in events(app, item.id) if e.action is Action.CLAIMED]) == 1


def test_a_deactivated_moderator_holds_nothing(app, team, item):
    from datetime import UTC, datetime

    from hub.auth.models import User

    Browser(app, team["ann"]).post(f"/moderation/{item.id}/claim", data={"holder": ""})
    with app.app_context():
        db.session.get(User, team["ann"].id).deactivated_at = datetime.now(UTC)
        db.session.commit()
    bob = Browser(app, team["bob"])
    assert "Nobody holds it yet." in text_of(bob.get(f"/moderation/{item.id}"))
    assert bob.post(f"/moderation/{item.id}/claim", data={"holder": ""}).status_code == 302
    assert holder_of(app, item.id) == team["bob"].id
