"""Lists of names (countries, regions, SDGs, co-editors…) are separated as the page's language
separates them: "France, Senegal", "فرنسا، السنغال", "法国、塞内加尔"; never with "and"."""

from __future__ import annotations

import html
import re

import pytest

from helpers import Browser, expect


@pytest.fixture
def published(create_user, create_submission_for):
    """An approved submission in France and Senegal, on two SDGs."""
    return create_submission_for(
        create_user(), status="approved", countries=["FR", "SN"], sdgs=[4, 17]
    )


def facts(page: str, label: str) -> str:
    """The text of one fact of the detail page."""
    found = re.search(rf"<dt>{re.escape(label)}</dt><dd[^>]*>(.*?)</dd>", page, re.S)
    assert found, label
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


@pytest.mark.parametrize(
    ("language", "label", "countries"),
    [
        ("en", "Countries", "France, Senegal"),
        ("ar", "البلدان", "فرنسا، السنغال"),
        ("zh", "国家", "法国、塞内加尔"),
    ],
)
def test_the_detail_page_separates_countries_in_its_language(
    client, published, language, label, countries
):
    page = client.get(f"/s/{published.slug}", headers={"Accept-Language": language})
    html = expect(page, 200).text
    assert f'<html lang="{language}' in html
    assert facts(html, label) == countries


@pytest.mark.parametrize(
    ("language", "label", "countries"),
    [("ar", "البلدان", "فرنسا، السنغال"), ("zh", "国家", "法国、塞内加尔")],
)
def test_the_review_page_separates_countries_too(
    app, moderator, published, language, label, countries
):
    page = Browser(app, moderator).get(
        f"/moderation/{published.id}", headers={"Accept-Language": language}
    )
    assert facts(expect(page, 200).text, label) == countries
