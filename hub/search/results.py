"""What a listing answers: one page of public items, facet counts, notes and snippets."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from hub.search.params import FACETS, ListingQuery, vocabulary


@dataclass
class FacetCount:
    """One value of a facet: how many items of the listing have it, and whether it is chosen."""

    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Listing:
    """One page of public results with everything the page and the API show."""

    query: ListingQuery
    items: list[Any]  # the source's public items
    total: int
    facets: dict[str, list[FacetCount]]
    snippets: dict[int, Markup] = field(default_factory=dict)
    titles: dict[int, Markup] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    suggestion: str | None = None
    partial: bool = False
    # Glossary equivalents searched besides the typed words: (term, language of the term).
    also_searched: list[tuple[str, str]] = field(default_factory=list)
    from_sql: bool = False

    @property
    def pages(self) -> int:
        """How many pages the listing has (at least one)."""
        return max(1, math.ceil(self.total / self.query.per_page))


def facet_lists(counts: dict[str, Counter], req: ListingQuery) -> dict[str, list[FacetCount]]:
    """Each facet's values with their counts and labels, chosen ones kept even at 0."""
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
