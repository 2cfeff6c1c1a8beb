"""Moderation rules found in review: revisions are decided on the text the moderator read,
deadline exceptions hold to the minute for one account, duplicates never reveal private
text, bulk decisions respect versions, public slugs come from the approved title."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from hub.auth.models import User
from hub.extensions import db
from hub.moderation import operations as ops
from hub.submissions.deadlines import DeadlineException
from hub.submissions.models import Status, Submission
from hub.submissions.operations import update_submission
from hub.submissions.revisions import Revision, RevisionStatus

from helpers import (
    Browser,
    bar_rows,
    content,
    field_value,
    form_data,
    outbox,
    page_version,
    propose,
    row,
    snapshot,
    submit_at,
    text_of,
)


def plain(response) -> str:
    """The page's text as a reader sees it: tags removed, blanks collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", text_of(response)).split())


def seen_stamp(page_html: str) -> str:
    found = re.search(r'name="seen" type="hidden" value="(\d+)"', page_html)
    assert found, "the review page's update form has no 'seen' field"
    return found.group(1)


# --------------------------------------------------------------------------- revisions


def test_revision_changed_after_the_moderator_read_it_is_not_published(
    app, owner, moderator, create_submission_for
):
    item = create_submission_for(owner, status="approved", title="Original public title")
    revision_id = propose(app, item.id, owner, title="Harmless update")
    browser = Browser(app, moderator)
    page = browser.get(f"/moderation/{item.id}")
    assert "Harmless update" in text_of(page)
    stamp = seen_stamp(page.text)

    propose(app, item.id, owner, title="Buy cheap pills here")  # edited meanwhile
    response = browser.post(
        f"/moderation/revisions/{revision_id}/decide", data={"action": "approve", "seen": stamp}
    )
    assert response.status_code == 409
    body = text_of(response)
    assert "changed this update since you opened the page" in body
    assert "Buy cheap pills here" in body  # the page now shows the text to judge
    assert row(app, item.id).title == "Original public title"
    public = app.test_client().get(f"/s/{row(app, item.id).slug}").text
    assert "Buy cheap pills here" not in public

    fresh = seen_stamp(response.text)
    ok = browser.post(
        f"/moderation/revisions/{revision_id}/decide", data={"action": "approve", "seen": fresh}
    )
    assert ok.status_code == 302
    assert row(app, item.id).title == "Buy cheap pills here"


def test_revision_decided_twice_is_refused(
    app, owner, moderator, create_user, create_submission_for
):
    item = create_submission_for(owner, status="approved")
    revision_id = propose(app, item.id, owner, title="Second version")
    first, second = Browser(app, moderator), Browser(app, create_user(role="admin", name="Al"))
    stamp = seen_stamp(first.get(f"/moderation/{item.id}").text)
    assert (
        first.post(
            f"/moderation/revisions/{revision_id}/decide", data={"action": "approve", "seen": stamp}
        ).status_code
        == 302
    )
    late = second.post(
        f"/moderation/revisions/{revision_id}/decide",
        data={"action": "reject", "message": "No", "seen": stamp},
    )
    assert late.status_code == 409
    assert "This update was already accepted by Mona Moderator" in text_of(late)
    with app.app_context():
        assert db.session.get(Revision, revision_id).status is RevisionStatus.APPROVED
    assert row(app, item.id).title == "Second version"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "publish_everything"}, "Not a valid choice"),
        ({"action": "approve", "message": "x" * 4001}, "4000"),
        ({"action": "reject", "message": "  "}, "Give a reason"),
    ],
)
def test_bad_revision_decisions_say_what_is_wrong(
    app, owner, moderator, create_submission_for, data, message
):
    item = create_submission_for(owner, status="approved", title="Stays as it is")
    revision_id = propose(app, item.id, owner, title="Proposed change")
    response = Browser(app, moderator).post(
        f"/moderation/revisions/{revision_id}/decide", data=data
    )
    assert response.status_code == 422
    assert message in text_of(response)
    assert row(app, item.id).title == "Stays as it is"
    with app.app_context():
        assert db.session.get(Revision, revision_id).status is RevisionStatus.PENDING


# --------------------------------------------------------------------------- public slug


def test_public_slug_comes_from_the_approved_title_and_then_stays(
    app, owner, moderator, create_submission_for
):
    draft = create_submission_for(owner, status="draft", title="Zqsecret acquisition of Acme Corp")
    assert row(app, draft.id).slug.startswith("submission-")
    with app.app_context():
        submission = db.session.get(Submission, draft.id)
        update_submission(
            submission,
            content(title="Open data for rivers"),
            submit=True,
            actor=db.session.get(User, owner.id),
        )
        ops.approve_submission(submission, db.session.get(User, moderator.id))
        db.session.commit()
    slug = row(app, draft.id).slug
    assert slug.startswith("open-data-for-rivers-") and "zqsecret" not in slug
    revision_id = propose(app, draft.id, owner, title="Open data for rivers and lakes")
    with app.app_context():
        ops.decide_revision(
            db.session.get(Revision, revision_id), db.session.get(User, moderator.id), approve=True
        )
        db.session.commit()
    assert row(app, draft.id).slug == slug  # a permanent link stays permanent
    assert app.test_client().get(f"/s/{slug}").status_code == 200


# --------------------------------------------------------------------------- duplicates


def test_duplicate_of_a_draft_is_refused(app, owner, moderator, create_user, create_submission_for):
    item = create_submission_for(owner)
    private = create_submission_for(create_user(), status="draft", title="Secret draft plan")
    before = snapshot(app, item.id)
    response = Browser(app, moderator).post(
        f"/moderation/{item.id}/duplicate",
        data={"dup-duplicate_of": str(private.id), "dup-version": before["version"]},
    )
    assert response.status_code == 422
    assert "No submission with that number exists." in text_of(response)
    assert "Secret draft plan" not in text_of(response)
    assert snapshot(app, item.id) == before


@pytest.mark.parametrize(("original_status", "public"), [("submitted", False), ("approved", True)])
def test_duplicate_message_names_only_a_public_original(
    app, owner, moderator, create_user, create_submission_for, original_status, public
):
    original = create_submission_for(
        create_user(), status=original_status, title="Someone else's plan"
    )
    item = create_submission_for(owner)
    response = Browser(app, moderator).post(
        f"/moderation/{item.id}/duplicate",
        data={"dup-duplicate_of": str(original.id), "dup-version": row(app, item.id).version},
    )
    assert response.status_code == 302
    message = row(app, item.id).decision_message
    assert f"#{original.id}" in message
    assert ("Someone else's plan" in message) is public
    owner_view = text_of(Browser(app, owner).get(f"/my/{item.id}"))
    assert ("Someone else's plan" in owner_view) is public
    if public:
        assert f"/s/{row(app, original.id).slug}" in message


# --------------------------------------------------------------------------- bulk


def test_bulk_skips_an_item_edited_since_the_queue_was_shown(
    app, owner, moderator, create_submission_for
):
    fresh, edited = create_submission_for(owner), create_submission_for(owner)
    browser = Browser(app, moderator)
    queue = browser.get("/moderation/").text
    versions = dict(re.findall(r'name="version-(\d+)" value="(\d+)"', queue))
    assert set(versions) == {str(fresh.id), str(edited.id)}
    propose(app, edited.id, owner, title="Edited after the queue loaded")
    response = browser.post(
        "/moderation/bulk",
        data={
            "ids": [str(fresh.id), str(edited.id)],
            "action": "approve",
            **{f"version-{i}": v for i, v in versions.items()},
        },
    )
    assert response.status_code == 302
    assert row(app, fresh.id).status is Status.APPROVED
    assert row(app, edited.id).status is Status.SUBMITTED
    flashes = text_of(browser.get("/moderation/"))
    assert "1 submission approved." in flashes
    assert "changed since you opened it" in flashes


# --------------------------------------------------------------------------- exceptions


CUTOFF = datetime(2026, 6, 19, 21, 59, tzinfo=UTC)  # 19 June 2026, 23:59 CEST


def test_exception_holds_to_the_minute_for_that_account_only(
    app, clock, create_user, moderator, create_submission_for
):
    late, other = create_user(email="late@example.org"), create_user(email="other@example.org")
    clock.close_at = CUTOFF
    clock.freeze(CUTOFF - timedelta(hours=1))
    response = Browser(app, moderator).post(
        "/moderation/exceptions",
        data={"email": "late@example.org", "until": "2026-06-20T18:00", "reason": "Visa delays"},
    )
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
    assert row(app, mine.id).status is Status.SUBMITTED

    clock.freeze(datetime(2026, 6, 20, 16, 0, tzinfo=UTC))  # 18:00 CEST: over for them too
    assert late_browser.post(f"/my/{mine.id}/edit", data=form).status_code == 403
    assert "Submissions closed on 20 June 2026, 18:00 CEST" in plain(late_browser.get("/my/"))


def test_dashboard_counts_days_as_geneva_does(app, clock, owner, moderator):
    late_evening = datetime(2026, 6, 10, 22, 30, tzinfo=UTC)  # 11 June, 00:30 in Geneva
    submit_at(app, clock, owner, late_evening)
    clock.freeze(datetime(2026, 6, 12, 9, 0, tzinfo=UTC))
    bars = bar_rows(Browser(app, moderator).get("/moderation/dashboard").text)
    assert (bars["Thu 11 Jun"], bars["Wed 10 Jun"]) == (1, 0)


# --------------------------------------------------------------------------- revisions close


NOW = datetime(2026, 7, 10, 10, 0, tzinfo=UTC)  # 12:00 CEST
CHANGES = "Please name your partners."


def _changes_button(page_html: str) -> str:
    found = re.search(r'<button[^>]*value="request_changes"[^>]*>', page_html)
    assert found, "no request-changes button on the review page"
    return found.group(0)


def test_changes_cannot_be_requested_once_revisions_closed(
    app, clock, owner, moderator, create_submission_for
):
    """Cutoff 20 days ago, revisions closed 5 days ago: sending the item back would be a
    dead end (the owner's resubmission would be refused), so the button is disabled with
    the reason, and a post sent anyway is refused with the typed message kept."""
    item = create_submission_for(owner, title="Late review")
    clock.close_at = NOW - timedelta(days=20)
    clock.revisions_close_at = NOW - timedelta(days=5)
    clock.freeze(NOW)
    browser = Browser(app, moderator)
    page = browser.get(f"/moderation/{item.id}")
    assert page.status_code == 200
    assert " disabled" in _changes_button(page.text)
    assert (
        "Changes can no longer be requested: revisions closed on 5 July 2026, 12:00 CEST"
        in plain(page)
    )
    assert "grant the owner a deadline exception" in plain(page)
    for other in ("approve", "reject"):  # the other decisions stay available
        assert " disabled" not in re.search(rf'<button[^>]*value="{other}"[^>]*>', page.text).group(
            0
        )

    before = snapshot(app, item.id)
    typed = "Please add the partners' names and roles (typed with care)."
    response = browser.post(
        f"/moderation/{item.id}/decide",
        data={"action": "request_changes", "message": typed, "version": str(before["version"])},
    )
    assert response.status_code == 409
    assert "Revisions closed on 5 July 2026, 12:00 CEST" in plain(response)
    assert "Nothing was changed." in plain(response)
    assert field_value(response.get_data(as_text=True), "message") == typed
    assert snapshot(app, item.id) == before  # no decision, no mail, no audit row
    # The typed text can go with another decision from the same page.
    response = browser.post(
        f"/moderation/{item.id}/decide",
        data={"action": "reject", "message": typed, "version": str(before["version"])},
    )
    assert response.status_code == 302
    assert row(app, item.id).status is Status.REJECTED

    with app.app_context():  # the operation refuses too (a script, another view)
        refusal = ops.why_changes_not_requestable(db.session.get(Submission, item.id))
    assert refusal is not None and refusal.status == 409


@pytest.mark.parametrize(
    ("revisions_close", "exception", "until"),
    [
        (None, None, None),
        (timedelta(days=5), None, timedelta(days=5)),
        (-timedelta(days=5), timedelta(days=3), timedelta(days=3)),
    ],
    ids=["revisions-unlimited", "revisions-still-open", "closed-but-owner-has-exception"],
)
def test_changes_requested_after_the_cutoff_can_be_resubmitted(
    app, clock, owner, moderator, create_submission_for, revisions_close, exception, until
):
    """After the cutoff, changes may be requested as long as the owner can still resubmit:
    HUB_REVISIONS_CLOSE_AT unset (no limit) or not passed, or a deadline exception of
    theirs. The mail names the instant the owner really has (never one that has passed),
    and their resubmission goes through."""
    item = create_submission_for(owner, title="Late review")
    clock.close_at = NOW - timedelta(days=20)
    clock.revisions_close_at = NOW + revisions_close if revisions_close else None
    clock.freeze(NOW)
    if exception is not None:
        with app.app_context():
            ops.grant_exception(
                db.session.get(User, owner.id),
                NOW + exception,
                "Travel",
                db.session.get(User, moderator.id),
            )
            db.session.commit()
    browser = Browser(app, moderator)
    page = browser.get(f"/moderation/{item.id}")
    assert " disabled" not in _changes_button(page.text)
    assert "Changes can no longer be requested" not in plain(page)
    response = browser.post(
        f"/moderation/{item.id}/decide",
        data={
            "action": "request_changes",
            "message": CHANGES,
            "version": str(page_version(browser, item.id)),
        },
    )
    assert response.status_code == 302
    assert row(app, item.id).status is Status.CHANGES_REQUESTED

    [mail] = [m for m in outbox(app) if m.kind == "decision"][-1:]
    assert f"/my/{item.id}/edit" in mail.body
    if until is None:
        assert "Revisions are accepted until" not in mail.body
    else:
        assert f"Revisions are accepted until {clock.format(NOW + until)}" in mail.body
    owner_browser = Browser(app, owner)
    if until is not None:
        assert clock.format(NOW + until) in plain(owner_browser.get(f"/my/{item.id}"))
    resubmitted = owner_browser.post(f"/my/{item.id}/edit", data=form_data(title="Reworked"))
    assert resubmitted.status_code == 302
    after = row(app, item.id)
    assert (after.title, after.status) == ("Reworked", Status.SUBMITTED)
