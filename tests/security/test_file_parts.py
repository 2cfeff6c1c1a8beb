"""A file sent where a form expects text (`curl -F email=@README.md …`): every form of the
hub answers 400 with the form shown again and says why; nothing is saved, never a 500."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from hub.auth.models import User
from hub.extensions import db
from hub.submissions.models import Submission
from hub.submissions.operations import update_submission

from helpers import content, form_data, page_text, rows

NOTICE = "This form was sent with a file"


def with_file(data: dict[str, Any], field: str) -> dict[str, Any]:
    """The post as `curl -F field=@README.md` sends it: that field is a file part."""
    data = {k: v for k, v in data.items() if k != field}
    data[field] = (io.BytesIO(b"# Partnerships Hub\n" * 20), "README.md", "text/markdown")
    return data


@pytest.fixture
def world(app: Flask, create_submission_for, owner: User, moderator: User) -> dict[str, Any]:
    """A submitted item, a draft, and an approved item with a pending update."""
    submitted = create_submission_for(owner, title="Waiting for review")
    draft = create_submission_for(owner, status="draft", title="A draft")
    approved = create_submission_for(owner, status="approved", title="Already public")
    with app.app_context():
        revision = update_submission(
            db.session.get(Submission, approved.id),
            content(title="Better title"),
            submit=False,
            actor=db.session.get(User, owner.id),
        )
        db.session.commit()
        revision_id = revision.id
    return {"submitted": submitted.id, "draft": draft.id, "revision": revision_id}


# form, who posts it, where, what (the fields a browser would send), the field sent as a file
ANONYMOUS = [
    ("login", "/account/login", {"email": "a@example.org", "password": "x" * 12}, "email"),
    (
        "register",
        "/account/register",
        {
            "email": "new@example.org",
            "display_name": "New",
            "password": "a-long-enough-password",
            "confirm": "a-long-enough-password",
        },
        "display_name",
    ),
]


@pytest.mark.parametrize(
    ("name", "path", "data", "field"), ANONYMOUS, ids=[a[0] for a in ANONYMOUS]
)
def test_anonymous_forms_refuse_a_file_in_a_text_field(client, name, path, data, field, app):
    response = client.post(path, data=with_file(data, field), content_type="multipart/form-data")
    assert response.status_code == 400
    text = page_text(response.text)
    assert NOTICE in text and field in text
    assert "<form" in response.text  # the form again, not the bare error page
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "new@example.org")) is None


def test_a_file_part_under_a_name_no_field_has_is_refused_too(client, owner):
    data = {"email": owner.email, "password": "a-long-enough-password"}
    response = client.post("/account/login", data=with_file(data, "attachment"))
    assert response.status_code == 400
    assert NOTICE in page_text(response.text)
    assert client.get("/my/").status_code != 200  # not logged in


def test_submission_forms_refuse_a_file_and_save_nothing(app, client, auth, owner, world):
    auth.login(owner)
    before = [(s.id, s.title, s.version) for s in rows(app)]
    new = client.post("/submit/initiative", data=with_file(form_data(), "title"))
    edit = client.post(
        f"/my/{world['draft']}/edit", data=with_file(form_data(action="save"), "summary")
    )
    for response, field in ((new, "title"), (edit, "summary")):
        assert response.status_code == 400, response.text[:500]
        assert NOTICE in page_text(response.text) and field in page_text(response.text)
        assert 'name="description"' in response.text  # the form, with what was typed
        assert "A two-year programme of workshops" in response.text
    assert [(s.id, s.title, s.version) for s in rows(app)] == before


def moderation_posts(world: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any], str]]:
    """Each moderation form: where it posts, what it sends, the field sent as a file."""
    sid = world["submitted"]
    return {
        "decide": (f"/moderation/{sid}/decide", {"action": "reject", "version": "1"}, "message"),
        "duplicate": (
            f"/moderation/{sid}/duplicate",
            {"dup-version": "1", "dup-duplicate_of": "1"},
            "dup-duplicate_of",
        ),
        "bulk": ("/moderation/bulk", {"ids": [str(sid)], "action": "reject"}, "reason"),
        "revision": (
            f"/moderation/revisions/{world['revision']}/decide",
            {"action": "reject"},
            "message",
        ),
        "exceptions": (
            "/moderation/exceptions",
            {"email": "someone@example.org", "until": "2099-01-01T12:00"},
            "reason",
        ),
    }


@pytest.mark.parametrize("form", ["decide", "duplicate", "bulk", "revision", "exceptions"])
def test_moderation_forms_refuse_a_file_and_decide_nothing(
    app, client, auth, moderator, world, form
):
    auth.login(moderator)
    path, data, field = moderation_posts(world)[form]
    before = [(s.id, s.status, s.version) for s in rows(app)]
    response = client.post(path, data=with_file(data, field))
    assert response.status_code == 400, response.text[:500]
    assert NOTICE in page_text(response.text)
    assert "<form" in response.text
    assert [(s.id, s.status, s.version) for s in rows(app)] == before
