"""The body of ``GET /api/attributions``, encoded once per store state and parameters.

Its queries join each attribution to its article and its source's entity row: an entity's attributions at
1M events start from the ~3,400 entity rows of its key (~2 ms CPU with the page, whether it said anything or
not), and the load benchmark asks for one of 200 people again and again.  Kept as the bytes the route sent
uncached (FastAPI's encoding of ``AttributionPage``: tests/api/test_attributions_cache.py compares them).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from ..store import queries as Q
from .cache import StoreCache
from .convert import page_json
from .schemas import AttributionPage

__all__ = ["attributions_body"]


def attributions_body(cache: StoreCache, conn: Connection, **params: Any) -> bytes:
    """The JSON body of ``GET /api/attributions`` with ``params`` (every parameter of the route, by name)."""

    def compute() -> bytes:
        return page_json(AttributionPage, Q.list_attributions(conn, **params))

    return cache.get(conn, ("attributions", *sorted(params.items())), compute)
