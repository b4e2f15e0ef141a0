"""Values computed from the store, kept until the store changes: the overview's, an entity's.

Each value is kept with the store's write counter as read *before* it was computed (store/changes.py) and
recomputed once the counter has moved, so a value served is never older than the store.  One cache per
process (each server worker has its own), at most ``size`` values, the least recently used dropped first.
Threads may race to fill an entry; the loser's value, keyed by its older counter, is simply recomputed by
the next reader.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Connection

from ..store.changes import changes

__all__ = ["StoreCache"]

T = TypeVar("T")


class StoreCache:
    """``get(conn, key, compute)``: ``compute()``'s value for ``key`` as of the store's current state."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, conn: Connection, key: Hashable, compute: Callable[[], T]) -> T:
        n = changes(conn)  # first: what is computed after it is at least as new
        if n is None:  # no counter to know the store by: nothing is kept
            return compute()
        with self._lock:
            hit = self._values.get(key)
            if hit is not None and hit[0] == n:
                self._values.move_to_end(key)
                self.hits += 1
                return hit[1]  # type: ignore[no-any-return]
            self.misses += 1
        value = compute()
        with self._lock:
            self._values[key] = (n, value)
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value
