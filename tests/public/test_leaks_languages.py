"""The leak scan in the other UN languages (issue 15): words of non-public texts in Russian,
Arabic and Chinese, their stems and the Chinese character pairs, the languages they are written
in and the glossary's "Also searched" line must reveal nothing a visitor could not see anyway."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, quote_plus

import pytest

from hub.submissions.models import Status

# Marker words of the non-public texts, one per script, made of rare letters so that no public
# text nor the demo content holds them; each with an inflected form that shares its stem.
RUSSIAN = "щебетовщиками"  # instrumental plural ...
RUSSIAN_FORM = "щебетовщиков"  # ... and genitive plural of the same made-up noun
ARABIC = "والزعفقطيات"  # with the conjunction and the article a light stemmer strips
ARABIC_FORM = "زعفقطيه"  # the same stem, spelt with taa marbuta written as haa
CHINESE = "璩琰瑷珥鞲"  # rare characters: pairs of them (the stem field's bigrams) are unique too
CHINESE_PART = "琰瑷"
# Planted nowhere, in the same scripts: the answer any absent word must give.
UNKNOWN = {"ru": "щавельниковыми", "ar": "والقرطبيات", "zh": "鬻鬯爨"}

PLAIN = {
    "objectives": "",
    "member_organisations": "",
    "resources": "",
    "timeline": "",
    "partners": "",
    "lead_organisation": "Example Institute",
}


@pytest.fixture
def world(app, clock, create_user, create_submission_for) -> dict[str, Any]:
    """Public texts in English and French about health; non-public ones in Russian, Arabic and
    Chinese (a draft, one waiting for a moderator, a withdrawn one) holding the markers and
    the glossary's equivalents of "health" that no public text holds."""
    from hub.extensions import db
    from hub.submissions.models import Submission
    from hub.submissions.operations import withdraw_submission

    owner = create_user()

    def add(status: Status, title: str, text: str, language: str) -> Submission:
        return create_submission_for(
            owner,
            status,
            title=title,
            summary=text,
            description=text,
            language=language,
            countries=["KE"],
            **PLAIN,
        )

    public = [
        add(Status.APPROVED, "Health of cities", "Urban health and clean air.", "en"),
        add(Status.APPROVED, "Santé des villes", "La santé urbaine et l'air pur.", "fr"),
        # A public Russian word, so that the check of did-you-mean can fail.
        add(Status.APPROVED, "Цифровая грамотность", "Курсы цифровой грамотности.", "en"),
    ]
    hidden = [
        add(
            Status.DRAFT,
            f"Здравоохранение и {RUSSIAN}",
            f"Программа здравоохранения для {RUSSIAN}.",
            "ru",
        ),
        add(Status.SUBMITTED, f"الصحة {ARABIC}", f"برنامج الصحة {ARABIC} في المدن.", "ar"),
        add(Status.APPROVED, f"卫生{CHINESE}计划", f"城市卫生{CHINESE}项目。", "zh"),
    ]
    with app.app_context():
        withdraw_submission(db.session.get(Submission, hidden[-1].id), owner)
        db.session.commit()
    return {"public": public, "hidden": hidden}


def answer(client, url: str, q: str, **params: Any) -> str:
    response = client.get(url, query_string={"q": q, **params})
    assert response.status_code == 200, (url, q)
    page = response.get_data(as_text=True)
    for form in (q, quote(q), quote_plus(q), quote(q, safe="")):
        page = page.replace(form, "QUERY")
    return page


@pytest.mark.parametrize(
    ("word", "script"),
    [
        (RUSSIAN, "ru"),
        (RUSSIAN_FORM, "ru"),  # reaches the Russian stem field
        (ARABIC, "ar"),
        (ARABIC_FORM, "ar"),  # reaches the normalised, lightly stemmed Arabic field
        (CHINESE, "zh"),
        (CHINESE_PART, "zh"),  # reaches the Chinese character pairs
    ],
)
def test_a_non_public_word_in_any_script_answers_like_an_absent_one(client, world, word, script):
    for url in ("/search", "/api/v1/submissions"):
        assert answer(client, url, word) == answer(client, url, UNKNOWN[script]), (url, word)


def test_the_same_words_are_found_in_public_texts(
    client, world, create_user, create_submission_for
):
    """The same searches find such words once a public text holds them (so the test above
    can fail)."""
    owner = create_user()
    for title, language in ((RUSSIAN, "ru"), (ARABIC, "ar"), (CHINESE, "zh")):
        create_submission_for(
            owner,
            Status.APPROVED,
            title=f"{title} {title}",
            summary=title,
            description=title,
            language=language,
            **PLAIN,
        )
    for word in (RUSSIAN, RUSSIAN_FORM, ARABIC, ARABIC_FORM, CHINESE, CHINESE_PART):
        body = client.get("/api/v1/submissions", query_string={"q": word}).get_json()
        assert body["total"] == 1, word


def test_also_searched_never_names_an_equivalent_only_non_public_texts_hold(client, world):
    body = client.get("/api/v1/submissions", query_string={"q": "health"}).get_json()
    announced = {(a["term"], a["language"]) for a in body.get("also_searched", [])}
    assert ("santé", "fr") in announced  # a public French text holds it
    assert not {lang for _, lang in announced} & {"ru", "ar", "zh"}, announced
    assert body["total"] == 2
    page = client.get("/search", query_string={"q": "health"}).get_data(as_text=True)
    assert "santé" in page
    for word in ("здравоохранение", "الصحة", "卫生"):
        assert word not in page


def anonymous(facets: dict[str, Any], selected: str) -> dict[str, Any]:
    """The facets with the selected language's code and name blanked out."""
    return {
        name: [
            {**entry, "value": "XX", "label": "XX"} if entry["value"] == selected else entry
            for entry in entries
        ]
        for name, entries in facets.items()
    }


def test_a_language_only_non_public_texts_use_counts_nowhere(client, world):
    def listing(**params: Any) -> dict[str, Any]:
        response = client.get("/api/v1/submissions", query_string={"per_page": 100, **params})
        assert response.status_code == 200
        return response.get_json()

    everything = listing()
    assert everything["total"] == 3
    assert "'ru'" not in repr(everything["facets"]) and "'ar'" not in repr(everything["facets"])
    assert "'zh'" not in repr(everything["facets"])
    unused = listing(language="es")  # nobody's language
    for private in ("ru", "ar", "zh"):
        filtered = listing(language=private)
        assert filtered["total"] == 0
        # The value filtered on is listed with no count, like any unused value.
        assert anonymous(filtered["facets"], private) == anonymous(unused["facets"], "es")
        page = client.get("/browse", query_string={"language": private})
        assert page.status_code == 200
        assert RUSSIAN not in page.get_data(as_text=True)


def test_did_you_mean_proposes_no_non_public_word_in_any_script(client, world):
    for word in (RUSSIAN, ARABIC):
        misspelt = word[:4] + word[5:]
        body = client.get("/api/v1/submissions", query_string={"q": misspelt}).get_json()
        assert body["total"] == 0 and "suggestion" not in body, word
    # A public Russian word misspelt the same way is corrected.
    body = client.get("/api/v1/submissions", query_string={"q": "грамотнсти"}).get_json()
    assert body.get("suggestion") == "грамотности"
