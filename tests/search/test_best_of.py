"""BestOf, the flat union that scores a word by its best field: every match counted, the
best field scoring in full and the others a tenth, also past the TOP hits kept."""

from __future__ import annotations

from whoosh import fields
from whoosh import query as wq
from whoosh.filedb.filestore import RamStorage

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


def test_field_lengths_kept_in_memory_give_whoosh_s_own_scores(tmp_path, monkeypatch):
    """hub.search.lengths reads the length column once per segment; the scores stay
    exactly those of Whoosh's own per-score reads (and the column really is in memory)."""
    from whoosh import index
    from whoosh.codec import whoosh3

    from hub.search import lengths

    schema = fields.Schema(title=fields.TEXT(), description=fields.TEXT())
    ix = index.create_in(str(tmp_path), schema)
    with ix.writer() as w:
        for i in range(60):
            w.add_document(title="health " + "word " * (i % 5), description="care " * (1 + i % 9))
    query = wq.Or([wq.Term("title", "health"), wq.Term("description", "care")])

    def scores() -> tuple[dict[int, float], object]:
        with ix.searcher() as searcher:
            found = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
            return found, searcher.reader()._perdoc._readers.get("_title_len")

    lengths.install()
    in_memory, column = scores()
    assert isinstance(column, bytearray)
    monkeypatch.setattr(whoosh3.W3PerDocReader, "_cached_reader", lengths._original)
    own, column = scores()
    assert not isinstance(column, bytearray)
    assert len(own) == 60 and in_memory == own
