"""Article versions (schema 9): new text from a stored source supersedes it, history kept; metadata edits
update; reruns stay idempotent.  On SQLite, and on PostgreSQL when EVENTWIRE_TEST_PG_URL is set."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text, update
from store_factory import make_article

from eventwire.aggregate import export
from eventwire.model import Article, ArticleInput
from eventwire.store import RejectedArticle, SqlStore
from eventwire.store import queries as Q
from eventwire.store.migrations import MIGRATIONS, latest_version
from eventwire.store.tables import article_versions, articles, event_days
from eventwire.store.versions import input_identity, version_key


def test_version_keys() -> None:
    assert version_key(source="in/a.txt", input_id=None, url="https://x.invalid/a") == "source:in/a.txt"
    # a record's position is not an identity: its id (scoped to its file), else its URL
    assert version_key(source="b.jsonl:17", input_id="r1", url="https://x.invalid/a") == "id:b.jsonl|r1"
    assert version_key(source="other.jsonl:3", input_id="r1", url=None) == "id:other.jsonl|r1"
    assert version_key(source="feed.xml#3", input_id=None, url="https://x.invalid/a") == "url:https://x.invalid/a"
    assert version_key(source="c.warc.gz#12", input_id=None, url=None) is None
    assert version_key(source="analyze()", input_id=None, url=None) is None
    assert version_key(source="analyze()", input_id=None, url="https://x.invalid/p") == "url:https://x.invalid/p"
    long = version_key(source="analyze()", input_id=None, url="https://x.invalid/" + "p\ud800" * 5000)
    assert long is not None and long.startswith("sha256:") and len(long) == 7 + 64


def test_an_over_long_url_costs_only_its_article(store: SqlStore) -> None:
    # Incompressible and ~10 kB: over PostgreSQL's B-tree entry limit for the indexed articles.url, which
    # stopped the whole run there (StoreError); SQLite has no such limit.
    url = "https://x.invalid/" + "".join(f"{i:x}é" for i in range(3000))
    a = replace(make_article(1), source="feed.xml#1", input_id=None, url=url)
    if store.engine.dialect.name == "postgresql":
        with pytest.raises(RejectedArticle, match="longer than the database can index"):
            store.put(a)
    else:
        assert store.put(a) == "stored"
        again = replace(make_article(2), source="feed.xml#9", input_id=None, url=url)
        assert store.put(again) == "new-version"  # its key is the URL's sha256
    assert store.put(make_article(3)) == "stored"


def _edit(a: Article, of: Article) -> Article:
    """Article ``a`` (its own text) from ``of``'s source: an edited file."""
    return replace(a, source=of.source, input_id=of.input_id, url=of.url)


def _events_by_article(s: SqlStore) -> dict[str, int]:
    with s.engine.connect() as conn:
        items = Q.list_events(conn, limit=500).items
    out: dict[str, int] = {}
    for e in items:
        out[e["article_id"]] = out.get(e["article_id"], 0) + 1
    return out


def _with_events(n: int) -> Article:
    from test_events_store import _spread  # events on days, in two countries

    return replace(_spread(n), source=f"ev/{n}.txt", input_id=None, url=None)


def test_new_text_from_a_stored_source_supersedes_it(store: SqlStore, tmp_path: Path) -> None:
    old, other = _with_events(1), _with_events(2)
    new = replace(_with_events(3), source=old.source)
    assert store.put(old) == "stored" and store.put(other) == "stored"
    assert store.put(new) == "new-version"
    # listings, counts, queries, timelines and exports show the current version only
    assert {r.id for r in store.list_articles()} == {new.id, other.id}
    assert store.counts()["articles"] == 2
    with store.engine.connect() as conn:
        assert {r["id"] for r in Q.list_articles(conn).items} == {new.id, other.id}
        timeline = sum(b["count"] for b in Q.timeline_events(conn))
        assert conn.execute(select(func.count()).select_from(event_days).where(event_days.c.n <= 0)
                            ).scalar_one() == 0
    assert set(_events_by_article(store)) == {new.id, other.id}
    assert timeline == 2 * 3  # _spread: 3 events dated to a day each; old's are taken out
    out = tmp_path / "e.jsonl"
    assert export(store, "jsonl", out) == len(new.events) + len(other.events)
    assert export(store, "jsonl", out, kind="articles") == 2
    # the old version is reachable, whole, and the history says what replaced it
    assert store.get(old.id) == old
    assert store.history(new.id) == store.history(old.id) == [
        {"article_id": old.id, "change": "text", "superseded_by": new.id,
         "superseded_at": store.history(new.id)[0]["superseded_at"]}]
    assert store.history(other.id) == []


def test_reruns_stay_idempotent(store: SqlStore) -> None:
    old = make_article(1)
    new = _edit(make_article(2), old)
    for a in (old, new):
        store.put(a)
    # the same inputs again (a JSONL holding both versions, an old copy of the file): nothing moves
    assert [store.put(a) for a in (old, new)] == ["unchanged", "unchanged"]
    assert store.get(old.id[:8]) == old  # an id prefix finds a superseded version too
    assert [r.id for r in store.list_articles()] == [new.id]
    assert len(store.history(new.id)) == 1
    newer = _edit(make_article(3), old)
    assert store.put(newer) == "new-version"
    assert [h["article_id"] for h in store.history(newer.id)] == [new.id, old.id]
    assert [r.id for r in store.list_articles()] == [newer.id]
    # the superseded versions' entities, mentions and times are gone from the query tables (cascade)
    assert store.counts() == {"articles": 1, "analyzed": 1, "skipped": 0, "entities": len(newer.entities),
                              "mentions": sum(len(e.mentions) for e in newer.entities),
                              "times": len(newer.times)}


def test_metadata_only_edit_updates_the_article(store: SqlStore) -> None:
    a = make_article(1)
    store.put(a)
    edited = replace(a, title="A new title", published="2031-01-02T03:04:05+00:00", url="https://x.invalid/n")
    assert store.put(edited) == "updated"
    assert store.get(a.id) == edited
    assert [r.title for r in store.list_articles()] == ["A new title"]
    assert store.counts()["articles"] == 1
    [h] = store.history(a.id)
    assert (h["article_id"], h["change"], h["superseded_by"]) == (a.id, "metadata", a.id)
    assert store.put(edited) == "unchanged"  # a rerun


def test_same_text_from_another_source_is_a_duplicate(store: SqlStore) -> None:
    a = make_article(1)
    store.put(a)
    copy = replace(a, source="elsewhere/copy.txt", input_id=None, title="Other title", url=None)
    assert store.put(copy) == "unchanged"
    assert store.get(a.id) == a and store.history(a.id) == []


def test_unchanged_tells_the_cli_what_needs_no_analysis(store: SqlStore) -> None:
    a = make_article(1)
    store.put(a)

    def as_input(x: Article) -> ArticleInput:
        return ArticleInput(text=x.text, source=x.source, id=x.input_id, title=x.title, url=x.url,
                            site=x.site, authors=x.authors, published=x.published, updated=x.updated,
                            captions=x.captions)

    assert input_identity(as_input(a))[0] == "id:invented/1.txt|in-1"
    assert store.unchanged(as_input(a))
    assert not store.unchanged(as_input(replace(a, title="Edited")))  # metadata edit: analyse, then update
    assert store.unchanged(as_input(replace(a, source="dup.txt", input_id=None, title="Edited")))
    new = _edit(make_article(2), a)
    assert not store.unchanged(as_input(new))
    store.put(new)
    assert store.unchanged(as_input(a))  # superseded: not stored again


def test_migration_9_resolves_sources_stored_twice(db_url: str) -> None:
    old, other = make_article(1), make_article(2)
    new = _edit(make_article(3), old)
    with SqlStore.from_url(db_url) as s:
        for a in (old, other, replace(new, source="tmp", input_id="tmp")):
            s.put(a)
        with s.engine.begin() as conn:  # the database before version 9, with the bug's duplicate
            conn.execute(update(articles).where(articles.c.id == new.id)
                         .values(source=old.source, input_id=old.input_id,
                                 created_at=datetime(2099, 1, 1, tzinfo=UTC)))
            conn.execute(text("DROP INDEX uq_articles_version_key"))
            article_versions.drop(conn)
            for column in ("version_key", "metadata_hash"):
                conn.execute(text(f"ALTER TABLE articles DROP COLUMN {column}"))
            conn.execute(text("UPDATE schema_version SET version = 7"))
    with SqlStore.from_url(db_url) as s:
        assert s.schema_version() == latest_version(MIGRATIONS) >= 9
        assert {r.id for r in s.list_articles()} == {new.id, other.id}
        assert s.get(old.id) == old
        assert [(h["article_id"], h["superseded_by"]) for h in s.history(new.id)] == [(old.id, new.id)]
        assert "uq_articles_version_key" in {i["name"] for i in inspect(s.engine).get_indexes("articles")}
        assert s.put(replace(new, source=old.source, input_id=old.input_id)) == "unchanged"
        assert s.put(old) == "unchanged"


@pytest.mark.parametrize("n", [4])
def test_a_superseded_articles_events_leave_the_timeline(store: SqlStore, n: int) -> None:
    first = _with_events(n)
    store.put(first)
    with store.engine.connect() as conn:
        before = Q.timeline_events(conn)
    assert before
    store.put(replace(_with_events(n + 1), source=first.source))
    with store.engine.connect() as conn:
        after = Q.timeline_events(conn)
    from test_events_store import _timeline_from_events

    assert after == _timeline_from_events(store) and after != before


def test_a_concurrent_version_is_superseded_not_lost(store: SqlStore,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # On PostgreSQL two writers can both find no current version of a source and both insert; the unique
    # version_key index refuses the second, which then supersedes the first.  Simulated: one lookup misses.
    from eventwire.store import sql

    old = make_article(1)
    new = _edit(make_article(2), old)
    store.put(old)
    real = sql._current
    misses = iter([True])
    monkeypatch.setattr(sql, "_current", lambda conn, key: None if next(misses, False) else real(conn, key))
    assert store.put(new) == "new-version"
    assert [r.id for r in store.list_articles()] == [new.id]
    assert [h["article_id"] for h in store.history(new.id)] == [old.id]
