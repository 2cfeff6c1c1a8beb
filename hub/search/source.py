"""What the search service needs from the database, and only that.

The search code knows documents and ids; the area that owns the searchable items knows what
a public item is and what its document holds. create_app() hands an implementation to
init_app() (hub.submissions.indexing.SubmissionSource). Every method reads through the
session it is given, so the caller decides which transaction it sees.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any, Protocol

from sqlalchemy.orm import Session

# The SQL fallback's per-item row:
# (id, kind, stakeholder, countries, regions, themes, sdgs, published, title, language)
FacetRow = tuple


class Source(Protocol):
    """The searchable items: which are public, their documents, and loading them back."""

    def changed_ids(self, session: Session) -> set[int]:
        """Ids among the session's flushed changes whose public version may have changed."""
        ...

    def documents(
        self, session: Session, ids: Collection[int] | None = None
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        """(id, index document) of the public items among `ids`, or of all (None)."""
        ...

    def public_ids(self, session: Session) -> set[int]:
        """Ids of every public item."""
        ...

    def public_count(self, session: Session) -> int:
        """How many items are public."""
        ...

    def unpublished_ids(self, session: Session) -> frozenset[int]:
        """Queued ids that are no longer public: the index may still hold them."""
        ...

    def load_public(self, session: Session, ids: Sequence[int]) -> list[Any]:
        """The public items with these ids, in this order (anything else is left out)."""
        ...

    def snippet_texts(self, item: Any) -> tuple[str, str]:
        """An item's title and the text its search snippet is cut from."""
        ...

    def facet_rows(self, session: Session, words: Sequence[str]) -> list[tuple[int, FacetRow]]:
        """(id, FacetRow) of the public items containing every word (the SQL fallback)."""
        ...

    def published_times(self, session: Session) -> list[float]:
        """When each public item was published (seconds since the epoch, unsorted)."""
        ...
