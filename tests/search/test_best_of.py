"""BestOf, the flat union that scores a word by its best alternative: every match counted,
the best scoring in full and the others a tenth, also past the TOP hits kept; and the same
rule applied to a word's texts when a document is indexed."""

from __future__ import annotations

import pytest
from whoosh import fields
from whoosh import query as wq
from whoosh.filedb.filestore import RamStorage

from hub.search.analysis import TYPICAL_LENGTH, impacts
from hub.search.ranking import TOP, _MatchCollector
from hub.search.words import TIE, BestOf


def _index(docs: list[tuple[str, str]]):
    schema = fields.Schema(title=fields.TEXT(), description=fields.TEXT())
    ix = RamStorage().create_index(schema)
    with ix.writer() as w:
        for title, description in docs:
            w.add_document(title=title, description=description)
    return ix


def _word(word: str) -> BestOf:
    return BestOf([wq.Term("title", word, boost=5.0), wq.Term("description", word)], tiebreak=TIE)


def test_every_match_of_two_words_is_counted_past_the_kept_hits():
    n = TOP * 2 + 17
    docs = [(f"health clinic {i}", "clinic health " * (1 + i % 7)) for i in range(n)]
    docs += [("health only", "nothing else"), ("clinic only", "nothing else")]
    ix = _index(docs)
    with ix.searcher() as searcher:
        collector = _MatchCollector(searcher.doc_count_all())
        searcher.search_with_collector(wq.And([_word("health"), _word("clinic")]), collector)
        assert collector.bitmap.to_int().bit_count() == n
        assert len(collector.results().top_n) == TOP


def test_a_word_scores_its_best_field_plus_a_tenth_of_the_others():
    ix = _index([("health", "health"), ("health", "other"), ("other", "health")])
    with ix.searcher() as searcher:
        scores = {hit.docnum: hit.score for hit in searcher.search(_word("health"), limit=None)}
        assert set(scores) == {0, 1, 2}
        assert scores[0] > scores[1] > scores[2]  # both fields > title alone > description
        assert (scores[0] - scores[1]) < scores[2]  # the second field adds only a tenth


def test_a_word_weighs_its_best_text_plus_a_tenth_of_the_others_when_indexed():
    """The impact stored with each posting: one mention in a text of typical length weighs
    title > summary > organisations > description, and a word in several texts counts its
    best one in full, the others a tenth (no sum over texts)."""

    def alone(name: str, count: int = 1) -> float:
        words = ["health"] * count + ["other"] * (TYPICAL_LENGTH[name] - count)
        return impacts([(name, words)])["health"]

    assert alone("title") > alone("summary") > alone("orgs") > alone("description")
    both = impacts([("title", ["health"] + ["x"] * 7), ("description", ["health"] + ["y"] * 249)])[
        "health"
    ]
    assert both == pytest.approx(alone("title") + TIE * alone("description"))
    # Thirty mentions in a long description stay below one in the title.
    assert alone("description", 30) < alone("title")
