"""The server processes of one `eventwire serve` share the bodies they computed (api/cache.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_factory import make_article
from fastapi.testclient import TestClient

from eventwire.api import create_app
from eventwire.api.cache import SharedValues, StoreCache
from eventwire.api.schemas import EntityDetail
from eventwire.store import SqlStore
from eventwire.store import queries as Q


def test_a_body_one_process_computed_is_served_by_the_other(url: str, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = Q.entity_network
    monkeypatch.setattr(Q, "entity_network",
                        lambda conn, key, **kw: calls.append(key) or real(conn, key, **kw))
    key = "name:PERSON:Ana Ortiz"
    shared = str(tmp_path / "cache.db")
    # two apps with caches of their own, as two server processes have: one file between them
    with SqlStore.from_url(url) as store, TestClient(create_app(store=store, shared_cache=shared)) as one, \
            TestClient(create_app(store=store, shared_cache=shared)) as two:
        store.put(make_article(1, published="2024-03-11T08:00:00+00:00"))
        first = one.get(f"/api/entities/{key}")
        assert first.status_code == 200 and calls == [key]
        assert two.get(f"/api/entities/{key}").content == first.content and calls == [key]
        page = two.get(f"/entities/{key}")  # the entity's values too (api/entity.py)
        assert one.get(f"/entities/{key}").text == page.text and calls == [key]
        # another writer moves the store on: neither process serves the old body
        with SqlStore.from_url(url) as other:
            other.put(make_article(2, published="2024-03-12T08:00:00+00:00"))
        again = two.get(f"/api/entities/{key}").json()
        assert again["articles"] == first.json()["articles"] + 1 and calls == [key, key]
        assert one.get(f"/api/entities/{key}").json() == again and calls == [key, key]


def test_shared_values_keep_the_newest_within_their_bytes(tmp_path: Path) -> None:
    shared = SharedValues(tmp_path / "c.db", max_bytes=250, prune_every=1)
    for i in range(5):
        shared.put(f"k{i}", 7, bytes([i]) * 100)
    assert [shared.get(f"k{i}", 7) is not None for i in range(5)] == [False, False, False, True, True]
    assert shared.get("k4", 7) == bytes([4]) * 100
    assert shared.get("k4", 8) is None  # computed at another state of the store: not served
    shared.put("k5", 8, b"new")  # the counter moved: what was computed before it goes
    assert shared.get("k4", 7) is None and shared.get("k5", 8) == b"new"


def test_shared_values_without_their_file_are_misses_not_errors(tmp_path: Path) -> None:
    shared = SharedValues(tmp_path / "gone" / "c.db")  # its folder removed (the server stopping)
    shared.put("k", 1, b"v")
    assert shared.get("k", 1) is None


def test_the_api_s_entity_is_its_own_queries_whatever_the_limit(url: str) -> None:
    # up to the page's 50 a prefix of the values the entity page lists (api/entity.py), above its own
    with SqlStore.from_url(url) as store, TestClient(create_app(store=store)) as client:
        for n in range(4):
            store.put(make_article(n, published=f"2024-03-1{n}T08:00:00+00:00"))
        with store.engine.connect() as conn:
            keys = [e["key"] for e in Q.list_entities(conn, limit=50).items]
            assert len(keys) > 2
            for key in keys:
                for limit in (1, 2, 50, 60):
                    want = {**(Q.entity_summary(conn, key) or {}),
                            "article_refs": Q.entity_articles(conn, key, limit=limit),
                            "attributions": Q.entity_attributions(conn, key, limit=limit),
                            "events_as_actor": Q.list_events(conn, actor=key, limit=limit).items,
                            "events_as_target": Q.list_events(conn, target=key, limit=limit).items,
                            "network": Q.entity_network(conn, key)}
                    got = client.get(f"/api/entities/{key}", params={"limit": limit}).json()
                    assert got == EntityDetail.model_validate(want).model_dump(mode="json")


def test_the_process_cache_keeps_the_newest_within_its_bytes(tmp_path: Path) -> None:
    cache = StoreCache(size=100, max_bytes=250)
    computed: list[int] = []

    with SqlStore.from_url(f"sqlite:///{tmp_path / 'c.db'}") as store, store.engine.connect() as conn:

        def get(i: int) -> bytes:
            return cache.get(conn, ("k", i), lambda: computed.append(i) or bytes([i]) * 100)

        for i in range(5):
            get(i)
        assert computed == [0, 1, 2, 3, 4]
        for i in (4, 3, 2, 1):  # 3 and 4 kept (200 bytes); 2 computed again drops 4, the least recently used
            get(i)
        assert computed == [0, 1, 2, 3, 4, 2, 1]
        big = cache.get(conn, "big", lambda: b"x" * 1000)  # larger than the bound: kept alone
        assert cache.get(conn, "big", lambda: b"") == big and computed == [0, 1, 2, 3, 4, 2, 1]


def test_values_computed_for_a_request_are_not_unpickled_by_it(url: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """An entity's or article's values are kept pickled for the other reader and process; the request that
    computed them uses them as computed (their pickle made before it changes them: the page labels rows)."""
    import pickle

    from eventwire.api import article, entity

    loads: list[int] = []
    real = pickle.loads
    counting = type("Pickle", (), {"dumps": staticmethod(pickle.dumps),
                                   "loads": staticmethod(lambda b: loads.append(1) or real(b))})
    monkeypatch.setattr(entity, "pickle", counting)
    monkeypatch.setattr(article, "pickle", counting)
    with SqlStore.from_url(url) as store, TestClient(create_app(store=store)) as client:
        a = make_article(1, published="2024-03-11T08:00:00+00:00")
        store.put(a)
        key = "name:PERSON:Ana Ortiz"
        page = client.get(f"/entities/{key}").text  # computes the values, labels their rows
        assert "Ana Ortiz" in page and loads == []
        api = client.get(f"/api/entities/{key}").json()  # the values as kept: unpickled once
        assert loads == [1] and api["events_as_actor"] and "label" not in api["events_as_actor"][0]
        assert client.get(f"/api/articles/{a.id}").status_code == 200 and loads == [1]
        assert client.get(f"/articles/{a.id}").status_code == 200 and loads == [1, 1]
