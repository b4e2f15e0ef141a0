"""Per-entity counts (schema 11) and the events' entity keys (schema 12): an entity's summary, timeline,
network and events read from them agree with the same values grouped from its rows (through joins to the
entities), after new versions, on both backends, and after migrations 11 and 12."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import Connection, event, or_, select, text
from store_factory import make_article
from test_events_store import with_events

from eventwire.model import Article, EventArg, EventDate
from eventwire.nlp.events.plover import type_names
from eventwire.store import SqlStore
from eventwire.store import queries as Q
from eventwire.store.migrations import MIGRATIONS, latest_version
from eventwire.store.tables import entity_days, entity_edges, entity_totals

DATES = ["2024-03-05", "2024-03-05T14:00", "2024-W10", "2024-03", None, "2024-04-01"]


def _article(n: int) -> Article:
    """Invented article ``n`` with events between its entities: some with a target, some with none, one
    entity both actor and target of one event, dates of every precision."""
    a = make_article(n)
    rng = random.Random(n)
    names = type_names()
    template = with_events()[1]
    evs = []
    for i in range(6):
        actor, target = rng.choice(a.entities), rng.choice([*a.entities, None])
        span = actor.mentions[0].span
        date = DATES[(n + i) % len(DATES)]
        evs.append(replace(
            template, id=f"V{i + 1}", type=names[(n + i) % 4], trigger=span,
            actor=EventArg(span, entity=actor.id, name=actor.name),
            target=None if target is None else EventArg(target.mentions[0].span, entity=target.id,
                                                         name=target.name),
            date=None if date is None else EventDate(date, "day", "text"),
            sentence=actor.mentions[0].sentence,
            attribution=None, factuality_cues=(), quantities=(), place=None))
    return replace(a, events=tuple(evs))


def _views(conn: Connection) -> dict[str, Any]:
    keys = [e["key"] for e in Q.list_entities(conn, limit=500, mentions=False).items]
    out: dict[str, Any] = {}
    for k in keys:
        out[k] = (Q.entity_summary(conn, k), Q.entity_network(conn, k),
                  Q.timeline_events(conn, actor=k), Q.timeline_events(conn, target=k),
                  Q.timeline_events(conn, actor=k, type=type_names()[1], date_from="2024-03-05",
                                    date_to="2024-03-31"),
                  Q.list_events(conn, actor=k, limit=500), Q.list_events(conn, target=k, limit=3, offset=1),
                  Q.list_events(conn, actor=k, target=k), list(Q.event_keys(conn, target=k)),
                  Q.entity_articles(conn, k), Q.entity_articles(conn, k, limit=2),
                  Q.entity_event_days(conn, k, "actor"), Q.entity_event_days(conn, k, "target"))
    return out


def _from_rows(conn: Connection, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    with monkeypatch.context() as m:  # the queries of schema 10: every value grouped from the rows
        kept = {"entity_totals", "entity_days", "entity_edges", "entity_names"}
        m.setattr(Q, "has_table", lambda c, name: name not in kept)
        m.setattr(Q, "_keyed", lambda c: False)
        return _views(conn)


def _fill(s: SqlStore) -> None:
    for n in range(12):
        assert s.put(_article(n)) == "stored"
    # a new version of article 3 (its source, another text) and of article 5: their counts go, the new ones
    # come; a rerun changes nothing
    for n, other in ((3, 40), (5, 41)):
        new = replace(_article(other), source=f"invented/{n}.txt", input_id=f"in-{n}",
                      url=f"https://news.invalid/{n}")
        assert s.put(new) == "new-version"
    assert s.put(_article(7)) == "unchanged"


def test_kept_counts_agree_with_the_rows(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(store)
    with store.engine.connect() as conn:
        got = _views(conn)
        assert got == _from_rows(conn, monkeypatch)
        busy = max(got.values(), key=lambda v: len(v[1]))
        # the test tests something
        assert busy[1] and busy[2] and busy[0]["mentions"] > busy[0]["articles"] and busy[5].total > 1
        assert any(v[7].total for v in got.values())  # an entity that is its own event's target
        assert conn.execute(text("SELECT count(*) FROM entity_edges WHERE n <= 0")).scalar() == 0


def test_an_entity_s_event_days_are_its_timeline_s_sums_per_day(store: SqlStore) -> None:
    _fill(store)
    with store.engine.connect() as conn:
        seen = 0
        for k in (e["key"] for e in Q.list_entities(conn, limit=500, mentions=False).items):
            for role in ("actor", "target"):
                want: dict[str, int] = {}
                for b in Q.timeline_events(conn, **{role: k}):
                    want[b["day"]] = want.get(b["day"], 0) + b["count"]
                got = Q.entity_event_days(conn, k, role)
                assert got == [{"day": d, "count": n} for d, n in sorted(want.items())]
                seen += sum(1 for _ in got)
        assert seen  # the test tests something
        with pytest.raises(ValueError, match="role"):
            Q.entity_event_days(conn, "kb:Q1", "place")


def test_migration_11_counts_the_rows_there_are(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with SqlStore.from_url(db_url) as s:
        _fill(s)
        with s.engine.begin() as conn:  # the database before version 11
            for table in (entity_totals, entity_days, entity_edges):
                table.drop(conn)
            conn.execute(text("UPDATE schema_version SET version = 10"))
    with SqlStore.from_url(db_url) as s:
        assert s.schema_version() == latest_version(MIGRATIONS) >= 11
        with s.engine.connect() as conn:
            got = _views(conn)
            assert got and got == _from_rows(conn, monkeypatch)
        with s.engine.begin() as conn:  # migrated again (a database stamped back): counted once, not twice
            conn.execute(text("DELETE FROM schema_version WHERE version > 10"))
    with SqlStore.from_url(db_url) as s, s.engine.connect() as conn:
        assert _views(conn) == got


def test_migration_12_fills_the_event_keys(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with SqlStore.from_url(db_url) as s:
        _fill(s)
        with s.engine.connect() as conn:
            want = _views(conn)
        with s.engine.begin() as conn:  # the events as a version 11 database has them
            conn.execute(text("UPDATE events SET actor_key = NULL, target_key = NULL"))
            conn.execute(text("UPDATE schema_version SET version = 11"))
    with SqlStore.from_url(db_url) as s, s.engine.connect() as conn:
        assert s.schema_version() == latest_version(MIGRATIONS) >= 12
        assert _views(conn) == want == _from_rows(conn, monkeypatch)


def test_an_entity_s_pages_stop_at_their_limit(store: SqlStore) -> None:
    # its events: the keyed index range, no entity rows looked up, no window count over all of them; its
    # articles (SQLite): the newest from the articles' date index, not every article naming it sorted
    _fill(store)
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        seen.append((statement, parameters))

    with store.engine.connect() as conn:
        key = max(Q.list_entities(conn, limit=500, mentions=False).items, key=lambda e: e["articles"])["key"]
        event.listen(store.engine, "before_cursor_execute", record)
        try:
            assert Q.list_events(conn, actor=key, limit=2).total > 2
            (page,) = [s for s, _ in seen if "e2.data" in s]
            assert " entities " not in page and "over (" not in page.lower()
            seen.clear()
            Q.entity_articles(conn, key, limit=2)
        finally:
            event.remove(store.engine, "before_cursor_execute", record)
        if conn.dialect.name == "sqlite":
            ((query, params),) = [x for x in seen if "entity_id" in x[0]]
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + query, params))
            assert "ix_articles_published" in plan, plan


# Entity searches (schema 15): whole names, parts, any case, non-ASCII, a kb entity under two names, filters
SEARCHES: list[dict[str, Any]] = [
    {"q": q} for q in ("Pérez", "ana p", "lima", "Metropolitana", "ø", "an", "nobody-here", "a", "Đà Nẵng")
] + [{"q": "a", "type": "GPE"}, {"q": "a", "country": "PER"}, {"q": "e", "type": "PERSON", "limit": 3},
     {"q": "e", "limit": 4, "offset": 2}, {"q": "Lima", "mentions": False}]


def _searches(conn: Connection) -> list[Any]:
    return [Q.list_entities(conn, **{"limit": 500, **s}) for s in SEARCHES]


def _searched_from_rows(conn: Connection, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    with monkeypatch.context() as m:  # the search of schema 14: grouped from the entity rows
        m.setattr(Q, "has_table", lambda c, name: name != "entity_names")
        return _searches(conn)


def _fill_names(s: SqlStore) -> None:
    _fill(s)
    # Lima's kb entity under another name and with no country in one article
    renamed = make_article(60)
    ents = tuple(replace(e, name=f"{e.name} Metropolitana", country=None) if e.kb_id == "iso3166:PER" else e
                 for e in renamed.entities)
    assert s.put(replace(renamed, entities=ents)) == "stored"


def test_entity_search_reads_its_names_table_with_the_rows_results(
        store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill_names(store)
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    with store.engine.connect() as conn:
        got = _searches(conn)
        assert [p.items for p in got] == [p.items for p in _searched_from_rows(conn, monkeypatch)]
        assert [p.total for p in got] == [p.total for p in _searched_from_rows(conn, monkeypatch)]
        # the test tests something: matches, a kb entity found by either name, mentions counted
        lima = [e for e in got[2].items if e["key"] == "kb:iso3166:PER"]
        assert lima and lima[0]["country"] == "PER" and lima[0]["mentions"] > lima[0]["articles"] > 1
        assert [e["key"] for e in got[3].items] == ["kb:iso3166:PER"] and got[3].items[0]["articles"] == 1
        assert got[0].total == 1 and got[6].total == 0 and got[9].items and got[10].total == 1
        # the search groups the names table, no entity row; so do the mentions of keys all of whose rows
        # match (counted in entity_totals)
        event.listen(store.engine, "before_cursor_execute", record)
        try:
            assert Q.list_entities(conn, q="Lima", mentions=False).total == 1
            assert Q.list_entities(conn, q="Pérez").items[0]["mentions"] > 1
            assert Q.list_entities(conn, q="lima").items[0]["mentions"] > 1
        finally:
            event.remove(store.engine, "before_cursor_execute", record)
    assert any("entity_names" in s for s in seen) and not any(" entities" in s for s in seen), seen


def test_migration_15_builds_the_names_table(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with SqlStore.from_url(db_url) as s:
        _fill_names(s)
        with s.engine.begin() as conn:  # the database before version 15
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("DROP TABLE entity_names_fts")
            conn.exec_driver_sql("DROP TABLE entity_names")
            conn.execute(text("UPDATE schema_version SET version = 14 WHERE version = 15"))
    with SqlStore.from_url(db_url) as s:
        assert s.schema_version() == latest_version(MIGRATIONS) >= 15
        with s.engine.connect() as conn:
            got = _searches(conn)
            assert got[0].total and [p.items for p in got] == [
                p.items for p in _searched_from_rows(conn, monkeypatch)]
        # stored after the migration: kept by put like the rows it was built from
        with s.engine.begin() as conn:
            assert s.put(make_article(61)) == "stored"
        with s.engine.connect() as conn:
            assert [p.items for p in _searches(conn)] == [
                p.items for p in _searched_from_rows(conn, monkeypatch)]


def test_an_entity_s_summary_reads_no_entity_row(store: SqlStore) -> None:
    # its name, type and country from entity_names (schema 15), its counts from entity_totals (11): for a
    # person in ~3,400 articles at 1M events the min/max over its entity rows took ~4 ms
    _fill_names(store)
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    with store.engine.connect() as conn:
        event.listen(store.engine, "before_cursor_execute", record)
        try:
            summary = Q.entity_summary(conn, "kb:iso3166:PER")
        finally:
            event.remove(store.engine, "before_cursor_execute", record)
    assert summary is not None and summary["name"] == "Lima" and summary["country"] == "PER"
    assert summary["kb_id"] == "iso3166:PER" and summary["articles"] > 1
    assert seen and not any(" entities" in s for s in seen), seen


def _network_summed_in_python(conn: Connection, key: str, limit: int) -> list[tuple[Any, ...]]:
    """The network as it was computed before: every edge row of the key read (``actor_key = k OR
    target_key = k``), each pair's types in the order read, the pairs summed and ranked in Python."""
    edges: dict[tuple[str, str], dict[str, int]] = {}
    rows = conn.execute(select(entity_edges.c.actor_key, entity_edges.c.target_key, entity_edges.c.type,
                               entity_edges.c.n)
                        .where(or_(entity_edges.c.actor_key == key, entity_edges.c.target_key == key)))
    for a, t, etype, n in rows:
        types = edges.setdefault((a, t), {})
        types[etype] = types.get(etype, 0) + n
    ranked = sorted(edges.items(), key=lambda e: (-sum(e[1].values()), e[0][0], e[0][1]))[:limit]
    return [(a, t, sum(types.values()), list(types.items())) for (a, t), types in ranked]


def test_an_entity_s_network_is_ranked_in_sql_with_each_pair_s_types_in_their_order(store: SqlStore) -> None:
    _fill(store)
    # more types per pair, in an order of writing that is not theirs: each event once more, types reversed
    for n in range(3):
        a = _article(n)
        evs = [replace(e, type=t) for e, t in zip(a.events, reversed(type_names()), strict=False)]
        assert store.put(replace(a, source=f"again/{n}", text=a.text + " ", events=tuple(evs),
                                 content_hash=f"again-{n}", id=f"again{n:012d}")) == "stored"
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    with store.engine.connect() as conn:
        keys = [e["key"] for e in Q.list_entities(conn, limit=500, mentions=False).items]
        assert any(len(e["types"]) > 1 for k in keys for e in Q.entity_network(conn, k))
        for k in keys:
            for limit in (1, 2, 30):
                got = [(e["actor_key"], e["target_key"], e["count"], list(e["types"].items()))
                       for e in Q.entity_network(conn, k, limit=limit)]
                want = _network_summed_in_python(conn, k, limit)
                if conn.dialect.name != "sqlite":  # no order of reading to keep: by type
                    want = [(a, t, c, sorted(types)) for a, t, c, types in want]
                assert got == want, k
        event.listen(store.engine, "before_cursor_execute", record)
        try:
            Q.entity_network(conn, keys[0], limit=1)
        finally:
            event.remove(store.engine, "before_cursor_execute", record)
        (query,) = [s for s in seen if "FROM entity_edges" in s]
        assert "GROUP BY" in query and "LIMIT" in query  # the pairs ranked in SQL, not every row fetched
