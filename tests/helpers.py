"""Constants and data builders shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import html
import os
import re
from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from hub.extensions import db
from hub.submissions.models import Submission

# The suite's PostgreSQL server, when set (.ci/run's second pass); unset = SQLite.
PG_URL = os.environ.get("HUB_TEST_DATABASE_URL")
PASSWORD = "a-long-enough-password"


def full_content(**overrides: Any) -> dict[str, Any]:
    """Complete, valid content of a submission (as form data or operation input)."""
    data: dict[str, Any] = {
        "title": "AI skills for public servants",
        "summary": "Training civil servants in three regions to assess AI systems.",
        "description": "A two-year programme of workshops and open course material.",
        "lead_organisation": "Example Institute",
        "stakeholder_group": "academia",
        "countries": ["CH", "KE"],
        "regions": ["africa", "europe"],
        "themes": ["capacity_building"],
        "sdgs": [4, 17],
        "partners": "Partner One\nPartner Two",
        "website": "https://example.org/skills",
        "language": "en",
        "contact_name": "Ada Example",
        "contact_email": "ada@example.org",
        "objectives": "Train 500 people.",
        "member_organisations": "Member A\nMember B",
        "resources": "Funding",
        "timeline": "2026-09 pilot\n2027-03 scale",
        "start_date": "2026-09-01",
        "end_date": "2027-12-31",
    }
    data.update(overrides)
    return data


def content(**overrides: Any) -> dict[str, Any]:
    """full_content() as the operations take it (dates as dates, not form strings)."""
    data = full_content(**overrides)
    for key in ("start_date", "end_date"):
        if isinstance(data.get(key), str):
            data[key] = date.fromisoformat(data[key])
    return data


# --- Forms and pages, as a browser would post and read them --------------------------------

KIND_FIELDS = {
    "initiative": "objectives",
    "coalition": "member_organisations",
    "partnership": "resources",
    "concrete_action": "timeline",
}


def expect(response: Any, status: int) -> Any:
    """Assert the status (never a 500), showing the page text when it differs."""
    assert response.status_code != 500, response.text[:2000]
    assert response.status_code == status, response.text[:2000]
    return response


def form_data(kind: str = "initiative", action: str = "submit", **overrides: Any) -> dict:
    """A complete form post for `kind` (only that kind's own field) plus the button."""
    data = full_content(**overrides)
    for other_kind, name in KIND_FIELDS.items():
        if other_kind != kind and name not in overrides:
            data.pop(name, None)
    data["action"] = action
    return {
        k: [str(v) for v in val] if isinstance(val, list) else val
        for k, val in data.items()
        if val is not None
    }


def field_block(page: str, name: str) -> str:
    """The HTML of one form field (label, help, errors, input)."""
    found = re.search(rf'<div class="field[^"]*" id="{name}-field">(.*?)</div>', page, re.S)
    assert found, f"no field {name!r} in the page"
    return found.group(1)


def field_error(page: str, name: str) -> str:
    """The error text shown next to a field ('' when none)."""
    found = re.search(r'<p class="error"[^>]*>(.*?)</p>', field_block(page, name), re.S)
    return html.unescape(found.group(1)).strip() if found else ""


def field_value(page: str, name: str) -> str:
    """What an <input> or <textarea> of the re-rendered form holds."""
    area = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(?:\r?\n)?(.*?)</textarea>', page, re.S)
    if area:
        return html.unescape(area.group(1))
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert tag, f"no input for {name!r}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


def form_token(page: str) -> str:
    """The one-time token of the submission form in `page`."""
    found = re.search(r'name="form_token" type="hidden" value="([^"]*)"', page)
    assert found, "no form_token in the form"
    return found.group(1)


def detail_id(response: Any) -> int:
    """The id in a redirect to /my/<id>."""
    found = re.fullmatch(r"/my/(\d+)", response.location)
    assert found, response.location
    return int(found.group(1))


def page_text(page: str) -> str:
    """The page as a person reads it: tags removed, blanks collapsed, entities decoded."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


# --- What is stored -------------------------------------------------------------------------


def rows(app: Flask, **where: Any) -> list[Submission]:
    """Stored submissions (read in a context of their own), oldest first."""
    with app.app_context():
        found = list(
            db.session.scalars(select(Submission).filter_by(**where).order_by(Submission.id))
        )
        db.session.expunge_all()
        return found


def row(app: Flask, submission_id: int) -> Submission:
    """One stored submission, detached."""
    with app.app_context():
        found = db.session.get(Submission, submission_id)
        assert found is not None
        db.session.expunge(found)
        return found


def count(app: Flask, model: type = Submission) -> int:
    """How many rows of `model` are stored."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))
