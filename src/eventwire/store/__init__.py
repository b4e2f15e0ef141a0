"""Where articles are kept: ``open_store(url)`` gives a :class:`Store`; SQLite by default.

    with open_store("sqlite:///eventwire.db") as store:
        store.put(article)          # "stored" | "unchanged"
        store.get(article.id[:8])   # the same Article back
"""

from __future__ import annotations

from .. import settings
from .base import ArticleSummary, PutResult, RejectedArticle, Store
from .migrations import MIGRATIONS, Migration
from .sql import SqlStore

__all__ = ["MIGRATIONS", "ArticleSummary", "Migration", "PutResult", "RejectedArticle", "SqlStore", "Store",
           "open_store"]


def open_store(url: str | None = None) -> Store:
    """Open (creating on first use) the store at SQLAlchemy ``url``; None means the setting ``db``."""
    return SqlStore.from_url(url if url is not None else str(settings.get("db")))
