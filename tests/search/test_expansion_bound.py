"""The glossary's equivalents are bounded: a long query of domain words searches a number of
terms proportional to its words, never hundreds more (issue 15)."""

from __future__ import annotations

from hub.search.query import parse
from hub.submissions.models import Status

# Twenty words, each a glossary concept with equivalents in five other languages.
TWENTY = (
    "AI health data governance education climate gender equality water energy "
    "poverty hunger cities oceans forests migration employment innovation peace justice"
)
SEARCHED_FIELDS = ("words", "stems")
# Texts holding the equivalents in every language, so that each one could be searched.
TEXTS = {
    "en": TWENTY,
    "fr": "IA santé données gouvernance éducation climat égalité des sexes eau énergie "
    "pauvreté faim villes océans forêts migration emploi innovation paix justice",
    "es": "IA salud datos gobernanza educación clima igualdad de género agua energía "
    "pobreza hambre ciudades océanos bosques migración empleo innovación paz justicia",
    "ru": "ИИ здравоохранение данные управление образование климат гендерное равенство вода "
    "энергия нищета голод города океаны леса миграция занятость инновации мир правосудие",
    "ar": "الذكاء الاصطناعي الصحة البيانات الحوكمة التعليم المناخ المساواة بين الجنسين المياه "
    "الطاقة الفقر الجوع المدن المحيطات الغابات الهجرة العمالة الابتكار السلام العدالة",
    "zh": "人工智能 卫生 数据 治理 教育 气候 性别平等 水 能源 贫困 "
    "饥饿 城市 海洋 森林 移民 就业 创新 和平 司法",
}


def publish_texts(create_user, create_submission_for) -> None:
    """One published submission per language, holding TEXTS in its title, summary and
    description."""
    owner = create_user()
    for language, text in TEXTS.items():
        create_submission_for(
            owner,
            Status.APPROVED,
            title=text[:150],
            summary=text,
            description=text,
            language=language,
            objectives="",
            partners="",
            lead_organisation="Institute",
        )


def terms(app, text: str, across: bool) -> tuple[int, int]:
    """How many terms the query searches, and how many equivalents it announces."""
    with app.app_context(), app.extensions["hub_search"].searcher() as searcher:
        parsed = parse(text, searcher.schema, searcher.reader(), across=across, held={})
        assert parsed.query is not None
        return len(list(parsed.query.iter_all_terms())), len(parsed.added)


def test_a_query_of_twenty_words_adds_a_bounded_number_of_terms(
    app, create_user, create_submission_for
):
    publish_texts(create_user, create_submission_for)
    typed, none_added = terms(app, TWENTY, across=False)
    expanded, added = terms(app, TWENTY, across=True)
    assert none_added == 0
    assert 0 < added <= 24  # the page names at most 24 equivalents ...
    # ... and the query holds the typed words' terms plus a few fields' worth per equivalent:
    # a few dozen more terms, not hundreds.
    # Each equivalent is searched in its own language only, as its exact forms and its
    # stems (the two word fields), and only the terms the index holds: measured 47 terms
    # typed, 93 with the 24 equivalents, i.e. 1.9 terms per equivalent of one to three words.
    assert expanded - typed <= added * len(SEARCHED_FIELDS) * 2, (typed, expanded, added)


def test_more_words_add_no_more_equivalents(app, create_user, create_submission_for):
    """The cap holds whatever the length: forty words add no more terms than twenty."""
    publish_texts(create_user, create_submission_for)
    twenty = terms(app, TWENTY, True)[0] - terms(app, TWENTY, False)[0]
    forty_words = TWENTY + " " + " ".join(reversed(TWENTY.split()))
    forty = terms(app, forty_words, True)[0] - terms(app, forty_words, False)[0]
    assert 0 < forty <= twenty, (twenty, forty)


def test_only_terms_the_index_holds_are_searched(app, create_user, create_submission_for):
    """A word's stems in the languages no text is written in are left out, also inside an
    equivalent's alternatives and inside the words of a matched glossary span."""
    publish_texts(create_user, create_submission_for)
    with app.app_context(), app.extensions["hub_search"].searcher() as searcher:
        reader = searcher.reader()
        for across in (False, True):
            parsed = parse(TWENTY, searcher.schema, reader, across=across, held={})
            assert parsed.query is not None
            missing = [
                (field, text)
                for field, text in parsed.query.iter_all_terms()
                if not reader.doc_frequency(field, text)
            ]
            assert missing == [], (across, missing)
