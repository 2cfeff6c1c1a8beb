"""Constants and data builders shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
from typing import Any

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
