"""Search in every UN language and across them: analysis, ranking, equivalents, did you mean."""

from __future__ import annotations

import re

import pytest
from flask_babel import refresh

from hub.search.glossary import parse as parse_glossary
from hub.search.languages import normalize_arabic, stem_arabic, words_of
from hub.search.listing import ListingQuery, find
from hub.search.words import forms_of
from hub.submissions.models import Status

# Text every factory submission would otherwise share (English, with "AI" in it).
PLAIN = {
    "objectives": "",
    "member_organisations": "",
    "resources": "",
    "timeline": "",
    "partners": "",
    "lead_organisation": "Example Institute",
}


def found(app, q: str, lang: str = "en", **kw):
    with app.test_request_context(headers={"Accept-Language": lang}):
        refresh()  # the test's app context is shared: forget the last request's language
        return find(ListingQuery(q=q, **kw))


def titles(app, q: str, lang: str = "en", **kw) -> list[str]:
    return [s.title for s in found(app, q, lang, **kw).items]


@pytest.fixture
def owner(create_user):
    return create_user()


@pytest.fixture
def add(owner, create_submission_for):
    def make(title: str, summary: str = "", description: str = "", language: str = "en", **kw):
        fields = {**PLAIN, **kw}
        return create_submission_for(
            owner,
            Status.APPROVED,
            title=title,
            summary=summary or title,
            description=description or title,
            language=language,
            **fields,
        )

    return make


@pytest.mark.parametrize(
    ("query", "right", "wrong"),
    [
        ("governance", "Data governance charter", "Governments of the region"),
        ("university", "University partnerships", "Universe of open models"),
        ("organisation", "Organisation of health workers", "Organ donation registry"),
        ("generation", "Next generation networks", "General assembly briefing"),
        ("formation", "Formation des enseignants", "Formats of open data"),
    ],
)
def test_over_stemming_traps_find_the_word_not_its_stem_mates(app, add, query, right, wrong):
    add(right, language="fr" if right.startswith("Formation") else "en")
    add(wrong)
    assert titles(app, query, typed_only=True) == [right]


def test_inflections_still_meet(app, add):
    add("Governments of the region", "Policies that governed data.")
    add("Formations continues", "Des formations.", language="fr")
    assert titles(app, "government") == ["Governments of the region"]
    assert titles(app, "policy govern") == ["Governments of the region"]
    assert titles(app, "formation", typed_only=True) == ["Formations continues"]


def test_exact_form_ranks_above_a_stem_only_match(app, add):
    add("Deployments", "Teams deploying", "Deployed, deploying, deployments.")
    add("Deploy", "x", "A word once: deploy.")
    assert titles(app, "deploy")[0] == "Deploy"


def test_a_title_mention_beats_a_long_text_repeating_the_word(app, add):
    """One score per document: the best field counts, not the sum over fields."""
    for i in range(3):
        add(
            f"Media literacy programme {i}",
            "Disinformation, disinformation and more disinformation online.",
            "Disinformation " * 30 + "is discussed at length here. " * 20,
        )
    add("Countering disinformation", "A short note.", "Fact-checking desks.")
    assert titles(app, "disinformation")[0] == "Countering disinformation"


def test_arabic_is_normalised_and_lightly_stemmed():
    assert normalize_arabic("أَحْمَد إِدارة آمال مُسْتَشْفى مَدْرَسَة العـــربية") == (
        "احمد اداره امال مستشفي مدرسه العربيه"
    )
    assert stem_arabic("والمعلمات") == stem_arabic("المعلم") == "معلم"
    assert stem_arabic(normalize_arabic("بالصحة")) == stem_arabic(normalize_arabic("الصحة"))


def test_arabic_text_is_found_whatever_the_spelling(app, add):
    add("إِدارةُ البياناتِ الصحيّة في المستشفى", "الصِّحَّة العامة والبيانات", language="ar")
    for q in ("ادارة", "إدارة", "الصحة", "صحة", "مستشفي", "البيانات"):
        assert titles(app, q) == ["إِدارةُ البياناتِ الصحيّة في المستشفى"], q


def test_chinese_is_segmented_into_words():
    assert words_of("人工智能在医疗卫生中的应用") == ["人工智能", "医疗卫生", "中", "应用"]


def test_chinese_words_are_found_inside_longer_ones(app, add):
    add("人工智能在医疗卫生中的应用", "数据治理与隐私保护", language="zh")
    add("气候变化与农业", "水资源管理", language="zh")
    for q in ("人工智能", "卫生", "数据治理", "医疗 应用"):
        assert titles(app, q) == ["人工智能在医疗卫生中的应用"], q
    highlighted = found(app, "卫生").titles
    assert "<mark" in str(next(iter(highlighted.values())))


def test_a_query_finds_the_other_languages_through_the_glossary(app, add):
    add("L'IA au service de la santé", "Des outils d'IA pour la santé publique.", language="fr")
    add("Igualdad de género en la escuela", "Programas de igualdad de género.", language="es")
    add("Football results", "Sport.")
    assert titles(app, "AI health") == ["L'IA au service de la santé"]
    assert titles(app, "gender equality") == ["Igualdad de género en la escuela"]
    assert titles(app, "AI health", typed_only=True) == []


def test_typed_words_rank_above_their_equivalents(app, add):
    add("Santé des villes", "La santé urbaine.", language="fr")
    add("Health of cities", "Urban health.", language="en")
    assert titles(app, "health", lang="fr") == ["Health of cities", "Santé des villes"]


def test_the_page_says_which_equivalents_were_added_and_offers_the_typed_words(app, client, add):
    add("L'IA au service de la santé", "Des outils d'IA pour la santé.", language="fr")
    page = client.get("/search?q=AI+health").get_data(as_text=True)
    notice = re.search(r'<p class="notice also-searched">(.*?)</p>', page, re.S)
    assert notice, page
    assert '<span lang="fr">IA</span>' in notice.group(1)
    assert '<span lang="fr">santé</span>' in notice.group(1)
    link = re.search(r'href="([^"]*only=typed[^"]*)"', notice.group(1))
    assert link
    typed = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Only the words you typed were searched." in typed
    assert "L&#39;IA au service" not in typed and "L'IA au service" not in typed


def test_equivalents_are_bounded(app, add):
    add("Health data", "AI health data governance")
    result = found(app, " ".join(["AI health data governance education climate"] * 3))
    assert len(result.also_searched) <= 24


def test_visitor_language_breaks_ties(app, add):
    add("Open data portal", "Open data portal", language="en")
    add("Open data portal ", "Open data portal", language="fr")
    english = found(app, "open data portal", lang="en").items
    french = found(app, "open data portal", lang="fr").items
    assert [s.language for s in english] == ["en", "fr"]
    assert [s.language for s in french] == ["fr", "en"]


def test_did_you_mean_prefers_the_query_language(app, add):
    add("Data governance charter", "Governance of data.")
    add("Gouvernance des données", "La gouvernance des données.", language="fr")
    assert found(app, "goverance").suggestion == "governance"
    assert found(app, "gouvernence des données").suggestion == "gouvernance des données"


def test_did_you_mean_reaches_further_in_long_words(app, add):
    add("Learning in the metaverse", "Metaverse classrooms.")
    assert found(app, "metavile").suggestion == "metaverse"


def test_glossary_file_format():
    glossary = parse_glossary(
        [
            "# comment",
            "concept\ten\tfr\tes\tru\tar\tzh",
            "health\thealth | healthcare\tsanté\tsalud\tздоровье\tالصحة\t卫生",
        ]
    )
    assert {t.text for t in glossary.concepts["health"]} == {
        "health",
        "healthcare",
        "santé",
        "salud",
        "здоровье",
        "الصحة",
        "卫生",
    }
    assert glossary.lookup(forms_of("Santé")) == {"health"}
    assert glossary.lookup(forms_of("здоровья")) == {"health"}  # by its Russian stem


def test_equivalents_only_public_text_holds_are_never_announced(app, owner, add):
    """A withdrawn text's words stay in the index for a while: "santé" must not be
    announced (nor searched) for a query of "health" because of it."""
    from hub.submissions.operations import withdraw_submission

    gone = add("Santé mentale", "La santé des jeunes.", language="fr")
    add("Health of cities", "Urban health.")
    assert ("santé", "fr") in found(app, "health").also_searched
    with app.app_context():
        from hub.extensions import db
        from hub.submissions.models import Submission

        withdraw_submission(
            db.session.get(Submission, gone.id), db.session.get(type(owner), owner.id)
        )
        db.session.commit()
    result = found(app, "health")
    assert result.also_searched == [] and [s.title for s in result.items] == ["Health of cities"]


def test_the_api_names_the_equivalents_and_honours_only_typed(client, add):
    add("L'IA au service de la santé", "Des outils d'IA pour la santé.", language="fr")
    body = client.get("/api/v1/submissions", query_string={"q": "AI health"}).get_json()
    assert body["total"] == 1 and {"term": "santé", "language": "fr"} in body["also_searched"]
    typed = client.get("/api/v1/submissions", query_string={"q": "AI health", "only": "typed"})
    assert typed.get_json()["total"] == 0 and "also_searched" not in typed.get_json()
    bad = client.get("/api/v1/submissions", query_string={"q": "AI", "only": "all"})
    assert bad.status_code == 400


def test_best_of_scores_each_document_by_its_own_best_field(tmp_path):
    """Whoosh's DisjunctionMax scored a document with another document's posting; BestOf
    scores the best field of the document itself, plus TIE of the other."""
    from whoosh import fields, index
    from whoosh import query as wq

    from hub.search.words import BestOf

    schema = fields.Schema(id=fields.ID(stored=True), a=fields.TEXT, b=fields.TEXT)
    ix = index.create_in(str(tmp_path), schema)
    writer = ix.writer()
    writer.add_document(id="title", a="mangrove", b="coast")
    writer.add_document(id="body", a="coast", b="mangrove")
    writer.add_document(id="both", a="mangrove", b="mangrove")
    writer.commit()
    with ix.searcher() as s:
        alone = {h["id"]: h.score for h in s.search(wq.Term("b", "mangrove"))}
        title = {h["id"]: h.score for h in s.search(wq.Term("a", "mangrove", boost=5.0))}
        best = {
            h["id"]: h.score
            for h in s.search(
                BestOf(
                    [wq.Term("a", "mangrove", boost=5.0), wq.Term("b", "mangrove")], tiebreak=0.1
                )
            )
        }
    assert best["body"] == pytest.approx(alone["body"])
    assert best["title"] == pytest.approx(title["title"])
    assert best["both"] == pytest.approx(title["both"] + 0.1 * alone["both"])


def test_highlights_mark_the_form_that_matched_best(app, add):
    add("Deploy kit", "We deploy tools; deploying them takes a week.")
    result = found(app, "deploy")
    snippet = str(next(iter(result.snippets.values())))
    assert re.search(r'<mark class="hit t\d">deploy</mark>', snippet), snippet
    assert "deploying</mark>" not in snippet
    alone = found(app, "deploying")
    assert "deploying</mark>" in str(next(iter(alone.snippets.values())))


def test_arabic_did_you_mean_reads_words_without_vowel_signs(app, add):
    add("الصِّحَّة العامة", "برنامج الصِّحَّة", language="ar")
    assert found(app, "الصحت").suggestion == "الصحة"


def test_highlights_words_whose_stem_is_not_their_beginning():
    """Only the words that begin like a wanted stem are stemmed for highlighting: an
    irregular plural ("women" for "woman"), a -y plural ("policies" for "policy"), a
    Russian ё and an Arabic article are still marked, in a text with several sentences."""
    from hub.search.snippets import snippet

    text = (
        "Policies for women. Nothing here. Nor here. Ёлки растут. حماية البيانات الشخصية. "
        "L’éthique des données."
    )
    marked = str(snippet(text, forms_of("policy woman ёлка بيانات ethiques"), whole=True))
    found = re.findall(r"<mark[^>]*>([^<]+)</mark>", marked)
    assert found == ["Policies", "women", "Ёлки", "البيانات", "éthique"]
    passage = str(snippet(text, forms_of("policy woman")))
    assert "Nothing here" not in passage and "<mark" in passage
