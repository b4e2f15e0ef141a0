"""Every text search of the API and the search page answers through the index what the scan answered."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from eventwire.store import fulltext

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


def test_search_answers_as_the_scan(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    indexed = _answers(client)
    with monkeypatch.context() as m:
        m.setattr(fulltext, "match", lambda *a, **k: None)  # the LIKE alone, as before schema 8
        scanned = _answers(client)
    assert indexed == scanned
    assert indexed[("/api/events", "PROTESTERS")]["total"] > 1  # events: actor, target and place words
    assert indexed[("/api/events", "Velmora")]["total"] > 1
    assert indexed[("/api/attributions", "ana ortiz")]["total"] > 1  # attributions: source words
    assert indexed[("/api/articles", "Velmora")]["total"] > 1  # articles: title and text
    assert indexed[("/api/entities", "ORTIZ")]["total"] == 1
