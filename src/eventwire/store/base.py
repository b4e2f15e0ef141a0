"""The store interface: what the CLI, the aggregator and the API may ask of any backend."""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, Protocol, Self

from ..errors import StoreError
from ..model import Article, ArticleInput

__all__ = ["ArticleSummary", "PutResult", "RejectedArticle", "Store"]

# "new-version": it superseded the stored article of its source; "updated": same text, new metadata
# (store/versions.py).
PutResult = Literal["stored", "new-version", "updated", "unchanged"]


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """One line of ``eventwire list``."""

    id: str
    title: str | None
    published: str | None
    status: str
    n_entities: int
    n_times: int


class RejectedArticle(StoreError):
    """This one article cannot be stored (bad data); the database is fine and the batch can go on.

    Other :class:`StoreError` s mean the database itself is unusable (cannot open, locked, disk full).
    """

    def __init__(self, article_id: str, detail: str) -> None:
        super().__init__(f"article {article_id} not stored: {detail}")
        self.article_id = article_id
        self.detail = detail


class Store(Protocol):
    """A place articles are kept.  Every method raises :class:`StoreError` on failure."""

    def put(self, article: Article) -> PutResult:
        """Store the article with all its rows in one transaction.

        "unchanged" when an article with the same content hash is already stored (nothing is written), unless
        it is its source's with other metadata ("updated"); "new-version" when it supersedes its source's
        stored article (store/versions.py).
        Raises :class:`RejectedArticle` when this article's data cannot be stored (nothing is written).
        """
        ...

    def get(self, article_id: str) -> Article | None:
        """The article with this id, or with this unique id prefix (>= 6 characters); None if none.

        Raises :class:`StoreError` when the prefix matches several articles.
        """
        ...

    def has(self, content_hash: str) -> bool:
        """Whether an article with this content hash is stored."""
        ...

    def history(self, article_id: str) -> list[dict[str, Any]]:
        """The earlier versions of this article's source, newest first (store/versions.py)."""
        ...

    def unchanged(self, item: ArticleInput) -> bool:
        """Whether ``put`` of this input's article would answer "unchanged" (so it need not be analysed)."""
        ...

    def list_articles(self, *, limit: int = 50, offset: int = 0) -> list[ArticleSummary]:
        """Articles, newest published first (undated last), then by id."""
        ...

    def counts(self) -> dict[str, int]:
        """Row counts: articles, analyzed, skipped, entities, mentions, times."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...
