"""Schema 13: stories, copies, incidents and flags kept in the store as articles are ingested (SQLite and
PostgreSQL), and the migration that adds their tables."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, inspect, select, text

from eventwire.aggregate.online import StoryKeeper, recluster
from eventwire.model import Flag
from eventwire.store import MIGRATIONS, SqlStore
from eventwire.store.migrations import _add_stories, latest_version, previous_version
from eventwire.store.tables import STORY_TABLES, article_flags, article_stories, incidents, stories
from eventwire.testing import STORY_GOLD as GOLD_STORIES
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
