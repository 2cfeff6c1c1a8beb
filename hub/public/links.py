"""Links between listing views: every filter lives in the URL, so every view is linkable."""

from __future__ import annotations

from typing import Any

from flask import url_for
from markupsafe import Markup, escape

from hub.search.listing import FacetCount, ListingQuery


def listing_url(
    req: ListingQuery,
    endpoint: str = "public.browse",
    toggle: tuple[str, str] | None = None,
    drop: str | None = None,
    **changes: Any,
) -> str:
    """The URL of `req` with one facet value toggled, a facet dropped, or q/sort/page (or
    typed_only: the words typed without their equivalents) changed.

    Changing anything but the page goes back to page 1.
    """
    filters = {name: list(values) for name, values in req.filters.items()}
    if toggle is not None:
        name, value = toggle
        values = filters.setdefault(name, [])
        if value in values:
            values.remove(value)
        else:
            values.append(value)
    if drop is not None:
        filters.pop(drop, None)
    args: dict[str, Any] = {"q": changes.get("q", req.q) or None}
    args.update({name: values for name, values in filters.items() if values})
    sort = changes.get("sort", req.sort)
    default_sort = "relevance" if args["q"] else "newest"
    if sort != default_sort:
        args["sort"] = sort
    page = changes.get("page", req.page if not (toggle or drop or changes) else 1)
    if page and page > 1:
        args["page"] = page
    if req.per_page != 20:
        args["per_page"] = req.per_page
    if changes.get("typed_only", req.typed_only) and args["q"]:
        args["only"] = "typed"
    return url_for(endpoint, **{k: v for k, v in args.items() if v is not None})


def facet_list(name: str, items: list[FacetCount]) -> Markup:
    """The checkboxes of one facet's values (built here, not in a Jinja macro: a facet such
    as Country has hundreds of values and the macro cost more than the rest of the page)."""
    facet = escape(name)
    rows = []
    for f in items:
        value = escape(f.value)
        checked = " checked" if f.selected else ""
        rows.append(
            f'<li><input type="checkbox" id="f-{facet}-{value}" name="{facet}" '
            f'value="{value}"{checked}>\n    <label for="f-{facet}-{value}">'
            f'{escape(f.label)} <span class="facet-count">({f.count})</span></label></li>'
        )
    return Markup('<ul class="facet-list">\n  ' + "".join(rows) + "\n</ul>")
