"""The relevance benchmark's test set (bench/relevance/) and its loader: the set is consistent
and the benchmark runs end to end on a few documents. Not the goals: those are measured by
`make bench-relevance` (docs/search-quality.md)."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from hub import vocab
from hub.submissions.fields import FIELD, required_for
from hub.submissions.models import LIMITS

ROOT = Path(__file__).resolve().parents[2]
SET_DIR = ROOT / "bench" / "relevance"
SIX = {"en", "fr", "es", "ru", "ar", "zh"}


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """bench/relevance.py as a module (bench/ is not a package)."""
    path = ROOT / "bench" / "relevance.py"
    spec = importlib.util.spec_from_file_location("relevance_bench", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def raw() -> tuple[list[dict], list[dict]]:
    """The corpus documents and the queries as written."""
    corpus = json.loads((SET_DIR / "corpus.json").read_text(encoding="utf-8"))
    queries = json.loads((SET_DIR / "queries.json").read_text(encoding="utf-8"))["queries"]
    return corpus["documents"], queries


def test_the_corpus_has_40_documents_or_more_in_the_six_languages(raw) -> None:
    documents, _ = raw
    assert len(documents) >= 40
    ids = [d["id"] for d in documents]
    assert len(ids) == len(set(ids))
    per_language = Counter(d["language"] for d in documents)
    assert set(per_language) == SIX
    assert min(per_language.values()) >= 5, per_language


def test_every_document_is_a_valid_submission_of_its_kind(bench) -> None:
    """What the submission form would accept: the kind's required fields filled, values from
    the vocabularies, texts within the limits."""
    test_set = bench.load_set(SET_DIR)
    for corpus_id, doc in test_set.documents.items():
        kind = doc["kind"]
        assert kind in vocab.KINDS, corpus_id
        missing = [name for name in required_for(kind) if not doc.get(name)]
        assert not missing, f"{corpus_id}: {missing}"
        assert doc["stakeholder_group"] in vocab.STAKEHOLDER_GROUPS, corpus_id
        assert set(doc["countries"]) <= set(vocab.countries()), corpus_id
        assert set(doc["regions"]) <= set(vocab.REGIONS), corpus_id
        assert set(doc["themes"]) <= set(vocab.THEMES), corpus_id
        assert set(doc["sdgs"]) <= set(vocab.SDGS), corpus_id
        assert doc["language"] in vocab.LANGUAGES, corpus_id
        for name, limit in LIMITS.items():
            assert len(doc[name] or "") <= limit, f"{corpus_id}: {name} too long"
        for name, value in doc.items():
            if name != "kind" and FIELD[name].kinds != FIELD["title"].kinds:
                assert not value or kind in FIELD[name].kinds, f"{corpus_id}: another kind's {name}"


def test_the_queries_are_100_or_more_in_every_category_and_name_real_documents(raw, bench) -> None:
    documents, queries = raw
    ids = {d["id"] for d in documents}
    assert len(queries) >= 100
    assert len({q["id"] for q in queries}) == len(queries)
    per_category = Counter(q["category"] for q in queries)
    assert set(per_category) == set(bench.CATEGORIES)
    assert min(per_category.values()) >= 5, per_category
    for q in queries:
        assert q["q"].strip(), q["id"]
        assert q["relevant"] and set(q["relevant"]) <= ids, q["id"]
        assert q.get("ui", "en") in SIX, q["id"]


def test_cross_language_queries_expect_documents_in_other_languages(raw) -> None:
    """Otherwise a search that never crosses languages would pass the category."""
    documents, queries = raw
    language = {d["id"]: d["language"] for d in documents}
    for q in queries:
        if q["category"] == "cross_language":
            others = [r for r in q["relevant"] if language[r] != q["ui"]]
            assert others, q["id"]


def test_fts5_queries_keep_syntax_out_and_phrases_in(bench) -> None:
    """Whatever a query holds, FTS5 reads it as required words and "phrases"."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    conn.execute("INSERT INTO t VALUES ('early warning systems NEAR the coast')")
    for q in ['"early warning"', "early AND warning", "NEAR(early", "col:early*", 'a"b', "-x ^y"]:
        conn.execute("SELECT * FROM t WHERE t MATCH ?", (bench.fts5_query(q),)).fetchall()
    assert bench.fts5_query('"early warning" systems') == '"early warning" "systems"'
    found = conn.execute("SELECT * FROM t WHERE t MATCH ?", (bench.fts5_query("NEAR early"),))
    assert found.fetchall()


def test_the_benchmark_runs_end_to_end_on_a_few_documents(bench) -> None:
    """The corpus is published through the hub's operations, read back from the search page
    and from both baselines; a plain query finds its document everywhere."""
    few = ["en-organ-transplant", "fr-sante-maternelle-senegal", "ru-ii-tuberkulez"]
    test_set = bench.load_set(SET_DIR, only=few)
    assert test_set.queries and set(test_set.documents) == set(few)
    result = bench.measure(test_set, demo=4)
    assert result["documents"] == 3 and result["public_documents"] >= 3
    rows = {row["q"]: row for row in result["per_query"]}
    assert {rows["organ donation"][s] for s in bench.SYSTEMS} == {1}
    overall = result["figures"]["overall"]
    assert set(overall) == set(bench.SYSTEMS)
    assert "| **overall** |" in bench.markdown(result)
