"""Helper of the concurrent-creation test: open a store at a shared start instant (run in a pool worker)."""

from __future__ import annotations

import time

from eventwire.errors import StoreError
from eventwire.store import open_store


def open_at(url: str, start: float) -> str | None:
    """Open ``url`` when the wall clock reaches ``start`` and read it; None, or the error's message."""
    while time.time() < start:  # spin, not sleep: the workers must hit the new file within microseconds
        pass
    try:
        with open_store(url) as store:
            store.counts()
    except StoreError as e:
        return str(e)
    return None
