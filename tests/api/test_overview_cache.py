"""The overview's store-wide values are cached until the store changes, whoever changes it."""

from __future__ import annotations

import pytest
from api_factory import make_article
from fastapi.testclient import TestClient

from eventwire.aggregate.online import StoryKeeper
from eventwire.api import create_app
from eventwire.store import SqlStore
from eventwire.store import queries as Q
from eventwire.testing import incident_reports


def test_overview_recomputes_only_after_a_write(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_counts, real_entities = Q.overview_counts, Q.list_entities
    monkeypatch.setattr(Q, "overview_counts", lambda conn: calls.append("counts") or real_counts(conn))
    monkeypatch.setattr(Q, "list_entities",
                        lambda conn, **kw: calls.append("top") or real_entities(conn, **kw))
    with SqlStore.from_url(url) as store, TestClient(create_app(store=store)) as client:
        store.put(make_article(1, published="2024-03-11T08:00:00+00:00"))
        first = client.get("/")
        assert first.status_code == 200 and "1 article · 3 events" in first.text
        assert client.get("/").text == first.text
        assert client.get("/", params={"type": "PROTEST"}).status_code == 200  # filtered: counts reused
        assert calls == ["counts", "top"]
        # another writer (as another process would: its own engine) adds an article
        with SqlStore.from_url(url) as other:
            other.put(make_article(2, published="2024-03-12T08:00:00+00:00", actor="Bruno Keller"))
        again = client.get("/")
        assert "2 articles · 6 events" in again.text and "Bruno Keller" in again.text
        assert calls == ["counts", "top", "counts", "top"]


def test_every_overview_variant_is_kept_until_the_store_changes(url: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str | None] = []
    real = Q.list_incidents
    monkeypatch.setattr(Q, "list_incidents", lambda conn, **kw: calls.append(kw["type"]) or real(conn, **kw))
    with SqlStore.from_url(url) as store, TestClient(create_app(store=store)) as client:
        store.put(make_article(1, published="2024-03-11T08:00:00+00:00"))
        by_type = client.get("/", params={"type": "PROTEST"})
        assert by_type.status_code == 200 and calls == ["PROTEST"]
        assert client.get("/", params={"type": "PROTEST"}).text == by_type.text and calls == ["PROTEST"]
        assert client.get("/", params={"type": "ASSAULT"}).status_code == 200
        assert calls == ["PROTEST", "ASSAULT"]
        store.put(make_article(2, published="2024-03-12T08:00:00+00:00"))
        assert client.get("/", params={"type": "PROTEST"}).text != by_type.text
        assert calls == ["PROTEST", "ASSAULT", "PROTEST"]


def test_incidents_rebuilt_after_the_last_article_write_reach_the_cached_overview(url: str) -> None:
    with SqlStore.from_url(url) as store, TestClient(create_app(store=store)) as client:
        keeper = StoryKeeper(store)
        for a in incident_reports():
            store.put(a)
            keeper.add(a)
        before = client.get("/").text
        assert "Brennock" in before and "Incidents" not in before  # the run's incidents come at its end
        assert keeper.finish() > 0
        assert "Incidents" in client.get("/").text


def test_entity_views_recompute_only_after_a_write(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = Q.entity_network
    monkeypatch.setattr(Q, "entity_network",
                        lambda conn, key, **kw: calls.append(key) or real(conn, key, **kw))
    key = "name:PERSON:Ana Ortiz"
    with SqlStore.from_url(url) as store, TestClient(create_app(store=store)) as client:
        store.put(make_article(1, published="2024-03-11T08:00:00+00:00"))
        first = client.get(f"/api/entities/{key}").json()
        page = client.get(f"/entities/{key}").text
        assert client.get(f"/api/entities/{key}").json() == first
        assert client.get(f"/entities/{key}").text == page
        assert calls == [key]  # once for the API and the page (api/entity.py)
        assert client.get("/api/entities/name:PERSON:Nobody").status_code == 404
        with SqlStore.from_url(url) as other:
            other.put(make_article(2, published="2024-03-12T08:00:00+00:00"))
        again = client.get(f"/api/entities/{key}").json()
        assert again["articles"] == first["articles"] + 1 and calls == [key, key]
        assert client.get("/api/entities/" + key, params={"limit": 60}).status_code == 200
        assert calls == [key, key, key]  # more than the page lists: its own


def test_timelines_follow_writes(url: str) -> None:
    with SqlStore.from_url(url) as store, TestClient(create_app(store=store)) as client:
        store.put(make_article(1, published="2024-03-11T08:00:00+00:00"))

        def total(path: str, **params: str) -> int:
            r = client.get(path, params=params)
            assert r.status_code == 200 and r.headers["content-type"] == "application/json"
            return sum(b["count"] for b in r.json()["buckets"])

        before = (total("/api/timeline", country="PRT"), total("/api/timeline", of="articles"))
        assert before == (total("/api/timeline", country="PRT"), total("/api/timeline", of="articles"))
        chart = client.get("/", params={"type": "PROTEST"}).text
        with SqlStore.from_url(url) as other:
            other.put(make_article(2, published="2024-03-12T08:00:00+00:00"))
        assert total("/api/timeline", country="PRT") > before[0]
        assert total("/api/timeline", of="articles") == 2
        assert client.get("/", params={"type": "PROTEST"}).text != chart


def test_without_the_counter_nothing_is_cached(url: str) -> None:
    from sqlalchemy import text

    from eventwire.store.changes import WATCHED

    with SqlStore.from_url(url) as store, TestClient(create_app(store=store)) as client:
        store.put(make_article(1, published="2024-03-11T08:00:00+00:00"))
        with store.engine.begin() as conn:  # a database whose schema has no write counter
            if conn.dialect.name == "sqlite":
                for name in WATCHED:
                    for op in ("insert", "update", "delete"):
                        conn.execute(text(f"DROP TRIGGER store_changes_{name}_{op}"))
            else:
                for name in WATCHED:
                    conn.execute(text(f"DROP TRIGGER store_changes_{name} ON {name}"))
            conn.execute(text("DROP TABLE store_changes"))
        store.engine.dispose()  # connections that saw the table forget it
        assert "1 article · 3 events" in client.get("/").text
        store.put(make_article(2, published="2024-03-12T08:00:00+00:00"))
        assert "2 articles · 6 events" in client.get("/").text


def test_event_lists_and_searches_recompute_only_after_a_write(url: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real_events, real_articles = Q.list_events, Q.list_articles
    monkeypatch.setattr(Q, "list_events",
                        lambda conn, **kw: calls.append(kw.get("q")) or real_events(conn, **kw))
    monkeypatch.setattr(Q, "list_articles",
                        lambda conn, **kw: calls.append("articles") or real_articles(conn, **kw))
    with SqlStore.from_url(url) as store, TestClient(create_app(store=store)) as client:
        store.put(make_article(1, published="2024-03-11T08:00:00+00:00"))
        with store.engine.connect() as conn:  # the body is what the uncached query gives
            want = real_events(conn, q="Velmora", limit=50)
        first = client.get("/api/events", params={"q": "Velmora"})
        assert first.status_code == 200 and first.headers["content-type"] == "application/json"
        assert first.json()["total"] == want.total == len(first.json()["items"]) > 0
        assert [e["id"] for e in first.json()["items"]] == [e["id"] for e in want.items]
        assert client.get("/api/events", params={"q": "Velmora"}).content == first.content
        one = client.get("/api/events", params={"q": "Velmora", "limit": 1}).json()
        assert one["items"] == first.json()["items"][:1]
        page = client.get("/search", params={"q": "Velmora"}).text
        assert client.get("/search", params={"q": "Velmora"}).text == page
        # the API twice (two limits); the page lists the first events of the API's default search
        assert calls == ["Velmora", "Velmora", "articles"]
        with SqlStore.from_url(url) as other:
            other.put(make_article(2, published="2024-03-12T08:00:00+00:00"))
        assert client.get("/api/events", params={"q": "Velmora"}).json()["total"] == 2 * want.total
        assert client.get("/search", params={"q": "Velmora"}).text != page
        assert calls == ["Velmora", "Velmora", "articles", "Velmora", "articles"]
