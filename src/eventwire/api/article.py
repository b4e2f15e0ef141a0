"""One article as its two readers need it, kept per store state: the API's ``GET /api/articles/{id}`` and
the web UI's article page.

Both read the whole article (``store.get``: ~3.5 ms CPU at 1M events) and its story placement; read once,
they serve the other reader too (kept pickled in the store cache, whose encoded values the server processes
share).  Each reader's own encoding (the API's JSON, the page's HTML) is kept beside it, so an article asked
for again is neither read nor encoded again.
"""

from __future__ import annotations

import pickle
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Connection

from ..model import Article
from ..store import SqlStore
from ..store import queries as Q
from .cache import StoreCache
from .convert import article_out
from .schemas import ArticleOut

__all__ = ["article_body", "article_values"]

# FastAPI's own encoding of a route's response_model (its TypeAdapter's validate_python, then dump_json):
# the body is the bytes the uncached route sent (tests/api/test_article_cache.py).
_OUT = TypeAdapter(ArticleOut)


def article_values(cache: StoreCache, conn: Connection, store: SqlStore,
                   article_id: str) -> tuple[Article, dict[str, Any]] | None:
    """``(article, placement)`` of the stored article ``article_id`` (its id or a unique prefix; copies of
    their own); None when there is none.  Raises as ``store.get`` does for a prefix of several."""

    computed: list[tuple[Article, dict[str, Any]] | None] = []

    def compute() -> bytes:
        article = store.get(article_id)
        computed.append(None if article is None else (article, Q.article_story(conn, article.id)))
        return pickle.dumps(computed[0])

    found: bytes = cache.get(conn, ("article values", article_id), compute)
    if computed:  # computed by this call: a copy of its own already
        return computed[0]
    # pickled by this server's own processes (api/cache.py's file is in a folder private to them)
    values: tuple[Article, dict[str, Any]] | None = pickle.loads(found)
    return values


def article_body(cache: StoreCache, conn: Connection, store: SqlStore, article_id: str) -> bytes | None:
    """The JSON body of ``GET /api/articles/{article_id}``; None when there is no such article."""

    def compute() -> bytes | None:
        values = article_values(cache, conn, store, article_id)
        if values is None:
            return None
        article, placed = values
        out = article_out(article).model_copy(update=placed)
        return _OUT.dump_json(_OUT.validate_python(out, from_attributes=True), by_alias=True)

    return cache.get(conn, ("article", article_id), compute)
