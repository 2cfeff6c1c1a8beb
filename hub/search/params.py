"""What a listing asks for: words, facet filters, order and page, read from a URL's query
string, and the facets and orders there are."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hub import m49, vocab
from hub.forms import clean_text, one_line
from hub.search.query import MAX_QUERY_CHARS

# URL/API parameter → position in a FacetRow, and its vocabulary.
FACETS: dict[str, int] = {
    "kind": 1,
    "stakeholder": 2,
    "country": 3,
    "region": 4,
    "theme": 5,
    "sdg": 6,
    "language": 9,
}
FACET_TITLES = {
    "kind": _l("Kind"),
    "stakeholder": _l("Stakeholder group"),
    "region": _l("Region"),
    "country": _l("Country"),
    "theme": _l("Theme"),
    "sdg": _l("Sustainable Development Goal"),
    "language": _l("Language of the text"),
}
SORTS = {"relevance": _l("Relevance"), "newest": _l("Newest first"), "title": _l("Title (A–Z)")}
MAX_PER_PAGE = 100
# Facets an item can have several values of.
MULTI = {"country", "region", "theme", "sdg"}


def vocabulary(facet: str) -> dict[str, str]:
    """Allowed values of a facet and their labels (in the page's language)."""
    if facet == "sdg":
        return {
            str(n): _("SDG %(number)d: %(name)s", number=n, name=_(label))
            for n, label in vocab.SDGS.items()
        }
    if facet == "country":
        return vocab.countries()
    if facet == "language":  # the language a submission is written in, named by CLDR
        return {code: vocab.language_name(code) for code in vocab.LANGUAGES}
    return vocab.translated(
        {
            "kind": vocab.KINDS,
            "stakeholder": vocab.STAKEHOLDER_GROUPS,
            "region": vocab.REGIONS,
            "theme": vocab.THEMES,
        }[facet]
    )


@dataclass
class ListingQuery:
    """What was asked for: words, filters (OR within a facet, AND across), order, page."""

    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Values a page left out because no facet has them ({"language": ("xx",)}): it says so.
    ignored: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    # Only the words typed, not their equivalents in other languages (only=typed).
    typed_only: bool = False

    def key(self) -> tuple:
        """What the matching documents depend on (not the order or the page)."""
        return (self.q, tuple(sorted(self.filters.items())), self.typed_only)


class BadRequest(ValueError):
    """A listing parameter that cannot be used (the API answers 400 with this message)."""


def listing_query_from_args(
    args: Any, strict: bool = False, default_per_page: int = 20
) -> ListingQuery:
    """Read q, facet filters, sort, page and per_page from query-string arguments.

    Pages are forgiving (unknown values are dropped, bad numbers mean the default); the API
    is `strict` and raises BadRequest instead.
    """
    filters: dict[str, tuple[str, ...]] = {}
    ignored: dict[str, tuple[str, ...]] = {}
    for name in FACETS:
        values = [v.strip() for raw in args.getlist(name) for v in raw.split(",") if v.strip()]
        values = [new for v in values for new in _current(name, v)]
        allowed = vocabulary(name)
        unknown = [v for v in values if v not in allowed]
        if unknown and strict:
            raise BadRequest(f"Unknown {name}: {', '.join(unknown[:5])}.")
        if unknown:
            ignored[name] = tuple(dict.fromkeys(v[:40] for v in unknown[:5]))
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
    typed_only = args.get("only") == "typed"
    if strict and args.get("only") not in (None, "", "typed"):
        raise BadRequest("only must be typed (or left out).")
    return ListingQuery(
        q=q,
        filters=filters,
        ignored=ignored,
        sort=sort,
        page=page,
        per_page=per_page,
        typed_only=typed_only,
    )


def _current(facet: str, value: str) -> tuple[str, ...]:
    """A filter value as the hub names it today: links written before the M49 list
    (region=cis, country=TW) find the regions and country their submissions now hold."""
    if facet == "region":
        return m49.RETIRED_REGIONS.get(value, (value,))
    if facet == "country":
        return (m49.RETIRED_COUNTRIES.get(value, value),)
    return (value,)


_WHOLE = re.compile(r"-?[0-9]{1,30}")


def _number(args: Any, name: str, default: int, low: int, high: int, strict: bool) -> int:
    """A whole-number argument within low..high (see listing_query_from_args for bad ones)."""
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
