"""Counts kept beside the rows they count: ``event_days`` (events per place country, day and type).

``SqlStore.put`` adds an article's counts in the transaction that inserts its events (and takes out those of
the version it supersedes), and migration 7 builds them for a database that has events already.  An upsert
adds to a count that is there: ``ON CONFLICT DO UPDATE``, which SQLite (3.24+) and PostgreSQL both have,
each behind its own SQLAlchemy dialect.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, select, update

from .tables import event_day, event_days

__all__ = ["add_event_days", "day_counts", "remove_event_days"]


def day_counts(rows: Iterable[dict[str, Any]]) -> Counter[tuple[str, str, str]]:
    """``(place country or '', day, type) -> events`` of ``events`` table rows dated to a day."""
    out: Counter[tuple[str, str, str]] = Counter()
    for r in rows:
        day = event_day(r["date"])
        if day is not None:
            out[(r["place_country"] or "", day, r["type"])] += 1
    return out


def add_event_days(conn: Connection, counts: Counter[tuple[str, str, str]]) -> None:
    """Add ``counts`` to ``event_days`` (in key order, so concurrent PostgreSQL writers lock rows in one
    order and cannot deadlock)."""
    if not counts:
        return
    rows = [{"place_country": c, "day": d, "type": t, "n": n} for (c, d, t), n in sorted(counts.items())]
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        from sqlalchemy.dialects import postgresql, sqlite

        stmt = (sqlite if dialect == "sqlite" else postgresql).insert(event_days)
        stmt = stmt.on_conflict_do_update(index_elements=[event_days.c.place_country, event_days.c.day,
                                                          event_days.c.type],
                                          set_={"n": event_days.c.n + stmt.excluded.n})
        conn.execute(stmt, rows)
        return
    for r in rows:  # any other backend: read, then update or insert
        key = (event_days.c.place_country == r["place_country"], event_days.c.day == r["day"],
               event_days.c.type == r["type"])
        if conn.execute(select(event_days.c.n).where(*key)).first() is None:
            conn.execute(event_days.insert(), [r])
        else:
            conn.execute(update(event_days).where(*key).values(n=event_days.c.n + r["n"]))


def remove_event_days(conn: Connection, counts: Counter[tuple[str, str, str]]) -> None:
    """Take ``counts`` (of events deleted: an article superseded by a new version) out of ``event_days``,
    dropping the buckets that reach zero so the timeline lists no empty day."""
    if not counts:
        return
    add_event_days(conn, Counter({k: -n for k, n in counts.items()}))
    key = and_(event_days.c.place_country == bindparam("c"), event_days.c.day == bindparam("d"),
               event_days.c.type == bindparam("t"), event_days.c.n <= 0)
    conn.execute(delete(event_days).where(key), [{"c": c, "d": d, "t": t} for c, d, t in sorted(counts)])
