"""One listing for /browse, /search and the API: find, filter, count facets, sort, page.

The index ranks and counts; every item shown is re-loaded from SQL filtered to approved,
in the index's order, so a stale index can never publish anything.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from markupsafe import Markup
from whoosh.collectors import TopCollector

from hub import vocab
from hub.extensions import db
from hub.forms import clean_text, one_line
from hub.search.engine import IndexUnavailable, SearchIndex
from hub.search.facets import Bitmap, Members
from hub.search.query import MAX_QUERY_CHARS, ParsedQuery, parse, snippet, suggest
from hub.search.source import FacetRow

# URL/API parameter → position in a FacetRow, and its vocabulary.
FACETS: dict[str, int] = {
    "kind": 1,
    "stakeholder": 2,
    "country": 3,
    "region": 4,
    "theme": 5,
    "sdg": 6,
}
FACET_TITLES = {
    "kind": "Kind",
    "stakeholder": "Stakeholder group",
    "region": "Region",
    "country": "Country",
    "theme": "Theme",
    "sdg": "Sustainable Development Goal",
}
SORTS = {"relevance": "Relevance", "newest": "Newest first", "title": "Title (A–Z)"}
MAX_PER_PAGE = 100
_MULTI = {"country", "region", "theme", "sdg"}


def vocabulary(facet: str) -> dict[str, str]:
    """Allowed values of a facet and their labels."""
    return {
        "kind": vocab.KINDS,
        "stakeholder": vocab.STAKEHOLDER_GROUPS,
        "region": vocab.REGIONS,
        "theme": vocab.THEMES,
        "country": vocab.countries(),
        "sdg": {str(n): f"SDG {n}: {label}" for n, label in vocab.SDGS.items()},
    }[facet]


@dataclass
class Request:
    """What was asked for: words, filters (OR within a facet, AND across), order, page."""

    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20

    def key(self) -> tuple:
        return (self.q, tuple(sorted(self.filters.items())))


class BadRequest(ValueError):
    """A listing parameter that cannot be used (the API answers 400 with this message)."""


def request_from_args(args: Any, strict: bool = False, default_per_page: int = 20) -> Request:
    """Read q, facet filters, sort, page and per_page from query-string arguments.

    Pages are forgiving (unknown values are dropped, bad numbers mean the default); the API
    is `strict` and raises BadRequest instead.
    """
    filters: dict[str, tuple[str, ...]] = {}
    for name in FACETS:
        values = [v.strip() for raw in args.getlist(name) for v in raw.split(",") if v.strip()]
        allowed = vocabulary(name)
        unknown = [v for v in values if v not in allowed]
        if unknown and strict:
            raise BadRequest(f"Unknown {name}: {', '.join(unknown[:5])}.")
        known = tuple(dict.fromkeys(v for v in values if v in allowed))
        if known:
            filters[name] = known
    sort = args.get("sort") or ("relevance" if args.get("q") else "newest")
    if sort not in SORTS:
        if strict:
            raise BadRequest(f"sort must be one of {', '.join(SORTS)}.")
        sort = "relevance"
    page = _number(args, "page", 1, 1, 10_000, strict)
    per_page = _number(args, "per_page", default_per_page, 1, MAX_PER_PAGE, strict)
    # Invisible control characters (a pasted NUL) are dropped as in every form, so a query
    # made only of them is no query at all.
    q = one_line(clean_text(args.get("q") or ""))
    if strict and len(q) > MAX_QUERY_CHARS:  # pages shorten it and say so
        raise BadRequest(f"q must be at most {MAX_QUERY_CHARS} characters.")
    return Request(q=q, filters=filters, sort=sort, page=page, per_page=per_page)


_WHOLE = re.compile(r"-?[0-9]{1,30}")


def _number(args: Any, name: str, default: int, low: int, high: int, strict: bool) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    # Plain ASCII digits only: int() would also read "1_0" as 10, "+5", and other scripts'
    # digits, which no link of ours writes.
    value = int(raw) if _WHOLE.fullmatch(raw) else None
    if value is None or not low <= value <= high:
        if strict:
            raise BadRequest(f"{name} must be a whole number from {low} to {high}.")
        return default if value is None else min(max(value, low), high)
    return value


@dataclass
class FacetCount:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Listing:
    """One page of public results with everything the page and the API show."""

    request: Request
    items: list[Any]  # the source's public items
    total: int
    facets: dict[str, list[FacetCount]]
    snippets: dict[int, Markup] = field(default_factory=dict)
    titles: dict[int, Markup] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    suggestion: str | None = None
    partial: bool = False
    from_sql: bool = False

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.request.per_page))


def _passes(row: FacetRow, filters: dict[str, tuple[str, ...]], skip: str | None = None) -> bool:
    for name, wanted in filters.items():
        if name == skip:
            continue
        value = row[FACETS[name]]
        if name in _MULTI:
            if not any(v in wanted for v in value):
                return False
        elif value not in wanted:
            return False
    return True


def filter_and_count(
    rows: Iterable[tuple[int, FacetRow]], req: Request
) -> tuple[array, dict[str, Counter]]:
    """Rows passing every filter, and per-facet counts that ignore that facet's own filter
    (so several values of one facet can be combined)."""
    counts: dict[str, Counter] = {name: Counter() for name in FACETS}
    # Only the keys are kept (8 bytes each, cached per query): not the rows themselves.
    passing = array("q")
    filters = req.filters
    for key, row in rows:
        failed = [name for name in filters if not _passes(row, {name: filters[name]})]
        if len(failed) > 1:
            continue
        targets = failed or list(FACETS)
        for name in targets:
            value = row[FACETS[name]]
            if name in _MULTI:
                counts[name].update(set(value))
            elif value:
                counts[name][value] += 1
        if not failed:
            passing.append(key)
    return passing, counts


def _facet_lists(counts: dict[str, Counter], req: Request) -> dict[str, list[FacetCount]]:
    out = {}
    for name in FACETS:
        labels = vocabulary(name)
        selected = set(req.filters.get(name, ()))
        items = [
            FacetCount(v, labels.get(v, v), n, v in selected)
            for v, n in counts[name].items()
            if v in labels
        ]
        items += [
            FacetCount(v, labels.get(v, v), 0, True) for v in selected if v not in counts[name]
        ]
        # Most used first; ties by label, SDGs by number (SDG 4 before SDG 17).
        items.sort(key=lambda f: (-f.count, int(f.value) if name == "sdg" else 0, f.label))
        out[name] = items
    return out


def _order(keys: array, row_of: Any, sort: str) -> array:
    """Keys sorted by title, or newest first (`row_of(key)` gives the key's facet row)."""
    if sort == "title":
        ordered = sorted(keys, key=lambda k: (row_of(k)[8], row_of(k)[0]))
    else:
        ordered = sorted(keys, key=lambda k: (-row_of(k)[7], -row_of(k)[0]))
    return array("q", ordered)


def index() -> SearchIndex:
    """The current app's search index."""
    return current_app.extensions["hub_search"]


def find(req: Request) -> Listing:
    """The listing for `req`: from the index, or from SQL while the index is unavailable."""
    idx = index()
    try:
        idx.maintain()
        if idx.ready():
            return _from_index(idx, req)
    except IndexUnavailable:
        pass
    return _from_sql(idx, req)


def _unpublished_ids(idx: SearchIndex) -> frozenset[int]:
    """Items the index may still hold but SQL no longer shows (their removal is queued)."""
    return idx.source.unpublished_ids(db.session)


TOP = 200  # best-ranked hits kept per query: the first pages of any filter combination


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

    def __init__(self, size: int) -> None:
        super().__init__(limit=TOP, usequality=False)
        self.bitmap = Bitmap(size)

    def _collect(self, global_docnum: int, score: float) -> Any:
        self.bitmap.add(global_docnum)
        return super()._collect(global_docnum, score)


def _match(searcher: Any, query: Any, size: int) -> Matches:
    collector = _MatchCollector(size)
    searcher.search_with_collector(query, collector)
    ranked = array("q", (docnum for _score, docnum in collector.results().top_n))
    return Matches(collector.bitmap.to_int(), ranked)


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


def _from_index(idx: SearchIndex, req: Request) -> Listing:
    cache = idx.results
    unpublished = _unpublished_ids(idx)
    with idx.searcher() as searcher:
        table = idx.facet_table(searcher)
        version = (idx.version(searcher), unpublished)
        visible = table.live
        hidden: frozenset[int] = frozenset()
        if unpublished:
            stale = table.docs_of_ids(unpublished)
            visible &= ~stale
            hidden = frozenset(Members(stale, table.size).all())
        parsed = (
            parse(req.q, searcher.schema, searcher.reader(), hidden=hidden)
            if req.q.strip()
            else None
        )
        if parsed is not None and parsed.query is None:
            return Listing(
                req, [], 0, _facet_lists({n: Counter() for n in FACETS}, req), notes=parsed.notes
            )
        partial = False
        matches = None
        if parsed is not None:
            strict = parsed
            matches = cache.remember(
                (version, "q", strict.text), lambda: _match(searcher, strict.query, table.size)
            )
            if not matches.mask & visible and len(parsed.words) > 1:
                loose = parse(
                    req.q, searcher.schema, searcher.reader(), any_word=True, hidden=hidden
                )
                if loose.query is not None:
                    wider = cache.remember(
                        (version, "or", loose.text),
                        lambda: _match(searcher, loose.query, table.size),
                    )
                    if wider.mask & visible:
                        partial, parsed, matches = True, loose, wider
        found = visible & matches.mask if matches is not None else visible
        chosen = {name: table.union(name, values) for name, values in req.filters.items()}
        passing = found
        for mask in chosen.values():
            passing &= mask
        counts: dict[str, Counter] = {}
        for name in FACETS:  # each facet counted without its own filter (values combine)
            within = found
            for other, mask in chosen.items():
                if other != name:
                    within &= mask
            counts[name] = Counter(table.counts(name, within))
        total = passing.bit_count()
        members = Members(passing, table.size)
        start = (req.page - 1) * req.per_page
        page_docs = None
        if matches is not None and req.sort == "relevance":
            page_docs = _page(matches.ranked, members, start, req.per_page, total)
            if page_docs is None:  # past the kept ranking: rank the filtered set itself
                hits = searcher.search(
                    parsed.query, limit=start + req.per_page, filter=set(members.all())
                )
                page_docs = [d for _, d in hits.top_n][start:]
        else:
            sort = "title" if req.sort == "title" else "newest"
            page_docs = _page(table.order(sort), members, start, req.per_page, total) or []
        suggestion = None
        if parsed is not None and (partial or not total):
            suggestion = suggest(searcher, parsed, hidden)
            better = suggestion and parse(
                suggestion, searcher.schema, searcher.reader(), hidden=hidden
            )
            if (
                not better
                or better.query is None
                or not any(d not in hidden for d in searcher.docs_for_query(better.query))
            ):
                suggestion = None
        ids = [table.ids[d] for d in page_docs]
    listing = Listing(
        req,
        idx.source.load_public(db.session, ids),
        total,
        _facet_lists(counts, req),
        notes=parsed.notes if parsed else [],
        partial=partial,
    )
    if suggestion and suggestion.lower() != req.q.lower():
        listing.suggestion = suggestion
    if parsed is not None:
        for item in listing.items:
            title, text = idx.source.snippet_texts(item)
            listing.titles[item.id] = snippet(title, parsed.query, whole=True)
            listing.snippets[item.id] = snippet(text, parsed.query)
    return listing


def published_times() -> list[float]:
    """When each public submission was published (seconds since the epoch, ascending): from
    the index's facet table, or from SQL while the index is unavailable."""
    idx = index()
    try:
        if idx.ready():
            unpublished = _unpublished_ids(idx)
            with idx.searcher() as searcher:
                table = idx.facet_table(searcher)
                visible = table.live
                if unpublished:
                    visible &= ~table.docs_of_ids(unpublished)
                published = table.published
                return sorted(published[d] for d in Members(visible, table.size).all())
    except IndexUnavailable:
        pass
    return sorted(idx.source.published_times(db.session))


def _from_sql(idx: SearchIndex, req: Request) -> Listing:
    """The same listing straight from SQL (words matched with LIKE), while the index is
    being (re)built."""
    parsed = ParsedQuery(req.q, None)
    rows = idx.source.facet_rows(db.session, parsed.words[:8])
    passing, counts = filter_and_count(rows, req)
    by_id = dict(rows)
    ordered = _order(passing, by_id.__getitem__, "title" if req.sort == "title" else "newest")
    start = (req.page - 1) * req.per_page
    ids = list(ordered[start : start + req.per_page])
    notes = ["Search is being rebuilt: results are matched word by word for now."] if req.q else []
    return Listing(
        req,
        idx.source.load_public(db.session, ids),
        len(passing),
        _facet_lists(counts, req),
        notes=notes,
        from_sql=True,
    )
