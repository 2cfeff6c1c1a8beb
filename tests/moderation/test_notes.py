"""Moderators' internal notes on a submission: written and read on the review page by
moderators only, audited without their text, never shown to the submission's owner (even a
moderator), and kept under the pseudonym of an author who deleted their account."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from hub.audit.models import Action
from hub.auth.models import Role, User
from hub.extensions import db
from hub.moderation import team
from hub.moderation.models import ModeratorNote
from hub.moderation.operations import DecisionRefused
from hub.privacy.deletion import delete_account, pseudonym
from hub.submissions.models import Submission

from helpers import Browser, events, flash_messages, text_of

NOTE = "qznotemarker the lead organisation phoned: partners list is outdated"


def note_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ModeratorNote)) or 0


@pytest.fixture
def item(create_submission_for, owner):
    return create_submission_for(owner, title="Reef watch")


def test_a_moderator_writes_a_note_and_colleagues_read_it_with_author_and_time(
    app, create_user, item, moderator
):
    mona = Browser(app, moderator)
    answer = mona.post(f"/moderation/{item.id}/notes", data={"note-body": f"  {NOTE}  "})
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/moderation/{item.id}#notes")
    colleague = create_user(role=Role.ADMIN, name="Ada Admin")
    page = text_of(Browser(app, colleague).get(f"/moderation/{item.id}"))
    assert "Internal notes" in page and NOTE in page
    assert "<bdi>Mona Moderator</bdi>, <time datetime=" in page
    [event] = [e for e in events(app, item.id) if e.action is Action.NOTE_ADDED]
    assert event.actor_id == moderator.id and event.message == ""  # audited, text not copied


def test_an_empty_or_too_long_note_is_refused_in_the_page_with_the_text_kept(app, item, moderator):
    mona = Browser(app, moderator)
    empty = mona.post(f"/moderation/{item.id}/notes", data={"note-body": "   "})
    assert empty.status_code == 422 and "Write the note first." in text_of(empty)
    long = "x" * 2001
    too_long = mona.post(f"/moderation/{item.id}/notes", data={"note-body": long})
    assert too_long.status_code == 422
    assert "A note has at most 2000 characters." in text_of(too_long)
    assert long in text_of(too_long)  # what was typed is kept
    assert note_count(app) == 0


@pytest.mark.parametrize("who", ["anonymous", "submitter", "owner"])
def test_non_moderators_neither_read_nor_write_notes(app, create_user, item, moderator, owner, who):
    Browser(app, moderator).post(f"/moderation/{item.id}/notes", data={"note-body": NOTE})
    user = {"anonymous": None, "submitter": create_user(), "owner": owner}[who]
    browser = Browser(app, user)
    assert browser.post(f"/moderation/{item.id}/notes", data={"note-body": "x"}).status_code in (
        403,
        404,
    )
    assert browser.get(f"/moderation/{item.id}").status_code == 404
    assert note_count(app) == 1
    if user is not None:
        for url in ("/my/", f"/my/{item.id}", "/account/export/download", f"/s/{item.slug}"):
            page = browser.get(url).get_data(as_text=True)
            assert "qznotemarker" not in page, url
            assert "note_added" not in page and "note added" not in page.lower(), url


def test_a_moderator_owning_the_submission_does_not_see_its_notes_nor_add_any(
    app, create_user, create_submission_for, moderator
):
    own = create_submission_for(moderator, title="My own item")
    colleague = create_user(role=Role.MODERATOR, name="Col League")
    Browser(app, colleague).post(f"/moderation/{own.id}/notes", data={"note-body": NOTE})
    mona = Browser(app, moderator)
    page = text_of(mona.get(f"/moderation/{own.id}"))
    assert "Notes on your own submission are hidden from you." in page and NOTE not in page
    refused = mona.post(f"/moderation/{own.id}/notes", data={"note-body": "about mine"})
    assert refused.status_code == 403
    assert "Notes on your own submission are hidden from you." in " ".join(flash_messages(refused))
    assert note_count(app) == 1
    export = json.loads(mona.get("/account/export/download").get_data(as_text=True))
    assert "qznotemarker" not in json.dumps(export)  # the colleague's note stays theirs


def test_the_operation_refuses_a_non_moderator(app, item, owner):
    with app.app_context():
        submission = db.session.get(Submission, item.id)
        with pytest.raises(DecisionRefused) as refused:
            team.add_note(submission, db.session.get(User, owner.id), NOTE)
        assert refused.value.status == 403
    assert note_count(app) == 0


def test_the_author_s_own_export_lists_their_notes(app, item, moderator):
    mona = Browser(app, moderator)
    mona.post(f"/moderation/{item.id}/notes", data={"note-body": NOTE})
    export = json.loads(mona.get("/account/export/download").get_data(as_text=True))
    [written] = export["moderator_notes_written"]
    assert (written["submission_id"], written["text"]) == (item.id, NOTE)


def test_notes_of_a_deleted_account_show_its_pseudonym(app, create_user, item, moderator):
    Browser(app, moderator).post(f"/moderation/{item.id}/notes", data={"note-body": NOTE})
    with app.test_request_context():
        delete_account(db.session.get(User, moderator.id), {})
        db.session.commit()
    alias = pseudonym(moderator.id)
    page = text_of(Browser(app, create_user(role=Role.MODERATOR)).get(f"/moderation/{item.id}"))
    assert NOTE in page and f"<bdi>{alias}</bdi>" in page
    assert "Mona Moderator" not in page
