"""Relevance benchmark (issue 15): does search find the right thing, in every UN language?

One run measures, per query category and overall, success@3 (a relevant document among the
first three results) and MRR@10 (1 / rank of the first relevant document within ten, else 0)
for three systems over the same documents:

- **hub**: the hub itself, through its own code. A fresh app (``hub.create_app``) on a
  temporary SQLite database and index directory, as the tests make it; the relevance corpus
  (bench/relevance/corpus.json) is created by ``create_submission`` and published by the
  moderation operation ``approve_submission``, with ``--demo`` demo submissions
  (``hub.demo.seed_demo``; only the approved ones are public) as distractors. Each query is
  asked as a visitor would: ``GET /search?q=…`` (under the language prefix of the query's
  ``ui`` language) with the Flask test client, and the result order is read from the page's
  result links. When the page lists nothing but offers "Did you mean", the benchmark follows
  that link once, as a person would.
- **whoosh**: plain Whoosh, ``StandardAnalyzer`` on the fields title, summary, orgs
  (lead organisation, partners, members) and description (description, objectives,
  resources, timeline), ``MultifieldParser`` with its default AND of the words, BM25F.
- **fts5**: SQLite FTS5 on the same four fields, ``tokenize='unicode61 remove_diacritics 2'``,
  every word of the query required (words quoted, so no query syntax; a "quoted phrase"
  stays a phrase), ordered by ``bm25()``.

The baselines index exactly the public documents the hub has (corpus and approved demo).

Goals (issue 15): overall success@3 >= 0.95, every category >= 0.85, the hub ahead of both
baselines in every category (neither figure lower, one higher; or both already 1.00). They
are printed as met or missed; a missed goal is reported, not an exit status.

Usage::

    .venv/bin/python bench/relevance.py            # markdown table, ~20 s
    .venv/bin/python bench/relevance.py --json     # the same figures as JSON
    .venv/bin/python bench/relevance.py --misses   # also list the queries the hub misses
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the hub of this checkout
SET_DIR = Path(__file__).resolve().parent / "relevance"
SYSTEMS = ("hub", "whoosh", "fts5")
CATEGORIES = (
    "plain",
    "no_accents",
    "morphology",
    "overstemming",
    "phrases",
    "typos",
    "cross_language",
    "russian",
    "arabic",
    "chinese",
    "acronyms",
    "names",
)
GOAL_OVERALL, GOAL_CATEGORY = 0.95, 0.85
DEPTH = 10  # results read per query (MRR@10)
FIELDS = ("title", "summary", "orgs", "description")

# A result's link on the listing page: <h3 class="result-title"><a href="…/s/<slug>">.
_RESULT = re.compile(r'class="result-title"[^>]*>\s*<a\b[^>]*\bhref="[^"]*/s/([^"/?#]+)"')
# "Did you mean <a href="…">…</a>?": the element with class did-you-mean, its first link.
_DID_YOU_MEAN = re.compile(
    r'class="[^"]*did-you-mean[^"]*"[^>]*>.*?<a\b[^>]*\bhref="([^"]+)"', re.S
)


# -- the test set ---------------------------------------------------------------------------


@dataclass
class TestSet:
    """The corpus (complete submission contents by corpus id) and the queries."""

    documents: dict[str, dict[str, Any]]
    queries: list[dict[str, Any]]


def complete(doc: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """A corpus entry as the operations take it: every content field, the defaults for what
    the entry leaves out, dates as dates, no bookkeeping keys (id, kind)."""
    from hub.submissions.fields import CONTENT_FIELDS, FIELD

    data: dict[str, Any] = {}
    for name in CONTENT_FIELDS:
        value = doc.get(name, defaults.get(name))
        if value is None:
            value = (
                []
                if FIELD[name].listed
                else ("" if name not in ("start_date", "end_date") else None)
            )
        if name in ("start_date", "end_date") and isinstance(value, str):
            value = date.fromisoformat(value)
        data[name] = value
    return data


def load_set(directory: Path = SET_DIR, only: Iterable[str] | None = None) -> TestSet:
    """The corpus and queries of `directory`; with `only`, just those documents and the
    queries whose relevant documents are all among them."""
    corpus = json.loads((directory / "corpus.json").read_text(encoding="utf-8"))
    queries = json.loads((directory / "queries.json").read_text(encoding="utf-8"))["queries"]
    defaults = corpus.get("defaults", {})
    docs = {d["id"]: {"kind": d["kind"], **complete(d, defaults)} for d in corpus["documents"]}
    if only is not None:
        keep = set(only)
        docs = {k: v for k, v in docs.items() if k in keep}
        queries = [q for q in queries if set(q["relevant"]) <= keep]
    return TestSet(docs, queries)


# -- the hub --------------------------------------------------------------------------------


@dataclass
class Hub:
    """A hub app loaded with the corpus and the demo, and what the baselines need of it."""

    app: Any
    slug_of: dict[str, str]  # corpus id -> public slug
    public: list[dict[str, str]] = field(default_factory=list)  # slug + FIELDS, every public item


def public_text(s: Any) -> dict[str, str]:
    """A public submission's searchable text in the baselines' four fields."""
    orgs = [s.lead_organisation, s.partners, s.member_organisations]
    long = [s.description, s.objectives, s.resources, s.timeline]
    return {
        "slug": s.slug,
        "title": s.title or "",
        "summary": s.summary or "",
        "orgs": "\n".join(p for p in orgs if p),
        "description": "\n".join(p for p in long if p),
    }


def build_hub(workdir: Path, test_set: TestSet, demo: int, seed: int = 15) -> Hub:
    """A fresh hub on a temporary SQLite database: the corpus published through the
    submission and moderation operations, `demo` demo submissions beside it."""
    from sqlalchemy import select

    from hub import create_app
    from hub.auth.models import Role
    from hub.auth.operations import create_user
    from hub.cli import upgrade_database
    from hub.demo import seed_demo
    from hub.extensions import db
    from hub.moderation.operations import approve_submission
    from hub.submissions.models import Status, Submission
    from hub.submissions.operations import create_submission

    url = f"sqlite:///{workdir / 'hub.sqlite3'}"
    upgrade_database(url)
    app = create_app(
        {
            "TESTING": True,
            "HUB_DATABASE_URL": url,
            "HUB_SECRET_KEY": "relevance-bench",
            "WTF_CSRF_ENABLED": False,
            "HUB_SUBMISSIONS_OPEN_AT": None,
            "HUB_SUBMISSIONS_CLOSE_AT": None,
            "HUB_INDEX_DIR": str(workdir / "index"),
            "HUB_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "HUB_PAGE_CACHE": 0,
            "HUB_RATELIMIT_ENABLED": False,
        }
    )
    logging.getLogger("hub").setLevel(logging.WARNING)  # not a line per mail and approval
    ids: dict[str, int] = {}
    with app.app_context():
        owner = create_user(
            "bench-owner@example.org", "x" * 24, "Bench Owner", "Bench", Role.SUBMITTER
        )
        referee = create_user(
            "bench-moderator@example.org", "x" * 24, "Bench Moderator", "", Role.MODERATOR
        )
        for corpus_id, doc in test_set.documents.items():
            content = {k: v for k, v in doc.items() if k != "kind"}
            sub = create_submission(owner, doc["kind"], content, submit=True)
            approve_submission(sub, referee)
            db.session.flush()
            ids[corpus_id] = sub.id
        if demo:
            seed_demo(demo, seed)
        db.session.commit()
        app.extensions["hub_search"].rebuild()  # one index of everything public, settled
        rows = db.session.scalars(select(Submission).where(Submission.status == Status.APPROVED))
        public = [public_text(s) for s in rows]
        slugs = {s["slug"] for s in public}
        by_id = {i: slug for i, slug in db.session.execute(select(Submission.id, Submission.slug))}
    slug_of = {cid: by_id[i] for cid, i in ids.items()}
    assert set(slug_of.values()) <= slugs, "a corpus document is not public"
    return Hub(app, slug_of, public)


def hub_search(client: Any, q: str, ui: str = "en") -> list[str]:
    """The slugs the hub's search page lists for `q`, in order (following "Did you mean"
    once when the page lists nothing)."""
    prefix = "" if ui == "en" else f"/{ui}"
    page = client.get(f"{prefix}/search?q={quote(q)}")
    text = page.get_data(as_text=True)
    if page.status_code != 200:
        raise RuntimeError(f"/search?q={q!r} answered {page.status_code}")
    found = [unquote(s) for s in _RESULT.findall(text)]
    if not found:
        suggestion = _DID_YOU_MEAN.search(text)
        if suggestion:
            target = urlsplit(html.unescape(suggestion.group(1)))
            again = client.get(f"{target.path}?{target.query}")
            found = [unquote(s) for s in _RESULT.findall(again.get_data(as_text=True))]
    return found[:DEPTH]


# -- the baselines --------------------------------------------------------------------------


def whoosh_searcher(docs: list[dict[str, str]]) -> Callable[[str], list[str]]:
    """Plain Whoosh over `docs` (in RAM): StandardAnalyzer, default AND, BM25F."""
    from whoosh import fields as wf
    from whoosh.analysis import StandardAnalyzer
    from whoosh.filedb.filestore import RamStorage
    from whoosh.qparser import MultifieldParser

    text = {name: wf.TEXT(analyzer=StandardAnalyzer()) for name in FIELDS}
    schema = wf.Schema(slug=wf.ID(stored=True, unique=True), **text)
    index = RamStorage().create_index(schema)
    with index.writer() as writer:
        for doc in docs:
            writer.add_document(**doc)
    searcher = index.searcher()
    parser = MultifieldParser(list(FIELDS), schema)

    def search(q: str) -> list[str]:
        """The slugs Whoosh ranks first for `q`."""
        return [hit["slug"] for hit in searcher.search(parser.parse(q), limit=DEPTH)]

    return search


def fts5_query(q: str) -> str:
    """`q` as an FTS5 query: each word and each "quoted phrase" a quoted string (no syntax
    reaches FTS5), all required."""
    parts = re.findall(r'"([^"]*)"|(\S+)', q)
    strings = [(phrase or word).replace('"', '""') for phrase, word in parts]
    return " ".join(f'"{s}"' for s in strings if s.strip())


def fts5_searcher(docs: list[dict[str, str]]) -> Callable[[str], list[str]]:
    """SQLite FTS5 over `docs` (in memory): unicode61 remove_diacritics 2, bm25."""
    conn = sqlite3.connect(":memory:")
    columns = ", ".join(FIELDS)
    conn.execute(
        f"CREATE VIRTUAL TABLE docs USING fts5(slug UNINDEXED, {columns}, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    marks = ", ".join("?" * (len(FIELDS) + 1))
    conn.executemany(
        f"INSERT INTO docs VALUES ({marks})", [[d["slug"], *(d[f] for f in FIELDS)] for d in docs]
    )

    def search(q: str) -> list[str]:
        """The slugs FTS5 ranks first for `q`."""
        match = fts5_query(q)
        if not match:
            return []
        rows = conn.execute(
            "SELECT slug FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (match, DEPTH)
        )
        return [r[0] for r in rows]

    return search


# -- measuring ------------------------------------------------------------------------------


def first_rank(found: list[str], relevant: set[str]) -> int | None:
    """1-based rank of the first relevant result within DEPTH, or None."""
    for rank, slug in enumerate(found[:DEPTH], 1):
        if slug in relevant:
            return rank
    return None


def score(ranks: list[int | None]) -> dict[str, float]:
    """success@3 and MRR@10 of a list of first ranks."""
    n = len(ranks) or 1
    return {
        "success3": round(sum(1 for r in ranks if r is not None and r <= 3) / n, 3),
        "mrr10": round(sum(1 / r for r in ranks if r is not None) / n, 3),
    }


def measure(test_set: TestSet, demo: int) -> dict[str, Any]:
    """Every query on the three systems: per-query ranks and the per-category figures."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hub-relevance-") as tmp:
        hub = build_hub(Path(tmp), test_set, demo)
        loaded = time.perf_counter() - started
        whoosh, fts5 = whoosh_searcher(hub.public), fts5_searcher(hub.public)
        client = hub.app.test_client()
        corpus_id = {slug: cid for cid, slug in hub.slug_of.items()}
        searchers: dict[str, Callable[[str, str], list[str]]] = {
            "hub": lambda q, ui: hub_search(client, q, ui),
            "whoosh": lambda q, ui: whoosh(q),
            "fts5": lambda q, ui: fts5(q),
        }
        per_query = []
        for query in test_set.queries:
            relevant = {hub.slug_of[r] for r in query["relevant"]}
            row: dict[str, Any] = {
                "id": query["id"],
                "q": query["q"],
                "category": query["category"],
            }
            for name, search in searchers.items():
                found = search(query["q"], query.get("ui", "en"))
                row[name] = first_rank(found, relevant)
                if name == "hub":  # for --misses: what the hub put first instead
                    row["hub_top3"] = [corpus_id.get(s, "demo") for s in found[:3]]
            per_query.append(row)
        hub.app.extensions["hub_db"].kw["bind"].dispose()
    return {
        "documents": len(test_set.documents),
        "public_documents": len(hub.public),
        "queries": len(per_query),
        "load_s": round(loaded, 1),
        "wall_s": round(time.perf_counter() - started, 1),
        "figures": figures(per_query),
        "per_query": per_query,
    }


def figures(per_query: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, float]]]:
    """category (and "overall") -> system -> success@3, MRR@10 (and the query count)."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    present = [c for c in CATEGORIES if any(r["category"] == c for r in per_query)]
    for category in [*present, "overall"]:
        rows = [r for r in per_query if category in ("overall", r["category"])]
        out[category] = {
            name: {**score([r[name] for r in rows]), "n": len(rows)} for name in SYSTEMS
        }
    return out


def goals(figs: dict[str, dict[str, dict[str, float]]]) -> list[tuple[str, bool]]:
    """The issue's goals, each with whether it is met."""

    def ahead(hub: dict[str, float], base: dict[str, float]) -> bool:
        """Neither figure lower, one higher (or both already perfect)."""
        pairs = [(hub[k], base[k]) for k in ("success3", "mrr10")]
        if any(h < b for h, b in pairs):
            return False
        return any(h > b for h, b in pairs) or all(h == 1.0 for h, _ in pairs)

    categories = [c for c in figs if c != "overall"]
    low = [c for c in categories if figs[c]["hub"]["success3"] < GOAL_CATEGORY]
    behind = [
        c
        for c in categories
        if not all(ahead(figs[c]["hub"], figs[c][b]) for b in ("whoosh", "fts5"))
    ]
    overall = figs["overall"]["hub"]["success3"]
    return [
        (f"overall success@3 {overall:.2f} >= {GOAL_OVERALL}", overall >= GOAL_OVERALL),
        (
            f"every category success@3 >= {GOAL_CATEGORY}"
            + (f" (below: {', '.join(low)})" if low else ""),
            not low,
        ),
        (
            "hub ahead of both baselines in every category"
            + (f" (not ahead: {', '.join(behind)})" if behind else ""),
            not behind,
        ),
    ]


def markdown(result: dict[str, Any]) -> str:
    """The figures as a markdown table, then the goals."""
    figs = result["figures"]
    head = "| category | n | " + " | ".join(f"{s} s@3 | {s} MRR@10" for s in SYSTEMS) + " |"
    lines = [head, "|" + "---|" * (2 + 2 * len(SYSTEMS))]
    for category, cells in figs.items():
        values = " | ".join(
            f"{cells[s]['success3']:.2f} | {cells[s]['mrr10']:.2f}" for s in SYSTEMS
        )
        name = f"**{category}**" if category == "overall" else category
        lines.append(f"| {name} | {cells['hub']['n']} | {values} |")
    lines.append("")
    lines.append(
        f"{result['documents']} corpus documents, {result['public_documents']} public documents "
        f"with the demo distractors, {result['queries']} queries; loaded in {result['load_s']} s, "
        f"{result['wall_s']} s in all."
    )
    lines.append("")
    for text, met in goals(figs):
        lines.append(f"- {'met' if met else 'MISSED'}: {text}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--demo", type=int, default=200, help="demo submissions seeded (200)")
    parser.add_argument("--misses", action="store_true", help="list the queries the hub misses")
    args = parser.parse_args(argv)
    result = measure(load_set(), args.demo)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    print(markdown(result))
    if args.misses:
        print("\nQueries the hub misses (no relevant result in its first three):")
        for row in result["per_query"]:
            if row["hub"] is None or row["hub"] > 3:
                print(
                    f"- [{row['category']}] {row['q']!r}: rank {row['hub']}, top 3 {row['hub_top3']}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
