"""Every text search of the API and the search page answers through the index what the scan answered."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from eventwire.store import fulltext
from eventwire.store import queries as Q

QUERIES = ["Ana Ortiz", "ana ortiz", "ORTIZ", "Velmora", "velm", "Ilse", "script", "<svg", 'is dead"', "%",
           "o_t", "Os", "nobody here", "ministry", "police", "PROTESTERS", "Bruno"]
ENDPOINTS = ["/api/events", "/api/attributions", "/api/articles", "/api/entities"]


def _answers(client: TestClient) -> dict[tuple[str, str], Any]:
    out = {}
    for path in ENDPOINTS:
        for q in QUERIES:
            r = client.get(path, params={"q": q, "limit": 500})
            assert r.status_code == 200, r.text
            out[(path, q)] = r.json()
        out[("/search", q)] = client.get("/search", params={"q": q}).text
    return out


def _fresh(client: TestClient) -> dict[tuple[str, str], Any]:
    """:func:`_answers`, none of them from the cache (whose keys do not know how a search was run)."""
    client.app.state.store_cache.clear()  # type: ignore[attr-defined]
    return _answers(client)


def _scanned(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, str], Any]:
    with monkeypatch.context() as m:
        m.setattr(fulltext, "match", lambda *a, **k: None)  # the LIKE alone, as before schema 8
        m.setattr(fulltext, "candidates", lambda *a, **k: None)
        return _fresh(client)


def test_search_answers_as_the_scan(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    indexed = _fresh(client)
    scanned = _scanned(client, monkeypatch)
    assert indexed == scanned
    assert indexed[("/api/events", "PROTESTERS")]["total"] > 1  # events: actor, target and place words
    assert indexed[("/api/events", "Velmora")]["total"] > 1
    assert indexed[("/api/attributions", "ana ortiz")]["total"] > 1  # attributions: source words
    assert indexed[("/api/articles", "Velmora")]["total"] > 1  # articles: title and text
    assert indexed[("/api/entities", "ORTIZ")]["total"] == 1


def test_search_totals_stop_at_the_cap_and_pages_stay_whole(client: TestClient,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    exact = _fresh(client)
    with monkeypatch.context() as m:
        m.setattr(Q, "SEARCH_TOTAL_CAP", 2)
        capped = _fresh(client)
        # past the cap a page is walked in its sort order (SQLite) instead of sorted from every match: each
        # page, one row at a time, is the uncapped answer's
        for path in ("/api/events", "/api/articles"):
            want = [i["id"] for i in exact[(path, "Ana Ortiz")]["items"]]
            got = [client.get(path, params={"q": "Ana Ortiz", "limit": 1, "offset": k}).json()["items"]
                   for k in range(len(want) + 1)]
            assert [p[0]["id"] for p in got if p] == want and got[-1] == []
        page = client.get("/search", params={"q": "Ana Ortiz"}).text
    scanned = _scanned(client, monkeypatch)  # the cap off again
    assert scanned == exact
    seen = set()
    for (path, q), answer in exact.items():
        if path == "/search":
            continue
        if path == "/api/entities":  # grouped: counted whole
            assert capped[(path, q)] == answer
            continue
        over = answer["total"] > 2
        assert capped[(path, q)] == {**answer, "total": min(answer["total"], 2), "total_capped": over}
        seen.add((path, over))
    assert {(p, True) for p in ("/api/events", "/api/attributions", "/api/articles")} <= seen
    assert ">2+</span>" in page and ">2+ matching" not in page  # the search page says "at least"


def test_the_search_page_lists_the_first_events_of_the_api_s_search(client: TestClient,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str | None] = []
    real = Q.list_events
    monkeypatch.setattr(Q, "list_events", lambda conn, **kw: calls.append(kw.get("q")) or real(conn, **kw))
    client.app.state.store_cache.clear()  # type: ignore[attr-defined]
    api = client.get("/api/events", params={"q": "Velmora"}).json()
    page = client.get("/search", params={"q": "Velmora"}).text
    assert calls == ["Velmora"]  # one search for both
    assert api["total"] > 1 and f'<span class="muted">{api["total"]}</span>' in page
    links = [f'/articles/{e["article_id"]}#evt-{e["id"]}' for e in api["items"][:20]]
    assert [page.index(link) for link in links] == sorted(page.index(link) for link in links)
