"""``GET /api/attributions`` is answered once per store state and parameters (api/attributions.py), with the
bytes the uncached route sent."""

from __future__ import annotations

from typing import Any

import pytest
from api_factory import XSS_BODY, XSS_TITLE, hostile_event_article, make_article
from fastapi import FastAPI
from fastapi.testclient import TestClient

from eventwire.api import create_app
from eventwire.api.schemas import AttributionPage
from eventwire.store import SqlStore
from eventwire.store import queries as Q


def _uncached(store: SqlStore) -> TestClient:
    """The route as it was before the cache: the Page returned, FastAPI encoding its response_model."""
    app = FastAPI()

    @app.get("/api/attributions", response_model=AttributionPage)
    def list_attributions(source_entity: str | None = None, article_id: str | None = None,
                          kind: str | None = None, factuality: str | None = None,
                          anonymous: bool | None = None, q: str | None = None, date_from: str | None = None,
                          date_to: str | None = None, limit: int = 50, offset: int = 0) -> Any:
        with store.engine.connect() as conn:
            return Q.list_attributions(conn, source_entity=source_entity, article_id=article_id, kind=kind,
                                       factuality=factuality, anonymous=anonymous, q=q, date_from=date_from,
                                       date_to=date_to, limit=limit, offset=offset)

    return TestClient(app)


ASKED: list[dict[str, Any]] = [
    {}, {"source_entity": "name:PERSON:Ana Ortiz"}, {"source_entity": "name:PERSON:Ilse Varga"},
    {"q": "Ortiz"}, {"q": "Ilse", "kind": "mixed"}, {"kind": "direct", "limit": 1, "offset": 1},
    {"anonymous": False, "date_from": "2024-03-12"}, {"factuality": "asserted"}, {"date_to": "2024-03-11"},
    {"source_entity": "name:PERSON:nobody"}, {"limit": 2}, {"offset": 50},
]


def test_the_body_is_the_uncached_routes_and_is_kept_until_a_write(url: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    real = Q.list_attributions
    monkeypatch.setattr(Q, "list_attributions", lambda conn, **kw: calls.append(kw) or real(conn, **kw))
    with SqlStore.from_url(url) as store, TestClient(create_app(store=store)) as client:
        for a in (make_article(1, published="2024-03-11T08:00:00+00:00"),
                  make_article(2, published="2024-03-12T08:00:00+00:00", actor="Bruno Keller"),
                  make_article(3, published="2024-05-01", title=XSS_TITLE,
                               body=XSS_BODY + " Ilse Varga said the king is dead."),
                  hostile_event_article(4, published="2024-05-02")):
            store.put(a)
        reference = _uncached(store)
        wanted = [reference.get("/api/attributions", params=p).content for p in ASKED]
        calls.clear()  # the app's own from here
        bodies = []
        for params, want in zip(ASKED, wanted, strict=True):
            got = client.get("/api/attributions", params=params)
            assert got.status_code == 200 and got.headers["content-type"] == "application/json"
            assert got.content == want, params
            bodies.append(got.content)
        assert sum(len(b) for b in bodies) > 2000 and any(b"<script>" in b for b in bodies)  # markup, raw
        n = len(calls)
        assert n == len(ASKED)
        assert [client.get("/api/attributions", params=p).content for p in ASKED] == bodies
        assert len(calls) == n  # kept
        store.put(make_article(5, published="2024-03-13T08:00:00+00:00"))
        after = client.get("/api/attributions").content
        assert len(calls) == n + 1  # the write moved the counter: computed again
        assert after == reference.get("/api/attributions").content != bodies[0]
