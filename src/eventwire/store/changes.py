"""A counter of writes (schema 8): ``store_changes.n`` grows with every change to the tables the UI counts.

Readers that cache what they computed from the store (the overview's counts and "most covered" entities,
web/pages.py) read ``n`` first (one row) and recompute only when it moved.  Database triggers bump it, so
every writer counts, whichever code path (``put``, the bench loader, another process, a migration); and it
is transactional: a reader never sees a new ``n`` before the rows it counts.  Read ``n`` *before* computing:
rows committed in between then only make the cache fresher than its ``n``, never staler.

SQLite fires per row (no statement triggers): a few microseconds per inserted row, where SQLite holds one
writer at a time anyway.  PostgreSQL fires once per statement; the counter row is then locked until the
writing transaction ends, so concurrent writers commit one after the other (an article's put is a few
milliseconds).
"""

from __future__ import annotations

from sqlalchemy import Connection, insert, inspect, select

from .tables import store_changes

__all__ = ["WATCHED", "changes", "install"]

# The tables whose rows the cached aggregates count.  Incidents since schema 14: they are rebuilt at the end
# of an ingest run, after the article writes, and a cached overview page lists them.
WATCHED = ("articles", "entities", "attributions", "events", "incidents")

_PG_FUNCTION = """CREATE OR REPLACE FUNCTION eventwire_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE store_changes SET n = n + 1;
    RETURN NULL;
END $$"""


def install(conn: Connection) -> None:
    """The counter's row and triggers (idempotent; the table is ``tables.store_changes``)."""
    store_changes.create(conn, checkfirst=True)
    if conn.execute(select(store_changes.c.n)).first() is None:
        conn.execute(insert(store_changes).values(id=1, n=0))
    if conn.dialect.name == "sqlite":
        for name in WATCHED:
            for op in ("INSERT", "UPDATE", "DELETE"):
                conn.exec_driver_sql(f"CREATE TRIGGER IF NOT EXISTS store_changes_{name}_{op.lower()} "
                                     f"AFTER {op} ON {name} BEGIN UPDATE store_changes SET n = n + 1; END")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(_PG_FUNCTION)
        for name in WATCHED:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS store_changes_{name} ON {name}")
            conn.exec_driver_sql(f"CREATE TRIGGER store_changes_{name} AFTER INSERT OR UPDATE OR DELETE OR "
                                 f"TRUNCATE ON {name} FOR EACH STATEMENT EXECUTE FUNCTION "
                                 f"eventwire_count_change()")


def changes(conn: Connection) -> int | None:
    """The counter; None on a database without it (opened by other means, or by a build of eventwire that
    numbered a later migration first): then nothing may be cached."""
    if not conn.info.get("eventwire_changes"):  # per DBAPI connection: a table, once there, stays
        if not inspect(conn).has_table(store_changes.name):
            return None
        conn.info["eventwire_changes"] = True
    return int(conn.execute(select(store_changes.c.n)).scalar_one())
