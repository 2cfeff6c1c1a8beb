"""When the database cannot be used (down, unreachable, or SQLite locked past its busy
timeout), people get the 503 page in the hub's design with Retry-After, API clients JSON;
a real bug still gets the 500 page."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text

from hub.extensions import db

from helpers import PASSWORD, PG_URL, form_data, page_text

UNREACHABLE = {
    "sqlite-file-missing": "sqlite:///{tmp}/no-such-folder/hub.sqlite3",
    "postgresql-refused": "postgresql+psycopg://postgres@127.0.0.1:1/test",
}


def assert_503_page(response: Any) -> str:
    """The 503 page in the hub's design, with Retry-After and no internals; its text."""
    assert response.status_code == 503, response.text[:1000]
    assert response.mimetype == "text/html"
    assert int(response.headers["Retry-After"]) > 0
    assert 'class="site-header"' in response.text and 'class="site-footer"' in response.text
    assert 'href="/"' in response.text  # a way back
    text = page_text(response.text)
    assert "Temporarily unavailable" in text and "Error 503" in text
    for internal in ("Traceback", "OperationalError", "sqlite3", "psycopg", "127.0.0.1:1"):
        assert internal not in response.text
    return text


@pytest.mark.parametrize("where", UNREACHABLE)
@pytest.mark.parametrize("path", ["/", "/about", "/browse", "/search?q=climate", "/stats"])
def test_pages_answer_503_when_the_database_is_unreachable(make_app, tmp_path, where, path):
    app = make_app(HUB_DATABASE_URL=UNREACHABLE[where].format(tmp=tmp_path))

    response = app.test_client().get(path)

    text = assert_503_page(response)
    assert "Something went wrong" not in text
    assert "Try again in a minute" in text


@pytest.mark.parametrize("where", UNREACHABLE)
def test_the_api_answers_json_503_when_the_database_is_unreachable(make_app, tmp_path, where):
    app = make_app(HUB_DATABASE_URL=UNREACHABLE[where].format(tmp=tmp_path))

    response = app.test_client().get("/api/v1/submissions")

    assert response.status_code == 503
    assert response.is_json
    assert response.json["status"] == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "sqlite" not in response.text.lower() and "psycopg" not in response.text


@pytest.fixture
def locked_sqlite(make_app, database_url: str, create_user) -> Iterator[tuple[Flask, Any]]:
    """A hub on SQLite whose writers give up after 50 ms, and a way to hold the write lock
    from another process's connection (as a long write of another worker would)."""
    if PG_URL:
        pytest.skip("SQLite's write lock")
    app = make_app(HUB_SQLITE_BUSY_TIMEOUT_MS=50)
    path = database_url.removeprefix("sqlite:///")
    holder = sqlite3.connect(path, isolation_level=None, timeout=0)
    yield app, holder
    holder.close()


def test_a_post_while_sqlite_stays_locked_answers_503_not_500(locked_sqlite, create_user):
    app, holder = locked_sqlite
    user = create_user()
    client = app.test_client()
    assert (
        client.post("/account/login", data={"email": user.email, "password": PASSWORD}).status_code
        == 302
    )

    holder.execute("BEGIN IMMEDIATE")
    response = client.post("/submit/initiative", data=form_data(title="Kept in the browser"))
    holder.execute("ROLLBACK")

    text = assert_503_page(response)
    assert "Nothing was saved" in text and "Back button" in text
    # The database that knows who is logged in could not be asked: the page is a visitor's.
    assert "Log out" not in text
    with app.app_context():  # nothing half-written, and the hub works again at once
        assert db.session.scalar(text_count("submissions")) == 0
    assert client.get("/my/").status_code == 200


def text_count(table: str) -> Any:
    """SELECT count(*) FROM table."""
    return text(f"SELECT count(*) FROM {table}")  # noqa: S608 - a literal table name


def test_login_while_sqlite_stays_locked_answers_503(locked_sqlite, create_user):
    app, holder = locked_sqlite
    user = create_user()
    holder.execute("BEGIN IMMEDIATE")
    try:
        response = app.test_client().post(
            "/account/login", data={"email": user.email, "password": PASSWORD}
        )
    finally:
        holder.execute("ROLLBACK")
    assert_503_page(response)


@pytest.mark.server_error
def test_a_missing_table_is_a_bug_and_stays_a_500(make_app, tmp_path):
    """An unmigrated database is not a passing outage: 500, not "try again later"."""
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    app = make_app(HUB_DATABASE_URL=f"sqlite:///{empty}")

    response = app.test_client().get("/browse")

    assert response.status_code == 500
    assert "Retry-After" not in response.headers
    assert "Something went wrong" in response.text


def test_the_503_page_is_the_hubs_design_for_an_aborted_request(app):
    """A view or proxy that aborts with 503 gets the same page (maintenance)."""
    from flask import abort

    app.add_url_rule(
        "/test-only/maintenance", "test_only_maintenance", lambda: abort(503, retry_after=120)
    )
    response = app.test_client().get("/test-only/maintenance")
    assert_503_page(response)
    assert response.headers["Retry-After"] == "120"
