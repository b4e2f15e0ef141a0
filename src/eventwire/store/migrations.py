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

from sqlalchemy import Connection, and_, bindparam, func, inspect, select, update

from .aggregates import add_event_days
from .tables import (
    ARTICLE_VERSION_INDEX,
    BASE_SCHEMA_VERSION,
    KEY_INDEXES,
    QUERY_INDEXES,
    STORY_TABLES,
    article_versions,
    articles,
    attributions,
    event_date_key,
    event_day,
    event_days,
    events,
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


def _list(value: Any) -> list[str]:
    """A JSON list column (SQLite drivers may hand back the text)."""
    return [str(x) for x in (json.loads(value) if isinstance(value, str) else value or [])]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "attributions table", _add_attributions),
    Migration(3, "events table", _add_events),
    Migration(4, "indexes of the API's read queries", _add_query_indexes),
    Migration(5, "covering indexes for entity keys", _add_key_indexes),
    Migration(6, "event dates as ISO text that sorts as time (weeks, PAST_REF)", _sortable_event_dates),
    Migration(7, "event counts per place country, day and type (the timeline's)", _add_event_days),
    # 8 is full-text search (another branch of issue 9); the registry allows the gap until it lands.
    Migration(9, "article versions: source identity, metadata fingerprint, earlier versions", _add_versions),
    # 10-12 are taken on main by issue 9's and other branches' migrations; stories take 13.
    Migration(13, "stories, near-duplicates, incidents and consistency flags", _add_stories),
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
