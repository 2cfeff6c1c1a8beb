"""A submitter's text keeps its own language on every page, and listings filter by it."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from hub.submissions.models import Status

from helpers import expect


@pytest.fixture
def texts(create_user, create_submission_for):
    """An approved French text, an approved Arabic one and an approved Chinese one."""
    owner = create_user()
    french = create_submission_for(
        owner,
        Status.APPROVED,
        title="Écoles numériques pour tous",
        summary="Former les enseignants à l'intelligence artificielle.",
        language="fr",
        regions=["europe"],
        countries=["CI"],
    )
    arabic = create_submission_for(
        owner,
        Status.APPROVED,
        title="مدارس رقمية للجميع",
        summary="تدريب المعلمين على الذكاء الاصطناعي.",
        language="ar",
        countries=["EG"],
    )
    chinese = create_submission_for(
        owner,
        Status.APPROVED,
        title="人工智能教育合作",
        summary="培训教师使用人工智能。",
        language="zh",
        countries=["CN"],
    )
    return french, arabic, chinese


def marks_of(page: str, text: str) -> tuple[str, str]:
    """(lang, dir) of the element whose text starts with `text`."""
    found = re.search(
        r'<(\w+)[^>]* lang="([^"]*)" dir="([^"]+)"[^>]*>\s*' + re.escape(str(escape(text))), page
    )
    assert found, f"{text!r} is not marked with its language"
    return found.group(2), found.group(3)


def test_a_french_text_on_an_arabic_page_is_marked_french_left_to_right(client, texts):
    french = texts[0]
    page = expect(client.get(f"/ar/s/{french.slug}"), 200).text
    assert '<html lang="ar" dir="rtl">' in page
    for text in (french.title, french.summary):
        assert marks_of(page, text) == ("fr", "ltr")


def test_an_arabic_text_on_an_english_page_is_marked_arabic_right_to_left(client, texts):
    arabic = texts[1]
    page = expect(client.get(f"/s/{arabic.slug}"), 200).text
    assert '<html lang="en" dir="ltr">' in page
    for text in (arabic.title, arabic.summary):
        assert marks_of(page, text) == ("ar", "rtl")


def test_cards_and_search_snippets_mark_each_text_with_its_language(client, texts):
    french, arabic, chinese = texts
    browse = expect(client.get("/ar/browse"), 200).text
    assert marks_of(browse, french.title) == ("fr", "ltr")
    assert marks_of(browse, arabic.summary) == ("ar", "rtl")
    assert marks_of(browse, chinese.title) == ("zh-Hans", "ltr")
    found = expect(client.get("/fr/search?q=enseignants"), 200).text
    snippet = re.search(r'<p class="snippet"([^>]*)>', found).group(1)
    assert snippet == ' lang="fr" dir="ltr"'


def test_the_atom_feed_marks_each_entry_with_its_language(client, texts):
    feed = expect(client.get("/feed.atom"), 200).text
    assert feed.count('<entry xml:lang="fr">') == 1
    assert '<entry xml:lang="ar">' in feed and '<entry xml:lang="zh-Hans">' in feed


def test_the_owner_and_the_moderators_see_the_text_marked_too(
    client, create_user, create_submission_for
):
    from hub.auth.models import Role

    owner = create_user()
    item = create_submission_for(
        owner, Status.SUBMITTED, title="مبادرة الحوكمة", summary="ملخص قصير.", language="ar"
    )
    client.post("/account/login", data={"email": owner.email, "password": "a-long-enough-password"})
    mine = expect(client.get(f"/my/{item.id}"), 200).text
    assert marks_of(mine, item.title) == ("ar", "rtl")
    assert marks_of(mine, item.summary) == ("ar", "rtl")
    client.post("/account/logout")
    moderator = create_user(Role.MODERATOR)
    client.post(
        "/account/login", data={"email": moderator.email, "password": "a-long-enough-password"}
    )
    queue = expect(client.get("/fr/moderation/"), 200).text
    assert marks_of(queue, item.title) == ("ar", "rtl")
    review = expect(client.get(f"/fr/moderation/{item.id}"), 200).text
    assert marks_of(review, item.title) == ("ar", "rtl")
    assert marks_of(review, item.summary) == ("ar", "rtl")


def test_a_text_in_another_language_is_marked_unknown_and_left_to_the_browser(
    client, create_user, create_submission_for
):
    item = create_submission_for(
        create_user(), Status.APPROVED, title="Kupanda miti", language="other"
    )
    page = expect(client.get(f"/ar/s/{item.slug}"), 200).text
    assert marks_of(page, "Kupanda miti") == ("", "auto")


def test_browse_filters_by_the_language_of_the_text_with_counts(client, texts):
    french, arabic, chinese = texts
    page = expect(client.get("/fr/browse?language=ar&language=zh"), 200).text
    assert arabic.title in page and chinese.title in page and french.title not in page
    facet = page[page.index('id="f-language-') :]
    # Names in the page's language, with counts; the other values stay offered.
    assert re.search(
        r'value="fr">\s*<label for="f-language-fr">Français <span class="facet-count">\(1\)', facet
    )
    assert re.search(r'value="ar" checked>\s*<label for="f-language-ar">Arabe <span', facet)
    english = expect(client.get("/browse?language=zh"), 200).text
    assert 'for="f-language-zh">Chinese <span class="facet-count">(1)' in english
    assert chinese.title in english and french.title not in english


def test_an_unknown_language_filter_is_said_and_left_out(client, texts):
    response = client.get("/browse?language=xx&language=fr")
    page = expect(response, 200).text
    assert "“xx” is not a value of the filter “Language of the text”: it was left out." in page
    assert texts[0].title in page and texts[1].title not in page


def test_the_api_filters_by_language_codes_and_refuses_unknown_ones(client, texts):
    answer = expect(client.get("/api/v1/submissions?language=fr"), 200).get_json()
    assert [item["title"] for item in answer["items"]] == [texts[0].title]
    assert {f["value"]: f["label"] for f in answer["facets"]["language"]}["ar"] == "Arabic"
    refused = expect(client.get("/api/v1/submissions?language=xx"), 400).get_json()
    assert "language" in str(refused)


def test_names_of_countries_and_languages_follow_the_page(client, texts):
    french = texts[0]
    assert "Côte d’Ivoire" in expect(client.get(f"/fr/s/{french.slug}"), 200).text
    arabic_page = expect(client.get(f"/ar/s/{french.slug}"), 200).text
    assert "كوت ديفوار" in arabic_page and "الفرنسية" in arabic_page  # the UN's name
    chinese_page = expect(client.get(f"/zh/s/{french.slug}"), 200).text
    assert "科特迪瓦" in chinese_page and "法语" in chinese_page


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        ("fr", "Égypte", "Érythrée"),  # É with the E's, not after Z
        ("fr", "Côte d’Ivoire", "Djibouti"),
        ("ru", "Египет", "Замбия"),
        ("es", "Egipto", "Eritrea"),
    ],
)
def test_the_country_picker_is_in_the_pages_language_and_sorted_for_it(
    client, create_user, language, before, after
):
    owner = create_user()
    client.post("/account/login", data={"email": owner.email, "password": "a-long-enough-password"})
    page = expect(client.get(f"/{language}/submit/initiative", follow_redirects=True), 200).text
    names = re.findall(r'<label for="countries-[a-z]{2}">([^<]+)</label>', page)
    assert before in names and after in names
    assert names.index(before) < names.index(after)
