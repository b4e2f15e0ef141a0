"""Values computed from the store, kept until the store changes: the overview's, an entity's.

Each value is kept with the store's write counter as read *before* it was computed (store/changes.py) and
recomputed once the counter has moved, so a value served is never older than the store.  One cache per
process, at most ``size`` values, the least recently used dropped first.  Threads may race to fill an entry;
the loser's value, keyed by its older counter, is simply recomputed by the next reader.

The server processes of one ``eventwire serve --workers N`` also share what they encoded (response bodies,
``bytes``) through :class:`SharedValues`, a small SQLite file the parent process creates for them: without
it each process computed every page once for itself (with 2 processes, ~1.3 computations per distinct
entity page in the load benchmark, at ~70 ms CPU each at 1M events).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection

from ..store.changes import changes

__all__ = ["SharedValues", "StoreCache"]

log = logging.getLogger("eventwire.api")

T = TypeVar("T")


class SharedValues:
    """Encoded values (``bytes``) shared between processes: ``get(key, n)`` / ``put(key, n, value)`` in the
    SQLite file ``path``, each value stored with the write counter ``n`` it was computed at and served only
    at that counter.  Best effort: any error of the file (gone, locked past the timeout, full disk) is a
    miss, never a failed request.  At most ``max_bytes`` of values are kept, the least recently written
    dropped first (checked every ``prune_every`` writes)."""

    def __init__(self, path: str | Path, *, max_bytes: int = 128 << 20, prune_every: int = 200) -> None:
        self.path = str(path)
        self.max_bytes = max_bytes
        self.prune_every = prune_every
        self._local = threading.local()  # one connection per thread (sqlite3's rule)
        self._writes = 0
        self._lock = threading.Lock()

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            # autocommit; a short busy wait: a reader blocked longer than that simply computes the value
            conn = sqlite3.connect(self.path, timeout=0.5, isolation_level=None)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = OFF")  # a throw-away cache: a crash may lose it whole
            # rowid: the order of writing (a replaced value is written anew, with the next rowid)
            conn.execute("CREATE TABLE IF NOT EXISTS shared_values "
                         "(key TEXT PRIMARY KEY, n INTEGER NOT NULL, value BLOB NOT NULL)")
            self._local.conn = conn
        return conn

    def get(self, key: str, n: int) -> bytes | None:
        try:
            row = self._conn().execute("SELECT value FROM shared_values WHERE key = ? AND n = ?",
                                       (key, n)).fetchone()
        except sqlite3.Error as e:
            log.debug("shared cache unavailable: %s", e)
            return None
        return None if row is None else bytes(row[0])

    def put(self, key: str, n: int, value: bytes) -> None:
        with self._lock:
            self._writes += 1
            prune = self._writes % self.prune_every == 0
        try:
            conn = self._conn()
            conn.execute("INSERT OR REPLACE INTO shared_values (key, n, value) VALUES (?, ?, ?)",
                         (key, n, value))
            if prune:
                self.prune(n)
        except sqlite3.Error as e:
            log.debug("shared cache unavailable: %s", e)

    def prune(self, n: int) -> None:
        """Drop the values of earlier counters, then the oldest values beyond ``max_bytes``."""
        conn = self._conn()
        conn.execute("DELETE FROM shared_values WHERE n < ?", (n,))
        kept = 0
        cut: int | None = None
        for rowid, size in conn.execute("SELECT rowid, length(value) FROM shared_values ORDER BY rowid DESC"):
            kept += size
            if kept > self.max_bytes:
                cut = rowid
                break
        if cut is not None:
            conn.execute("DELETE FROM shared_values WHERE rowid <= ?", (cut,))


class StoreCache:
    """``get(conn, key, compute)``: ``compute()``'s value for ``key`` as of the store's current state;
    ``shared``: where encoded values (``bytes``) are also looked up and kept for the other processes.
    At most ``size`` values and ``max_bytes`` of encoded ones, the least recently used dropped first."""

    def __init__(self, size: int = 256, *, max_bytes: int | None = None,
                 shared: SharedValues | None = None) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self.shared = shared
        self._values: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._bytes = 0  # of the bytes values kept
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def clear(self) -> None:
        """Forget this process's values (not the shared ones)."""
        with self._lock:
            self._values.clear()
            self._bytes = 0

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
        # keys are tuples of str / int / None: their repr is the same in every process
        shared_key = repr(key)
        value: Any = self.shared.get(shared_key, n) if self.shared is not None else None
        if value is None:
            value = compute()
            if self.shared is not None and isinstance(value, bytes):
                self.shared.put(shared_key, n, value)
        with self._lock:
            old = self._values.pop(key, None)
            if old is not None:
                self._bytes -= _size(old[1])
            self._values[key] = (n, value)
            self._bytes += _size(value)
            # the newest value stays, even one larger than max_bytes
            over = self.max_bytes if self.max_bytes is not None else float("inf")
            while len(self._values) > self.size or (self._bytes > over and len(self._values) > 1):
                self._bytes -= _size(self._values.popitem(last=False)[1][1])
        return value  # type: ignore[no-any-return]


def _size(value: Any) -> int:
    return len(value) if isinstance(value, bytes) else 0
