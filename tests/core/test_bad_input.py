"""Whatever is posted — empty, oversized, invisible, hostile, forged or huge — the hub answers
with a clear message next to the field (or a clear error page), stores nothing wrong, and
never fails with a 500."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.exc import DataError, IntegrityError

from hub.auth.models import User
from hub.extensions import db
from hub.submissions.models import LIMITS, LIST_LIMITS, Status, Submission
from hub.vocab import REGIONS, SDGS, THEMES, countries

from helpers import (
    KIND_FIELDS,
    PASSWORD,
    REQUIRED,
    count,
    expect,
    field_block,
    field_error,
    field_value,
    form_data,
    form_token,
    page_text,
    row,
    rows,
)

TEXT_FIELDS = ("title", "summary", "description", "lead_organisation", "partners", "contact_name")


# --- Helpers ------------------------------------------------------------------------------


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found, "no CSRF token in the page"
    return found.group(1)


@pytest.fixture
def owner(create_user: Any, auth: Any) -> User:
    user = create_user()
    expect(auth.login(user), 302)
    return user


# --- Empty required fields ----------------------------------------------------------------


@pytest.mark.parametrize("kind, name", [(k, n) for k, names in REQUIRED.items() for n in names])
@pytest.mark.parametrize("empty", ["", "  \n\t "], ids=["empty", "blank"])
def test_empty_required_field_is_refused_on_submit(app, client, owner, kind, name, empty):
    data = form_data(kind)
    if isinstance(data.get(name), list):
        data.pop(name)  # an unticked choice is simply absent from the post
    else:
        data[name] = empty

    page = expect(client.post(f"/submit/{kind}", data=data), 422).text

    assert field_error(page, name) == "Required to submit (drafts may leave it empty)."
    assert 'aria-invalid="true"' in field_block(page, name) or name in ("countries", "themes")
    assert 'id="error-summary"' in page
    assert count(app) == 0


# --- Oversized fields ---------------------------------------------------------------------


def _too_long(name: str, length: int) -> str:
    if name == "website":
        return "https://example.org/" + "a" * (length - len("https://example.org/"))
    if name == "contact_email":
        return "a" * 60 + "@" + ".".join(["b" * 60] * 4)[: length - 61]
    return "é" * length


OVERSIZE = [
    ("initiative", "title"),
    ("initiative", "summary"),
    ("initiative", "description"),
    ("initiative", "lead_organisation"),
    ("initiative", "contact_name"),
    ("initiative", "partners"),
    ("initiative", "website"),
    ("initiative", "contact_email"),
    ("initiative", "objectives"),
    ("coalition", "member_organisations"),
    ("partnership", "resources"),
    ("concrete_action", "timeline"),
]


@pytest.mark.parametrize("kind, name", OVERSIZE)
@pytest.mark.parametrize("action", ["submit", "draft"])
def test_oversized_field_is_refused(app, client, owner, kind, name, action):
    limit = LIMITS[name]
    value = _too_long(name, limit + 1)
    assert len(value) == limit + 1

    page = expect(
        client.post(f"/submit/{kind}", data=form_data(kind, action, **{name: value})), 422
    ).text

    assert f"Use at most {limit} characters." in field_error(page, name)
    assert field_value(page, name) == value  # nothing typed is lost
    assert count(app) == 0


@pytest.mark.parametrize(
    "name", ["title", "summary", "lead_organisation", "contact_name", "objectives", "website"]
)
def test_field_exactly_at_its_limit_is_accepted(app, client, owner, name):
    value = _too_long(name, LIMITS[name])
    expect(client.post("/submit/initiative", data=form_data(**{name: value})), 302)
    [saved] = rows(app)
    assert getattr(saved, name) == value


def test_limit_counts_characters_not_bytes(app, client, owner):
    title = "😀" * LIMITS["title"]  # 800 bytes in UTF-8
    expect(client.post("/submit/initiative", data=form_data(title=title)), 302)
    assert rows(app)[0].title == title


@pytest.mark.parametrize("name, limit", sorted(LIMITS.items()))
def test_database_refuses_oversized_text_too(app, owner, session, name, limit):
    def insert(value: str) -> None:
        session.add(
            Submission(
                owner_id=owner.id,
                kind="initiative",
                slug=f"s-{len(value)}",
                status=Status.DRAFT,
                **{name: value},
            )
        )
        session.flush()

    insert("é" * limit)
    session.commit()
    # SQLite and PostgreSQL's CHECK constraints raise IntegrityError; PostgreSQL refuses
    # an over-long VARCHAR before its CHECK, as DataError.
    with pytest.raises((IntegrityError, DataError)):
        insert("é" * (limit + 1))
    session.rollback()
    assert count(app) == 1


# --- Multiple choices: each value once, never more than the vocabulary -------------------


# The lists a form ticks (regions are not ticked: they follow from the countries).
TICKED = {
    "countries": list(countries()),
    "themes": list(THEMES),
    "sdgs": [str(n) for n in SDGS],
}
VOCABULARIES = {**TICKED, "regions": list(REGIONS)}


@pytest.mark.parametrize("name", list(TICKED))
def test_every_choice_of_a_list_may_be_ticked(app, client, owner, name):
    everything = VOCABULARIES[name]
    expect(client.post("/submit/initiative", data=form_data(**{name: everything})), 302)
    stored = getattr(rows(app)[0], name)
    assert [str(v) for v in stored] == everything


@pytest.mark.parametrize(
    "name, value, stored",
    [
        ("countries", ["CH"] * 30000, ["CH"]),
        ("countries", ["KE", "CH", "KE", "global", "CH"], ["KE", "CH", "global"]),
        ("themes", ["safety"] * 500 + ["ethics"], ["safety", "ethics"]),
        ("sdgs", ["4"] * 17000, [4]),
        ("countries", ["FR", "CH", "FR"], ["FR", "CH"]),  # and one region: europe
    ],
)
def test_repeated_choices_are_stored_once(app, client, owner, name, value, stored):
    expect(client.post("/submit/initiative", data=form_data(**{name: value})), 302)
    assert getattr(rows(app)[0], name) == stored


@pytest.mark.parametrize("name", list(TICKED))
def test_more_values_than_choices_are_refused(app, client, owner, name):
    """A forged post with more distinct values than the vocabulary has: a clear message."""
    most = len(VOCABULARIES[name])
    forged = [*VOCABULARIES[name], *[str(n) for n in range(100, 5100)]]
    page = expect(client.post("/submit/initiative", data=form_data(**{name: forged})), 422).text
    assert field_error(page, name) == f"Choose at most {most}."
    assert count(app) == 0


@pytest.mark.parametrize("name, limit", sorted(LIST_LIMITS.items()))
def test_every_vocabulary_fits_its_database_limit(name, limit):
    assert len(VOCABULARIES[name]) <= limit


@pytest.mark.parametrize("name, limit", sorted(LIST_LIMITS.items()))
@pytest.mark.parametrize("bad", ["not a list", "too many", "object"])
def test_database_refuses_a_list_field_that_is_not_a_bounded_array(
    app, owner, session, name, limit, bad
):
    """The database guards the list fields too: a JSON array of at most LIST_LIMITS values.
    (Written past the forms and the ORM's own types, as a script or another client could.)"""
    value = {
        "not a list": '"CH"',
        "too many": json.dumps(["x"] * (limit + 1)),
        "object": '{"CH": 1}',
    }[bad]

    as_json = "CAST(:value AS JSON)" if session.bind.dialect.name == "postgresql" else ":value"

    def insert(raw_json: str, slug: str) -> None:
        session.execute(
            text(
                f"INSERT INTO submissions (slug, owner_id, kind, status, title, summary, "
                f"description, lead_organisation, countries, regions, themes, sdgs, partners, "
                f"website, contact_name, contact_email, objectives, member_organisations, "
                f"resources, timeline, created_at, updated_at, version, decision_message) "
                f"VALUES (:slug, :owner, 'initiative', 'draft', '', '', '', '', "
                f"{_json_or(name, 'countries', as_json)}, {_json_or(name, 'regions', as_json)}, "
                f"{_json_or(name, 'themes', as_json)}, {_json_or(name, 'sdgs', as_json)}, "
                f"'', '', '', '', '', '', "
                f"'', '', :now, :now, 1, '')"
            ),
            {
                "slug": slug,
                "owner": owner.id,
                "value": raw_json,
                "now": datetime(2026, 1, 1, tzinfo=UTC),
            },
        )

    insert(json.dumps(["x"] * limit), "at-the-limit")  # the control: an array at the limit
    session.commit()
    with pytest.raises((IntegrityError, DataError)):  # PostgreSQL: DataError for a non-array
        insert(value, "refused")
    session.rollback()
    assert count(app) == 1


def _json_or(name: str, column: str, value_sql: str) -> str:
    """The SQL for `column` in the insert above: the tested value, or an empty array."""
    return value_sql if name == column else value_sql.replace(":value", "'[]'")


# --- Invisible characters -----------------------------------------------------------------


CONTROL = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f"]
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@pytest.mark.parametrize("char", CONTROL, ids=[f"U+{ord(c):04X}" for c in CONTROL])
def test_control_characters_are_stripped(app, client, owner, char):
    data = form_data(
        title=f"Clean{char} title{char}",
        description=f"Line{char} one\r\nline two",
        summary=f"{char}Summary",
        lead_organisation=f"Org{char}",
        contact_name=f"Ada{char} Example",
        partners=f"P1{char}\nP2",
        objectives=f"Goal{char}",
    )

    response = expect(client.post("/submit/initiative", data=data), 302)

    [saved] = rows(app)
    assert saved.title == "Clean title"
    assert saved.description == "Line one\nline two"
    assert (saved.summary, saved.lead_organisation, saved.contact_name) == (
        "Summary",
        "Org",
        "Ada Example",
    )
    assert (saved.partners, saved.objectives) == ("P1\nP2", "Goal")
    page = expect(client.get(response.location), 200).text
    assert not CONTROL_RE.search(page)


def test_nul_bytes_everywhere_never_reach_the_database(app, client, owner):
    data = form_data(**{name: f"\x00{name}\x00value\x00" for name in (*TEXT_FIELDS, "objectives")})
    data.update(
        contact_email="ada@example.org\x00",
        website="https://example.org/\x00x",
        form_token="token\x00value",
    )

    expect(client.post("/submit/initiative", data=data), 302)

    [saved] = rows(app)
    for name in (*TEXT_FIELDS, "objectives"):
        assert getattr(saved, name) == f"{name}value"
    assert (saved.contact_email, saved.website) == ("ada@example.org", "https://example.org/x")
    assert saved.form_token == "tokenvalue"


@pytest.mark.parametrize("name", ["countries", "themes", "sdgs"])
def test_nul_byte_in_a_choice_is_refused(app, client, owner, name):
    value = {"countries": "CH\x00", "themes": "safety\x00", "sdgs": "4\x00"}[name]
    page = expect(client.post("/submit/initiative", data=form_data(**{name: [value]})), 422).text
    assert re.search(r"(?i)not a valid choice|invalid choice", field_error(page, name))
    assert count(app) == 0


def test_nul_bytes_in_login_and_register_forms(app, client):
    expect(
        client.post("/account/login", data={"email": "a\x00@example.org", "password": "x\x00y"}),
        422,
    )
    response = client.post(
        "/account/register",
        data={
            "email": "nul\x00@example.org",
            "display_name": "Nul\x00 Person",
            "organisation": "\x00Org",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code in (302, 422)
    with app.app_context():
        for user in db.session.scalars(select(User)):
            assert "\x00" not in user.email + user.display_name + user.organisation


def test_windows_newlines_become_plain_newlines(app, client, owner):
    expect(
        client.post(
            "/submit/initiative", data=form_data(timeline="x", description="One\r\nTwo\rThree")
        ),
        302,
    )
    assert rows(app)[0].description == "One\nTwo\nThree"


# --- Markup is text -----------------------------------------------------------------------


PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'

ESCAPE_CASES = [("initiative", name) for name in TEXT_FIELDS] + [
    (kind, name) for kind, name in KIND_FIELDS.items()
]


@pytest.mark.parametrize("kind, name", ESCAPE_CASES)
def test_markup_is_shown_escaped(app, client, owner, kind, name):
    response = expect(
        client.post(f"/submit/{kind}", data=form_data(kind, **{name: f"Hi {PAYLOAD}"})), 302
    )
    assert getattr(rows(app)[0], name) == f"Hi {PAYLOAD}"  # stored as typed

    for path in (response.location, "/my/", f"{response.location}/edit"):
        page = expect(client.get(path), 200).text
        assert "<script>alert" not in page
        assert "<img src=x" not in page
    detail = client.get(response.location).text
    assert "&lt;script&gt;alert(" in detail


@pytest.mark.parametrize("name", ["title", "summary"])
def test_markup_is_escaped_in_the_refused_form_too(client, owner, name):
    page = expect(
        client.post("/submit/initiative", data=form_data(**{name: PAYLOAD, "description": ""})), 422
    ).text
    assert "<script>alert" not in page
    assert field_value(page, name) == PAYLOAD


def test_website_cannot_break_out_of_its_link(app, client, owner):
    url = 'https://example.org/"><script>alert(1)</script>'
    response = client.post("/submit/initiative", data=form_data(website=url))
    if response.status_code == 302:  # accepted as a URL: it must stay inside href="…"
        page = expect(client.get(response.location), 200).text
        assert '"><script>' not in page
        assert "<script>alert(1)" not in page
    else:
        assert expect(response, 422)
        assert count(app) == 0


# --- Formats ------------------------------------------------------------------------------


FORMAT_CASES = [
    ("contact_email", "not-an-email", "Enter a valid e-mail address."),
    ("contact_email", "ada@", "Enter a valid e-mail address."),
    ("contact_email", "@example.org", "Enter a valid e-mail address."),
    ("contact_email", "ada example@example.org", "Enter a valid e-mail address."),
    ("contact_email", "ada@example", "Enter a valid e-mail address."),
    ("contact_email", "ada@@example.org", "Enter a valid e-mail address."),
    ("website", "javascript:alert(1)", "Enter a full web address starting with https://"),
    ("website", "ftp://x", "Enter a full web address starting with https://"),
    ("website", "not a url", "Enter a full web address starting with https://"),
    ("website", "example.org", "Enter a full web address starting with https://"),
    ("website", "https://", "Enter a full web address starting with https://"),
    ("website", "//example.org/x", "Enter a full web address starting with https://"),
    ("website", "http://exa mple.org", "Enter a full web address starting with https://"),
    ("website", "data:text/html,<b>x</b>", "Enter a full web address starting with https://"),
    # urlsplit raises on an unclosed IPv6 bracket: a clear message, never a 500.
    ("website", "http://[::1", "Enter a full web address starting with https://"),
    ("website", "https://[", "Enter a full web address starting with https://"),
    ("website", "http://]::1[/", "Enter a full web address starting with https://"),
    ("start_date", "2026-13-45", "Not a valid date. Write it as year-month-day"),
    ("start_date", "2026-02-30", "Not a valid date. Write it as year-month-day"),
    ("start_date", "19/06/2026", "Not a valid date. Write it as year-month-day"),
    ("end_date", "tomorrow", "Not a valid date. Write it as year-month-day"),
    ("end_date", "2026-06-19T10:00", "Not a valid date. Write it as year-month-day"),
    ("end_date", "2026-08-31", "The end date must be on or after the start date."),
]


@pytest.mark.parametrize("name, value, message", FORMAT_CASES)
@pytest.mark.parametrize("action", ["submit", "draft"])
def test_bad_format_is_refused_with_a_specific_message(
    app, client, owner, name, value, message, action
):
    data = form_data("concrete_action", action, **{name: value})
    page = expect(client.post("/submit/concrete_action", data=data), 422).text

    assert field_error(page, name).startswith(message)
    assert field_value(page, name) == value
    assert count(app) == 0


@pytest.mark.parametrize(
    "name, value, stored",
    [
        ("website", "  https://example.org/a?b=c#d ", "https://example.org/a?b=c#d"),
        ("website", "http://example.org", "http://example.org"),
        ("website", "", ""),
        ("contact_email", " Ada@Example.org ", "Ada@Example.org"),
        ("end_date", "2026-09-01", "2026-09-01"),  # same day as the start
    ],
)
def test_good_formats_are_accepted(app, client, owner, name, value, stored):
    expect(client.post("/submit/initiative", data=form_data(**{name: value})), 302)
    assert str(getattr(rows(app)[0], name)) == stored


# --- Forged choices -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        "Initiative",
        "nope",
        "initiative%00",
        "initiative%20",
        "coalition;drop",
        "..%2Fmy",
        "%3Cscript%3E",
    ],
)
def test_forged_kind_is_404(app, client, owner, kind):
    expect(client.get(f"/submit/{kind}"), 404)
    expect(client.post(f"/submit/{kind}", data=form_data()), 404)
    assert count(app) == 0


FORGED = [
    ("stakeholder_group", "overlord", "Not a valid choice."),
    ("stakeholder_group", "academia ; drop table", "Not a valid choice."),
    ("language", "xx", "Not a valid choice."),
    ("language", "EN", "Not a valid choice."),
    ("countries", ["XX"], "'XX' is not a valid choice for this field."),
    ("countries", ["CH", "ZZ"], "'ZZ' is not a valid choice for this field."),
    ("countries", ["ch"], "'ch' is not a valid choice for this field."),
    ("themes", ["nope"], "'nope' is not a valid choice for this field."),
    ("sdgs", ["18"], "'18' is not a valid choice for this field."),
    ("sdgs", ["0"], "'0' is not a valid choice for this field."),
    ("sdgs", ["-1"], "'-1' is not a valid choice for this field."),
    ("sdgs", ["abc"], "Invalid choice(s)"),
    ("sdgs", ["4.5"], "Invalid choice(s)"),
]


@pytest.mark.parametrize("name, value, message", FORGED)
@pytest.mark.parametrize("action", ["submit", "draft"])
def test_forged_choice_is_refused(app, client, owner, name, value, message, action):
    page = expect(
        client.post("/submit/initiative", data=form_data(action=action, **{name: value})), 422
    ).text
    assert field_error(page, name).startswith(message)
    assert count(app) == 0


def test_forged_choice_in_an_edit_leaves_the_item_unchanged(
    app, client, owner, create_submission_for
):
    sub = create_submission_for(owner, title="Unchanged")
    expect(client.post(f"/my/{sub.id}/edit", data=form_data(title="Forged", countries=["XX"])), 422)
    assert rows(app)[0].title == "Unchanged"


def test_unknown_action_saves_a_draft_not_a_submission(app, client, owner):
    expect(client.post("/submit/initiative", data=form_data(action="publish")), 302)
    assert [r.status for r in rows(app)] == [Status.DRAFT]


@pytest.mark.parametrize("token", ["x" * 65, "x" * 5000, "<script>", "a b", "é" * 10])
def test_forged_form_token_is_ignored(app, client, owner, token):
    """The hidden token column holds 64 characters; a forged token must not break the post."""
    response = expect(
        client.post("/submit/initiative", data={**form_data(), "form_token": token}), 302
    )
    assert [r.form_token for r in rows(app)] == [None]
    assert client.get(response.location).status_code == 200


# --- CSRF ---------------------------------------------------------------------------------


@pytest.fixture
def csrf_client(make_app: Callable[..., Flask]) -> Any:
    """A client of the hub with CSRF protection on, as in production."""
    return make_app(WTF_CSRF_ENABLED=True).test_client()


def login_with_token(client: Any, user: User) -> None:
    token = csrf_token(client.get("/account/login").text)
    expect(
        client.post(
            "/account/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
        ),
        302,
    )


def is_logged_in(client: Any) -> bool:
    return client.get("/my/").status_code == 200


TOKENS = [pytest.param(None, id="missing"), pytest.param("forged", id="forged")]


def _with(token: str | None, data: dict) -> dict:
    return data if token is None else {**data, "csrf_token": token}


def test_csrf_valid_tokens_work(app, csrf_client, create_user, create_submission_for):
    """The control: with the tokens the pages carry, everything goes through."""
    user = create_user()
    login_with_token(csrf_client, user)
    page = csrf_client.get("/submit/initiative", follow_redirects=True).text
    data = {**form_data(), "csrf_token": csrf_token(page), "form_token": form_token(page)}
    response = expect(csrf_client.post("/submit/initiative", data=data), 302)
    detail = csrf_client.get(response.location).text
    expect(
        csrf_client.post(f"{response.location}/withdraw", data={"csrf_token": csrf_token(detail)}),
        302,
    )
    assert rows(app)[0].status is Status.WITHDRAWN


@pytest.mark.parametrize("token", TOKENS)
def test_csrf_login_refused(csrf_client, create_user, token):
    user = create_user()
    page = expect(
        csrf_client.post(
            "/account/login", data=_with(token, {"email": user.email, "password": PASSWORD})
        ),
        400,
    ).text
    assert "security token was missing or expired" in page
    assert not is_logged_in(csrf_client)
    # The form is back with what was typed (never the password), ready to send again.
    assert field_value(page, "email") == user.email
    assert PASSWORD not in page
    retry = {"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(page)}
    expect(csrf_client.post("/account/login", data=retry), 302)
    assert is_logged_in(csrf_client)


@pytest.mark.parametrize("token", TOKENS)
def test_csrf_register_refused(app, csrf_client, token):
    typed = {
        "email": "new@example.org",
        "display_name": "Nouvelle Personne",
        "organisation": "Institut <b>X</b>",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    page = expect(csrf_client.post("/account/register", data=_with(token, typed)), 400).text
    assert "security token was missing or expired" in page
    assert count(app, User) == 0
    # What was typed is back (never the passwords), with a token that works.
    for name in ("email", "display_name", "organisation"):
        assert field_value(page, name) == typed[name], name
    assert PASSWORD not in page
    assert 'id="error-summary"' not in page  # nothing is wrong with the fields
    expect(
        csrf_client.post("/account/register", data={**typed, "csrf_token": csrf_token(page)}), 302
    )
    assert count(app, User) == 1


@pytest.mark.parametrize("token", TOKENS)
def test_csrf_logout_refused(csrf_client, create_user, token):
    login_with_token(csrf_client, create_user())
    page = expect(csrf_client.post("/account/logout", data=_with(token, {})), 400).text
    assert "security token was missing or expired" in page
    assert is_logged_in(csrf_client)


@pytest.mark.parametrize("token", TOKENS)
def test_csrf_withdraw_refused(app, csrf_client, create_user, create_submission_for, token):
    user = create_user()
    sub = create_submission_for(user)
    login_with_token(csrf_client, user)
    page = expect(csrf_client.post(f"/my/{sub.id}/withdraw", data=_with(token, {})), 400).text
    assert "security token was missing or expired" in page
    assert rows(app)[0].status is Status.SUBMITTED


@pytest.mark.parametrize("token", TOKENS)
def test_csrf_submission_form_keeps_the_text(app, csrf_client, create_user, token):
    login_with_token(csrf_client, create_user())
    data = _with(token, form_data(title="Typed with care", summary="Long <summary> text"))

    page = expect(csrf_client.post("/submit/initiative", data=data), 400).text

    assert "security token was missing or expired" in page
    assert field_value(page, "title") == "Typed with care"
    assert field_value(page, "summary") == "Long <summary> text"
    assert count(app) == 0
    # The re-shown form carries a fresh token: pressing the button again works.
    retry = {**form_data(title="Typed with care"), "csrf_token": csrf_token(page)}
    expect(csrf_client.post("/submit/initiative", data=retry), 302)
    assert [r.title for r in rows(app)] == ["Typed with care"]


@pytest.mark.parametrize("token", TOKENS)
def test_csrf_edit_form_keeps_the_text(app, csrf_client, create_user, create_submission_for, token):
    user = create_user()
    sub = create_submission_for(user, title="Original")
    login_with_token(csrf_client, user)

    page = expect(
        csrf_client.post(f"/my/{sub.id}/edit", data=_with(token, form_data(title="Edited title"))),
        400,
    ).text

    assert "security token" in page
    assert field_value(page, "title") == "Edited title"
    assert rows(app)[0].title == "Original"
    assert "Open the kept copy" not in page  # nothing was kept


# --- Request size -------------------------------------------------------------------------


@pytest.fixture
def small_client(make_app: Callable[..., Flask]) -> Any:
    """A hub that accepts requests of at most 2 KiB."""
    application = make_app(HUB_MAX_REQUEST_BYTES=2048)
    assert application.config["MAX_CONTENT_LENGTH"] == 2048
    return application.test_client()


def test_oversized_request_gets_a_clear_413(app, small_client, create_user):
    user = create_user()
    expect(
        small_client.post("/account/login", data={"email": user.email, "password": PASSWORD}), 302
    )

    page = expect(
        small_client.post("/submit/initiative", data=form_data(description="x" * 5000)), 413
    ).text

    assert "larger than the 2 KiB the hub accepts" in page
    assert "Shorten it" in page
    assert count(app) == 0
    # Under the limit, the same hub works.
    expect(small_client.post("/submit/initiative", data=form_data(action="draft")), 302)
    assert count(app) == 1


@pytest.mark.parametrize("path", ["/account/login", "/account/register", "/submit/initiative"])
def test_oversized_request_anywhere_is_413(small_client, path):
    page = expect(
        small_client.post(path, data={"email": "x@example.org", "password": "p" * 4000}), 413
    ).text
    assert "Too large" in page


# --- A login that expired while typing -----------------------------------------------------


def test_a_post_after_the_login_expired_is_kept_and_restored(app, client, owner):
    """The form is posted by a browser whose login has gone: nothing is submitted, the text
    comes back in the form after logging in again, once."""
    client.post("/account/logout")  # the login is gone; the form is still in the page
    text = form_data("coalition", title="Typed for an hour", description="Long careful text.")
    response = client.post("/submit/coalition", data=text)
    assert response.status_code == 302
    assert "/account/login" in response.location
    assert count(app) == 0
    login = client.post(
        "/account/login",
        data={"email": owner.email, "password": PASSWORD, "next": "/submit/coalition"},
    )
    assert login.location.endswith("/submit/coalition")
    page = expect(client.get("/submit/coalition", follow_redirects=True), 200).text
    assert "We kept what you typed" in page
    assert 'value="Typed for an hour"' in page and "Long careful text." in page
    assert "Typed for an hour" not in client.get("/submit/coalition", follow_redirects=True).text
    assert count(app) == 0


def test_parked_posts_are_bounded(app, client):
    """Anyone can post while logged out: only the form's own fields are kept, cut to the
    longest field's size, and a browser keeps one parked post at a time."""
    from hub.auth.parking import PARK_MAX_CHARS, ParkedPost

    for n in range(3):
        client.post(
            "/submit/initiative",
            data={
                "title": f"Attempt {n}",
                "description": "x" * (PARK_MAX_CHARS * 3),
                "junk": "y" * 100_000,
            },
        )
    with app.app_context():
        [parked] = db.session.scalars(select(ParkedPost)).all()
    assert parked.data["title"] == ["Attempt 2"]
    assert len(parked.data["description"][0]) == PARK_MAX_CHARS
    assert "junk" not in parked.data


def test_a_post_from_another_site_is_not_parked(app, client):
    client.post(
        "/submit/initiative",
        data={"title": "Planted by a stranger"},
        headers={"Origin": "https://evil.example"},
    )
    from hub.auth.parking import ParkedPost

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ParkedPost)) == 0


# --- Text that would break other formats ----------------------------------------------------


def test_single_line_fields_join_pasted_lines(app, client, owner):
    expect(
        client.post(
            "/submit/initiative",
            data=form_data(title="First line\r\nsecond line", lead_organisation="Org\nName"),
        ),
        302,
    )
    [saved] = rows(app)
    assert (saved.title, saved.lead_organisation) == ("First line second line", "Org Name")


def test_noncharacters_are_dropped_so_the_feed_stays_xml(app, client, owner, create_submission_for):

    expect(
        client.post(
            "/submit/initiative",
            data=form_data(title="Odd\ufffe title\uffff", summary="Sum\ufdd0mary"),
        ),
        302,
    )
    [saved] = rows(app)
    assert (saved.title, saved.summary) == ("Odd title", "Summary")


@pytest.mark.parametrize(
    "path", ["/s/abc%00def", "/api/v1/submissions/abc%00def", "/s/%C3%A9t%C3%A9", "/s/" + "a" * 300]
)
def test_odd_slugs_are_404(client, path):
    response = expect(client.get(path), 404)
    if path.startswith("/api/"):
        assert response.get_json()["status"] == 404


def test_nul_in_the_moderation_filter_is_harmless(app, client, create_user):
    moderator = create_user(role="moderator")
    client.post("/account/login", data={"email": moderator.email, "password": PASSWORD})
    expect(client.get("/moderation/?q=a%00b"), 200)
    expect(client.get("/moderation/?q=100%25_sure"), 200)


# --- Posts that are not forms, and forms with nothing in them ----------------------------


@pytest.mark.parametrize("body", ['{"email": 5, "password": 5}', '"x"', "[1]", "null"])
@pytest.mark.parametrize("path", ["/account/login", "/account/register"])
def test_a_json_body_to_a_page_is_415_not_an_error(csrf_client, path, body):
    """Flask-WTF would read a JSON body as the form, with numbers where text belongs."""
    response = expect(csrf_client.post(path, data=body, content_type="application/json"), 415)
    assert "accepts forms sent from the hub's pages only" in page_text(response.text)


@pytest.mark.parametrize("body", ['{"title": 5}', '{"sdgs": [[1]]}', '{"title": {"a": 1}}'])
def test_a_json_body_to_the_submission_form_saves_nothing(app, client, owner, body):
    expect(client.post("/submit/initiative", data=body, content_type="application/json"), 415)
    expect(client.post("/submit/initiative", data=body, content_type="text/plain"), 415)
    assert count(app) == 0


def test_a_json_body_to_moderation_is_415(app, client, create_user, create_submission_for):
    moderator = create_user(role="moderator")
    item = create_submission_for(create_user())
    client.post("/account/login", data={"email": moderator.email, "password": PASSWORD})
    expect(
        client.post(
            f"/moderation/{item.id}/decide",
            data='{"action": {"a": 1}}',
            content_type="application/json",
        ),
        415,
    )
    assert row(app, item.id).status is Status.SUBMITTED


def test_the_api_still_answers_json_to_a_json_post(client):
    response = expect(client.post("/api/v1/submissions", json={"q": "x"}), 405)
    assert response.get_json()["status"] == 405


EMPTY_POST_TEXT = "The form arrived without any of its fields, so nothing was saved"


def test_an_empty_post_of_a_new_form_saves_nothing(app, client, owner):
    """No fields at all (a forged or truncated post) is not a draft to save."""
    response = expect(client.post("/submit/initiative"), 400)
    assert EMPTY_POST_TEXT in page_text(response.text)
    assert count(app) == 0


def test_an_empty_post_of_an_edit_leaves_the_draft_as_it_was(
    app, client, owner, create_submission_for
):
    draft = create_submission_for(owner, status="draft", title="My draft title")
    response = expect(client.post(f"/my/{draft.id}/edit"), 400)
    assert EMPTY_POST_TEXT in page_text(response.text)
    saved = row(app, draft.id)
    assert (saved.status, saved.title, saved.countries) == (
        Status.DRAFT,
        "My draft title",
        draft.countries,
    )


def test_a_form_sent_with_every_list_left_out_saves_empty_lists(app, client, owner):
    """A browser leaves unticked checkboxes out of the post: the lists are empty, not NULL."""
    data = {"title": "Only a title", "action": "save"}
    expect(client.post("/submit/initiative", data=data), 302)
    [saved] = rows(app)
    assert (saved.countries, saved.themes, saved.sdgs) == ([], [], [])


@pytest.mark.parametrize("host", ["a..b", ".", "x" * 70])
def test_a_host_werkzeug_refuses_gets_the_400_page(client, host):
    """No link can be built for such a host; the page still comes in the hub's design."""
    response = expect(client.get("/browse", headers={"Host": host}), 400)
    assert 'href="/static/hub.css' in response.text
    assert "Bad request" in page_text(response.text)
    api = expect(client.get("/api/v1/submissions", headers={"Host": host}), 400)
    assert api.get_json()["status"] == 400
