"""Schema 13: stories, copies, incidents and flags kept in the store as articles are ingested (SQLite and
PostgreSQL), and the migration that adds their tables."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import delete, event, func, inspect, select, text

from eventwire.aggregate.online import StoryKeeper, recluster
from eventwire.model import Flag
from eventwire.store import MIGRATIONS, SqlStore
from eventwire.store.migrations import _add_stories, latest_version, previous_version
from eventwire.store.tables import (
    STORY_TABLES,
    article_bands,
    article_flags,
    article_stories,
    incident_reports,
    incidents,
    stories,
    story_df,
    story_keys,
    story_terms,
)
from eventwire.testing import (
    ARREST_GOLD,
    CAST_GOLD,
    arrest_reports,
    cast_reports,
    incident_report,
    make_article,
)
from eventwire.testing import STORY_GOLD as GOLD_STORIES
from eventwire.testing import incident_reports as bombing_reports
from eventwire.testing import story_reports as reports


def _partition(pairs: dict[str, str]) -> set[frozenset[str]]:
    out: dict[str, set[str]] = {}
    for key, label in pairs.items():
        out.setdefault(label, set()).add(key)
    return {frozenset(v) for v in out.values()}


def _stored_stories(store: SqlStore) -> dict[str, str]:
    with store.engine.connect() as conn:
        return dict(conn.execute(select(article_stories.c.article_id, article_stories.c.story_id)).all())


def test_ingest_assigns_stories_online_and_marks_the_copy(store: SqlStore) -> None:
    arts = reports()
    keeper = StoryKeeper(store)
    got = {}
    for a in arts:
        assert store.put(a) == "stored"
        got[a.id] = keeper.add(a)
    assert got[arts[3].id].duplicate_of == arts[0].id
    assert all(got[a.id].duplicate_of is None for a in arts if a is not arts[3])
    gold = {a.id: g for a, g in zip(arts, GOLD_STORIES, strict=True)}
    assert _partition(_stored_stories(store)) == _partition(gold)
    with store.engine.connect() as conn:
        n, first, last = conn.execute(select(stories.c.articles, stories.c.first_published,
                                             stories.c.last_published)
                                      .where(stories.c.id == got[arts[0].id].story_id)).one()
    assert (n, first, last) == (4, "2031-03-04T08:00:00", "2031-03-05T12:00:00")


def test_the_store_index_agrees_with_the_in_memory_one(store: SqlStore) -> None:
    from eventwire.aggregate.stories import StoryIndex, article_terms

    arts = reports()
    memory = StoryIndex()
    keeper = StoryKeeper(store)
    for a in arts:
        store.put(a)
        keeper.add(a)
        memory.add(a.id, article_terms(a))
    assert _partition(_stored_stories(store)) == _partition(dict(memory.story_of))


def test_flags_and_incidents_are_stored_and_recluster_rebuilds_them(store: SqlStore) -> None:
    arts = reports()
    keeper = StoryKeeper(store)
    for a in arts:
        store.put(a)
        keeper.add(a)
    keeper.finish()
    flag = Flag(article_id=arts[0].id, kind="role-conflict", span=arts[0].sentences[0].span, message="x")
    with store.transaction() as conn:
        from eventwire.store.stories import replace_flags

        replace_flags(conn, arts[0].id, [flag])
    n_articles, n_stories = recluster(store)
    assert (n_articles, n_stories) == (len(arts), 3)
    assert _partition(_stored_stories(store)) == _partition(
        {a.id: g for a, g in zip(arts, GOLD_STORIES, strict=True)})
    with store.engine.connect() as conn:
        # the invented reports have no events (no analysis ran): no incidents; the hand-written flag is gone
        assert conn.execute(select(func.count()).select_from(incidents)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(article_flags)).scalar() == 0


def test_hostile_terms_and_titles_are_stored_as_data(store: SqlStore) -> None:
    arts = reports()
    hostile = replace(arts[0], title="'); DROP TABLE stories; -- <script>alert(1)</script>",
                      text=arts[0].text + " " + "x" * 5000 + " Robert'); DROP TABLE story_terms;--")
    store.put(hostile)
    StoryKeeper(store).add(hostile)
    with store.engine.connect() as conn:
        assert conn.execute(select(stories.c.title)).scalar() == hostile.title
        assert {"stories", "story_terms"} <= set(inspect(conn).get_table_names())


def test_migration_13_adds_the_story_tables_to_the_database_before_it(db_url: str) -> None:
    a = reports()[0]
    stories_migration = next(m for m in MIGRATIONS if m.apply is _add_stories)
    assert stories_migration.version == 13
    before = previous_version(MIGRATIONS, stories_migration)
    with SqlStore.from_url(db_url) as s:
        s.put(a)
        with s.engine.begin() as conn:
            for table in reversed(STORY_TABLES):
                table.drop(conn)
            conn.execute(text(f"UPDATE schema_version SET version = {before}"))
        assert s.schema_version() == before
    with SqlStore.from_url(db_url) as s:
        assert s.schema_version() == latest_version(MIGRATIONS) >= 13
        assert {t.name for t in STORY_TABLES} <= set(inspect(s.engine).get_table_names())
        assert s.get(a.id) == a
        # an article stored before the migration has no story until recluster
        assert _stored_stories(s) == {}
        recluster(s)
        assert set(_stored_stories(s)) == {a.id}


def _incident_of(store: SqlStore, article_id: str) -> dict[str, Any]:
    with store.engine.connect() as conn:
        record = conn.execute(select(incidents.c.record).join(
            incident_reports, incident_reports.c.incident_id == incidents.c.id)
            .where(incident_reports.c.article_id == article_id)).scalar()
    assert record is not None
    return dict(json.loads(record) if isinstance(record, str) else record)


def test_a_superseded_version_leaves_its_story_copies_and_incidents_at_once(store: SqlStore) -> None:
    arts = bombing_reports()
    keeper = StoryKeeper(store)
    for a in arts:
        assert store.put(a) == "stored"
        keeper.add(a)
    keeper.finish()
    first, copy, b = arts[0], arts[1], arts[2]
    before = _incident_of(store, b.id)
    assert {v["value"] for c in before["conflicts"] if c["field"] == "fatalities" for v in c["values"]} == {
        "30", "34"}
    # the tidewire page is edited (34 -> 36 dead), and the first report's text too: both supersede
    edited_b = incident_report("Hospital staff said 36 people died after militants attacked the market in "
                               "Brennock.", b.url or "", "2031-03-05", trigger="attacked", toll="36 people",
                               low=36, day="2031-03-04", source="Hospital staff")
    edited_first = incident_report("Police now say militants bombed a market in Brennock on Tuesday; the "
                                   "toll was 30 people.", first.url or "", "2031-03-04", trigger="bombed",
                                   cue="say", toll="30 people", low=30, day="2031-03-04", source="Police")
    for new in (edited_b, edited_first):
        assert store.put(new) == "new-version"
        keeper.add(new)
    keeper.finish()  # what `eventwire ingest` does at the end of the run: no recluster
    stored = _stored_stories(store)
    assert b.id not in stored and first.id not in stored
    with store.engine.connect() as conn:
        for old in (b.id, first.id):
            for table in (article_bands, incident_reports, article_flags):
                assert conn.execute(select(func.count()).select_from(table)
                                    .where(table.c.article_id == old)).scalar() == 0
        # each story counts its current members only
        for sid, n in conn.execute(select(stories.c.id, stories.c.articles)).all():
            assert n == sum(1 for s in stored.values() if s == sid)
        # the wire copy of the first report's old text is still that outlet's report: a copy of its new text
        assert conn.execute(select(article_stories.c.duplicate_of)
                            .where(article_stories.c.article_id == copy.id)).scalar() == edited_first.id
    after = _incident_of(store, edited_b.id)
    reported = {r["article_id"] for r in after["reports"]}
    assert edited_b.id in reported and b.id not in reported and first.id not in reported
    assert {v["value"] for c in after["conflicts"] if c["field"] == "fatalities" for v in c["values"]} == {
        "30", "36"}
    assert after["independent_sources"] == before["independent_sources"] == 3


def test_a_story_whose_only_article_is_superseded_by_another_story_goes(store: SqlStore) -> None:
    arts = reports()[:7]  # the chess final told once
    keeper = StoryKeeper(store)
    for a in arts:
        store.put(a)
        keeper.add(a)
    keeper.finish()
    chess = arts[6]
    chess_story = _stored_stories(store)[chess.id]
    # the same record (input id r6) now holds a ferry report: a new version, in the ferry's story
    moved = make_article(arts[1].text + " Divers found the ship's log.", title=arts[1].title,
                         published="2031-03-06T08:00:00", input_id=chess.input_id)
    assert store.put(moved) == "new-version"
    keeper.add(moved)
    keeper.finish()
    stored = _stored_stories(store)
    assert chess.id not in stored and stored[moved.id] == stored[arts[0].id]
    with store.engine.connect() as conn:
        assert conn.execute(select(stories.c.id).where(stories.c.id == chess_story)).first() is None
        for table in (story_terms, story_keys):
            assert conn.execute(select(func.count()).select_from(table)
                                .where(table.c.story_id == chess_story)).scalar() == 0
        assert conn.execute(select(stories.c.articles).where(stories.c.id == stored[moved.id])).scalar() == 5


def _story_rows(store: SqlStore) -> dict[str, list[tuple[Any, ...]]]:
    with store.engine.connect() as conn:
        return {t.name: sorted(tuple(r) for r in conn.execute(select(t)).all())
                for t in (stories, story_terms, story_keys, story_df, article_stories)}


def test_a_hot_story_is_not_read_back_and_only_its_changed_term_rows_are_written(store: SqlStore) -> None:
    first, second = reports()[:2]  # two reports of one story (GOLD_STORIES)
    keeper = StoryKeeper(store)
    statements: list[tuple[str, Any]] = []

    def listener(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
        statements.append((sql, params))

    event.listen(store.engine, "before_cursor_execute", listener)
    for a in (first, second):
        store.put(a)
        statements.clear()
        sid = keeper.add(a).story_id
    event.remove(store.engine, "before_cursor_execute", listener)
    with store.engine.connect() as conn:
        held = conn.execute(select(func.count()).select_from(story_terms)
                            .where(story_terms.c.story_id == sid)).scalar()
    # the second article: its story's sums came from the keeper, not from a read of all its rows ...
    assert not [sql for sql, _ in statements if sql.lstrip().upper().startswith("SELECT")
                and "FROM story_terms" in sql and "story_terms.story_id = " in sql]
    # ... and of the story's rows only those whose weight changed were written
    written = sum(len(p) if isinstance(p, list) else 1 for sql, p in statements
                  if sql.startswith("INSERT INTO story_terms"))
    assert 0 < written < held


def test_the_kept_sums_give_the_stores_results_around_another_writer_and_a_failed_add(
        store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    import eventwire.aggregate.online as online

    arts = reports()
    for a in arts:
        store.put(a)
    # two keepers (two ingest processes) take turns on the same stories, and one add fails after its story
    # was written: its transaction rolls back, and what it wrote must not be trusted by the next article
    ours, theirs = StoryKeeper(store), StoryKeeper(store)
    real = online.replace_flags

    def fails_once(conn: Any, article_id: str, flags: Any) -> None:
        if article_id == arts[2].id:
            raise RuntimeError("disk full")
        real(conn, article_id, flags)

    monkeypatch.setattr(online, "replace_flags", fails_once)
    for i, a in enumerate(arts):
        if i == 2:
            with pytest.raises(RuntimeError):
                ours.add(a)
            continue
        (theirs if i in (1, 4) else ours).add(a)
    monkeypatch.setattr(online, "replace_flags", real)
    kept = _story_rows(store)
    with store.transaction() as conn:
        for table in STORY_TABLES:
            conn.execute(delete(table))
    plain = StoryKeeper(store, story_cache=0)  # every story read from the store
    for i, a in enumerate(arts):
        if i != 2:
            plain.add(a)
    assert not plain._sums
    assert _story_rows(store) == kept


def _lede_terms(store: SqlStore, story_id: str) -> dict[str, float]:
    with store.engine.connect() as conn:
        return {t: w for t, w in conn.execute(select(story_terms.c.term, story_terms.c.weight)
                                              .where(story_terms.c.story_id == story_id)).all()
                if t[:2] in ("m:", "p:")}


def test_ingest_keeps_two_arrests_apart_by_their_ledes_and_a_new_version_takes_its_lede_out(
        store: SqlStore) -> None:
    arts = arrest_reports()
    keeper = StoryKeeper(store)
    for a in arts:
        assert store.put(a) == "stored"
        keeper.add(a)
    got = _stored_stories(store)
    assert _partition(got) == _partition({a.id: g for a, g in zip(arts, ARREST_GOLD, strict=True)})
    falk_story = got[arts[2].id]
    # the story holds its members' lede persons and main persons as counted terms beside its vector sums
    assert _lede_terms(store, falk_story) == {"m:*": 2.0, "m:brennan": 2.0, "m:falk": 2.0, "p:brennan": 2.0,
                                              "p:falk": 2.0}
    # the last Falk report is replaced by a text that names nobody: its lede leaves the story's terms
    edited = make_article("Harwick Gulls defensive tackle was arrested on suspicion of drunk driving on "
                          "Sunday, the highway patrol said, and was released on bail.",
                          title=arts[3].title, published=arts[3].published, url=arts[3].url,
                          input_id=arts[3].input_id)
    assert store.put(edited) == "new-version"
    keeper.add(edited)
    held = _lede_terms(store, falk_story)
    assert held["m:*"] == held["p:falk"] == 1.0


def _cast_terms(store: SqlStore, story_id: str) -> dict[str, float]:
    with store.engine.connect() as conn:
        return {t: w for t, w in conn.execute(select(story_terms.c.term, story_terms.c.weight)
                                              .where(story_terms.c.story_id == story_id)).all()
                if t.startswith("c:")}


def test_ingest_keeps_a_coachs_hiring_and_firing_apart_by_their_casts_as_the_index_does(
        store: SqlStore) -> None:
    from eventwire.aggregate.stories import StoryIndex, article_terms

    arts = cast_reports()
    keeper = StoryKeeper(store)
    memory = StoryIndex()
    for a in arts:
        assert store.put(a) == "stored"
        keeper.add(a)
        memory.add(a.id, article_terms(a))
    got = _stored_stories(store)
    assert _partition(got) == _partition({a.id: g for a, g in zip(arts, CAST_GOLD, strict=True)})
    assert _partition(got) == _partition(dict(memory.story_of))
    fired = got[arts[2].id]
    # each cast word counted once per report leading with it, and "c:*" the squared norm of those counts
    cast = {"edda", "voss", "rurik", "hale", "oskar", "lind"}
    assert _cast_terms(store, fired) == {**{"c:" + w: 2.0 for w in cast}, "c:*": 6 * 2.0 ** 2}
    # the second firing report is replaced by a text that names nobody: its cast leaves, the norm follows
    edited = make_article("The Herons dismissed their head coach on Saturday after a 9-14 start and named "
                          "an assistant interim coach.", title=arts[3].title, published=arts[3].published,
                          url=arts[3].url, input_id=arts[3].input_id)
    assert store.put(edited) == "new-version"
    keeper.add(edited)
    assert _cast_terms(store, fired) == {**{"c:" + w: 1.0 for w in cast}, "c:*": 6.0}
