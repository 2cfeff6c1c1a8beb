"""Full-text search over approved submissions (Whoosh), kept in step with the database.

Public API: init_app(app), similar_to_text(...), and hub.search.listing.find(...).
"""

from __future__ import annotations

import logging
import weakref

from flask import Flask, current_app
from whoosh import query as wq

from hub.search.engine import IndexUnavailable, SearchIndex
from hub.submissions.models import Submission

logger = logging.getLogger("hub.search")


def init_app(app: Flask) -> None:
    """Attach the index to the app and index changes when their transaction commits."""
    from hub.search.queue import listen

    index = SearchIndex(app)
    app.extensions["hub_search"] = index
    listen(app.extensions["hub_db"], index)
    weakref.finalize(app, index.close)  # close files when a (test) app goes away


def current_index() -> SearchIndex:
    """The current app's index."""
    return current_app.extensions["hub_search"]


def similar_to_text(title: str, text: str, exclude_id: int | None = None,
                    limit: int = 5) -> list[Submission]:
    """Up to `limit` approved submissions most like this title and text (more-like-this on the
    key terms of the text, title words counted twice). Empty if the index is unavailable."""
    from hub.search.listing import load_public

    index = current_index()
    try:
        if not (title or text).strip() or not index.ready():
            return []
        with index.searcher() as searcher:
            source = f"{title}\n{title}\n{text}"
            key_terms = searcher.key_terms_from_text("description", source, numterms=12)
            title_terms = searcher.key_terms_from_text("title", title, numterms=6) if title else []
            if not key_terms and not title_terms:
                return []
            q = wq.Or([wq.Term("description", w, boost=s) for w, s in key_terms]
                      + [wq.Term("title", w, boost=2 * s) for w, s in title_terms])
            mask = None
            if exclude_id is not None:
                docnum = searcher.document_number(id=str(exclude_id))
                mask = {docnum} if docnum is not None else None
            hits = searcher.search(q, limit=limit + 1, mask=mask)
            ids = [int(hit["id"]) for hit in hits]
    except IndexUnavailable:
        return []
    return [s for s in load_public(ids) if s.id != exclude_id][:limit]
