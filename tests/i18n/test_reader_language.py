"""Messages the hub writes itself reach each reader in the reader's language: mails in the
recipient's, stored notes rendered when they are read."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import force_locale

from hub.auth.models import Role, User
from hub.extensions import db
from hub.submissions.models import Status, Submission

from helpers import expect, outbox


def set_language(app, user_id: int, language: str) -> None:
    """The account's language (its mails use it)."""
    with app.app_context():
        db.session.get(User, user_id).language = language
        db.session.commit()


def test_the_exception_mail_writes_the_date_in_the_recipients_language(app, create_user):
    from hub.moderation import operations as ops

    owner, moderator = create_user(), create_user(Role.MODERATOR)
    set_language(app, owner.id, "en")
    # The moderator works on a French page; the owner reads English.
    with app.test_request_context("/fr/moderation/exceptions"), force_locale("fr"):
        ops.grant_exception(
            db.session.get(User, owner.id),
            datetime(2099, 7, 1, 10, tzinfo=UTC),
            "Travel",
            db.session.get(User, moderator.id),
        )
        db.session.commit()
    [mail] = outbox(app)
    assert "1 July 2099" in mail.body and "juillet" not in mail.body


def test_a_duplicates_note_is_written_in_the_readers_language(
    app, client, create_user, create_submission_for
):
    from hub.moderation import operations as ops

    owner, moderator = create_user(), create_user(Role.MODERATOR)
    set_language(app, owner.id, "ar")
    original = create_submission_for(owner, Status.SUBMITTED, title="Original")
    copy = create_submission_for(owner, Status.SUBMITTED, title="Copy")
    with app.test_request_context("/"):
        ops.mark_duplicate(
            db.session.get(Submission, copy.id),
            db.session.get(User, moderator.id),
            db.session.get(Submission, original.id),
        )
        db.session.commit()
        stored = db.session.get(Submission, copy.id).decision_message
    # The record keeps the English note; the pages write it for their reader.
    assert stored == f"Duplicate of submission #{original.id}, already received by the hub."
    client.post("/account/login", data={"email": owner.email, "password": "a-long-enough-password"})
    english = expect(client.get(f"/en/my/{copy.id}"), 200).text
    assert stored in english
    with app.test_request_context("/"), force_locale("fr"):
        from flask_babel import gettext

        french = gettext(
            "Duplicate of submission #%(id)d, already received by the hub.", id=original.id
        )
    page = expect(client.get(f"/fr/my/{copy.id}"), 200).text
    assert french in page
    # The mail went out in the owner's language (Arabic), through the same note.
    with app.test_request_context("/"), force_locale("ar"):
        arabic = db.session.get(Submission, copy.id).decision_text
    assert arabic in outbox(app)[-1].body
