"""CSV downloads reach spreadsheets set to any separator: `csvprobe;=1+1;@SUM(1)` must not
run as a formula in French, German or Swiss Excel (which split on `;`), nor when a
spreadsheet splits on tabs or commas and ignores the quotes."""

from __future__ import annotations

import csv
import io
import re

import pytest

from hub.submissions.models import Status

PROBE = "csvprobe;=1+1;@SUM(1)"
PROBES = [PROBE, "a, -2+3", "tab\t+1", 'quoted;"=1+1"', "line\n@SUM(1)", "  =1+1"]
FORMULA = ("=", "+", "-", "@")


def split_anyhow(text: str) -> list[str]:
    """Every piece a spreadsheet could make a cell of: split at any separator it may use
    (quotes ignored), blanks and quotes around a piece stripped as it may strip them."""
    return [piece.strip().strip('"').strip() for piece in re.split(r"[,;\t\r\n]", text)]


def assert_no_formula(text: str) -> None:
    """No separator of any locale can make a cell of `text` start a formula."""
    cells = [piece for piece in split_anyhow(text) if piece.startswith(FORMULA)]
    assert not cells, cells
    # A `;` spreadsheet that does respect quotes, and a tab one.
    for delimiter in (";", "\t", ","):
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            assert not [c for c in row if c.strip().startswith(FORMULA)], (delimiter, row)


def body(response) -> str:
    """The CSV as text, without its BOM."""
    assert response.status_code == 200
    return response.get_data(as_text=True).removeprefix("\ufeff")


@pytest.mark.parametrize("probe", PROBES)
def test_export_csv_runs_no_formula_whatever_the_separator(
    client, owner, create_submission_for, probe
):
    create_submission_for(owner, Status.APPROVED, title=f"Title {probe}", summary=probe)
    text = body(client.get("/export.csv"))
    assert "csvprobe" in text or probe.strip()[:3] in text
    assert_no_formula(text)
    # A comma spreadsheet still reads the text, marked as text where a formula could start.
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["summary"].replace("'", "") == probe.replace("'", "")


def test_the_probe_from_the_issue_reads_as_text(client, owner, create_submission_for):
    create_submission_for(owner, Status.APPROVED, summary=PROBE)
    text = body(client.get("/export.csv"))
    assert "\"csvprobe;'=1+1;'@SUM(1)\"" in text  # quoted, each formula start neutralised


def test_audit_csv_runs_no_formula_whatever_the_separator(
    app, client, auth, owner, create_user, create_submission_for, moderator
):
    item = create_submission_for(owner)
    auth.login(moderator)
    response = client.post(
        f"/moderation/{item.id}/decide",
        data={"action": "reject", "version": str(item.version), "message": PROBE},
    )
    assert response.status_code == 302
    auth.logout()
    auth.login(create_user(role="admin"))
    text = body(client.get("/moderation/audit.csv"))
    assert "csvprobe" in text
    assert_no_formula(text)
