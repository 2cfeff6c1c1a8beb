"""Rendered public pages, kept per process for anonymous visitors until what they show changes.

A public page (home, about, browse, search, a detail page, statistics) depends only on the
URL, on what is published, on the call's texts and on the minute (the deadline countdown). The
call's texts (hub.admin.call) change only when an admin saves them, which bumps their version.
What is published changes only through the search index's queue: every approval, withdrawal
or published revision writes an `index_tasks` row and, once drained, a new index version. So
the key is (address, URL, language, index version, newest queued task, call version, minute):
a change anywhere makes a new key (task ids are never reused), and an old page is never
served after it. The address (scheme and host, as the request or a trusted proxy gives them)
is part of the key because pages carry absolute links: a request with a forged Host header
must not poison what others see. Logged-in visitors (their name and links in the header)
and pages with a flash message are never cached.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, request, session
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from hub.admin.call import call_version
from hub.clock import clock
from hub.extensions import db
from hub.i18n import current_language as lang
from hub.lru import LRU
from hub.search import current_index
from hub.search.engine import IndexUnavailable
from hub.search.models import IndexTask


def _content_version() -> tuple | None:
    """What published content a page shows now, or None when the index cannot say."""
    index = current_index()
    try:
        # Cache hits never reach find(), which drains what other workers left queued.
        index.maintain()
        if not index.ready():
            return None
        with index.searcher() as searcher:
            version = index.version(searcher)
    except IndexUnavailable:
        return None
    # One round trip for both: the newest queued task and the call's version.
    newest_task, call = db.session.execute(
        select(select(func.max(IndexTask.id)).scalar_subquery(), call_version())
    ).one()
    return version, newest_task, call, int(clock().now().timestamp() // 60)


def cached_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve an anonymous GET of this view from the page cache (HUB_PAGE_CACHE pages)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        size = int(current_app.config["HUB_PAGE_CACHE"])
        if (
            not size
            or request.method != "GET"
            or current_user.is_authenticated
            or session.get("_flashes")
        ):
            return view(*args, **kwargs)
        version = _content_version()
        if version is None:
            return view(*args, **kwargs)
        pages: LRU = current_app.extensions.setdefault("hub_pages", LRU())
        # The language and the prefix: /fr/browse and a French visitor's /browse differ.
        key = (request.host_url, request.script_root, request.full_path, lang(), version)
        if key in pages:
            body, mimetype = pages.remember(key, lambda: None, size)
            return Response(body, mimetype=mimetype)
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code == 200 and not response.is_streamed:
            pages.remember(key, lambda: (response.get_data(), response.mimetype), size)
        return response

    return wrapped
