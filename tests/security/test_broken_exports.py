"""A download that fails half-way (the database connection lost mid-stream) can no longer
change its 200: its body says so. The JSON array is never closed and ends with a line
"EXPORT FAILED ..."; the CSV ends with an unclosed "EXPORT FAILED" line and no line break.
A complete one is a well-formed array, or a CSV whose last row ends with a line break."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy.exc import OperationalError

import hub.api.opendata as opendata
from hub.submissions.models import Status


@pytest.fixture
def published(owner, create_submission_for):
    """Three approved submissions."""
    return [create_submission_for(owner, Status.APPROVED, title=f"Item {n}") for n in range(3)]


@pytest.fixture
def lost_after_one(monkeypatch):
    """The connection is lost while the rows after the first are fetched."""
    real = opendata._approved

    def approved():
        rows = real()
        yield next(rows)
        rows.close()  # the cursor, as a lost connection leaves it: gone
        raise OperationalError("FETCH ...", {}, Exception("server closed the connection"))

    monkeypatch.setattr(opendata, "_approved", approved)


def test_complete_exports_end_as_complete_files(client, published):
    assert len(json.loads(client.get("/export.json").get_data(as_text=True))) == 3
    text = client.get("/export.csv").get_data(as_text=True)
    assert text.endswith("\r\n") and "EXPORT FAILED" not in text
    assert len(list(csv.reader(io.StringIO(text), strict=True))) == 4


def test_a_json_export_cut_short_is_no_json_and_says_so(client, published, lost_after_one):
    response = client.get("/export.json")
    assert response.status_code == 200  # sent before the failure
    text = response.get_data(as_text=True)
    with pytest.raises(ValueError):
        json.loads(text)
    assert text.rstrip().splitlines()[-1].startswith("EXPORT FAILED after 1 records")
    assert "Item 0" in text and "Item 1" not in text


def test_a_csv_export_cut_short_is_no_csv_and_says_so(client, published, lost_after_one):
    text = client.get("/export.csv").get_data(as_text=True)
    assert not text.endswith("\n")
    assert text.splitlines()[-1].startswith('"# EXPORT FAILED after 1 rows')
    with pytest.raises(csv.Error):  # a strict reader refuses it
        list(csv.reader(io.StringIO(text), strict=True))
    assert "Item 0" in text and "Item 1" not in text
