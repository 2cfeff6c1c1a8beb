"""Moderation rules found in review: revisions are decided on the text the moderator read,
deadline exceptions hold to the minute for one account, duplicates never reveal private
text, bulk decisions respect versions, public slugs come from the approved title."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from hub.auth.models import Role, User
from hub.extensions import db
from hub.moderation import operations as ops
from hub.moderation.models import DeadlineException, Revision, RevisionStatus
from hub.submissions.models import Status, Submission
from hub.submissions.operations import update_submission

from helpers import content
from test_moderation import Browser, fetch, snapshot, text_of


@pytest.fixture
def moderator(create_user) -> User:
    return create_user(role=Role.MODERATOR, name="Mona Moderator")


@pytest.fixture
def owner(create_user) -> User:
    return create_user(name="Olga Owner")


def propose(app, item_id: int, owner: User, **changes) -> int:
    """The owner edits their approved submission; returns the pending revision's id."""
    with app.app_context():
        revision = update_submission(db.session.get(Submission, item_id), content(**changes),
                                     submit=False, actor=db.session.get(User, owner.id))
        db.session.commit()
        return revision.id


def plain(response) -> str:
    """The page's text as a reader sees it: tags removed, blanks collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", text_of(response)).split())


def seen_stamp(page_html: str) -> str:
    found = re.search(r'name="seen" type="hidden" value="(\d+)"', page_html)
    assert found, "the review page's update form has no 'seen' field"
    return found.group(1)


# --------------------------------------------------------------------------- revisions


def test_revision_changed_after_the_moderator_read_it_is_not_published(
        app, owner, moderator, create_submission_for):
    item = create_submission_for(owner, status="approved", title="Original public title")
    revision_id = propose(app, item.id, owner, title="Harmless update")
    browser = Browser(app, moderator)
    page = browser.get(f"/moderation/{item.id}")
    assert "Harmless update" in text_of(page)
    stamp = seen_stamp(page.text)

    propose(app, item.id, owner, title="Buy cheap pills here")  # edited meanwhile
    response = browser.post(f"/moderation/revisions/{revision_id}/decide",
                            data={"action": "approve", "seen": stamp})
    assert response.status_code == 409
    body = text_of(response)
    assert "changed this update since you opened the page" in body
    assert "Buy cheap pills here" in body  # the page now shows the text to judge
    assert fetch(app, item.id).title == "Original public title"
    public = app.test_client().get(f"/s/{fetch(app, item.id).slug}").text
    assert "Buy cheap pills here" not in public

    fresh = seen_stamp(response.text)
    ok = browser.post(f"/moderation/revisions/{revision_id}/decide",
                      data={"action": "approve", "seen": fresh})
    assert ok.status_code == 302
    assert fetch(app, item.id).title == "Buy cheap pills here"


def test_revision_decided_twice_is_refused(app, owner, moderator, create_user,
                                           create_submission_for):
    item = create_submission_for(owner, status="approved")
    revision_id = propose(app, item.id, owner, title="Second version")
    first, second = Browser(app, moderator), Browser(app, create_user(role="admin", name="Al"))
    stamp = seen_stamp(first.get(f"/moderation/{item.id}").text)
    assert first.post(f"/moderation/revisions/{revision_id}/decide",
                      data={"action": "approve", "seen": stamp}).status_code == 302
    late = second.post(f"/moderation/revisions/{revision_id}/decide",
                       data={"action": "reject", "message": "No", "seen": stamp})
    assert late.status_code == 409
    assert "This revision was already approved by Mona Moderator" in text_of(late)
    with app.app_context():
        assert db.session.get(Revision, revision_id).status is RevisionStatus.APPROVED
    assert fetch(app, item.id).title == "Second version"


@pytest.mark.parametrize(("data", "message"), [
    ({"action": "publish_everything"}, "Not a valid choice"),
    ({"action": "approve", "message": "x" * 4001}, "4000"),
    ({"action": "reject", "message": "  "}, "Give a reason"),
])
def test_bad_revision_decisions_say_what_is_wrong(app, owner, moderator, create_submission_for,
                                                  data, message):
    item = create_submission_for(owner, status="approved", title="Stays as it is")
    revision_id = propose(app, item.id, owner, title="Proposed change")
    response = Browser(app, moderator).post(f"/moderation/revisions/{revision_id}/decide",
                                            data=data)
    assert response.status_code == 422
    assert message in text_of(response)
    assert fetch(app, item.id).title == "Stays as it is"
    with app.app_context():
        assert db.session.get(Revision, revision_id).status is RevisionStatus.PENDING


# --------------------------------------------------------------------------- public slug


def test_public_slug_comes_from_the_approved_title_and_then_stays(app, owner, moderator,
                                                                  create_submission_for):
    draft = create_submission_for(owner, status="draft",
                                  title="Zqsecret acquisition of Acme Corp")
    assert fetch(app, draft.id).slug.startswith("submission-")
    with app.app_context():
        row = db.session.get(Submission, draft.id)
        update_submission(row, content(title="Open data for rivers"), submit=True,
                          actor=db.session.get(User, owner.id))
        ops.approve_submission(row, db.session.get(User, moderator.id))
        db.session.commit()
    slug = fetch(app, draft.id).slug
    assert slug.startswith("open-data-for-rivers-") and "zqsecret" not in slug
    revision_id = propose(app, draft.id, owner, title="Open data for rivers and lakes")
    with app.app_context():
        ops.decide_revision(db.session.get(Revision, revision_id),
                            db.session.get(User, moderator.id), approve=True)
        db.session.commit()
    assert fetch(app, draft.id).slug == slug  # a permanent link stays permanent
    assert app.test_client().get(f"/s/{slug}").status_code == 200


# --------------------------------------------------------------------------- duplicates


def test_duplicate_of_a_draft_is_refused(app, owner, moderator, create_user,
                                         create_submission_for):
    item = create_submission_for(owner)
    private = create_submission_for(create_user(), status="draft", title="Secret draft plan")
    before = snapshot(app, item.id)
    response = Browser(app, moderator).post(f"/moderation/{item.id}/duplicate", data={
        "dup-duplicate_of": str(private.id), "dup-version": before["version"]})
    assert response.status_code == 422
    assert "No submission with that number exists." in text_of(response)
    assert "Secret draft plan" not in text_of(response)
    assert snapshot(app, item.id) == before


@pytest.mark.parametrize(("original_status", "public"), [("submitted", False),
                                                         ("approved", True)])
def test_duplicate_message_names_only_a_public_original(app, owner, moderator, create_user,
                                                        create_submission_for,
                                                        original_status, public):
    original = create_submission_for(create_user(), status=original_status,
                                     title="Someone else's plan")
    item = create_submission_for(owner)
    response = Browser(app, moderator).post(f"/moderation/{item.id}/duplicate", data={
        "dup-duplicate_of": str(original.id), "dup-version": fetch(app, item.id).version})
    assert response.status_code == 302
    message = fetch(app, item.id).decision_message
    assert f"#{original.id}" in message
    assert ("Someone else's plan" in message) is public
    owner_view = text_of(Browser(app, owner).get(f"/my/{item.id}"))
    assert ("Someone else's plan" in owner_view) is public
    if public:
        assert f"/s/{fetch(app, original.id).slug}" in message


# --------------------------------------------------------------------------- bulk


def test_bulk_skips_an_item_edited_since_the_queue_was_shown(app, owner, moderator,
                                                             create_submission_for):
    fresh, edited = create_submission_for(owner), create_submission_for(owner)
    browser = Browser(app, moderator)
    queue = browser.get("/moderation/").text
    versions = dict(re.findall(r'name="version-(\d+)" value="(\d+)"', queue))
    assert set(versions) == {str(fresh.id), str(edited.id)}
    with app.app_context():
        update_submission(db.session.get(Submission, edited.id),
                          content(title="Edited after the queue loaded"), submit=False,
                          actor=db.session.get(User, owner.id))
        db.session.commit()
    response = browser.post("/moderation/bulk", data={
        "ids": [str(fresh.id), str(edited.id)], "action": "approve",
        **{f"version-{i}": v for i, v in versions.items()}})
    assert response.status_code == 302
    assert fetch(app, fresh.id).status is Status.APPROVED
    assert fetch(app, edited.id).status is Status.SUBMITTED
    flashes = text_of(browser.get("/moderation/"))
    assert "1 submission approved." in flashes
    assert "changed since you opened it" in flashes


# --------------------------------------------------------------------------- exceptions


CUTOFF = datetime(2026, 6, 19, 21, 59, tzinfo=UTC)  # 19 June 2026, 23:59 CEST


def test_exception_holds_to_the_minute_for_that_account_only(app, clock,
                                                             create_user, moderator,
                                                             create_submission_for):
    late, other = create_user(email="late@example.org"), create_user(email="other@example.org")
    clock.close_at = CUTOFF
    clock.freeze(CUTOFF - timedelta(hours=1))
    response = Browser(app, moderator).post("/moderation/exceptions", data={
        "email": "late@example.org", "until": "2026-06-20T18:00", "reason": "Visa delays"})
    assert response.status_code == 302
    with app.app_context():
        until = db.session.scalar(select(DeadlineException.until))
    assert until == datetime(2026, 6, 20, 16, 0, tzinfo=UTC)  # 18:00 CEST, stored as UTC
    listing = text_of(Browser(app, moderator).get("/moderation/exceptions"))
    assert "20 June 2026, 18:00 CEST" in listing and "20:00 CEST" not in listing

    mine = create_submission_for(late, status="draft")
    theirs = create_submission_for(other, status="draft")
    late_browser, other_browser = Browser(app, late), Browser(app, other)
    clock.freeze(datetime(2026, 6, 20, 15, 59, tzinfo=UTC))  # 17:59 CEST
    page = plain(late_browser.get("/my/"))
    assert "You may submit and edit until" in page and "20 June 2026, 18:00 CEST" in page
    assert "your extended deadline" in page
    assert "Submissions closed on 19 June 2026, 23:59 CEST" in plain(other_browser.get("/my/"))
    form = {**content(), "action": "submit"}
    form = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in form.items()}
    assert late_browser.post(f"/my/{mine.id}/edit", data=form).status_code == 302
    assert other_browser.post(f"/my/{theirs.id}/edit", data=form).status_code == 403
    assert fetch(app, mine.id).status is Status.SUBMITTED

    clock.freeze(datetime(2026, 6, 20, 16, 0, tzinfo=UTC))  # 18:00 CEST: over for them too
    assert late_browser.post(f"/my/{mine.id}/edit", data=form).status_code == 403
    assert "Submissions closed on 20 June 2026, 18:00 CEST" in plain(late_browser.get("/my/"))


def test_dashboard_counts_days_as_geneva_does(app, clock, owner, moderator):
    from test_moderation import bar_rows, submit_at

    late_evening = datetime(2026, 6, 10, 22, 30, tzinfo=UTC)  # 11 June, 00:30 in Geneva
    submit_at(app, clock, owner, late_evening)
    clock.freeze(datetime(2026, 6, 12, 9, 0, tzinfo=UTC))
    bars = bar_rows(Browser(app, moderator).get("/moderation/dashboard").text)
    assert (bars["Thu 11 Jun"], bars["Wed 10 Jun"]) == (1, 0)
