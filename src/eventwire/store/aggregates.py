"""Counts kept beside the rows they count: ``event_days`` (events per place country, day and type) and the
per-entity counts (``entity_totals``, ``entity_days``, ``entity_edges``: an entity's summary, timeline and
network, schema 11; ``entity_names``: what the entity search reads, schema 15).

``SqlStore.put`` adds an article's counts in the transaction that inserts its events (and takes out those of
the version it supersedes), and migration 7 builds them for a database that has events already.  An upsert
adds to a count that is there: ``ON CONFLICT DO UPDATE``, which SQLite (3.24+) and PostgreSQL both have,
each behind its own SQLAlchemy dialect.  Counts are added in key order, so concurrent PostgreSQL writers
lock rows in one order and cannot deadlock; a count taken to zero is deleted (no empty day, no dead edge).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, and_, bindparam, delete, select, update

from .tables import entity_days, entity_edges, entity_names, entity_totals, event_day, event_days

__all__ = ["EntityCounts", "add_entity_counts", "add_event_days", "day_counts", "entity_counts", "entity_key",
           "remove_entity_counts", "remove_event_days"]


def day_counts(rows: Iterable[dict[str, Any]]) -> Counter[tuple[str, str, str]]:
    """``(place country or '', day, type) -> events`` of ``events`` table rows dated to a day."""
    out: Counter[tuple[str, str, str]] = Counter()
    for r in rows:
        day = event_day(r["date"])
        if day is not None:
            out[(r["place_country"] or "", day, r["type"])] += 1
    return out


def add_event_days(conn: Connection, counts: Counter[tuple[str, str, str]]) -> None:
    """Add ``counts`` to ``event_days``."""
    _add(conn, event_days, {k: {"n": n} for k, n in counts.items()})


def _add(conn: Connection, table: Table, counts: dict[tuple[str, ...], dict[str, int]]) -> None:
    """Add each ``{column: amount}`` of ``counts`` to the row of ``table`` whose primary key is the tuple."""
    if not counts:
        return
    keys = [c.name for c in table.primary_key.columns]
    rows = [{**dict(zip(keys, k, strict=True)), **v} for k, v in sorted(counts.items())]
    added = list(rows[0].keys() - set(keys))
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        from sqlalchemy.dialects import postgresql, sqlite

        stmt = (sqlite if dialect == "sqlite" else postgresql).insert(table)
        stmt = stmt.on_conflict_do_update(index_elements=[table.c[k] for k in keys],
                                          set_={c: table.c[c] + stmt.excluded[c] for c in added})
        conn.execute(stmt, rows)
        return
    for r in rows:  # any other backend: read, then update or insert
        where = [table.c[k] == r[k] for k in keys]
        if conn.execute(select(table.c[keys[0]]).where(*where)).first() is None:
            conn.execute(table.insert(), [r])
        else:
            conn.execute(update(table).where(*where).values({c: table.c[c] + r[c] for c in added}))


def _remove(conn: Connection, table: Table, counts: dict[tuple[str, ...], dict[str, int]]) -> None:
    """Take ``counts`` out of ``table`` and delete the rows whose count (``n``) reaches zero."""
    if not counts:
        return
    _add(conn, table, {k: {c: -n for c, n in v.items()} for k, v in counts.items()})
    keys = [c.name for c in table.primary_key.columns]
    where = and_(*[table.c[k] == bindparam(f"k_{k}") for k in keys], table.c.n <= 0)
    conn.execute(delete(table).where(where),
                 [{f"k_{k}": v for k, v in zip(keys, key, strict=True)} for key in sorted(counts)])


def remove_event_days(conn: Connection, counts: Counter[tuple[str, str, str]]) -> None:
    """Take ``counts`` (of events deleted: an article superseded by a new version) out of ``event_days``,
    dropping the buckets that reach zero so the timeline lists no empty day."""
    _remove(conn, event_days, {k: {"n": n} for k, n in counts.items()})


def entity_key(kb_id: str | None, etype: str, name: str) -> str:
    """An entity's key (``kb:<id>`` / ``name:<TYPE>:<name>``), spelled as ``queries.entity_key_sql``."""
    return f"kb:{kb_id}" if kb_id else f"name:{etype}:{name}"


@dataclass
class EntityCounts:
    """One article's (or many articles') share of the per-entity tables."""

    totals: dict[str, Counter[str]] = field(default_factory=dict)  # key -> {"n": rows, "mentions": m}
    days: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)  # (key, role, day, type)
    edges: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # (actor key, target key, type)
    names: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)  # (key, name, type, country)


def entity_counts(entity_rows: Iterable[dict[str, Any]], mention_rows: Iterable[dict[str, Any]],
                  event_rows: Iterable[dict[str, Any]]) -> EntityCounts:
    """The per-entity counts of ``entities``, ``mentions`` and ``events`` table rows (of one or more
    articles; entities need ``article_id, id, kb_id, type, name, country``, mentions ``article_id,
    entity_id``, events ``article_id, actor_entity, target_entity, date, type``)."""
    out = EntityCounts()
    keys: dict[tuple[str, str], str] = {}
    for e in entity_rows:
        key = entity_key(e["kb_id"], e["type"], e["name"])
        keys[(e["article_id"], e["id"])] = key
        out.totals.setdefault(key, Counter())["n"] += 1
        out.names[(key, e["name"], e["type"], e.get("country") or "")] += 1
    for m in mention_rows:
        named = keys.get((m["article_id"], m["entity_id"]))
        if named is not None:
            out.totals[named]["mentions"] += 1
    for ev in event_rows:
        actor = keys.get((ev["article_id"], ev["actor_entity"])) if ev["actor_entity"] else None
        target = keys.get((ev["article_id"], ev["target_entity"])) if ev["target_entity"] else None
        day = event_day(ev["date"])
        for role, end in (("actor", actor), ("target", target)):
            if end is not None and day is not None:
                out.days[(end, role, day, ev["type"])] += 1
        if actor is not None and target is not None:
            out.edges[(actor, target, ev["type"])] += 1
    return out


def _tables(counts: EntityCounts) -> list[tuple[Table, dict[tuple[str, ...], dict[str, int]]]]:
    totals: dict[tuple[str, ...], dict[str, int]] = {
        (k,): {"n": c["n"], "mentions": c["mentions"]} for k, c in counts.totals.items()}
    return [(entity_totals, totals),
            (entity_days, {k: {"n": n} for k, n in counts.days.items()}),
            (entity_edges, {k: {"n": n} for k, n in counts.edges.items()}),
            (entity_names, {k: {"n": n} for k, n in counts.names.items()})]


def add_entity_counts(conn: Connection, counts: EntityCounts) -> None:
    """Add an article's per-entity counts (its rows are being inserted in this transaction)."""
    for table, rows in _tables(counts):
        _add(conn, table, rows)


def remove_entity_counts(conn: Connection, counts: EntityCounts) -> None:
    """Take out the per-entity counts of rows being deleted (an article superseded by a new version)."""
    for table, rows in _tables(counts):
        _remove(conn, table, rows)
