"""Full-text search over public items (Whoosh), kept in step with the database.

Public API: init_app(app, source), similar_to_text(...), and hub.search.listing.find(...).
The source (hub.search.source.Source) says what is public; this package ranks it.
"""

from __future__ import annotations

import logging
import weakref
from typing import Any

from flask import Flask, current_app
from whoosh import query as wq
from whoosh.searching import Searcher

from hub.extensions import db
from hub.search.analysis import WORDS
from hub.search.engine import IndexUnavailable, SearchIndex
from hub.search.queue import listen
from hub.search.source import Source

logger = logging.getLogger("hub.search")


def init_app(app: Flask, source: Source) -> None:
    """Attach the index of `source`'s public items to the app and index changes when their
    transaction commits."""
    index = SearchIndex(app, source)
    app.extensions["hub_search"] = index
    listen(app.extensions["hub_db"], source, index.drain)
    weakref.finalize(app, index.close)  # close files when a (test) app goes away


def current_index() -> SearchIndex:
    """The current app's index."""
    return current_app.extensions["hub_search"]


def similar_to_text(
    title: str, text: str, exclude_id: int | None = None, limit: int = 5, cache: bool = False
) -> list[Any]:
    """Up to `limit` public items most like this title and text (more-like-this on the
    distinctive key terms of the text, title words counted twice). Empty if the index is
    unavailable. With `cache`, the answer for `exclude_id` is kept for the index version
    (a public detail page asks again at every view)."""
    index = current_index()
    try:
        if not (title or text).strip() or not index.ready():
            return []
        with index.searcher() as searcher:
            key = (index.version(searcher), "similar", exclude_id, limit)

            def compute() -> list[int]:
                """The ids, computed on this searcher."""
                return _similar_ids(searcher, title, text, exclude_id, limit)

            ids = index.similar.remember(key, compute, 4096) if cache else compute()
    except IndexUnavailable:
        return []
    items = index.source.load_public(db.session, ids)
    return [s for s in items if s.id != exclude_id][:limit]


def _similar_ids(
    searcher: Searcher, title: str, text: str, exclude_id: int | None, limit: int
) -> list[int]:
    """Ids of the documents most like the text (see similar_to_text)."""
    reader = searcher.reader()
    # A word found in more than 1 document in 20 says little about what is similar and
    # makes the query visit most of the index: leave those out.
    common = max(20, reader.doc_count() // 20)

    def distinctive(field: str, source: str, most: int) -> list[tuple[str, float]]:
        """The field's key terms of `source` that are not too common, at most `most`."""
        terms = searcher.key_terms_from_text(field, source, numterms=most * 2)
        return [(w, s) for w, s in terms if reader.doc_frequency(field, w) <= common][:most]

    key_terms = distinctive(WORDS, f"{title}\n{title}\n{text}", 10)
    title_terms = distinctive(WORDS, title, 6) if title else []
    if not key_terms and not title_terms:
        return []
    # A title word that is also a key term of the whole text adds both weights.
    boosts: dict[str, float] = {}
    for w, s in key_terms:
        boosts[w] = boosts.get(w, 0.0) + s
    for w, s in title_terms:
        boosts[w] = boosts.get(w, 0.0) + 2 * s
    q = wq.Or([wq.Term(WORDS, w, boost=s) for w, s in boosts.items()])
    mask = None
    if exclude_id is not None:
        docnum = searcher.document_number(id=str(exclude_id))
        mask = {docnum} if docnum is not None else None
    return [int(hit["id"]) for hit in searcher.search(q, limit=limit + 1, mask=mask)]
