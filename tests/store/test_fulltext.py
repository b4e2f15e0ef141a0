"""Text search through the index (schema 8) returns exactly what the scan returned, on both backends."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Connection, delete, func, or_, select, text, update
from store_factory import make_article

from eventwire.store import SqlStore, changes, fulltext
from eventwire.store import queries as Q
from eventwire.store.migrations import MIGRATIONS, latest_version
from eventwire.store.tables import articles, entities, incidents, store_changes

# Case differences, non-ASCII (SQLite's lower() folds ASCII only: 'élodie' must not find 'Élodie' there,
# where the trigram index folds it), LIKE wildcards, quotes, a phrase across words, too short for a trigram.
QUERIES = ["Pérez", "pérez", "PÉREZ", "ana p", "Élodie", "élodie", "dương", "Tromsø", "ZÜRICH", "report 1",
           "invented report 12", "talks went", "🙂", "✓ —", "%", "_", "a%b", '"', 'said "', "Mü", "an", "x",
           "nobody-here", "Ngu", "São Paulo", "ã"]


def _search(conn: Connection) -> dict[str, Any]:
    out = {}
    for q in QUERIES:
        arts = Q.list_articles(conn, q=q, limit=500)
        ents = Q.list_entities(conn, q=q, limit=500)
        out[q] = (arts.total, [a["id"] for a in arts.items], ents.total, [e["key"] for e in ents.items])
    return out


def _scan(conn: Connection, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    with monkeypatch.context() as m:
        m.setattr(fulltext, "match", lambda *a, **k: None)  # the LIKE alone: the code before schema 8
        m.setattr(fulltext, "candidates", lambda *a, **k: None)
        return _search(conn)


def _fill(store: SqlStore, n: int = 24) -> None:
    for i in range(n):
        store.put(make_article(i))


def test_search_through_the_index_matches_the_scan(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with SqlStore.from_url(db_url) as s:
        _fill(s)
        with s.engine.connect() as conn:
            got = _search(conn)
            assert got == _scan(conn, monkeypatch)
            assert got["Pérez"][0] > 0 and got["report 1"][0] > 1 and got["ana p"][2] == 1
            if conn.dialect.name == "sqlite":
                assert fulltext.match(conn, "articles", "Pérez") is not None  # the index is asked ...
                assert fulltext.match(conn, "articles", "an") is None  # ... when q has a trigram
                assert got["élodie"][0] == 0  # the LIKE decides: SQLite's lower() is ASCII-only


def test_a_long_q_asks_a_few_trigrams_and_finds_the_scan_s_events(
        sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_entity_counts import _article  # invented articles with events between their entities

    with SqlStore.from_url(sqlite_url) as s:
        for n in range(8):
            s.put(_article(n))
        with s.engine.connect() as conn:
            # each trigram asked is one more row list read (~0.5 ms for a common one at 1M events)
            def asked(q: str) -> str:
                found = fulltext.match(conn, "events", q)
                assert found is not None
                return str(found.compile(compile_kwargs={"literal_binds": True}))

            # words: the first trigram, the first across a gap between words (the rarest), the last
            assert asked("invented report 12").count('"') == 6  # 16 trigrams in q
            assert all(f'"{g}"' in asked("invented report 12") for g in ("inv", "d r", " 12"))
            assert all(f'"{g}"' in asked("Ana  Ortiz Sr") for g in ("Ana", "z S", " Sr"))  # no "a  "
            # one word: up to MAX_TRIGRAMS, spread
            expr = asked("inventedreport12")
            assert expr.count('"') == 2 * fulltext.MAX_TRIGRAMS == 8
            assert '"inv"' in expr and '"t12"' in expr  # its first and its last
            assert asked("invent").count('"') == 8 and asked("inv e").count('"') == 6  # 4 and 3: all
            texts = sorted(set(conn.execute(text("SELECT actor_text FROM events")).scalars()))
            queries = [*texts, *(t.upper() for t in texts), *(t[1:-1] for t in texts), "nobody-here"]
            assert any(len(t) > 8 for t in texts)  # more trigrams than are asked
            got = [Q.list_events(conn, q=q, limit=500) for q in queries]
            with monkeypatch.context() as m:
                m.setattr(fulltext, "candidates", lambda *a, **k: None)
                m.setattr(fulltext, "match", lambda *a, **k: None)
                assert got == [Q.list_events(conn, q=q, limit=500) for q in queries]
            assert all(p.total for p in got[:len(texts)])


def test_an_article_search_reads_two_position_lists_and_finds_the_scan_s_articles(
        sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Article text is asked for q's first and last trigram as near as they are in q (two position lists,
    where the phrase read one per trigram): a superset of the phrase's rows, the LIKE deciding."""
    with SqlStore.from_url(sqlite_url) as s:
        _fill(s)
        # a title with the first and last trigram of "Ana Pérez" near each other, not the phrase
        s.put(make_article(99, sentences=1))
        with s.engine.begin() as conn:
            conn.execute(update(articles).where(articles.c.id == make_article(99, sentences=1).id).values(
                text="Ana met Pérez.", title="Anarez"))
        with s.engine.connect() as conn:
            asked = fulltext.match(conn, "articles", "Ana Pérez")
            assert asked is not None
            expr = str(asked.compile(compile_kwargs={"literal_binds": True}))
            assert 'NEAR("Ana" "rez", 5)' in expr  # 7 trigrams in q, 5 between its first and last
            assert fulltext._near("abcd") == '"abcd"'  # two trigrams: the phrase reads no more lists
            phrase, near = (set(conn.execute(text(
                f"SELECT rowid FROM articles_fts WHERE articles_fts MATCH '{e}'")).scalars())
                for e in ('"Ana Pérez"', fulltext._near("Ana Pérez")))
            assert phrase < near  # more candidates (the article above), never fewer
            queries = [*QUERIES, "Ana Pérez", "Anarez", "Ana met Pérez"]
            got = [Q.list_articles(conn, q=q, limit=500) for q in queries]
            with monkeypatch.context() as m:
                m.setattr(fulltext, "candidates", lambda *a, **k: None)
                m.setattr(fulltext, "match", lambda *a, **k: None)
                assert got == [Q.list_articles(conn, q=q, limit=500) for q in queries]
            assert got[queries.index("Ana Pérez")].total and got[queries.index("Ana met Pérez")].total == 1


def test_sqlite_s_like_ignores_the_case_its_lower_folds(sqlite_url: str) -> None:
    """SQLite's text filter is ``x LIKE q`` (no lowered copy of each text): the rows of the
    ``lower(x) LIKE lower(q)`` it was, non-ASCII case (which neither folds) and wildcards included."""
    with SqlStore.from_url(sqlite_url) as s:
        _fill(s)
        with s.engine.connect() as conn:
            for table in (articles, entities):
                like = Q._like(conn, table, "Pérez")
                assert "lower(" not in str(like.compile(dialect=conn.dialect))
                for q in QUERIES:
                    cols = fulltext.SEARCHED[table.name]
                    old = or_(*[table.c[c].icontains(q, autoescape=True) for c in cols])
                    key = list(table.primary_key.columns)
                    rows = [conn.execute(select(*key).where(w).order_by(*key)).all()
                            for w in (Q._like(conn, table, q), old)]
                    assert rows[0] == rows[1], q
            assert conn.execute(select(func.count()).where(Q._like(conn, articles, "PÉREZ"))
                                .select_from(articles)).scalar() == 0  # 'Pérez' is stored: É is not é
            assert conn.execute(select(func.count()).where(Q._like(conn, articles, "pérez"))
                                .select_from(articles)).scalar()


def test_the_index_follows_updates_and_deletes(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with SqlStore.from_url(db_url) as s:
        _fill(s, 12)
        gone = make_article(3)
        with s.engine.begin() as conn:
            conn.execute(update(entities).where(entities.c.name == "Ana Pérez")
                         .values(name="Ana Pérez-Lopes"))
            conn.execute(update(articles).where(articles.c.id == make_article(4).id)
                         .values(title="Renamed Zürich piece"))
            conn.execute(delete(articles).where(articles.c.id == gone.id))  # its entities cascade
        with s.engine.connect() as conn:
            got = _search(conn)
            assert got == _scan(conn, monkeypatch)
            # the entities' own index (the entity search reads entity_names, kept by the store's writes)
            renamed = select(func.distinct(entities.c.name)).where(*Q.text_filter(conn, entities, "Lopes"))
            assert conn.execute(renamed).scalars().all() == ["Ana Pérez-Lopes"]
            assert Q.list_articles(conn, q="renamed zür").total == 1
            assert gone.id not in [a["id"] for a in Q.list_articles(conn, q="invented report 3").items]


def test_explain_uses_the_index(db_url: str) -> None:
    with SqlStore.from_url(db_url) as s:
        _fill(s, 6)
        with s.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                query = select(entities.c.id).where(*Q.text_filter(conn, entities, "Pérez"))
                plan = " ".join(str(r[-1]) for r in conn.execute(
                    text("EXPLAIN QUERY PLAN " + str(_compiled(conn, query)))))
                assert "entities_fts VIRTUAL TABLE" in plan, plan
            else:
                conn.execute(text("SET enable_seqscan = off"))  # a tiny table: the planner would scan it
                query = select(articles.c.id).where(*Q.text_filter(conn, articles, "Pérez"))
                plan = " ".join(r[0] for r in conn.execute(text("EXPLAIN " + str(_compiled(conn, query)))))
                assert "ix_articles_title_trgm" in plan and "ix_articles_text_trgm" in plan, plan


def _compiled(conn: Connection, query: Any) -> Any:
    return query.compile(conn, compile_kwargs={"literal_binds": True})


def test_migration_8_indexes_a_version_7_database(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with SqlStore.from_url(db_url, migrations=MIGRATIONS[:6]) as s:  # the code of schema 7
        with s.engine.begin() as conn:  # a new database gets today's tables: take schema 8's away again
            _drop_schema_8(conn)
        _fill(s, 10)
        assert s.schema_version() == 7
    with SqlStore.from_url(db_url) as s:
        assert s.schema_version() == latest_version(MIGRATIONS) >= 8
        with s.engine.connect() as conn:
            got = _search(conn)
            assert got == _scan(conn, monkeypatch) and got["Pérez"][0] > 0
            if conn.dialect.name == "sqlite":
                hit = fulltext.match(conn, "articles", "Pérez")
                assert hit is not None
                n = conn.execute(select(func.count()).select_from(articles).where(hit)).scalar_one()
                assert n == got["Pérez"][0]  # filled from the rows there were
            before = changes.changes(conn)
        s.put(make_article(50))
        with s.engine.connect() as conn:
            assert changes.changes(conn) > before  # the counter counts from now on
            assert Q.list_articles(conn, q="invented report 50").total == 1


def _drop_schema_8(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for (name,) in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).all():
            conn.execute(text(f"DROP TRIGGER {name}"))
        for name in fulltext.SEARCHED:
            conn.execute(text(f"DROP TABLE {name}_fts"))
    else:
        for name in fulltext.SEARCHED:
            for col in fulltext.SEARCHED[name]:
                conn.execute(text(f"DROP INDEX IF EXISTS ix_{name}_{col}_trgm"))
        for name in changes.WATCHED:
            conn.execute(text(f"DROP TRIGGER IF EXISTS store_changes_{name} ON {name}"))
    store_changes.drop(conn)


def test_every_write_moves_the_counter_and_reads_do_not(db_url: str) -> None:
    with SqlStore.from_url(db_url) as s:
        with s.engine.connect() as conn:
            n0 = changes.changes(conn)
        assert s.put(make_article(1)) == "stored"
        with s.engine.connect() as conn:
            n1 = changes.changes(conn)
            Q.list_articles(conn, q="report")
            assert changes.changes(conn) == n1 > n0
        assert s.put(make_article(1)) == "unchanged"
        with s.engine.begin() as conn:
            assert changes.changes(conn) == n1
            conn.execute(update(articles).values(title="edited"))
        with s.engine.connect() as conn:
            assert changes.changes(conn) > n1


def _incident_row(n: int) -> dict[str, Any]:
    return {"id": f"I{n}", "story_id": "S1", "type": "PROTEST", "date_first": "2024-03-05",
            "date_last": "2024-03-05", "place": "Velmora", "country": "PRT", "independent_sources": 1,
            "fatalities_low": None, "fatalities_high": None, "conflicts": 0, "record": {"id": f"I{n}"}}


def test_rebuilt_incidents_move_the_counter_also_after_migration_14(db_url: str) -> None:
    # StoryKeeper.finish rebuilds incidents after an ingest run's article writes; cached overview pages
    # list them (schema 14)
    # the database as 13 left it: no trigger on incidents
    with SqlStore.from_url(db_url) as s, s.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            for op in ("insert", "update", "delete"):
                conn.exec_driver_sql(f"DROP TRIGGER store_changes_incidents_{op}")
        else:
            conn.exec_driver_sql("DROP TRIGGER store_changes_incidents ON incidents")
        conn.execute(text("UPDATE schema_version SET version = 13 WHERE version >= 14"))
    with SqlStore.from_url(db_url) as s:
        assert s.schema_version() == latest_version(MIGRATIONS) >= 14
        for change in (lambda c: c.execute(incidents.insert(), [_incident_row(1)]),
                       lambda c: c.execute(update(incidents).values(independent_sources=2)),
                       lambda c: c.execute(delete(incidents))):
            with s.engine.connect() as conn:
                before = changes.changes(conn)
            with s.engine.begin() as conn:
                change(conn)
            with s.engine.connect() as conn:
                assert changes.changes(conn) > before  # type: ignore[operator]


def test_migration_10_indexes_a_database_that_took_9_before_8(db_url: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # main numbered article versions 9 while 8 (this index) was on another branch: a database it took to 9
    # never applies 8, so 10 does 8's work where it is missing.
    without_8 = [m for m in MIGRATIONS if m.version <= 9 and m.version != 8]
    with SqlStore.from_url(db_url, migrations=without_8) as s:
        with s.engine.begin() as conn:
            _drop_schema_8(conn)
        _fill(s, 10)
        assert s.schema_version() == 9
        with s.engine.connect() as conn:
            assert changes.changes(conn) is None and not fulltext.uses_index(conn, "articles")
    with SqlStore.from_url(db_url) as s:
        assert s.schema_version() == latest_version(MIGRATIONS) >= 10
        with s.engine.connect() as conn:
            got = _search(conn)
            assert got == _scan(conn, monkeypatch) and got["Pérez"][0] > 0
            if conn.dialect.name == "sqlite":
                hit = fulltext.match(conn, "articles", "Pérez")
                assert hit is not None
                n = conn.execute(select(func.count()).select_from(articles).where(hit)).scalar_one()
                assert n == got["Pérez"][0]  # filled from the rows there were
            before = changes.changes(conn)
            assert before is not None
        s.put(make_article(50))
        with s.engine.connect() as conn:
            assert changes.changes(conn) > before


def test_migration_10_rebuilds_nothing_where_8_ran(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with SqlStore.from_url(sqlite_url, migrations=[m for m in MIGRATIONS if m.version <= 8]) as s:
        _fill(s, 5)
        assert s.schema_version() == 8
    rebuilt: list[str] = []
    monkeypatch.setattr(fulltext, "rebuild", lambda conn, name: rebuilt.append(name))
    with SqlStore.from_url(sqlite_url) as s:
        assert s.schema_version() == latest_version(MIGRATIONS) >= 10
        with s.engine.connect() as conn:
            assert Q.list_articles(conn, q="Pérez").total > 0
    assert rebuilt == ["entity_names"]  # migration 15's own table (built then), none of 8's
