"""Facet values of every indexed document as bitmasks over document numbers.

A listing filters and counts thousands of documents per request. Looping over per-document
rows in Python cost about a second at 50,000 documents; with one bitmask (a Python int) per
facet value, filtering is an AND and counting a popcount, done in C.

Masks are built once per index segment (segments never change) and combined per searcher
version (a segment's masks shifted by its offset among the searcher's documents).
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from whoosh.searching import Searcher

FACET_NAMES = ("kind", "stakeholder", "country", "region", "theme", "sdg", "language")


class Bitmap:
    """Builds a bitmask from document numbers (in place, then one int)."""

    def __init__(self, size: int) -> None:
        """An empty mask of `size` documents."""
        self.bits = bytearray((size + 7) // 8)

    def add(self, docnum: int) -> None:
        """Set the bit of `docnum`."""
        self.bits[docnum >> 3] |= 1 << (docnum & 7)

    def to_int(self) -> int:
        """The mask as an int (bit n = document n)."""
        return int.from_bytes(self.bits, "little")

    @classmethod
    def of(cls, docnums: Iterable[int], size: int) -> int:
        """The mask of these document numbers."""
        bitmap = cls(size)
        for docnum in docnums:
            bitmap.add(docnum)
        return bitmap.to_int()


class Members:
    """Fast membership tests on a mask (testing bits of a big int one by one is O(size))."""

    def __init__(self, mask: int, size: int) -> None:
        """The members of `mask` among `size` documents, as bytes (fast to test)."""
        self.bytes = mask.to_bytes((size + 7) // 8 or 1, "little")

    def __contains__(self, docnum: int) -> bool:
        """Whether the document is in the mask."""
        return bool(self.bytes[docnum >> 3] >> (docnum & 7) & 1)

    def all(self) -> list[int]:
        """Every document number in the mask, ascending."""
        out: list[int] = []
        for i, byte in enumerate(self.bytes):
            if byte:
                base = i << 3
                out.extend(base + b for b in range(8) if byte >> b & 1)
        return out


@dataclass
class Segment:
    """One segment's documents: ids, sort keys and one bitmask per facet value."""

    size: int
    ids: array  # submission id per document number (0: no facet record)
    published: array  # seconds since the epoch
    titles: list[str]
    masks: dict[str, dict[str, int]]


def read_segment(column: Any, size: int) -> Segment:
    """Decode a segment's `facets` column (one JSON record per document)."""
    ids, published, titles = array("q", bytes(8 * size)), array("d", bytes(8 * size)), [""] * size
    bitmaps: dict[str, dict[str, Bitmap]] = {name: {} for name in FACET_NAMES}
    for n in range(size):
        raw = column[n]
        if not raw:
            continue
        record = json.loads(raw)
        ids[n], published[n], titles[n] = record["id"], record["published"], record["title"]
        for name in FACET_NAMES:
            values = record.get(name)  # None: indexed before the facet existed
            for value in values if isinstance(values, list) else [values] if values else []:
                bitmap = bitmaps[name].get(value)
                if bitmap is None:
                    bitmap = bitmaps[name][value] = Bitmap(size)
                bitmap.add(n)
    masks = {name: {v: b.to_int() for v, b in values.items()} for name, values in bitmaps.items()}
    return Segment(size, ids, published, titles, masks)


@dataclass
class FacetTable:
    """Every document of one searcher version (segments concatenated), with masks."""

    size: int
    live: int  # documents not deleted
    ids: array
    published: array
    titles: list[str]
    masks: dict[str, dict[str, int]]
    _orders: dict[str, array] = field(default_factory=dict)

    @classmethod
    def combine(cls, parts: list[tuple[Segment, int, int]]) -> FacetTable:
        """One table from (segment, offset, live mask within the segment) triples."""
        size = sum(seg.size for seg, _offset, _live in parts)
        ids, published, titles = array("q"), array("d"), []
        masks: dict[str, dict[str, int]] = {name: {} for name in FACET_NAMES}
        live = 0
        for seg, offset, seg_live in parts:
            ids.extend(seg.ids)
            published.extend(seg.published)
            titles.extend(seg.titles)
            live |= seg_live << offset
            for name, values in seg.masks.items():
                target = masks[name]
                for value, mask in values.items():
                    target[value] = target.get(value, 0) | (mask << offset)
        return cls(size, live, ids, published, titles, masks)

    def mask_of(self, docnums: Iterable[int]) -> int:
        """The mask of these document numbers."""
        return Bitmap.of(docnums, self.size)

    def docs_of_ids(self, submission_ids: frozenset[int]) -> int:
        """The mask of the documents of these submissions."""
        return self.mask_of(n for n, i in enumerate(self.ids) if i in submission_ids)

    def live_ids(self) -> set[int]:
        """Submission ids of the documents not deleted."""
        ids = self.ids
        return {ids[d] for d in Members(self.live, self.size).all() if ids[d]}

    def union(self, name: str, values: Iterable[str]) -> int:
        """Documents with any of these values of one facet."""
        out = 0
        for value in values:
            out |= self.masks[name].get(value, 0)
        return out

    def counts(self, name: str, within: int) -> dict[str, int]:
        """How many documents of `within` have each value of a facet (zero left out)."""
        out = {}
        for value, mask in self.masks[name].items():
            n = (mask & within).bit_count()
            if n:
                out[value] = n
        return out

    def order(self, sort: str) -> array:
        """Every document number, newest first or by title (computed once per version)."""
        if sort not in self._orders:
            if sort == "title":
                key = lambda d: (self.titles[d], self.ids[d])  # noqa: E731
            else:
                key = lambda d: (-self.published[d], -self.ids[d])  # noqa: E731
            self._orders[sort] = array("q", sorted(range(self.size), key=key))
        return self._orders[sort]


def live_mask(reader: Any, size: int) -> int:
    """The documents of a segment reader that are not deleted."""
    if not reader.has_deletions():
        return (1 << size) - 1
    return Bitmap.of(reader.all_doc_ids(), size)


def leaf_parts(searcher: Searcher) -> list[tuple[Any, int]]:
    """(segment reader, offset) of each segment a searcher sees."""
    return [(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]


class FacetCache:
    """The facet table of the searcher version in use, and each segment's decoded masks
    (segments never change: each is decoded once per process)."""

    def __init__(self) -> None:
        """Nothing decoded yet."""
        self.segments: dict[str, Segment] = {}
        self.current: tuple[Any, FacetTable] | None = None

    def table(self, searcher: Searcher, version: tuple[str | None, int]) -> FacetTable:
        """The table of what `searcher` sees (`version`: its generation directory and TOC
        generation); rebuilt only for a new version, from the segments' cached masks."""
        if self.current is not None and self.current[0] == version:
            return self.current[1]
        parts, keys = [], set()
        for reader, offset in leaf_parts(searcher):
            size = reader.doc_count_all()
            if not size:
                continue
            key = f"{version[0]}:{reader.segment().segment_id()}"
            segment = self.segments.get(key)
            if segment is None:
                segment = self.segments[key] = read_segment(reader.column_reader("facets"), size)
            keys.add(key)
            parts.append((segment, offset, live_mask(reader, size)))
        for stale in set(self.segments) - keys:  # merged away
            del self.segments[stale]
        table = FacetTable.combine(parts)
        self.current = (version, table)
        return table

    def clear(self) -> None:
        """Forget everything (another generation is opened)."""
        self.segments.clear()
        self.current = None
