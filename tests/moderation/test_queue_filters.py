"""Queue filters by the submission's fields: language, country, region, stakeholder group,
theme and waiting time, combinable, in the address (a bookmark), with the number of items
that match and a link that clears them; an unknown value is named, never an error page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from hub.extensions import db
from hub.submissions.models import Submission

from helpers import Browser, text_of


@pytest.fixture
def items(app, owner, create_submission_for):
    """Four submitted items that differ by field."""
    made = {
        "fr_africa": create_submission_for(
            owner,
            title="Atelier francophone",
            language="fr",
            countries=["SN", "CI"],
            regions=["africa"],
            themes=["education"],
            stakeholder_group="civil_society",
        ),
        "en_europe": create_submission_for(
            owner,
            title="European standards",
            language="en",
            countries=["CH", "DE"],
            regions=["europe"],
            themes=["standards", "safety"],
            stakeholder_group="academia",
        ),
        "en_global": create_submission_for(
            owner,
            title="Global capacity",
            language="en",
            countries=["global"],
            regions=["global"],
            themes=["capacity_building"],
            stakeholder_group="member_state",
        ),
        "ar_arab": create_submission_for(
            owner,
            title="Arabic initiative",
            language="ar",
            countries=["EG", "SN"],
            regions=["arab_states", "africa"],
            themes=["education"],
            stakeholder_group="civil_society",
        ),
    }
    return {name: item.id for name, item in made.items()}


def listed(page) -> set[int]:
    """The submission ids a queue page lists."""
    return {int(i) for i in re.findall(r'href="/moderation/(\d+)[?"]', page.text)}


def queue(app, moderator, query: str):
    return Browser(app, moderator).get(f"/moderation/?{query}")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("language=fr", {"fr_africa"}),
        ("language=en", {"en_europe", "en_global"}),
        ("country=SN", {"fr_africa", "ar_arab"}),
        ("country=sn", {"fr_africa", "ar_arab"}),  # typed by hand in the address
        ("country=global", {"en_global"}),
        ("region=africa", {"fr_africa", "ar_arab"}),
        ("region=europe", {"en_europe"}),
        ("group=civil_society", {"fr_africa", "ar_arab"}),
        ("theme=education", {"fr_africa", "ar_arab"}),
        ("theme=safety", {"en_europe"}),
        ("region=africa&language=ar", {"ar_arab"}),
        ("region=africa&theme=education&group=civil_society&country=CI", {"fr_africa"}),
        ("region=europe&language=fr", set()),
    ],
)
def test_each_filter_and_their_combinations(app, moderator, items, query, expected):
    page = queue(app, moderator, query)
    assert page.status_code == 200
    assert listed(page) == {items[name] for name in expected}
    n = len(expected)
    said = f"{n} item matches these filters." if n == 1 else f"{n} items match these filters."
    assert said in text_of(page)
    assert 'href="/moderation/">Clear the filters</a>' in page.text
    # One count line: not also "N submissions."
    assert not re.search(r"\d+ submissions?\.", text_of(page))


def test_an_unfiltered_queue_counts_submissions_in_one_line(app, moderator, items):
    text = text_of(queue(app, moderator, ""))
    assert re.search(r"\b4 submissions\.", text)
    assert "match these filters" not in text and "Clear the filters" not in text


def test_the_filters_are_kept_in_the_form_and_the_links(app, moderator, items):
    page = queue(app, moderator, "region=africa&theme=education")
    assert re.search(r'<option value="africa" selected>', page.text)
    assert re.search(r'<option value="education" selected>', page.text)
    # The review page links back to this filtered queue, and its "next" stays inside it.
    link = re.search(r'href="(/moderation/\d+\?[^"]+)"', page.text).group(1)
    assert "region=africa" in link and "theme=education" in link
    review = Browser(app, moderator).get(link.replace("&amp;", "&"))
    assert "region=africa" in review.text and "Africa" in text_of(review)


def test_waiting_time(app, moderator, items, clock):
    with app.app_context():
        old = db.session.get(Submission, items["en_global"])
        old.submitted_at = datetime.now(UTC) - timedelta(days=10)
        db.session.commit()
    assert listed(queue(app, moderator, "age=7")) == {items["en_global"]}
    assert listed(queue(app, moderator, "age=14")) == set()
    assert listed(queue(app, moderator, "age=1&language=en")) == {items["en_global"]}


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("language=xx", "“xx” is not a language the queue knows"),
        ("country=ZZ", "“ZZ” is not a country code the queue knows"),
        ("region=mars", "“mars” is not a region the queue knows"),
        ("group=robots", "“robots” is not a stakeholder group the queue knows"),
        ("theme=%3Cscript%3E", "“<script>” is not a theme the queue knows"),
        ("age=2", "“2” is not a waiting time the queue offers"),
        ("age=-1", "“-1” is not a waiting time the queue offers"),
    ],
)
def test_an_unknown_value_is_named_and_left_out(app, moderator, items, query, said):
    also = "theme=education" if query.startswith("group=") else "group=civil_society"
    page = queue(app, moderator, f"{query}&{also}")
    assert page.status_code == 400
    assert said in text_of(page)
    assert "<script>" not in page.text
    # The filters that were understood still apply.
    assert listed(page) == {items["fr_africa"], items["ar_arab"]}


def test_no_filter_shows_no_summary(app, moderator, items):
    page = queue(app, moderator, "")
    assert "Clear the filters" not in page.text
    assert len(listed(page)) == 4
