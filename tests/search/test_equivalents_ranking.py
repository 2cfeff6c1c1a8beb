"""How glossary equivalents weigh against the words typed (issue 15, tuned on the relevance
benchmark): an inflection of the typed word above any translation, synonyms that do not add
up, terms with stop words inside, terms cut at an edge."""

from __future__ import annotations

import pytest
from flask_babel import refresh

from hub.search.glossary import parse as parse_glossary
from hub.search.listing import ListingQuery, find
from hub.search.words import forms_of
from hub.submissions.models import Status

PLAIN = {
    "objectives": "",
    "member_organisations": "",
    "resources": "",
    "timeline": "",
    "partners": "",
    "lead_organisation": "Example Institute",
}


def found(app, q: str, lang: str = "en"):
    with app.test_request_context(headers={"Accept-Language": lang}):
        refresh()
        return find(ListingQuery(q=q))


def titles(app, q: str, lang: str = "en") -> list[str]:
    return [s.title for s in found(app, q, lang).items]


@pytest.fixture
def add(create_user, create_submission_for):
    owner = create_user()

    def make(title: str, summary: str, description: str, language: str):
        return create_submission_for(
            owner,
            Status.APPROVED,
            title=title,
            summary=summary,
            description=description,
            language=language,
            **PLAIN,
        )

    return make


def test_an_inflection_of_the_typed_word_ranks_above_translations(app, add):
    """Russian "дезинформации" (genitive) in a title answers "дезинформация" better than
    a title holding three Arabic synonyms of it, or a two-word Chinese one: the synonyms do
    not add up, a phrase does not count once per word, and an equivalent weighs less than
    an inflection of what was typed."""
    add(
        "Противодействие дезинформации в сетях",
        "Обучение журналистов проверке фактов.",
        "Тренинги по проверке фактов.",
        "ru",
    )
    add(
        "التضليل الإعلامي والمعلومات المضللة والأخبار الكاذبة",
        "تدريب الصحفيين على التحقق من المعلومات.",
        "دورات تدريبية للصحفيين.",
        "ar",
    )
    add("识别虚假信息", "培训记者核查事实。", "为记者举办培训。", "zh")
    ranked = titles(app, "дезинформация", lang="ru")
    assert len(ranked) == 3
    assert ranked[0] == "Противодействие дезинформации в сетях"


def test_a_typed_term_with_a_stop_word_inside_finds_its_equivalents(app, add):
    """ "igualdad de género" is a glossary term although "de" is not searched."""
    add("Égalité des sexes à l'école", "Bourses pour l'égalité des sexes.", "Bourses.", "fr")
    add("Igualdad de género en la escuela", "Becas.", "Becas.", "es")
    result = found(app, "igualdad de género", lang="es")
    assert ("égalité des sexes", "fr") in [(t.lower(), lang) for t, lang in result.also_searched]
    assert "Égalité des sexes à l'école" in [s.title for s in result.items]


def test_a_term_cut_at_an_edge_does_not_stand_for_the_word_left():
    """ "e-santé" reads "santé" once "e" is dropped: "santé" must mean health, not digital
    health; "ITU-T" (read "ITU") only when no whole term matches."""
    glossary = parse_glossary(
        [
            "concept\ten\tfr\tes\tru\tar\tzh",
            "health\thealth\tsanté\tsalud\tздоровье\tالصحة\t卫生",
            "digital-health\tdigital health | e-health\tsanté numérique | e-santé\t"
            "salud digital\tцифровое здравоохранение\tالصحة الرقمية\t数字健康",
            "itu-t\tITU-T\tUIT-T\tUIT-T\tМСЭ-Т\tقطاع التقييس\t国际电联电信标准化部门",
        ]
    )
    assert glossary.lookup(forms_of("santé")) == {"health"}
    assert glossary.lookup(forms_of("e-health")) == {"health"}
    assert glossary.lookup(forms_of("santé numérique")) == {"digital-health"}
    assert glossary.lookup(forms_of("ITU")) == {"itu-t"}  # nothing whole: the cut term


def test_searching_a_word_does_not_announce_a_longer_concept(app, add):
    """A French visitor's "santé" adds the equivalents of health, not "digital health"."""
    add("Digital health records", "Digital health for clinics.", "Clinics.", "en")
    add("Health of cities", "Urban health.", "Cities.", "en")
    added = [t for t, _lang in found(app, "santé", lang="fr").also_searched]
    assert "health" in added
    assert "digital health" not in added


def test_a_repeated_search_is_answered_the_same_from_the_cache(app, add):
    """The parsed query is kept with its matches: the second asking (served from the
    cache) lists, announces and notes the same, and notes do not pile up."""
    add("Santé des villes", "La santé urbaine.", "Villes.", "fr")
    long_query = "health " + "x" * 250
    first = found(app, "health")
    again = found(app, "health")
    assert [s.title for s in again.items] == [s.title for s in first.items] == ["Santé des villes"]
    assert again.also_searched == first.also_searched == [("santé", "fr")]
    assert found(app, long_query).notes == found(app, long_query).notes
    assert len(found(app, long_query).notes) == 1
