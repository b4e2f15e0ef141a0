"""The body of ``GET /api/events``, encoded once per store state and parameters, for its route and for the
search page, which lists the first 20 of the same search (a full name's events at 1M events: ~15 ms CPU,
computed once for both)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from ..store import queries as Q
from .cache import StoreCache
from .convert import page_json
from .schemas import EventPage

__all__ = ["DEFAULTS", "events_body"]

# The route's parameters and their defaults, in its order (the cache key is made of them).
DEFAULTS: dict[str, Any] = {"type": None, "actor": None, "target": None, "country": None,
                            "actor_country": None, "target_country": None, "date_from": None, "date_to": None,
                            "factuality": None, "q": None, "article_id": None, "sort": "-date", "limit": 50,
                            "offset": 0}


def events_body(cache: StoreCache, conn: Connection, **given: Any) -> bytes:
    """The JSON body of ``GET /api/events`` with ``given`` parameters (the others at their defaults)."""
    params = {**DEFAULTS, **given}

    def compute() -> bytes:
        # encoded once as FastAPI would, then kept as bytes
        return page_json(EventPage, Q.list_events(conn, **params))

    # A text search or an entity's events is answered once per store state (api/cache.py); the body is the
    # uncached one (tests/api).
    return cache.get(conn, ("events", *params.items()), compute)
