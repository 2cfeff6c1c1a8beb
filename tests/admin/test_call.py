"""The admin page of the call: who may use it, one language at a time, validation, audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hub.admin.call import FIELD_NAMES, CallText
from hub.audit.models import Action, AuditEvent
from hub.extensions import db

from helpers import PASSWORD, expect, field_error, flash_messages, page_text


def _form(**values: str) -> dict[str, str]:
    """A full post of the call form: every field empty unless given."""
    return {name: values.get(name, "") for name in FIELD_NAMES}


def _texts(app) -> dict[str, dict[str, str]]:
    with app.app_context():
        return {
            row.language: {name: getattr(row, name) for name in FIELD_NAMES}
            for row in db.session.scalars(select(CallText))
        }


ENGLISH = _form(
    call_name="Call for contributions 2027",
    event_name="AI for Good Global Summit",
    dates="7–10 July 2027",
    venue="Palexpo, Geneva",
    organiser="International Telecommunication Union",
    documents="Circular letter | https://www.itu.int/circular.pdf\nhttps://example.org/faq.pdf",
    eligibility="Member States, Sector Members, Associates, academia",
    contact_email="call@example.org",
)


# --- Who may use it -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["submitter", "moderator"])
def test_other_accounts_get_403_and_a_forged_post_changes_nothing(
    app, client, auth, create_user, role
):
    auth.login(create_user(role=role))
    expect(client.get("/admin/call"), 403)
    expect(client.post("/admin/call?language=en", data=ENGLISH), 403)
    assert _texts(app) == {}


def test_visitors_are_sent_to_log_in(client, app):
    assert "/account/login" in expect(client.post("/admin/call", data=ENGLISH), 302).location
    assert _texts(app) == {}


def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(make_app, admin):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/account/login").text
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/account/login", data={"email": admin.email, "password": PASSWORD, "csrf_token": token}
    )
    expect(client.post("/admin/call", data=ENGLISH), 400)
    assert _texts(app) == {}


def test_an_admin_finds_the_page_from_the_moderation_menu(client, auth, admin):
    auth.login(admin)
    assert 'href="/admin/call"' in client.get("/admin/accounts").text


# --- Saving, one language at a time ---------------------------------------------------------


def test_saving_english_stores_the_texts_and_audits_who_and_which_fields(app, client, auth, admin):
    auth.login(admin)
    answer = expect(client.post("/admin/call?language=en", data=ENGLISH), 303)
    assert "language=en" in answer.location
    assert "The call is saved in English." in flash_messages(client.get(answer.location))
    assert _texts(app)["en"]["venue"] == "Palexpo, Geneva"
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == Action.CALL_EDITED))
        assert event.actor_id == admin.id
        assert "language=en" in event.message
        assert "call_name" in event.message and "faq" not in event.message
    # Saving the same again changes nothing and records nothing.
    client.post("/admin/call?language=en", data=ENGLISH)
    with app.app_context():
        assert (
            len(
                db.session.scalars(
                    select(AuditEvent).where(AuditEvent.action == Action.CALL_EDITED)
                ).all()
            )
            == 1
        )


def test_editing_french_does_not_touch_english(app, client, auth, admin):
    auth.login(admin)
    client.post("/admin/call?language=en", data=ENGLISH)
    expect(
        client.post("/admin/call?language=fr", data=_form(call_name="Appel à contributions 2027")),
        303,
    )
    texts = _texts(app)
    assert texts["en"] == ENGLISH
    assert texts["fr"]["call_name"] == "Appel à contributions 2027"
    assert texts["fr"]["venue"] == ""
    # The French form shows the French texts only (empty fields fall back for readers).
    page = client.get("/admin/call?language=fr").text
    assert "Appel à contributions 2027" in page and "Palexpo, Geneva" not in page
    assert "shows the English text" in page


def test_an_unknown_language_edits_english(client, auth, admin, app):
    auth.login(admin)
    expect(client.get("/admin/call?language=xx"), 200)
    client.post("/admin/call?language=xx", data=ENGLISH)
    assert set(_texts(app)) == {"en"}


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("documents", "Circular | javascript:alert(1)", "must start with https://"),
        ("documents", "Circular | /files/circular.pdf", "must start with https://"),
        ("documents", "Circular | ftp://example.org/c.pdf", "must start with https://"),
        ("contact_email", "not an address", "valid e-mail address"),
        ("call_name", "x" * 201, "at most 200 characters"),
        ("faq", "x" * 10001, "at most 10000 characters"),
    ],
)
def test_bad_input_is_shown_by_its_field_and_nothing_typed_is_lost(
    app, client, auth, admin, field, value, message
):
    auth.login(admin)
    data = {**ENGLISH, field: value}
    answer = expect(client.post("/admin/call?language=en", data=data), 422)
    assert message in field_error(answer.text, field)
    assert "Palexpo, Geneva" in answer.text
    assert value[:50] in answer.text
    assert _texts(app) == {}


def test_html_typed_in_a_field_is_kept_as_text_in_the_form(client, auth, admin):
    auth.login(admin)
    client.post("/admin/call?language=en", data={**ENGLISH, "faq": "<script>alert(1)</script>"})
    page = client.get("/admin/call?language=en").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Please check" not in page_text(page)
