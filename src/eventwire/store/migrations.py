"""Numbered schema migrations.

A new database is created from :mod:`eventwire.store.tables` (always the newest schema) and stamped with
:func:`latest_version`.  An older database is brought up to date by applying, in order and each in its own
transaction, every migration whose number is above the database's version.  To change the schema:

1. change ``tables.py`` so that a *new* database gets the new schema;
2. append ``Migration(N, "what changed", fn)`` to :data:`MIGRATIONS`, where ``fn`` turns a version ``N-1``
   database into the same schema with portable Core (``Table(...).create(conn)``, ``conn.execute(DDL(
   "ALTER TABLE ... ADD COLUMN ..."))``), and copies or fills data as needed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, inspect, select, update

from . import changes, fulltext
from .aggregates import EntityCounts, add_entity_counts, add_event_days
from .tables import (
    ARTICLE_VERSION_INDEX,
    BASE_SCHEMA_VERSION,
    EVENT_KEY_INDEXES,
    KEY_INDEXES,
    QUERY_INDEXES,
    STORY_TABLES,
    article_versions,
    articles,
    attributions,
    entities,
    entity_days,
    entity_edges,
    entity_names,
    entity_totals,
    event_date_key,
    event_day,
    event_days,
    events,
    mentions,
)
from .versions import metadata_hash, version_key

__all__ = ["MIGRATIONS", "Migration", "check_migrations", "latest_version", "previous_version"]


@dataclass(frozen=True, slots=True)
class Migration:
    """Turns a database at version ``version - 1`` into one at ``version``."""

    version: int
    description: str
    apply: Callable[[Connection], None]


def _add_attributions(conn: Connection) -> None:
    # Version 2 adds a table and touches no existing row: articles stored before it simply have no
    # attributions until they are analysed again.
    attributions.create(conn, checkfirst=True)


def _add_events(conn: Connection) -> None:
    # Version 3 adds a table and touches no existing row: articles stored before it have no events until
    # they are analysed again.
    events.create(conn, checkfirst=True)


def _add_query_indexes(conn: Connection) -> None:
    # Version 4 adds indexes only (tables.QUERY_INDEXES): no row changes; on 1M events SQLite builds them in
    # a few seconds, once.
    for index in QUERY_INDEXES:
        index.create(conn, checkfirst=True)


def _add_key_indexes(conn: Connection) -> None:
    # Version 5: covering indexes for entity keys (tables.KEY_INDEXES); indexes only, no row changes.
    for index in KEY_INDEXES:
        index.create(conn, checkfirst=True)


def _sortable_event_dates(conn: Connection) -> None:
    # Version 6: events.date holds tables.event_date_key(value) (weeks as "<Monday>/P1W", PAST_REF as NULL)
    # instead of the value as given.  Only values that are not a day can change: a few rows in real stores
    # (2 of the demo's 25 events), none of the bench's 1M; their scan is one pass over the date index.
    day = events.c.date.like("____-__-__%")
    rows = conn.execute(select(events.c.article_id, events.c.id, events.c.date)
                        .where(events.c.date.is_not(None), ~day)).all()
    changed = [{"a": a, "i": i, "d": event_date_key(d)} for a, i, d in rows if event_date_key(d) != d]
    if changed:
        key = and_(events.c.article_id == bindparam("a"), events.c.id == bindparam("i"))
        conn.execute(update(events).where(key).values(date=bindparam("d")), changed)


def _add_event_days(conn: Connection) -> None:
    # Version 7: the timeline's counts (tables.event_days), built once from the events there are: one pass
    # over the (place_country, date, type) index, a few seconds at 1M events.
    event_days.create(conn, checkfirst=True)
    n = func.count().label("n")
    counts: Counter[tuple[str, str, str]] = Counter()
    for country, date, etype, k in conn.execute(
            select(events.c.place_country, events.c.date, events.c.type, n)
            .group_by(events.c.place_country, events.c.date, events.c.type)):
        day = event_day(date)
        if day is not None:
            counts[(country or "", day, etype)] += int(k)
    add_event_days(conn, counts)


def _add_search_and_changes(conn: Connection) -> None:
    # Version 8: text search through an index (store/fulltext.py: SQLite FTS5 trigram tables, filled here
    # from the rows there are; PostgreSQL pg_trgm indexes) and the write counter the overview's cache is
    # keyed on (store/changes.py).  No row of an existing table changes.
    fulltext.install(conn, fill=True, tables=fulltext.SCHEMA_8)
    changes.install(conn)


def _add_versions(conn: Connection) -> None:
    # Version 9 (versions.py): articles get their source identity and metadata fingerprint, earlier versions
    # a table.  Idempotent (a test may stamp a newer database back to 8).  Articles stored twice under one
    # key before (an edited file: issue 9) are resolved as put() would have: the newest stays, the others
    # move to article_versions.  One pass over the articles' metadata, in Python (the key is computed).
    from .sql import retire  # sql.py imports this module

    columns = {c["name"] for c in inspect(conn).get_columns(articles.name)}
    for name, sql_type in (("version_key", "TEXT"), ("metadata_hash", "VARCHAR(64)")):
        if name not in columns:
            conn.exec_driver_sql(f"ALTER TABLE {articles.name} ADD COLUMN {name} {sql_type}")
    article_versions.create(conn, checkfirst=True)
    for index in article_versions.indexes:
        index.create(conn, checkfirst=True)
    rows = conn.execute(select(articles.c.id, articles.c.source, articles.c.input_id, articles.c.url,
                               articles.c.title, articles.c.site, articles.c.authors, articles.c.published,
                               articles.c.updated, articles.c.captions, articles.c.created_at)
                        .where(articles.c.version_key.is_(None))
                        .order_by(articles.c.created_at, articles.c.id)).mappings().all()
    filled: list[dict[str, object]] = []
    by_key: dict[str, list[str]] = {}  # key -> article ids, oldest first
    for r in rows:
        key = version_key(source=r["source"] or "", input_id=r["input_id"], url=r["url"])
        fingerprint = metadata_hash(title=r["title"], url=r["url"], site=r["site"],
                                    authors=_list(r["authors"]), published=r["published"],
                                    updated=r["updated"], captions=_list(r["captions"]))
        filled.append({"i": r["id"], "k": key, "h": fingerprint})
        if key is not None:
            by_key.setdefault(key, []).append(r["id"])
    if filled:
        conn.execute(update(articles).where(articles.c.id == bindparam("i"))
                     .values(version_key=bindparam("k"), metadata_hash=bindparam("h")), filled)
    for ids in by_key.values():  # each superseded by the one created after it
        for old, new in pairwise(ids):
            retire(conn, old, superseded_by=new, change="text")
    ARTICLE_VERSION_INDEX.create(conn, checkfirst=True)


def _add_stories(conn: Connection) -> None:
    # Version 13 (issue 12): new tables only, no row changes.  Articles stored before it belong to no story
    # until `eventwire recluster` assigns them (new ones are assigned as they are ingested).
    for table in STORY_TABLES:
        table.create(conn, checkfirst=True)


def _count_incidents(conn: Connection) -> None:
    # Version 14: the write counter also counts incidents (changes.WATCHED): the overview pages cached by
    # it list them, and StoryKeeper.finish rebuilds them after the writes of an ingest run.  Triggers only.
    changes.install(conn)


def _list(value: Any) -> list[str]:
    """A JSON list column (SQLite drivers may hand back the text)."""
    return [str(x) for x in (json.loads(value) if isinstance(value, str) else value or [])]


def _search_where_missing(conn: Connection) -> None:
    # Version 10: migration 8 on a database that a build without it took to 9 (main numbered the article
    # versions 9 while 8 was on another branch, and a database at 9 never applies 8).  Idempotent: where 8
    # ran, nothing is rebuilt (refilling the SQLite index costs ~12 s at 1M events).
    if conn.dialect.name == "sqlite":
        if not all(fulltext.uses_index(conn, name) for name in fulltext.SCHEMA_8):
            fulltext.install(conn, fill=True, tables=fulltext.SCHEMA_8)
    elif conn.dialect.name == "postgresql":
        # CREATE INDEX IF NOT EXISTS: a no-op where 8 ran
        fulltext.install(conn, fill=False, tables=fulltext.SCHEMA_8)
    changes.install(conn)


def _add_entity_counts(conn: Connection) -> None:
    # Version 11: the per-entity counts (tables.entity_totals/_days/_edges), built once from the rows there
    # are by grouped queries (SqlStore.put keeps them from then on).
    from .queries import entity_key_sql  # queries imports the tables this module creates

    for table in (entity_totals, entity_days, entity_edges):
        table.create(conn, checkfirst=True)
        conn.execute(delete(table))  # from scratch: a database stamped back to 10 is not counted twice
    counts = EntityCounts()
    key = entity_key_sql().label("key")
    for k, n in conn.execute(select(key, func.count()).group_by(key)):
        counts.totals.setdefault(k, Counter())["n"] += int(n)
    on = and_(mentions.c.article_id == entities.c.article_id, mentions.c.entity_id == entities.c.id)
    mentioned = select(key, func.count()).select_from(mentions.join(entities, on)).group_by(key)
    for k, n in conn.execute(mentioned):
        counts.totals.setdefault(k, Counter())["mentions"] += int(n)
    ends = {role: entities.alias(role) for role in ("actor", "target")}
    joins = {role: and_(ent.c.article_id == events.c.article_id, ent.c.id == events.c[f"{role}_entity"])
             for role, ent in ends.items()}
    for role, ent in ends.items():
        rkey = entity_key_sql(ent).label("key")
        for k, date, etype, n in conn.execute(
                select(rkey, events.c.date, events.c.type, func.count())
                .select_from(events.join(ent, joins[role])).group_by(rkey, events.c.date, events.c.type)):
            day = event_day(date)
            if day is not None:
                counts.days[(k, role, day, etype)] += int(n)
    a_key, t_key = entity_key_sql(ends["actor"]).label("a"), entity_key_sql(ends["target"]).label("t")
    for a, t, etype, n in conn.execute(
            select(a_key, t_key, events.c.type, func.count())
            .select_from(events.join(ends["actor"], joins["actor"]).join(ends["target"], joins["target"]))
            .group_by(a_key, t_key, events.c.type)):
        counts.edges[(a, t, etype)] += int(n)
    add_entity_counts(conn, counts)


def _add_event_keys(conn: Connection) -> None:
    # Version 12: events.actor_key / target_key (the entity keys of their actor and target, which put() now
    # writes), filled from the entities they name, and their indexes.  Idempotent.
    from .queries import entity_key_sql  # queries imports the tables this module creates

    columns = {c["name"] for c in inspect(conn).get_columns(events.name)}
    for name in ("actor_key", "target_key"):
        if name not in columns:
            conn.exec_driver_sql(f"ALTER TABLE {events.name} ADD COLUMN {name} TEXT")
    for role in ("actor", "target"):
        ent = entities.alias("ent")
        key = (select(entity_key_sql(ent)).where(ent.c.article_id == events.c.article_id,
                                                  ent.c.id == events.c[f"{role}_entity"])
               .scalar_subquery())
        conn.execute(update(events).where(events.c[f"{role}_entity"].is_not(None))
                     .values({f"{role}_key": key}))
    for index in EVENT_KEY_INDEXES:
        index.create(conn, checkfirst=True)


def _add_entity_names(conn: Connection) -> None:
    # Version 15: the entity search's own table (tables.entity_names: rows per key, name, type and country),
    # built once by a grouped query (SqlStore.put keeps it from then on), and its search index.
    from .queries import entity_key_sql  # queries imports the tables this module creates

    entity_names.create(conn, checkfirst=True)
    conn.execute(delete(entity_names))  # from scratch: a database stamped back to 14 is not counted twice
    key = entity_key_sql().label("key")
    country = func.coalesce(entities.c.country, "").label("country")
    counts = EntityCounts()
    for k, name, etype, c, n in conn.execute(
            select(key, entities.c.name, entities.c.type, country, func.count())
            .group_by(key, entities.c.name, entities.c.type, country)):
        counts.names[(k, name, etype, c)] += int(n)
    add_entity_counts(conn, counts)
    fulltext.install(conn, fill=True, tables=("entity_names",))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "attributions table", _add_attributions),
    Migration(3, "events table", _add_events),
    Migration(4, "indexes of the API's read queries", _add_query_indexes),
    Migration(5, "covering indexes for entity keys", _add_key_indexes),
    Migration(6, "event dates as ISO text that sorts as time (weeks, PAST_REF)", _sortable_event_dates),
    Migration(7, "event counts per place country, day and type (the timeline's)", _add_event_days),
    Migration(8, "text search indexes (SQLite FTS5 trigram, PostgreSQL pg_trgm) and a write counter",
              _add_search_and_changes),
    Migration(9, "article versions: source identity, metadata fingerprint, earlier versions", _add_versions),
    Migration(10, "migration 8's search indexes and write counter where 9 came first", _search_where_missing),
    Migration(11, "per-entity counts: totals, days by role, actor-target edges", _add_entity_counts),
    Migration(12, "events' actor and target entity keys, indexed", _add_event_keys),
    Migration(13, "stories, near-duplicates, incidents and consistency flags", _add_stories),
    Migration(14, "the write counter counts incidents too", _count_incidents),
    Migration(15, "entity rows per key, name, type and country (the entity search's), indexed",
              _add_entity_names),
)


def check_migrations(migrations: Sequence[Migration]) -> None:
    """Raise ValueError unless the migrations are numbered above BASE in increasing order.

    Numbers may skip (9 before 8 exists: branches add migrations in parallel); :meth:`SqlStore.migrate`
    applies each to a database at the version of the one before it.
    """
    got = [m.version for m in migrations]
    if any(b <= a for a, b in zip([BASE_SCHEMA_VERSION, *got], got, strict=False)):
        raise ValueError(f"migrations must be numbered above {BASE_SCHEMA_VERSION} in increasing order, "
                         f"got {got}")


def latest_version(migrations: Sequence[Migration]) -> int:
    """The schema version the code knows: the last migration's (the base version without any)."""
    return migrations[-1].version if migrations else BASE_SCHEMA_VERSION


def previous_version(migrations: Sequence[Migration], m: Migration) -> int:
    """The version a database must be at for migration ``m``: the version of the migration before it."""
    before = [x.version for x in migrations if x.version < m.version]
    return before[-1] if before else BASE_SCHEMA_VERSION
