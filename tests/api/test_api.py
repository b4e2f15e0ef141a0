"""The REST API over a store of invented articles: every resource, filters, pagination, errors, token."""

from __future__ import annotations

from typing import Any

import pytest
from api_factory import TOKEN, dumps_spans, make_article
from fastapi.testclient import TestClient

from eventwire.api import create_app
from eventwire.model import Article
from eventwire.store import SqlStore


def _error(r: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert set(err) == {"status", "code", "message", "details"}
    assert err["status"] == status and err["message"]
    if code:
        assert err["code"] == code
    return err  # type: ignore[no-any-return]


def test_openapi_lists_every_resource(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/articles", "/api/articles/{article_id}", "/api/entities", "/api/entities/{key}",
              "/api/attributions", "/api/events", "/api/timeline"):
        assert p in paths, p
    assert "post" in paths["/api/articles"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/events" in docs.text and "EventItem" in docs.text
    # offline: the page loads nothing from elsewhere (FastAPI's default Swagger page uses a CDN)
    assert "<script" not in docs.text and "cdn" not in docs.text.lower()


def test_articles_list_newest_first_with_total(client: TestClient, articles: list[Article]) -> None:
    body = client.get("/api/articles").json()
    assert body["total"] == len(articles)
    dates = [a["published"] for a in body["items"] if a["published"]]
    assert dates == sorted(dates, reverse=True)
    assert body["items"][-1]["published"] is None  # undated last


def test_articles_pagination(client: TestClient, articles: list[Article]) -> None:
    seen: list[str] = []
    for offset in range(0, len(articles), 3):
        page = client.get("/api/articles", params={"limit": 3, "offset": offset}).json()
        assert page["total"] == len(articles) and page["limit"] == 3 and page["offset"] == offset
        seen += [a["id"] for a in page["items"]]
    assert sorted(seen) == sorted(a.id for a in articles)


def test_articles_filters(client: TestClient) -> None:
    assert client.get("/api/articles", params={"q": "Bruno"}).json()["total"] == 3
    assert client.get("/api/articles", params={"q": "bruno"}).json()["total"] == 3  # case-insensitive
    april = {"date_from": "2024-04", "date_to": "2024-04"}
    assert client.get("/api/articles", params=april).json()["total"] == 3
    assert client.get("/api/articles", params={"entity": "kb:test:Ostrand"}).json()["total"] == 3
    assert client.get("/api/articles", params={"q": "100%"}).json()["total"] == 0  # % is a literal


def test_article_has_text_and_every_span(client: TestClient, articles: list[Article]) -> None:
    a = articles[1]
    body = client.get(f"/api/articles/{a.id}").json()
    assert body["text"] == a.text
    spans = dumps_spans(body)
    assert len(spans) == (sum(len(e.mentions) for e in a.entities) + 2 * 3
                          + (len(a.events) if body["events"] else 0))
    for start, end, text in spans:
        assert a.text[start:end] == text
    assert [x["id"] for x in body["attributions"]] == ["A1", "A2"]
    assert body["entities"][1]["key"] == "kb:test:Ostrand"


def test_article_by_prefix_and_missing(client: TestClient, articles: list[Article]) -> None:
    a = articles[0]
    assert client.get(f"/api/articles/{a.id[:8]}").json()["id"] == a.id
    _error(client.get("/api/articles/ffffffffffff"), 404, "not_found")
    _error(client.get("/api/articles/abc"), 422, "invalid_request")


def test_entities_list_grouped_across_articles(client: TestClient) -> None:
    body = client.get("/api/entities", params={"type": "PERSON"}).json()
    by_key = {e["key"]: e for e in body["items"]}
    assert by_key["name:PERSON:Ana Ortiz"]["articles"] == 4  # articles 0, 2, 4 and the undated 6
    assert by_key["name:PERSON:Ana Ortiz"]["mentions"] == 8
    assert body["total"] == len(body["items"])
    assert client.get("/api/entities", params={"country": "DEU", "type": "GPE"}).json()["total"] == 1
    assert client.get("/api/entities", params={"q": "velm"}).json()["items"][0]["name"] == "Velmora"


def test_entity_detail_has_attributions_as_source(client: TestClient) -> None:
    body = client.get("/api/entities/name:PERSON:Bruno Keller").json()
    assert body["name"] == "Bruno Keller" and body["articles"] == 3
    assert len(body["attributions"]) == 6
    assert {a["content_text"] for a in body["attributions"]} == {"We will not back down",
                                                                 "the port of Ostrand would reopen"}
    assert len(body["article_refs"]) == 3
    _error(client.get("/api/entities/name:PERSON:Nobody"), 404)
    _error(client.get("/api/entities/garbage"), 422)


def test_attributions_filters(client: TestClient) -> None:
    all_ = client.get("/api/attributions").json()
    assert all_["total"] == 2 * 7 + 1
    direct = client.get("/api/attributions", params={"kind": "direct"}).json()
    assert direct["total"] == 7 and all(a["kind"] == "direct" for a in direct["items"])
    assert all(a["cue_text"] == "told" for a in direct["items"])
    fact = client.get("/api/attributions", params={"factuality": "asserted"}).json()
    assert fact["total"] == 7
    by_src = client.get("/api/attributions", params={"source_entity": "name:PERSON:Ana Ortiz"}).json()
    assert by_src["total"] == 8 and {a["source_name"] for a in by_src["items"]} == {"Ana Ortiz"}
    assert client.get("/api/attributions", params={"q": "ortiz"}).json()["total"] == 8
    _error(client.get("/api/attributions", params={"kind": "shouted"}), 422, "invalid_request")


def test_timeline_of_articles_and_attributions(client: TestClient) -> None:
    arts = client.get("/api/timeline", params={"of": "articles"}).json()
    assert arts["of"] == "articles" and sum(b["count"] for b in arts["buckets"]) == 7  # one undated
    attrs = client.get("/api/timeline", params={"of": "attributions", "date_from": "2024-04-01"}).json()
    assert {b["type"] for b in attrs["buckets"]} == {"direct", "indirect", "mixed"}
    assert all(b["day"] >= "2024-04-01" for b in attrs["buckets"])


def test_events_endpoints_answer(client: TestClient) -> None:
    # Events are listed from the events table when the schema has one; the shape is the same either way.
    body = client.get("/api/events", params={"type": "PROTEST"}).json()
    assert set(body) == {"total", "total_capped", "limit", "offset", "items"}
    assert all(e["type"] == "PROTEST" for e in body["items"])
    tl = client.get("/api/timeline").json()
    assert tl["of"] == "events"


def test_bad_parameters_share_the_error_shape(client: TestClient) -> None:
    err = _error(client.get("/api/articles", params={"limit": 0}), 422, "invalid_request")
    assert err["details"] and err["details"][0]["loc"][-1] == "limit"
    _error(client.get("/api/articles", params={"limit": 10_000}), 422)
    _error(client.get("/api/articles", params={"date_from": "yesterday"}), 422)
    _error(client.get("/api/nothing-here"), 404)
    _error(client.delete("/api/articles"), 405)


# Every filter of every list endpoint gets classic injection strings: each must be answered as data (an empty
# result or a validation error), never a 500, and the tables must still be there afterwards.
INJECTIONS = ["' OR '1'='1", "x'; DROP TABLE articles; --", "\" OR 1=1 --",
              "%' UNION SELECT id FROM articles --", "1) OR (1=1", "name:PERSON:x' OR '1'='1"]
FILTERS = {
    "/api/articles": ["q", "site", "language", "status", "date_from", "date_to", "entity"],
    "/api/entities": ["q", "type", "country"],
    "/api/attributions": ["source_entity", "article_id", "kind", "factuality", "q", "date_from", "date_to"],
    "/api/events": ["type", "actor", "target", "country", "actor_country", "target_country", "date_from",
                    "date_to", "factuality", "q", "article_id", "sort"],
    "/api/timeline": ["of", "type", "actor", "country", "date_from", "date_to"],
}


@pytest.mark.parametrize("path", sorted(FILTERS))
def test_sql_injection_in_every_filter(client: TestClient, path: str, articles: list[Article]) -> None:
    for name in FILTERS[path]:
        for payload in INJECTIONS:
            r = client.get(path, params={name: payload})
            assert r.status_code in (200, 422), (name, payload, r.text)
            if r.status_code == 200 and "total" in r.json():
                assert r.json()["total"] == 0, (name, payload)
    for payload in INJECTIONS:
        r = client.get(f"/api/articles/{payload}")
        assert r.status_code in (404, 422)
        r = client.get(f"/api/entities/{payload}")
        assert r.status_code in (404, 422)
    assert client.get("/api/articles").json()["total"] >= len(articles)


def test_post_needs_the_token(client: TestClient) -> None:
    body = {"text": "Minister Ana Ortiz said the talks went well.", "published": "2024-06-01"}
    _error(client.post("/api/articles", json=body), 401, "unauthorized")
    _error(client.post("/api/articles", json=body, headers={"Authorization": "Bearer wrong"}), 401)
    r = client.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["outcome"] == "stored" and new["href"] == f"/api/articles/{new['id']}"
    assert client.get(new["href"]).status_code == 200
    again = client.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert again.json()["outcome"] == "unchanged"
    _error(client.post("/api/articles", json={}, headers={"Authorization": f"Bearer {TOKEN}"}), 422)


def test_writes_disabled_without_a_token(store: SqlStore) -> None:
    with TestClient(create_app(store=store)) as c:
        err = _error(c.post("/api/articles", json={"text": "x"}, headers={"Authorization": "Bearer "}), 403)
        assert err["code"] == "writes_disabled"
        _error(c.post("/api/articles", json={"text": "x"}), 403)


def test_no_cors_by_default(client: TestClient, store: SqlStore) -> None:
    r = client.get("/api/articles", headers={"Origin": "https://evil.invalid"})
    assert "access-control-allow-origin" not in r.headers
    pre = client.options("/api/articles", headers={"Origin": "https://evil.invalid",
                                                   "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in pre.headers
    with TestClient(create_app(store=store, cors_origins=["https://ok.invalid"])) as c:
        r = c.get("/api/articles", headers={"Origin": "https://ok.invalid"})
        assert r.headers["access-control-allow-origin"] == "https://ok.invalid"


def test_create_app_twice_shares_nothing(tmp_path: Any) -> None:
    a = create_app(f"sqlite:///{tmp_path / 'a.db'}")
    b = create_app(f"sqlite:///{tmp_path / 'b.db'}")
    assert a is not b and a.state.store is not b.state.store
    with TestClient(a) as ca, TestClient(b) as cb:
        assert ca.get("/api/articles").json()["total"] == 0
        assert cb.get("/api/health").json()["ok"] is True


# The web UI's pages take filters too (the overview form, search, entity keys, article ids): the same strings
# must come back as a page (200) or "not found" (404), never a server error, and every article must still be
# there afterwards.
UI_FILTERS = {"/": ["type", "country", "actor", "q", "date_from", "date_to", "offset"], "/search": ["q"]}


@pytest.mark.parametrize("path", sorted(UI_FILTERS))
def test_sql_injection_in_every_ui_filter(client: TestClient, path: str, articles: list[Article]) -> None:
    for name in UI_FILTERS[path]:
        for payload in INJECTIONS:
            r = client.get(path, params={name: payload})
            assert r.status_code in (200, 422), (name, payload, r.status_code)
            if r.status_code == 200 and name not in ("actor", "q"):
                # a filter the payload cannot match leaves no events (free text may match words of the text)
                assert "No events match." in r.text, (name, payload)
    for payload in INJECTIONS:
        assert client.get(f"/articles/{payload}").status_code == 404
        assert client.get("/entities/" + payload).status_code == 404
    assert client.get("/api/articles").json()["total"] >= len(articles)


def test_ui_names_an_untitled_article_by_its_first_words(tmp_path: Any) -> None:
    body = 'Mayor Ilse Varga said the plan "is dead" after the council met on Tuesday.'
    a = make_article(60, published="2024-05-01T09:30:00+00:00", body=body)
    assert a.title is None
    with SqlStore.from_url(f"sqlite:///{tmp_path / 'u.db'}") as s:
        s.put(a)
        with TestClient(create_app(store=s)) as c:
            entity = c.get("/entities/name:PERSON:Ilse Varga").text
            # the quotes table and the article list link to it by its words, not by its id
            assert entity.count(">Mayor Ilse Varga said the plan") == 2
            assert "1 article ·" in entity and "1 attribution as source" in entity
            page = c.get(f"/articles/{a.id}").text
            assert '<h1 class="untitled"' in page and "2024-05-01 09:30 UTC" in page
