"""Field lengths in memory: BM25F divides every score by the length of the field in the
document, and Whoosh reads that one byte from the segment file at each score (a seek and a
read, no memory mapping here: hub.search.store). A word searched in a dozen field and
language variants scores each match a dozen times: read the byte column once per segment
reader instead (one byte per document and text field)."""

from __future__ import annotations

from typing import Any

from whoosh.codec import whoosh3

_original = whoosh3.W3PerDocReader._cached_reader


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    """The column reader Whoosh would use; for a lengths column, its bytes in memory."""
    if column is not whoosh3.LENGTHS_COLUMN or fieldname in self._readers:
        return _original(self, fieldname, column)
    reader = _original(self, fieldname, column)
    if reader is None:
        return None
    try:  # NumericColumn("B"): one byte per document, then the default (0) for the rest
        stored = bytes(reader._dbfile.get(reader._basepos, reader._count))
        loaded: Any = bytearray(stored) + bytearray(max(0, reader._doccount - len(stored)))
    except (AttributeError, OSError, ValueError):  # another column layout: as Whoosh reads it
        return reader
    self._readers[fieldname] = loaded
    return loaded


def install() -> None:
    """Keep field lengths in memory (idempotent)."""
    whoosh3.W3PerDocReader._cached_reader = _cached_reader
