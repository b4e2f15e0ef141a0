"""An article is read once per store state for its API answer and its page (api/article.py), and each is
sent as the uncached route sent it."""

from __future__ import annotations

from typing import Any

import pytest
from api_factory import XSS_BODY, XSS_TITLE, make_article
from fastapi import FastAPI
from fastapi.testclient import TestClient

from eventwire.api import create_app
from eventwire.api.convert import article_out
from eventwire.api.schemas import ArticleOut
from eventwire.store import SqlStore
from eventwire.store import queries as Q


def _uncached(store: SqlStore) -> TestClient:
    """The route as it was before the cache: the model returned, FastAPI encoding its response_model."""
    app = FastAPI()

    @app.get("/api/articles/{article_id}", response_model=ArticleOut)
    def get_article(article_id: str) -> Any:
        article = store.get(article_id)
        assert article is not None
        with store.engine.connect() as conn:
            placed = Q.article_story(conn, article.id)
        return article_out(article).model_copy(update=placed)

    return TestClient(app)


def test_the_api_body_is_the_uncached_routes(url: str) -> None:
    with SqlStore.from_url(url) as store, TestClient(create_app(store=store)) as client:
        plain = make_article(1, published="2024-03-11T08:00:00+00:00")
        hostile = make_article(7, published="2024-05-01", title=XSS_TITLE,
                               body=XSS_BODY + " Ünïcode “quoted”")
        for a in (plain, hostile):
            store.put(a)
        reference = _uncached(store)
        for a in (plain, hostile):
            want = reference.get(f"/api/articles/{a.id}")
            got = client.get(f"/api/articles/{a.id}")
            assert got.status_code == 200 and got.headers["content-type"] == "application/json"
            assert got.content == want.content
            assert client.get(f"/api/articles/{a.id[:8]}").content == want.content  # a prefix finds it too
            assert client.get(f"/api/articles/{a.id}").content == want.content  # kept


def test_an_article_is_read_once_for_both_readers_until_the_store_changes(
        url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    real = SqlStore.get
    monkeypatch.setattr(SqlStore, "get",
                        lambda self, article_id: reads.append(article_id) or real(self, article_id))
    with SqlStore.from_url(url) as store, TestClient(create_app(store=store)) as client:
        first = make_article(1, published="2024-03-11T08:00:00+00:00")
        second = make_article(2, published="2024-03-12T08:00:00+00:00", actor="Bruno Keller")
        store.put(first)
        body = client.get(f"/api/articles/{first.id}").content
        page = client.get(f"/articles/{first.id}").text
        assert "Ana Ortiz" in page
        assert client.get(f"/api/articles/{first.id}").content == body
        assert client.get(f"/articles/{first.id}").text == page
        assert reads == [first.id]
        assert client.get(f"/api/articles/{second.id}").status_code == 404
        assert client.get(f"/articles/{second.id}").status_code == 404
        assert reads == [first.id, second.id]
        # another writer (its own engine, as another process) stores the second: neither answer is stale
        with SqlStore.from_url(url) as other:
            other.put(second)
        assert client.get(f"/api/articles/{second.id}").json()["id"] == second.id
        assert "Bruno Keller" in client.get(f"/articles/{second.id}").text
        assert client.get(f"/api/articles/{first.id}").content == body  # recomputed, the same
        assert reads == [first.id, second.id, second.id, first.id]

