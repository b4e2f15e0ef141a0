"""An entity's values across articles, computed once per store state for both of their readers: the API's
``GET /api/entities/{key}`` and the web UI's entity page.

Both read the same queries (summary, newest events as actor and as target, articles, attributions, network:
~40 ms CPU for a person in ~3,400 articles at 1M events); computed for one, they serve the other, in every
server process (kept pickled in the store cache, whose encoded values the processes share).
"""

from __future__ import annotations

import pickle
from typing import Any

from sqlalchemy import Connection

from ..store import queries as Q
from .cache import StoreCache

__all__ = ["EVENTS", "LISTED", "entity_values"]

# The entity page lists this many events per role; the API's default limit lists fewer (a prefix of them).
EVENTS = 100
# Articles and attributions listed by the page and by the API's default limit.
LISTED = 50


def _compute(conn: Connection, key: str) -> dict[str, Any] | None:
    summary = Q.entity_summary(conn, key)
    if summary is None:
        return None
    return {"summary": summary,
            "as_actor": Q.list_events(conn, actor=key, limit=EVENTS),
            "as_target": Q.list_events(conn, target=key, limit=EVENTS),
            "network": Q.entity_network(conn, key),
            "refs": Q.entity_articles(conn, key, limit=LISTED),
            "quotes": Q.entity_attributions(conn, key, limit=LISTED)}


def entity_values(cache: StoreCache, conn: Connection, key: str) -> dict[str, Any] | None:
    """``{summary, as_actor, as_target (Pages of EVENTS), network, refs, quotes (LISTED each)}`` of the
    entity ``key`` (a copy of its own: the caller may change it); None when no article has it."""
    computed: list[dict[str, Any] | None] = []

    def compute() -> bytes:
        computed.append(_compute(conn, key))
        return pickle.dumps(computed[0])

    found: bytes = cache.get(conn, ("entity values", key), compute)
    if computed:  # computed by this call: a copy of its own already (~0.7 ms to unpickle a busy person's)
        return computed[0]
    # pickled by this server's own processes (api/cache.py's file is in a folder private to them)
    values: dict[str, Any] | None = pickle.loads(found)
    return values
