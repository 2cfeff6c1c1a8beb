"""A full disk is said as such: a 503 page that says the server ran out of storage and that
nothing was saved (not "cannot reach its database", which sends people to wait it out)."""

from __future__ import annotations

import errno
import sqlite3

import psycopg
import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from hub.submissions.models import Submission

from helpers import count, form_data, page_text

FULL_ERRORS = {
    "sqlite": lambda: OperationalError(
        "INSERT INTO submissions ...", {}, sqlite3.OperationalError("database or disk is full")
    ),
    "postgresql": lambda: OperationalError(
        "INSERT INTO submissions ...",
        {},
        psycopg.errors.DiskFull('could not extend file "base/16384/16390": No space left'),
    ),
}


@pytest.mark.parametrize("backend", FULL_ERRORS)
def test_a_full_disk_on_saving_says_so_and_that_nothing_was_saved(
    app, client, auth, owner, monkeypatch, backend
):
    auth.login(owner)
    before = count(app, Submission)

    def full(self: Session) -> None:
        raise FULL_ERRORS[backend]()

    monkeypatch.setattr(Session, "commit", full)
    response = client.post("/submit/initiative", data=form_data())
    monkeypatch.undo()
    assert response.status_code == 503
    assert response.headers.get("Retry-After")
    text = page_text(response.text)
    assert "run out of storage space" in text and "nothing was saved" in text
    assert "Back button" in text  # where the text typed still is
    assert "cannot reach its database" not in text
    assert count(app, Submission) == before


def test_a_full_disk_says_so_to_api_clients_too(make_app):
    app = make_app()

    @app.route("/api/v1/test-only/full")
    def full() -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    response = app.test_client().get("/api/v1/test-only/full")
    assert response.status_code == 503
    assert "run out of storage space" in response.get_json()["message"]
    assert response.headers.get("Retry-After")


def test_a_lost_database_is_still_said_as_such(app, client, auth, owner, monkeypatch):
    auth.login(owner)

    def lost(self: Session) -> None:
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(Session, "commit", lost)
    response = client.post("/submit/initiative", data=form_data())
    monkeypatch.undo()
    assert response.status_code == 503
    assert "cannot reach its database" in page_text(response.text)
