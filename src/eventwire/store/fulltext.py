"""Text search through an index, with the results of the plain scan (schema 8).

Every text filter of the read queries (``q``: article title and text, entity names, attribution sources,
event actor / target / place words) is a case-insensitive substring match, SQLAlchemy's ``icontains``:
``col ILIKE '%q%'`` on PostgreSQL, ``lower(col) LIKE '%' || lower(q) || '%'`` on SQLite.  Unindexed, that
reads every row: 1.7-2.7 s per search at 1M events (issue 9).

- **PostgreSQL**: pg_trgm GIN indexes on the columns of :data:`SEARCHED`, which the planner uses for that
  very ``ILIKE``; the query is unchanged, so are its results.  Without the extension (not installed, or no
  right to create it) the indexes are left out and searches scan as before.
- **SQLite**: one FTS5 table per searched table, ``tokenize='trigram'``: an index of the three-character
  substrings of those columns, kept by triggers on the table (whoever writes: ``put``, the bench loader, a
  migration), external content so the text is not stored twice.  :func:`match` asks it for the rows that
  may contain ``q``, a superset of those that do (trigram folds case as Unicode, where SQLite's ``lower``
  folds ASCII only), and the queries keep their ``LIKE`` on that superset: the results are the scan's.
  Short columns (names, places) are indexed with ``detail='none'`` (no positions: a smaller index) and
  asked for an AND of q's trigrams; the few rows holding them apart are left to the ``LIKE``.  Article
  text keeps positions (:data:`DETAIL`), asked for q's first and last trigram at most q's length apart
  (:func:`_near`; every row holding q as a phrase holds them so): in 1,500 characters of text the
  trigrams of a name are found apart in most articles ("Ana Ortiz" at 1M events: 26,148 candidates for
  9,155 matches, 194 ms; as a phrase, 9,155 and 66 ms), for an index ~2x the size of the text.
  A ``q`` shorter than 3 characters has no trigram and scans.

The FTS tables key their rows by the content table's rowid.  ``VACUUM`` may renumber the rowids of a table
without an INTEGER PRIMARY KEY; after one, :func:`rebuild` (or ``INSERT INTO <t>_fts(<t>_fts) VALUES
('rebuild')``) re-indexes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, exists, func, literal_column, select
from sqlalchemy.sql import table as sql_table

__all__ = ["SCHEMA_8", "SEARCHED", "candidates", "install", "match", "rebuild", "rowids_in", "uses_index"]

log = logging.getLogger("eventwire.store")

# The columns the read queries search with icontains, per table (store/queries.py).
SEARCHED: dict[str, tuple[str, ...]] = {
    "articles": ("title", "text"),
    "entities": ("name",),
    "attributions": ("source_text",),
    "events": ("actor_text", "target_text", "place_name"),
    "entity_names": ("name",),  # schema 15: the entity search's (one row per key and name, not per article)
}

# The tables indexed since schema 8 (migrations 8 and 10 index these; 15 adds entity_names).
SCHEMA_8 = ("articles", "entities", "attributions", "events")

# Tables indexed with positions (detail='full'), searched with them (_near); the others detail='none'.
DETAIL: dict[str, str] = {"articles": "full"}

# Trigrams of a long q beyond this many add little (a row holding 4 of q's trigrams, spread over it, nearly
# always holds q; the LIKE decides) and each costs one more row list read: a full name's events at 1M events
# (30 names, list_events with q, CPU ms median) 19.1 with 10, 15.2-15.9 with 4 or 5, 13.3-14.0 with 3
# (its first, middle and last: kept at 4 for the longer names of real text, whose 3 may match more rows).
# A q of several words is asked for 3 of them, one across its words (_asked).
MAX_TRIGRAMS = 4


def _fts(name: str) -> str:
    return f"{name}_fts"


def _sqlite_ddl(name: str, cols: tuple[str, ...]) -> list[str]:
    fts = _fts(name)
    listed = ", ".join(cols)
    new = ", ".join(f"new.{c}" for c in cols)
    old = ", ".join(f"old.{c}" for c in cols)
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({listed}, content='{name}', "
        f"tokenize='trigram', detail='{DETAIL.get(name, 'none')}', columnsize=0)",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {name} BEGIN "
        f"INSERT INTO {fts}(rowid, {listed}) VALUES (new.rowid, {new}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {name} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {listed}) VALUES ('delete', old.rowid, {old}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {listed} ON {name} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {listed}) VALUES ('delete', old.rowid, {old}); "
        f"INSERT INTO {fts}(rowid, {listed}) VALUES (new.rowid, {new}); END",
    ]


def install(conn: Connection, *, fill: bool, tables: Sequence[str] = tuple(SEARCHED)) -> None:
    """Create the search indexes of ``tables`` (all of :data:`SEARCHED`) on this backend (idempotent);
    ``fill``: index the rows already there (a migration; a new database has none)."""
    if conn.dialect.name == "sqlite":
        for name in tables:
            for ddl in _sqlite_ddl(name, SEARCHED[name]):
                conn.exec_driver_sql(ddl)
            if fill:
                rebuild(conn, name)
    elif conn.dialect.name == "postgresql":
        _install_trgm(conn, tables)


def rebuild(conn: Connection, name: str) -> None:
    """Re-index the FTS table of ``name`` from its content (SQLite)."""
    conn.exec_driver_sql(f"INSERT INTO {_fts(name)}({_fts(name)}) VALUES ('rebuild')")


def _install_trgm(conn: Connection, tables: Sequence[str]) -> None:
    try:
        with conn.begin_nested():  # a failure here must not abort the schema's transaction
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as e:
        log.warning("pg_trgm unavailable (%s): text search will scan; CREATE EXTENSION pg_trgm as a "
                    "superuser, then reopen the store to index it", str(e).splitlines()[0])
        return
    for name in tables:
        for col in SEARCHED[name]:
            conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_{name}_{col}_trgm ON {name} "
                                 f"USING gin ({col} gin_trgm_ops)")


def uses_index(conn: Connection, name: str) -> bool:
    """Whether :func:`match` has an FTS table for ``name`` (SQLite at schema 8 or later)."""
    if conn.dialect.name != "sqlite":
        return False
    found = conn.execute(select(exists().where(
        literal_column("type") == "table", literal_column("name") == _fts(name)).select_from(
        sql_table("sqlite_master")))).scalar()
    return bool(found)


def _candidates_query(conn: Connection, name: str, q: str) -> Select[Any] | None:
    """The rowids of ``name``'s rows whose searched columns may hold ``q``: every trigram of it asked
    (:func:`_asked`), or where the index has positions its first and last as near as in q; None where
    there is no index to ask."""
    grams = list(dict.fromkeys(q[i:i + 3] for i in range(len(q) - 2)))
    if not grams or not uses_index(conn, name):
        return None
    expr = _near(q) if DETAIL.get(name) == "full" else " AND ".join(_quoted(g) for g in _asked(grams))
    fts = _fts(name)
    return select(literal_column("rowid")).select_from(sql_table(fts)).where(
        literal_column(fts).op("MATCH")(expr))


def _asked(grams: list[str]) -> list[str]:
    """The trigrams of q (``grams``, distinct, in q's order) an index without positions is asked for.

    Where q has words (a trigram with a space between two other characters: "a O" of "Ana Ortiz"), its
    first trigram, the first one across a gap between its words and its last: a trigram across words is
    tied to the two words together, so its row list is short (a name's first and last name each recur with
    other names), and an AND led by a short list skips through the others.  A full name's events at 1M
    events (40 names, the index read and the LIKE count, CPU ms summed, best of 3): 366 with 4 trigrams
    spread over q, 321 with 3 spread, 261 so.  Otherwise up to MAX_TRIGRAMS, spread over q: the first, the
    last and evenly between."""
    if len(grams) <= 3:
        return grams
    across = [g for g in grams[1:-1] if g[1].isspace() and not g[0].isspace() and not g[2].isspace()]
    if across:
        return [grams[0], across[0], grams[-1]]
    if len(grams) <= MAX_TRIGRAMS:
        return grams
    step = (len(grams) - 1) / (MAX_TRIGRAMS - 1)
    return [grams[round(i * step)] for i in range(MAX_TRIGRAMS)]


def match(conn: Connection, name: str, q: str) -> ColumnElement[bool] | None:
    """A condition on ``name``'s rowid: among the rows whose searched columns hold every trigram of ``q``;
    None where there is no index to ask (PostgreSQL: its trgm indexes serve the LIKE itself; a short ``q``;
    no FTS table).  Always used beside the LIKE, never instead of it."""
    rowids = _candidates_query(conn, name, q)
    return None if rowids is None else literal_column(f"{name}.rowid").in_(rowids)


def candidates(conn: Connection, name: str, q: str) -> str | None:
    """:func:`match`'s rows, asked once: their rowids as a JSON array (for :func:`rowids_in`, so that the
    queries of one search, its page and its count, do not each ask the index again; one string, where a
    full name's ~3,400 rowids as Python rows cost ~3 ms more); None where :func:`match` is."""
    rowids = _candidates_query(conn, name, q)
    if rowids is None:
        return None
    listed = select(func.json_group_array(rowids.selected_columns[0])).select_from(rowids.subquery())
    return str(conn.execute(listed).scalar_one())


def rowids_in(name: str, rowids: str, *, steer: bool = False) -> ColumnElement[bool]:
    """``name``'s rows among ``rowids`` (a JSON array, read by SQLite's json_each).  ``steer``:
    the list may not drive the query (a unary ``+`` takes the rowid out of the planner's reach), so that
    SQLite walks the index its ORDER BY has and stops at LIMIT, testing each row against the list (a full
    name's ~3,300 of 1M events: 50 of the newest in ~2.6 ms, where fetching and sorting all 3,300 rows took
    ~12 ms)."""
    each: Select[Any] = select(literal_column("value")).select_from(func.json_each(rowids))
    return literal_column(f"{'+' if steer else ''}{name}.rowid").in_(each)


def _near(q: str) -> str:
    """The FTS5 query of the rows with ``q``'s first and last trigram at most as far apart as they are in
    ``q``: a superset of the rows with q as a phrase (its trigrams one after the other), read from two
    position lists instead of one per trigram of q.  A full name at 1M events (30 names, articles' index,
    CPU ms of the MATCH, best of 3): ~9 as a phrase, ~3.3 so, for ~3 % more candidates (the LIKE
    decides); its first, middle and last trigram ~4.8."""
    n = len(q) - 2  # q's trigrams, the first at position 0, the last at n - 1
    if n <= 2:
        return _quoted(q)  # one or two trigrams: the phrase reads no more lists
    # NEAR(a b, k): a and b (in either order) with at most k tokens between them; in q, n - 2
    return f"NEAR({_quoted(q[:3])} {_quoted(q[-3:])}, {n - 2})"


def _quoted(s: str) -> str:
    """``s`` as an FTS5 string: in double quotes, its own doubled (nothing in it is query syntax)."""
    return '"' + s.replace('"', '""') + '"'
