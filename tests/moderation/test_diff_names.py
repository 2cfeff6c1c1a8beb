"""The review page's diff names the coded fields (countries, regions, themes, SDGs, group,
language) as the rest of the page does, in the page's language, item by item."""

from __future__ import annotations

import re
from typing import Any

import pytest

from helpers import Browser, decision_form, expect, form_data, page_text, page_version


def field_diff(page: str, label: str) -> str:
    """The HTML of one changed field in the "changed since the last review" section."""
    section = re.search(r'<section class="card notice-warn resubmitted".*?</section>', page, re.S)
    assert section, "no resubmitted section"
    found = re.search(rf"<dt>{re.escape(label)}</dt>\s*<dd[^>]*>(.*?)</dd>", section.group(0), re.S)
    assert found, f"{label} not listed as changed"
    return found.group(1)


def changed(html: str, op: str) -> list[str]:
    """The items a diff marks removed ("del") or added ("ins"), as read."""
    return [page_text(m).strip(" []\n") for m in re.findall(rf"<{op}>(.*?)</{op}>", html, re.S)]


@pytest.fixture
def resubmitted(app: Any, create_user: Any, create_submission_for: Any, moderator: Any) -> Any:
    """A Senegalese health project sent back, resubmitted as a Kenyan education one."""
    owner = create_user()
    item = create_submission_for(
        owner, countries=["SN"], regions=["africa"], themes=["health"], sdgs=[3], language="fr"
    )
    mona = Browser(app, moderator)
    version = page_version(mona, item.id)
    decided = mona.post(
        f"/moderation/{item.id}/decide",
        data=decision_form("request_changes", version, message="Say where, please."),
    )
    expect(decided, 302)
    edited = form_data(countries=["KE", "FR"], themes=["education"], sdgs=["3", "4"], language="en")
    expect(Browser(app, owner).post(f"/my/{item.id}/edit", data=edited), 302)
    return item, mona


def test_a_country_change_reads_as_names(resubmitted):
    item, mona = resubmitted
    page = expect(mona.get(f"/moderation/{item.id}"), 200).text
    countries = field_diff(page, "Countries")
    assert changed(countries, "del") == ["removed: Senegal"]
    [added] = changed(countries, "ins")
    assert "Kenya" in added and "France" in added
    assert "SN" not in page_text(countries) and "KE" not in page_text(countries)
    themes = field_diff(page, "Themes")
    assert "AI for health" in page_text(themes) and "AI in education" in page_text(themes)
    sdgs = field_diff(page, "Sustainable Development Goals")
    assert changed(sdgs, "ins") == ["added: SDG 4: Quality education"]
    assert "<del>" not in sdgs  # SDG 3 kept, not removed and added again
    regions = field_diff(page, "Regions")
    assert "Europe" in page_text(regions)
    assert "English" in page_text(field_diff(page, "Language of this text"))


def test_the_names_are_in_the_page_language(resubmitted):
    item, mona = resubmitted
    page = mona.get(f"/moderation/{item.id}", headers={"Accept-Language": "ar"}).text
    assert 'lang="ar"' in page
    section = re.search(r'<section class="card notice-warn resubmitted".*?</section>', page, re.S)
    text = page_text(section.group(0))
    assert "السنغال" in text and "كينيا" in text  # Senegal, Kenya
    assert "SN\n" not in text
