"""GET /api/stories, /api/stories/{id}, /api/incidents and the story fields of /api/articles/{id}, on the
invented multi-report collections (eventwire.testing), SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from db_fixtures import scratch_url
from fastapi.testclient import TestClient

from eventwire.aggregate.online import StoryKeeper
from eventwire.api import create_app
from eventwire.model import Article, Entity, Mention
from eventwire.store import SqlStore
from eventwire.testing import incident_reports, story_reports

HOSTILE = "<script>alert('story')</script> & \"quotes\""


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def stories_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from scratch_url(request.param, tmp_path_factory, "stories")


def _with_actor_entity(article: Article) -> Article:
    """The report with its actor resolved to an entity ("Esker Front"), so that its event has an actor key."""
    event = article.events[0]
    assert event.actor is not None and event.actor.span is not None
    entity = Entity(id="E1", type="ORG", name="Esker Front", mentions=(Mention(span=event.actor.span),))
    return replace(article, entities=(entity,),
                   events=(replace(event, actor=replace(event.actor, entity="E1", name="Esker Front")),))


def collection() -> list[Article]:
    arts = story_reports() + incident_reports()
    arts[3] = replace(arts[3], title=HOSTILE + " " + (arts[3].title or ""))  # the copy: its story is fixed
    arts[-2] = _with_actor_entity(arts[-2])  # the shelling in Esker Bay
    return arts


@pytest.fixture(scope="module")
def client(stories_url: str) -> Iterator[TestClient]:
    with SqlStore.from_url(stories_url) as store:
        keeper = StoryKeeper(store)
        for a in collection():
            assert store.put(a) == "stored"
            keeper.add(a)
        keeper.finish()
        with TestClient(create_app(store=store, web=False)) as c:
            yield c


def _brennock(client: TestClient) -> dict[str, object]:
    items = client.get("/api/incidents", params={"type": "ASSAULT"}).json()["items"]
    return next(i for i in items if i["place"] == "Brennock")


def test_incidents_carry_sources_tolls_and_conflicts_with_evidence(client: TestClient) -> None:
    arts = incident_reports()
    first, copy, second, denial, _, page2 = arts
    inc = _brennock(client)
    assert inc["independent_sources"] == 3
    assert inc["fatalities"] == {"low": 30, "high": 34, "reports": inc["fatalities"]["reports"]}  # type: ignore[index]
    assert set(inc["articles"]) == {first.id, copy.id, second.id, denial.id, page2.id}  # type: ignore[arg-type]
    conflicts = {c["field"]: c for c in inc["conflicts"]}  # type: ignore[attr-defined]
    assert set(conflicts) == {"fatalities", "factuality"}
    tolls = {(v["value"], v["article_id"], v["text"], v["source"]) for v in conflicts["fatalities"]["values"]}
    assert ("34", second.id, "34 people", "Hospital staff") in tolls
    assert ("denied", denial.id) in {(v["value"], v["article_id"]) for v in conflicts["factuality"]["values"]}
    for key in ("id", "type", "date", "place", "actors", "targets", "story_id"):
        assert key in inc


def test_incident_filters(client: TestClient) -> None:
    assert client.get("/api/incidents", params={"min_sources": 3}).json()["total"] == 1
    assert client.get("/api/incidents", params={"conflicts": "true"}).json()["total"] == 1
    assert client.get("/api/incidents", params={"country": "XXX"}).json()["total"] == 0
    assert client.get("/api/incidents", params={"date_from": "2031-08-01"}).json()["total"] == 1
    assert client.get("/api/incidents", params={"min_sources": 0}).status_code == 422


def test_incidents_by_actor_or_target_entity_key(client: TestClient) -> None:
    got = client.get("/api/incidents", params={"actor": "name:ORG:Esker Front"}).json()
    assert got["total"] == 1 and got["items"][0]["place"] == "Esker Bay"
    assert client.get("/api/incidents", params={"target": "name:ORG:Esker Front"}).json()["total"] == 0
    assert client.get("/api/incidents", params={"actor": "name:ORG:Nobody"}).json()["total"] == 0


def test_story_list_and_detail(client: TestClient) -> None:
    page = client.get("/api/stories", params={"limit": 100}).json()
    assert page["total"] >= 4
    first = story_reports()[0]
    sid = client.get(f"/api/articles/{first.id}").json()["story_id"]
    detail = client.get(f"/api/stories/{sid}").json()
    refs = {r["id"]: r for r in detail["article_refs"]}
    copy = story_reports()[3]
    assert refs[copy.id]["duplicate_of"] == first.id
    assert refs[copy.id]["title"].startswith(HOSTILE)  # stored and served as data, unchanged
    assert detail["articles"] == 4 and detail["independent_sources"] == 3
    assert client.get("/api/stories/nosuchstory").status_code == 404
    assert client.get("/api/stories", params={"q": "Tolvane"}).json()["total"] == 1


def test_article_gains_story_copy_and_flags(client: TestClient) -> None:
    first, _, _, copy = story_reports()[:4]
    body = client.get(f"/api/articles/{copy.id}").json()
    assert body["duplicate_of"] == first.id and body["story_id"] and body["flags"] == []
    assert client.get(f"/api/articles/{first.id}").json()["duplicate_of"] is None


def test_story_endpoints_are_in_the_openapi_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/stories", "/api/stories/{story_id}", "/api/incidents"} <= set(paths)


