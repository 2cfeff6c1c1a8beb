"""One listing for /browse, /search and the API: find, filter, count facets, sort, page.

The index ranks and counts (hub.search.ranking); every item shown is re-loaded from SQL
filtered to what is public, in the index's order, so a stale index can never publish
anything. While the index is unavailable the listing comes from SQL (hub.search.fallback).
This module is the listing's public API: what it asks for (hub.search.params) and answers
(hub.search.results) are importable from here.
"""

from __future__ import annotations

from flask import current_app

from hub.extensions import db
from hub.search.engine import IndexUnavailable, SearchIndex
from hub.search.facets import Members
from hub.search.fallback import from_sql
from hub.search.params import (
    FACET_TITLES,
    FACETS,
    MAX_PER_PAGE,
    SORTS,
    BadRequest,
    ListingQuery,
    listing_query_from_args,
    vocabulary,
)
from hub.search.ranking import from_index
from hub.search.results import FacetCount, Listing

__all__ = [
    "FACETS",
    "FACET_TITLES",
    "MAX_PER_PAGE",
    "SORTS",
    "BadRequest",
    "FacetCount",
    "Listing",
    "ListingQuery",
    "find",
    "published_times",
    "listing_query_from_args",
    "vocabulary",
]


def index() -> SearchIndex:
    """The current app's search index."""
    return current_app.extensions["hub_search"]


def find(req: ListingQuery) -> Listing:
    """The listing for `req`: from the index, or from SQL while the index is unavailable."""
    idx = index()
    try:
        idx.maintain()
        if idx.ready():
            return from_index(idx, req)
    except IndexUnavailable:
        pass
    return from_sql(idx, req)


def published_times() -> list[float]:
    """When each public item was published (seconds since the epoch, ascending): from the
    index's facet table, or from SQL while the index is unavailable."""
    idx = index()
    try:
        if idx.ready():
            unpublished = idx.source.unpublished_ids(db.session)
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
