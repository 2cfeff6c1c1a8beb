"""The listing straight from SQL, while the index is missing or being rebuilt: words
matched with LIKE, facets filtered and counted in Python."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _

from hub.extensions import db
from hub.search.engine import SearchIndex
from hub.search.params import FACETS, MULTI, ListingQuery
from hub.search.query import ParsedQuery
from hub.search.results import Listing, facet_lists
from hub.search.source import FacetRow


def _passes(row: FacetRow, filters: dict[str, tuple[str, ...]], skip: str | None = None) -> bool:
    """Whether the row has a wanted value of every filtered facet but `skip`."""
    for name, wanted in filters.items():
        if name == skip:
            continue
        value = row[FACETS[name]]
        if name in MULTI:
            if not any(v in wanted for v in value):
                return False
        elif value not in wanted:
            return False
    return True


def filter_and_count(
    rows: Iterable[tuple[int, FacetRow]], req: ListingQuery
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
            if name in MULTI:
                counts[name].update(set(value))
            elif value:
                counts[name][value] += 1
        if not failed:
            passing.append(key)
    return passing, counts


def _order(keys: array, row_of: Any, sort: str) -> array:
    """Keys sorted by title, or newest first (`row_of(key)` gives the key's facet row)."""
    if sort == "title":
        ordered = sorted(keys, key=lambda k: (row_of(k)[8], row_of(k)[0]))
    else:
        ordered = sorted(keys, key=lambda k: (-row_of(k)[7], -row_of(k)[0]))
    return array("q", ordered)


def from_sql(idx: SearchIndex, req: ListingQuery) -> Listing:
    """The same listing straight from SQL (words matched with LIKE), while the index is
    being (re)built."""
    parsed = ParsedQuery(req.q, None)
    rows = idx.source.facet_rows(db.session, parsed.words[:8])
    passing, counts = filter_and_count(rows, req)
    by_id = dict(rows)
    ordered = _order(passing, by_id.__getitem__, "title" if req.sort == "title" else "newest")
    start = (req.page - 1) * req.per_page
    ids = list(ordered[start : start + req.per_page])
    notes = (
        [_("Search is being rebuilt: results are matched word by word for now.")] if req.q else []
    )
    return Listing(
        req,
        idx.source.load_public(db.session, ids),
        len(passing),
        facet_lists(counts, req),
        notes=notes,
        from_sql=True,
    )
