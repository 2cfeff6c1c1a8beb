"""A small least-recently-used cache, for values that are costly to compute and whose keys
say when they are stale (the search results and the public pages key on the index version)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any


class LRU(OrderedDict):
    """A small cache of computed values; the least recently used is dropped first."""

    def remember(self, key: Any, compute: Callable[[], Any], size: int = 64) -> Any:
        """The cached value of `key`, computing and storing it when absent."""
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = self[key] = compute()
        if len(self) > size:
            self.popitem(last=False)
        return value
