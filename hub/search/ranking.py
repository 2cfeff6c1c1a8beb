"""The listing from the index: match, filter and count facets with bit masks, page, suggest.

The index ranks and counts; the items shown are re-loaded from SQL (Source.load_public),
in the index's order.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq
from whoosh.collectors import TopCollector
from whoosh.searching import Searcher

from hub.extensions import db
from hub.i18n import current_language
from hub.lru import LRU
from hub.search.engine import SearchIndex
from hub.search.facets import Bitmap, FacetTable, Members
from hub.search.params import FACETS, ListingQuery
from hub.search.query import ParsedQuery, parse
from hub.search.results import Listing, facet_lists
from hub.search.snippets import snippet
from hub.search.source import Source
from hub.search.spelling import suggest

TOP = 200  # best-ranked hits kept per query: the first pages of any filter combination
# Documents written in the visitor's language rank first among equals (and only among near
# equals: a better match in another language stays above).
OWN_LANGUAGE_BOOST = 1.02


@dataclass
class Matches:
    """What a query matches in one index version: every document, and the best ranked."""

    mask: int
    ranked: array


class _MatchCollector(TopCollector):
    """Keeps the TOP best hits and records every match, in one pass over the postings.

    (Block-quality skipping is off: it would skip matches, and it saved nothing measurable
    on these many-field queries.)
    """

    def __init__(self, size: int, own: frozenset[int] = frozenset()) -> None:
        """A collector for a searcher of `size` documents; `own`: those in the visitor's
        language."""
        super().__init__(limit=TOP, usequality=False)
        self.bitmap = Bitmap(size)
        self.own = own

    def _collect(self, global_docnum: int, score: float) -> Any:
        """Record the match, then rank it."""
        self.bitmap.add(global_docnum)
        if global_docnum in self.own:
            score *= OWN_LANGUAGE_BOOST
        kept = super()._collect(global_docnum, score)
        # Whoosh passes the lowest kept score to matcher.replace(), which then drops the
        # parts of an AND that cannot beat it: those matches must still be counted.
        self.minscore = 0
        return kept


def _page(
    order: Iterable[int], members: Members, start: int, count: int, total: int
) -> list[int] | None:
    """Documents start..start+count of `order` that are members; None when `order` (a
    truncated ranking) ends before the page is complete."""
    out: list[int] = []
    seen = 0
    for docnum in order:
        if docnum in members:
            if seen >= start:
                out.append(docnum)
                if len(out) == count:
                    return out
            seen += 1
    return out if seen >= total else None


@dataclass
class _View:
    """What one request sees of one index version."""

    searcher: Searcher
    table: FacetTable
    version: tuple  # the cache key of what it sees (index version, queued removals)
    visible: int  # mask of the documents it may show
    hidden: frozenset[int]  # documents the index holds whose removal is queued
    language: str  # the visitor's
    own: frozenset[int]  # documents written in it
    cache: LRU  # the index's result cache


def _view(idx: SearchIndex, searcher: Searcher, unpublished: frozenset[int]) -> _View:
    """The searcher's documents less those whose removal is queued."""
    table = idx.facet_table(searcher)
    visible = table.live
    hidden: frozenset[int] = frozenset()
    if unpublished:
        stale = table.docs_of_ids(unpublished)
        visible &= ~stale
        hidden = frozenset(Members(stale, table.size).all())
    language = current_language()
    version = idx.version(searcher)
    own = idx.results.remember(
        (version, "language", language),
        lambda: frozenset(searcher.docs_for_query(wq.Term("language", language))),
    )
    return _View(
        searcher, table, (version, unpublished), visible, hidden, language, own, idx.results
    )


def _parse(view: _View, q: str, any_word: bool = False, across: bool = True) -> ParsedQuery:
    """The user's words as a query on this view (hidden documents suggest no words), with
    their glossary equivalents unless `across` is off."""
    held = _held(view)
    reader = view.searcher.reader()
    return parse(q, view.searcher.schema, reader, any_word, view.hidden, across=across, held=held)


def _held(view: _View) -> dict:
    """Which glossary terms a visible document holds, learnt in this index version (one
    cache entry, shared by every query of the version)."""
    return view.cache.remember((view.version, "held"), dict)


def _match(view: _View, query: Any) -> Matches:
    """Every document the query matches, and the TOP best ranked, in one search."""
    collector = _MatchCollector(view.table.size, view.own)
    view.searcher.search_with_collector(query, collector)
    ranked = array("q", (docnum for _score, docnum in collector.results().top_n))
    return Matches(collector.bitmap.to_int(), ranked)


def _parsed_matches(
    view: _View, q: str, any_word: bool, across: bool
) -> tuple[ParsedQuery, Matches | None]:
    """The parsed query and what it matches, kept together in one cache entry: a query
    seen before in this version is neither parsed (glossary look-ups) nor run again."""

    def compute() -> tuple[ParsedQuery, Matches | None]:
        """Parse, then match unless nothing searchable is left."""
        parsed = _parse(view, q, any_word, across)
        return parsed, (None if parsed.query is None else _match(view, parsed.query))

    kind = "or" if any_word else "q"
    return view.cache.remember((view.version, view.language, across, kind, q), compute)


def _matching(view: _View, q: str, across: bool) -> tuple[ParsedQuery, Matches | None, bool]:
    """What all the words match; if that is nothing visible, what any of them matches
    (the third value then says the listing is partial). No matches: nothing to search."""
    parsed, matches = _parsed_matches(view, q, False, across)
    if matches is None or matches.mask & view.visible or len(parsed.words) <= 1:
        return parsed, matches, False
    loose, wider = _parsed_matches(view, q, True, across)
    if wider is not None and wider.mask & view.visible:
        return loose, wider, True
    return parsed, matches, False


def _filter(
    table: FacetTable, found: int, filters: dict[str, tuple[str, ...]]
) -> tuple[int, dict[str, Counter]]:
    """The documents of `found` passing every filter, and each facet's counts without its own
    filter (so several values of one facet combine)."""
    chosen = {name: table.union(name, values) for name, values in filters.items()}
    passing = found
    for mask in chosen.values():
        passing &= mask
    counts: dict[str, Counter] = {}
    for name in FACETS:
        within = found
        for other, mask in chosen.items():
            if other != name:
                within &= mask
        counts[name] = Counter(table.counts(name, within))
    return passing, counts


def _page_docs(
    view: _View,
    req: ListingQuery,
    passing: int,
    total: int,
    parsed: ParsedQuery | None,
    matches: Matches | None,
) -> list[int]:
    """The documents of the requested page: by rank, by title or newest first."""
    members = Members(passing, view.table.size)
    start = (req.page - 1) * req.per_page
    if parsed is not None and matches is not None and req.sort == "relevance":
        docs = _page(matches.ranked, members, start, req.per_page, total)
        if docs is None:  # past the kept ranking: rank the filtered set itself
            hits = view.searcher.search(
                parsed.query, limit=start + req.per_page, filter=set(members.all())
            )
            docs = [d for _, d in hits.top_n][start:]
        return docs
    sort = "title" if req.sort == "title" else "newest"
    return _page(view.table.order(sort), members, start, req.per_page, total) or []


def _suggestion(view: _View, parsed: ParsedQuery) -> str | None:
    """A respelling of the query that finds something visible ("did you mean"), or None."""
    suggestion = suggest(view.searcher, parsed.text, view.hidden, view.language)
    better = suggestion and _parse(view, suggestion)
    if (
        not better
        or better.query is None
        or not any(d not in view.hidden for d in view.searcher.docs_for_query(better.query))
    ):
        return None
    return suggestion


def _add_snippets(listing: Listing, source: Source, parsed: ParsedQuery) -> None:
    """Highlight the query's words in each item's title and in a passage of its text."""
    forms = parsed.highlighted()
    for item in listing.items:
        title, text = source.snippet_texts(item)
        listing.titles[item.id] = snippet(title, forms, whole=True)
        listing.snippets[item.id] = snippet(text, forms)


def from_index(idx: SearchIndex, req: ListingQuery) -> Listing:
    """The listing from the index: match, filter and count, page, suggest; the page's items
    are re-loaded from SQL."""
    unpublished = idx.source.unpublished_ids(db.session)
    with idx.searcher() as searcher:
        view = _view(idx, searcher, unpublished)
        across = not req.typed_only
        parsed: ParsedQuery | None = None
        matches: Matches | None = None
        partial = False
        if req.q.strip():
            parsed, matches, partial = _matching(view, req.q, across)
            if matches is None:
                nothing = facet_lists({n: Counter() for n in FACETS}, req)
                return Listing(req, [], 0, nothing, notes=list(parsed.notes))
        found = view.visible & matches.mask if matches is not None else view.visible
        passing, counts = _filter(view.table, found, req.filters)
        total = passing.bit_count()
        docs = _page_docs(view, req, passing, total, parsed, matches)
        suggestion = None
        if parsed is not None and (partial or not total):
            suggestion = _suggestion(view, parsed)
        ids = [view.table.ids[d] for d in docs]
    items = idx.source.load_public(db.session, ids)
    notes = list(parsed.notes) if parsed else []
    listing = Listing(req, items, total, facet_lists(counts, req), notes=notes, partial=partial)
    if suggestion and suggestion.lower() != req.q.lower():
        listing.suggestion = suggestion
    if parsed is not None:
        listing.also_searched = [(a.text, a.lang) for a in parsed.added]
        _add_snippets(listing, idx.source, parsed)
    return listing
