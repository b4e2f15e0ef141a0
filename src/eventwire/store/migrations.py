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

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, and_, bindparam, func, select, update

from . import changes, fulltext
from .aggregates import add_event_days
from .tables import (
    BASE_SCHEMA_VERSION,
    KEY_INDEXES,
    QUERY_INDEXES,
    attributions,
    event_date_key,
    event_day,
    event_days,
    events,
)

__all__ = ["MIGRATIONS", "Migration", "check_migrations", "latest_version"]


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
    fulltext.install(conn, fill=True)
    changes.install(conn)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "attributions table", _add_attributions),
    Migration(3, "events table", _add_events),
    Migration(4, "indexes of the API's read queries", _add_query_indexes),
    Migration(5, "covering indexes for entity keys", _add_key_indexes),
    Migration(6, "event dates as ISO text that sorts as time (weeks, PAST_REF)", _sortable_event_dates),
    Migration(7, "event counts per place country, day and type (the timeline's)", _add_event_days),
    Migration(8, "text search indexes (SQLite FTS5 trigram, PostgreSQL pg_trgm) and a write counter",
              _add_search_and_changes),
)


def check_migrations(migrations: Sequence[Migration]) -> None:
    """Raise ValueError unless the migrations are numbered BASE+1, BASE+2, ... without gaps."""
    expected = list(range(BASE_SCHEMA_VERSION + 1, BASE_SCHEMA_VERSION + 1 + len(migrations)))
    got = [m.version for m in migrations]
    if got != expected:
        raise ValueError(f"migrations must be numbered {expected}, got {got}")


def latest_version(migrations: Sequence[Migration]) -> int:
    """The schema version the code knows: the base version plus one per migration."""
    return BASE_SCHEMA_VERSION + len(migrations)
