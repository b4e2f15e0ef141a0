"""Read queries for the API, the web UI and the exports: portable SQLAlchemy Core, bound parameters only.

Every user-supplied value reaches the database as a bound parameter (``==``, ``icontains(autoescape=True)``,
``in_``); nothing is formatted into SQL text.  List queries return a :class:`Page` with the total count of
matching rows, so a client can page.

Entities are per article in the store (``E1`` of one article is not ``E1`` of another).  Across articles an
entity is named by a **key**: ``kb:<kb_id>`` when the linker gave one (``kb:iso3166:VEN``), otherwise
``name:<TYPE>:<name>`` (``name:PERSON:Ana Pérez``).  :func:`entity_key` builds it, :func:`key_filter`
matches it.

Every text filter (``q``) is :func:`text_filter`: a case-insensitive substring match, led by the search index
of schema 8 where there is one (store/fulltext.py), with the same rows as the plain scan.

The events table arrived with schema version 3; the event queries answer empty on a database (or a code
version) without it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import (
    ColumnElement,
    Connection,
    String,
    Table,
    and_,
    case,
    cast,
    func,
    inspect,
    literal,
    literal_column,
    or_,
    select,
)

from . import fulltext
from .aggregates import entity_key
from .fulltext import SEARCHED
from .tables import (
    article_flags,
    article_stories,
    articles,
    attributions,
    entities,
    entity_days,
    entity_edges,
    entity_names,
    entity_totals,
    event_day,
    event_days,
    events,
    incident_reports,
    incidents,
    mentions,
    stories,
)

__all__ = ["MAX_LIMIT", "SEARCH_TOTAL_CAP", "Page", "Row", "article_exists", "article_leads",
           "article_story", "attribution_content", "attribution_keys", "entity_articles",
           "entity_attributions", "entity_event_days", "entity_key", "entity_key_sql", "entity_network",
           "entity_summary", "event_keys", "has_table", "key_filter", "list_articles", "list_attributions",
           "list_entities", "list_events", "list_incidents", "list_stories", "overview_counts",
           "parse_entity_key", "story_articles", "story_detail", "text_filter", "timeline_articles",
           "timeline_attributions", "timeline_events"]

Row = dict[str, Any]

# Rows fetched at a time by the streamed key queries (event_keys, attribution_keys): a server-side cursor on
# PostgreSQL, so an export of 1M events never holds more than this many keys in memory.
_STREAM_ROWS = 1000

# Largest page a client may ask for: a page of 500 attributions with content text is ~1 MB of JSON; more
# belongs in `eventwire export`.
MAX_LIMIT = 500

# A text search (``q``) of articles, events or attributions counts its matches up to this many; past it the
# page's ``total`` is this number, a lower bound, with ``total_capped``.  Counting every match read every
# matching row: a full name's ~3,300 of 1M events or ~3,200 of 50k articles, ~12 of the ~19 ms CPU of
# either search (SQLite); up to the cap, ~3 ms.
SEARCH_TOTAL_CAP = 1000


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list query and the number of rows matching in all (``total_capped``: at least that
    many, a text search that stopped counting at SEARCH_TOTAL_CAP)."""

    total: int
    limit: int
    offset: int
    items: list[Row] = field(default_factory=list)
    total_capped: bool = False


def has_table(conn: Connection, name: str) -> bool:
    return bool(inspect(conn).has_table(name))


# -- entity keys ------------------------------------------------------------------------------------------

def parse_entity_key(key: str) -> tuple[str | None, str | None, str | None]:
    """``(kb_id, type, name)`` of a key; ValueError when it is not one."""
    if key.startswith("kb:") and len(key) > 3:
        return key[3:], None, None
    if key.startswith("name:"):
        etype, sep, name = key[5:].partition(":")
        if sep and etype and name:
            return None, etype, name
    raise ValueError(f"not an entity key: {key!r} (expected kb:<id> or name:<TYPE>:<name>)")


def entity_key_sql(table: Any = entities) -> ColumnElement[str]:
    """The key as a SQL expression (the same string :func:`entity_key` makes)."""
    return case(
        (table.c.kb_id.is_not(None), literal("kb:", String) + table.c.kb_id),
        else_=literal("name:", String) + table.c.type + literal(":", String) + table.c.name,
    )


def key_filter(key: str, table: Any = entities) -> ColumnElement[bool]:
    """Rows of ``table`` (entities or an alias of it) that are the entity ``key``."""
    kb_id, etype, name = parse_entity_key(key)
    if kb_id is not None:
        return table.c.kb_id == kb_id  # type: ignore[no-any-return]
    return and_(table.c.kb_id.is_(None), table.c.type == etype, table.c.name == name)


def text_filter(conn: Connection, table: Table, q: str) -> list[ColumnElement[bool]]:
    """Rows of ``table`` with ``q`` in one of its searched columns (fulltext.SEARCHED), any case: the
    substring LIKE of every text filter, led by the search index where the backend has one to ask
    (SQLite FTS5; PostgreSQL's trigram indexes serve the LIKE itself).  The index narrows, the LIKE
    decides: the rows are the scan's."""
    like = _like(conn, table, q)
    hit = fulltext.match(conn, table.name, q)
    return [like] if hit is None else [hit, like]


def _like(conn: Connection, table: Table, q: str) -> ColumnElement[bool]:
    """``q`` in one of ``table``'s searched columns, any case.  SQLite's LIKE ignores the case of ASCII
    letters only, as its lower() folds them only: ``x LIKE q`` is ``lower(x) LIKE lower(q)``, without a
    lowered copy of each text (an article's ~1,500 characters; a full name's search at 1M events reads up to
    1,001 of them).  PostgreSQL: ILIKE, which its trigram indexes serve."""
    if conn.dialect.name == "sqlite":
        return or_(*[table.c[col].contains(q, autoescape=True) for col in SEARCHED[table.name]])
    return or_(*[table.c[col].icontains(q, autoescape=True) for col in SEARCHED[table.name]])


# -- articles -------------------------------------------------------------------------------------------

def _paged(conn: Connection, query: Any, limit: int, offset: int, *,
           windowed: bool = False) -> tuple[int, list[Row]]:
    """The total and one page of ``query``.  ``windowed``: the total from ``count(*) over ()`` in the same
    pass, for queries whose matches are all read and sorted anyway (a text search led by its index: one
    pass over ~12,000 candidate rows instead of two, at 1M events); otherwise a separate count, which reads
    index entries only, while the page stops at ``limit`` (and none where the page is its last:
    :func:`_short_page_total`)."""
    if windowed:
        rows = [dict(r) for r in conn.execute(query.add_columns(func.count().over().label("_total"))
                                                  .limit(limit).offset(offset)).mappings()]
        if rows or not offset:
            total = int(rows[0]["_total"]) if rows else 0
            for r in rows:
                del r["_total"]
            return total, rows
        # past the last page: no row carries the total
    else:
        rows = [dict(r) for r in conn.execute(query.limit(limit).offset(offset)).mappings()]
        known = _short_page_total(len(rows), limit, offset)
        if known is not None:
            return known, rows
    total = conn.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    return int(total), rows


def _short_page_total(n: int, limit: int, offset: int) -> int | None:
    """The total of a page of ``n`` rows where the page tells it: a page shorter than its limit is the last,
    so the total is ``offset + n`` (an empty first page: 0); None where a count must say.  The count it
    saves is a second pass over the matches: an entity's attributions at 1M events (~3,400 entity rows,
    each joined to its article) ~1.2 ms CPU, as much as the page."""
    if limit > 0 and (0 < n < limit or (n == 0 and offset == 0)):
        return offset + n
    return None


@dataclass(frozen=True, slots=True)
class _Search:
    """A text search among the rows of a list query, its index asked once: the conditions that select the
    matches (in place of :func:`text_filter`'s) and, where counted already, their number up to
    SEARCH_TOTAL_CAP (None: counted with the page, in the same pass)."""

    where: list[ColumnElement[bool]]
    total: int | None = None
    capped: bool = False


def _search(conn: Connection, table: Table, q: str, from_: Any, where: list[ColumnElement[bool]], *,
            steer: bool) -> _Search:
    """``q`` among the rows of ``from_`` (``table``, or a join of it) that meet ``where``.

    With a SQLite search index: its candidates are read once, the matches among them counted up to
    SEARCH_TOTAL_CAP + 1 (in rowid order: no sort); up to the cap the page is sorted from those matches
    alone, past it (``steer``: its ORDER BY has an index) SQLite walks that index and stops at the page's
    last row.  Elsewhere (PostgreSQL, whose trigram indexes serve the LIKE; a q without a trigram) the
    conditions of :func:`text_filter`, counted with the page."""
    found = fulltext.candidates(conn, table.name, q)
    if found is None:
        return _Search(text_filter(conn, table, q))
    like = _like(conn, table, q)
    rowid: ColumnElement[Any] = literal_column(f"{table.name}.rowid")
    among = fulltext.rowids_in(table.name, found)
    first = (select(rowid.label("r")).select_from(from_).where(*where, among, like)
             .limit(SEARCH_TOTAL_CAP + 1).subquery())
    n, matched = conn.execute(select(func.count(), func.json_group_array(first.c.r))).one()
    if n <= SEARCH_TOTAL_CAP:
        return _Search([fulltext.rowids_in(table.name, str(matched))], int(n))
    return _Search([fulltext.rowids_in(table.name, found, steer=steer), like], SEARCH_TOTAL_CAP, True)


def _search_paged(conn: Connection, query: Any, limit: int, offset: int,
                  search: _Search | None, *, windowed: bool) -> tuple[int, bool, list[Row]]:
    """:func:`_paged` for a list query that may hold a text search: ``(total, capped, rows)``."""
    if search is not None and search.total is not None:
        rows = [dict(r) for r in conn.execute(query.limit(limit).offset(offset)).mappings()]
        return search.total, search.capped, rows
    total, rows = _paged(conn, query, limit, offset, windowed=windowed)
    if search is not None and total > SEARCH_TOTAL_CAP:  # the same answer as SQLite's
        return SEARCH_TOTAL_CAP, True, rows
    return total, False, rows


def _searched(q: str | None) -> bool:
    """Whether a text filter ``q`` is led by an index (store/fulltext.py: q has a trigram)."""
    return q is not None and len(q) >= 3


def _day_range(column: Any, date_from: str | None, date_to: str | None) -> list[ColumnElement[bool]]:
    # ISO-8601 text sorts as time: '2024-03-05T09:00+01:00' >= '2024-03-05'; the upper bound is exclusive of
    # the next day, so '2024-03-05T23:59' <= '2024-03-05' + '~' ('~' sorts after every ISO character).
    out: list[ColumnElement[bool]] = []
    if date_from:
        out.append(column >= date_from)
    if date_to:
        out.append(column <= date_to + "~")
    return out


def list_articles(conn: Connection, *, q: str | None = None, site: str | None = None,
                  language: str | None = None, status: str | None = None, date_from: str | None = None,
                  date_to: str | None = None, entity: str | None = None, limit: int = 50,
                  offset: int = 0) -> Page:
    """Articles newest first (undated last): id, title, published, site, counts."""
    where: list[ColumnElement[bool]] = []
    if site:
        where.append(articles.c.site == site)
    if language:
        where.append(articles.c.language == language)
    if status:
        where.append(articles.c.status == status)
    where += _day_range(articles.c.published, date_from, date_to)
    if entity:
        where.append(articles.c.id.in_(select(entities.c.article_id).where(key_filter(entity))))
    # The page's ids first, then its columns and counts: with the counts in the sorted query they were
    # computed for every match (9,155 articles naming "Ana Ortiz" at 1M events), not for the 50 shown.
    newest = (articles.c.published.desc().nulls_last(), articles.c.id)
    search = _search(conn, articles, q, articles, where, steer=True) if q else None
    keys = select(articles.c.id).where(*where, *(search.where if search else ())).order_by(*newest)
    total, capped, page = _search_paged(conn, keys, limit, offset, search, windowed=_searched(q))
    ids = [r["id"] for r in page]
    if not ids:
        return Page(total, limit, offset, [], capped)
    n_entities = (select(func.count()).select_from(entities)
                  .where(entities.c.article_id == articles.c.id).scalar_subquery())
    n_attr = (select(func.count()).select_from(attributions)
              .where(attributions.c.article_id == articles.c.id).scalar_subquery())
    query = select(articles.c.id, articles.c.title, articles.c.published, articles.c.site, articles.c.url,
                   articles.c.language, articles.c.status, func.substr(articles.c.text, 1, 240).label("lead"),
                   n_entities.label("n_entities"), n_attr.label("n_attributions")
                   ).where(articles.c.id.in_(ids))
    by_id = {r["id"]: dict(r) for r in conn.execute(query).mappings()}
    return Page(total, limit, offset, [by_id[i] for i in ids], capped)


def article_leads(conn: Connection, ids: Sequence[str], *, chars: int = 120) -> dict[str, str]:
    """The first ``chars`` characters of the untitled articles among ``ids``: their label in lists."""
    if not ids:
        return {}
    query = (select(articles.c.id, func.substr(articles.c.text, 1, chars))
             .where(articles.c.id.in_(sorted(set(ids))), articles.c.title.is_(None)))
    return {str(i): str(t or "") for i, t in conn.execute(query)}


def article_exists(conn: Connection, article_id: str) -> bool:
    return conn.execute(select(articles.c.id).where(articles.c.id == article_id)).first() is not None


def overview_counts(conn: Connection) -> dict[str, int]:
    """Rows of the tables an analyst counts: articles, entities (per article), attributions, events.

    Cheaper than ``SqlStore.counts`` (which also counts 3M mentions at 1M events: 0.6 s on every overview).
    """
    out = {}
    for name, table in (("articles", articles), ("entities", entities), ("attributions", attributions)):
        out[name] = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    out["events"] = int(conn.execute(select(func.count()).select_from(events)).scalar_one()) \
        if has_table(conn, "events") else 0
    return out


# -- entities -------------------------------------------------------------------------------------------

def list_entities(conn: Connection, *, q: str | None = None, type: str | None = None,
                  country: str | None = None, recent: int | None = None, limit: int = 50,
                  offset: int = 0, mentions: bool = True) -> Page:
    """Entities across articles (grouped by key), most articles first.

    ``mentions``: count each row's mentions (``mentions`` key); off where they are not shown (the search page:
    39 of its ~110 ms for a full name at 1M events).

    ``recent``: only the newest that many articles (the overview's "most covered": grouping every entity
    row of a 1M-event store, ~2.5M rows, takes seconds; the newest 1,000 articles take ~0.1 s).
    """
    if q and not recent and has_table(conn, entity_names.name):
        return _search_entities(conn, q, type=type, country=country, limit=limit, offset=offset,
                                mentions=mentions)
    key = entity_key_sql().label("key")
    where: list[ColumnElement[bool]] = []
    if q:
        where += text_filter(conn, entities, q)
    if type:
        where.append(entities.c.type == type)
    if country:
        where.append(entities.c.country == country)
    if recent:
        newest = (select(articles.c.id).order_by(articles.c.published.desc().nulls_last(), articles.c.id)
                  .limit(recent))
        where.append(entities.c.article_id.in_(newest))
    n_articles = func.count(func.distinct(entities.c.article_id))
    query = (select(key, func.min(entities.c.name).label("name"), func.min(entities.c.type).label("type"),
                    func.max(entities.c.country).label("country"), func.max(entities.c.kb_id).label("kb_id"),
                    n_articles.label("articles"))
             .where(*where).group_by(key).order_by(n_articles.desc(), key))
    total, rows = _paged(conn, query, limit, offset, windowed=_searched(q))
    # Mentions only for the rows shown: a correlated count per entity row made the query scan mentions too.
    if not mentions:
        return Page(total, limit, offset, rows)
    counts = _mention_counts(conn, [r["key"] for r in rows], where)
    for r in rows:
        r["mentions"] = counts.get(r["key"], 0)
    return Page(total, limit, offset, rows)


def _search_entities(conn: Connection, q: str, *, type: str | None, country: str | None, limit: int,
                     offset: int, mentions: bool) -> Page:
    """:func:`list_entities` with ``q`` from ``entity_names`` (schema 15): the same rows, grouped from one
    row per key and name instead of one per entity row (at 1M events a full name: ~3,200 entity rows read
    and grouped, ~21 ms; here a few rows).  Its "articles" are the matching entity rows of the key, which is
    what ``count(distinct article_id)`` counts while a key is named once per article (entity_summary's
    "articles" counts the same way)."""
    t = entity_names
    where = text_filter(conn, t, q)
    if type:
        where.append(t.c.type == type)
    if country:
        where.append(t.c.country == country)
    n = func.sum(t.c.n)
    query = (select(t.c.key, func.min(t.c.name).label("name"), func.min(t.c.type).label("type"),
                    func.max(func.nullif(t.c.country, "")).label("country"), n.label("articles"))
             .where(*where).group_by(t.c.key).order_by(n.desc(), t.c.key))
    total, found = _paged(conn, query, limit, offset, windowed=_searched(q))
    rows: list[dict[str, Any]] = [
        {"key": r["key"], "name": r["name"], "type": r["type"], "country": r["country"],
         "kb_id": r["key"][3:] if r["key"].startswith("kb:") else None, "articles": int(r["articles"])}
        for r in found]
    if not mentions:
        return Page(total, limit, offset, rows)
    # The mentions of the entity rows that match, as list_entities counts them.  A key all of whose rows
    # match (the usual case: one name) has them counted in entity_totals; the others are counted from
    # their rows (the LIKE alone, through the shown keys' index): 40 full names at 1M events, 8.6 ms CPU a
    # search with every key counted from its rows.
    shown = {r["key"]: r["articles"] for r in rows}
    counts: dict[str, int] = {}
    if rows:
        tot = entity_totals
        for k, n, m in conn.execute(select(tot.c.key, tot.c.n, tot.c.mentions).where(tot.c.key.in_(shown))):
            if n == shown[k]:
                counts[k] = int(m)
    like: list[ColumnElement[bool]] = [_like(conn, entities, q)]
    if type:
        like.append(entities.c.type == type)
    if country:
        like.append(entities.c.country == country)
    counts.update(_mention_counts(conn, [k for k in shown if k not in counts], like))
    for r in rows:
        r["mentions"] = counts.get(r["key"], 0)
    return Page(total, limit, offset, rows)


def _mention_counts(conn: Connection, keys: list[str], where: list[ColumnElement[bool]]) -> dict[str, int]:
    if not keys:
        return {}
    key = entity_key_sql().label("key")
    on = and_(mentions.c.article_id == entities.c.article_id, mentions.c.entity_id == entities.c.id)
    query = (select(key, func.count().label("n")).select_from(entities.join(mentions, on))
             .where(or_(*[key_filter(k) for k in keys]), *where).group_by(key))
    return {r.key: int(r.n) for r in conn.execute(query)}


def entity_summary(conn: Connection, key: str) -> Row | None:
    """Name, type, country and counts of the entity ``key``; None when no article has it."""
    counted = has_table(conn, entity_totals.name)
    if has_table(conn, entity_names.name):
        # schema 15: min/max over the key's few name rows, not its every entity row (~3,400 for a person
        # at 1M events: ~4 ms)
        t = entity_names
        named = conn.execute(select(func.min(t.c.name), func.min(t.c.type),
                                    func.max(func.nullif(t.c.country, ""))).where(t.c.key == key)).one()
        out: dict[str, Any] = {"name": named[0], "type": named[1], "country": named[2],
                               "kb_id": key[3:] if key.startswith("kb:") else None}
    else:
        names = select(func.min(entities.c.name).label("name"), func.min(entities.c.type).label("type"),
                       func.max(entities.c.country).label("country"),
                       func.max(entities.c.kb_id).label("kb_id"))
        if not counted:
            names = names.add_columns(func.count().label("articles"))
        out = dict(conn.execute(names.where(key_filter(key))).mappings().one())
    if counted:  # kept by the store (schema 11): the mentions were a join over the entity's every row
        totals = conn.execute(select(entity_totals.c.n, entity_totals.c.mentions)
                              .where(entity_totals.c.key == key)).first()
        out["articles"], out["mentions"] = (int(totals[0]), int(totals[1])) if totals else (0, 0)
    if not out["articles"]:
        return None
    out["key"] = key
    if not counted:
        on = and_(mentions.c.article_id == entities.c.article_id, mentions.c.entity_id == entities.c.id)
        mentioned = select(func.count()).select_from(mentions.join(entities, on)).where(key_filter(key))
        out["mentions"] = int(conn.execute(mentioned).scalar_one())
    return out


# An entity's newest articles are found by walking the articles' date index when the walk is expected to
# stop within this many entries (limit x articles / articles naming it): a person in ~3,200 of 50k articles
# at 1M events, 50 newest in ~1.5 ms instead of ~5.7 ms joining and sorting all 3,200.
_WALK_ENTRIES = 20_000


def entity_articles(conn: Connection, key: str, *, limit: int = 50) -> list[Row]:
    """The articles naming entity ``key`` (with its id there), newest first."""
    newest = (articles.c.published.desc().nulls_last(), articles.c.id)
    columns = (articles.c.id.label("article_id"), articles.c.title, articles.c.published,
               entities.c.id.label("entity_id"))
    joined = entities.join(articles, articles.c.id == entities.c.article_id)
    if _walk_pays(conn, key, limit):
        # the newest articles naming it, from the date index (a unary + keeps the id list from driving),
        # then its rows in those articles
        ids = (select(articles.c.id).where(literal_column("+articles.id").in_(
            select(entities.c.article_id).where(key_filter(key)))).order_by(*newest).limit(limit))
        query = (select(*columns).select_from(joined).where(key_filter(key), articles.c.id.in_(ids))
                 .order_by(*newest, entities.c.id).limit(limit))
    else:
        query = (select(*columns).select_from(joined).where(key_filter(key))
                 .order_by(*newest, entities.c.id).limit(limit))
    return [dict(r) for r in conn.execute(query).mappings()]


def _walk_pays(conn: Connection, key: str, limit: int) -> bool:
    """Whether walking the articles' date index finds ``limit`` articles naming ``key`` within
    _WALK_ENTRIES entries (SQLite, with the per-entity counts of schema 11; the largest rowid stands for
    the number of articles)."""
    if conn.dialect.name != "sqlite" or not has_table(conn, entity_totals.name):
        return False
    n = conn.execute(select(entity_totals.c.n).where(entity_totals.c.key == key)).scalar()
    if not n:
        return False
    stored = conn.execute(select(func.max(literal_column("rowid"))).select_from(articles)).scalar() or 0
    return limit * int(stored) <= _WALK_ENTRIES * int(n)


# -- attributions ---------------------------------------------------------------------------------------

def attribution_content(text: str, content: Sequence[Sequence[int]]) -> str:
    return " … ".join(text[int(s):int(e)] for s, e in content)


def _source_on(src: Any) -> ColumnElement[bool]:
    return and_(src.c.article_id == attributions.c.article_id, src.c.id == attributions.c.source_entity)


def list_attributions(conn: Connection, *, source_entity: str | None = None, article_id: str | None = None,
                      kind: str | None = None, factuality: str | None = None, anonymous: bool | None = None,
                      q: str | None = None, date_from: str | None = None, date_to: str | None = None,
                      limit: int = 50, offset: int = 0) -> Page:
    """Attributions with their source, cue and content words, newest article first."""
    src = entities.alias("src")
    joined = (attributions.join(articles, articles.c.id == attributions.c.article_id)
              .outerjoin(src, _source_on(src)))
    query = (
        select(attributions.c.article_id, attributions.c.id, attributions.c.kind, attributions.c.source,
               attributions.c.source_text, attributions.c.source_entity, attributions.c.anonymous,
               attributions.c.anonymous_description, attributions.c.cue, attributions.c.content,
               attributions.c.factuality, attributions.c.via, attributions.c.confidence,
               articles.c.title, articles.c.published, src.c.name.label("source_name"),
               src.c.type.label("source_type"), src.c.kb_id.label("source_kb_id"))
        .select_from(joined)
    )
    where = _attribution_where(conn, src, source_entity=source_entity, article_id=article_id, kind=kind,
                               factuality=factuality, anonymous=anonymous, q=None, date_from=date_from,
                               date_to=date_to)
    # not steered: the sort key is the article's, through a join
    search = _search(conn, attributions, q, joined, where, steer=False) if q else None
    query = query.where(*where, *(search.where if search else ())).order_by(
        articles.c.published.desc().nulls_last(), attributions.c.article_id, attributions.c.seq)
    total, capped, rows = _search_paged(conn, query, limit, offset, search, windowed=_searched(q))
    _fill_attribution_text(conn, rows)
    return Page(total, limit, offset, rows, capped)


def _attribution_where(conn: Connection, src: Any, *, source_entity: str | None, article_id: str | None,
                       kind: str | None, factuality: str | None, anonymous: bool | None, q: str | None,
                       date_from: str | None, date_to: str | None,
                       site: str | None = None) -> list[ColumnElement[bool]]:
    """Conditions on attributions joined to their article (and to ``src``, the source entity's alias)."""
    where: list[ColumnElement[bool]] = []
    if source_entity:
        where.append(key_filter(source_entity, src))
    if article_id:
        where.append(attributions.c.article_id == article_id)
    if kind:
        where.append(attributions.c.kind == kind)
    if factuality:
        where.append(attributions.c.factuality == factuality)
    if anonymous is not None:
        where.append(attributions.c.anonymous == anonymous)
    if q:
        where += text_filter(conn, attributions, q)
    if site:
        where.append(articles.c.site == site)
    where += _day_range(articles.c.published, date_from, date_to)
    return where


def attribution_keys(conn: Connection, *, source_entity: str | None = None, kind: str | None = None,
                     factuality: str | None = None, anonymous: bool | None = None, q: str | None = None,
                     date_from: str | None = None, date_to: str | None = None,
                     site: str | None = None) -> Iterator[tuple[str, str]]:
    """``(article_id, attribution id)`` of every attribution :func:`list_attributions` matches (and of
    ``site``), streamed article by article, newest article first: what ``eventwire export`` writes."""
    src = entities.alias("src")
    where = _attribution_where(conn, src, source_entity=source_entity, article_id=None, kind=kind,
                               factuality=factuality, anonymous=anonymous, q=q, date_from=date_from,
                               date_to=date_to, site=site)
    joined = attributions.join(articles, articles.c.id == attributions.c.article_id)
    if source_entity:
        joined = joined.outerjoin(src, _source_on(src))
    query = (select(attributions.c.article_id, attributions.c.id).select_from(joined).where(*where)
             .order_by(articles.c.published.desc().nulls_last(), attributions.c.article_id,
                       attributions.c.seq))
    for article_id, attribution_id in conn.execution_options(yield_per=_STREAM_ROWS).execute(query):
        yield str(article_id), str(attribution_id)


def entity_attributions(conn: Connection, key: str, *, limit: int = 50) -> list[Row]:
    """What entity ``key`` is reported to have said, newest first."""
    return list_attributions(conn, source_entity=key, limit=limit).items


def _fill_attribution_text(conn: Connection, rows: list[Row]) -> None:
    """Content and cue words are re-read from the article text (the store keeps spans, not copies)."""
    ids = sorted({r["article_id"] for r in rows})
    if not ids:
        return
    texts = dict(conn.execute(select(articles.c.id, articles.c.text).where(articles.c.id.in_(ids))).all())
    for r in rows:
        text = texts[r["article_id"]]
        r["content_text"] = attribution_content(text, r["content"] or [])
        cue = r["cue"]
        r["cue_text"] = text[cue[0]:cue[1]] if cue else None
        if r.get("source_kb_id") is not None or r.get("source_name") is not None:
            r["source_key"] = entity_key(r.pop("source_kb_id", None), r["source_type"], r["source_name"])
        else:
            r.pop("source_kb_id", None)
            r["source_key"] = None


# -- timelines ------------------------------------------------------------------------------------------

def timeline_articles(conn: Connection, *, date_from: str | None = None, date_to: str | None = None,
                      entity: str | None = None) -> list[Row]:
    """Articles per publication day: ``{day, type: "article", count}``."""
    day = func.substr(articles.c.published, 1, 10).label("day")
    where = [articles.c.published.is_not(None), *_day_range(articles.c.published, date_from, date_to)]
    if entity:
        where.append(articles.c.id.in_(select(entities.c.article_id).where(key_filter(entity))))
    query = select(day, func.count().label("count")).where(*where).group_by(day).order_by(day)
    return [{"day": r.day, "type": "article", "count": int(r._mapping["count"])} for r in conn.execute(query)]


def timeline_attributions(conn: Connection, *, date_from: str | None = None, date_to: str | None = None,
                          source_entity: str | None = None, kind: str | None = None) -> list[Row]:
    """Attributions per publication day and kind: ``{day, type: kind, count}``."""
    day = func.substr(articles.c.published, 1, 10).label("day")
    src = entities.alias("src")
    joined = attributions.join(articles, articles.c.id == attributions.c.article_id)
    where = [articles.c.published.is_not(None), *_day_range(articles.c.published, date_from, date_to)]
    if source_entity:
        joined = joined.join(src, _source_on(src))
        where.append(key_filter(source_entity, src))
    if kind:
        where.append(attributions.c.kind == kind)
    kind_col = cast(attributions.c.kind, String).label("type")
    query = (select(day, kind_col, func.count().label("count")).select_from(joined).where(*where)
             .group_by(day, kind_col).order_by(day, kind_col))
    return [{"day": r.day, "type": r.type, "count": int(r._mapping["count"])} for r in conn.execute(query)]


# -- events ---------------------------------------------------------------------------------------------
# The events table came with schema version 3.  A store migrates on open, but these also answer (empty) on
# a database opened read-only or by other means that lacks the table.

def _events_table() -> Table:
    return events


def _events_ready(conn: Connection) -> Table | None:
    return events if has_table(conn, "events") else None


def _span_out(d: Any) -> Row | None:
    """``{"span": [s, e], "text": t}`` (Event.to_dict) as ``{"start", "end", "text"}``."""
    if not d or d.get("span") is None:
        return None
    s, e = d["span"]
    return {"start": int(s), "end": int(e), "text": d.get("text") or ""}


def _event_item(data: Any, r: Any) -> Row:
    """An events row (its ``data`` JSON and joined columns) in the shape of the API's EventItem."""
    if isinstance(data, str):
        data = json.loads(data)

    def arg(a: Any, key: str | None) -> Row | None:
        if not a:
            return None
        return {"span": _span_out(a), "entity": a.get("entity"), "key": key, "name": a.get("name"),
                "country": a.get("country"), "sector": a.get("sector")}

    def key(prefix: str) -> str | None:
        if f"{prefix}_name" not in r:  # the events' own keys (schema 12)
            return r["actor_key" if prefix == "ae" else "target_key"]  # type: ignore[no-any-return]
        name = r[f"{prefix}_name"]
        return None if name is None else entity_key(r[f"{prefix}_kb_id"], r[f"{prefix}_type"], name)

    place = data.get("place")
    date = data.get("date")
    return {
        "article_id": r["article_id"], "id": data["id"], "type": data["type"], "mode": data.get("mode"),
        "trigger": _span_out(data["trigger"]),
        "actor": arg(data.get("actor"), key("ae")), "target": arg(data.get("target"), key("te")),
        "date": None if not date else {"value": date["value"], "precision": date["precision"],
                                       "source": date.get("source", "text")},
        "place": None if not place else {**place, "span": _span_out(place)},
        "quantities": [{**q, "span": _span_out(q)} for q in data.get("quantities", [])],
        "factuality": data.get("factuality", "asserted"),
        "factuality_cues": [x for x in (_span_out(c) for c in data.get("factuality_cues", [])) if x],
        "attribution": data.get("attribution"), "sentence": int(data.get("sentence", 0)),
        "confidence": float(data.get("confidence", 1.0)), "title": r["title"], "published": r["published"],
    }


def _event_where(conn: Connection, ev: Table, *, type: str | None, country: str | None, date_from: str | None,
                 date_to: str | None, factuality: str | None, q: str | None, article_id: str | None,
                 actor_country: str | None = None,
                 target_country: str | None = None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if type:
        where.append(ev.c.type == type)
    # country = where the event happened (as ACLED's country and GDELT's ActionGeo): one indexed column, so
    # a country's timeline reads (place_country, date, type) index entries only; an OR over the actor's and
    # target's countries too made SQLite fetch ~1/15 of all event rows (~250 ms at 300k events).
    if country:
        where.append(ev.c.place_country == country)
    if actor_country:
        where.append(ev.c.actor_country == actor_country)
    if target_country:
        where.append(ev.c.target_country == target_country)
    where += _day_range(ev.c.date, date_from, date_to)
    if factuality:
        where.append(ev.c.factuality == factuality)
    if q:
        where += text_filter(conn, ev, q)
    if article_id:
        where.append(ev.c.article_id == article_id)
    return where


def _role_on(ev: Any, ent: Any, role: str) -> ColumnElement[bool]:
    # Both columns, so the planner takes the (article_id, actor_entity) index of schema 4 (tables.py).
    return and_(ent.c.article_id == ev.c.article_id, ent.c.id == ev.c[f"{role}_entity"])


def _filtered(conn: Connection, ev: Table, actor: str | None,
              target: str | None) -> tuple[Any, list[ColumnElement[bool]]]:
    """The events table (joined to what it must be) and the actor/target key conditions: on the events'
    own key columns (schema 12), else through a join to the entities named by the keys."""
    if _keyed(conn):
        return ev, [ev.c[f"{role}_key"] == key for role, key in (("actor", actor), ("target", target)) if key]
    return _joined(ev, actor, target)


def _keyed(conn: Connection) -> bool:
    """Whether the events have their entity keys (schema 12; cached per DBAPI connection: once there, they
    stay)."""
    if not conn.info.get("eventwire_event_keys"):
        if "actor_key" not in {c["name"] for c in inspect(conn).get_columns(events.name)}:
            return False
        conn.info["eventwire_event_keys"] = True
    return True


def _joined(ev: Table, actor: str | None, target: str | None) -> tuple[Any, list[ColumnElement[bool]]]:
    """The events table joined to the entities named by the actor/target keys, and those key conditions."""
    joined: Any = ev
    where: list[ColumnElement[bool]] = []
    for role, key in (("actor", actor), ("target", target)):
        if key:
            ent = entities.alias(f"{role}_filter")
            joined = joined.join(ent, _role_on(ev, ent, role))
            where.append(key_filter(key, ent))
    return joined, where


_EVENT_SORTS = {"date": ("date", False), "-date": ("date", True), "type": ("type", False),
                "confidence": ("confidence", False), "-confidence": ("confidence", True)}


def list_events(conn: Connection, *, type: str | None = None, actor: str | None = None,
                target: str | None = None, country: str | None = None, date_from: str | None = None,
                date_to: str | None = None, factuality: str | None = None, q: str | None = None,
                article_id: str | None = None, actor_country: str | None = None,
                target_country: str | None = None, sort: str = "-date", limit: int = 50,
                offset: int = 0) -> Page:
    """Events matching every filter given, as EventItem-shaped rows (``country``: where it happened)."""
    ev = _events_ready(conn)
    if ev is None:
        return Page(0, limit, offset, [])
    joined, where = _filtered(conn, ev, actor, target)
    where += _event_where(conn, ev, type=type, country=country, date_from=date_from, date_to=date_to,
                          factuality=factuality, q=None, article_id=article_id, actor_country=actor_country,
                          target_country=target_country)
    column, desc = _EVENT_SORTS.get(sort, ("date", True))
    # steered by date only: the confidence sort has no index (a walk would read every event)
    search = _search(conn, ev, q, joined, where, steer=column == "date") if q else None
    if search is not None:
        where += search.where

    def ordered(t: Any) -> list[Any]:
        key = t.c[column].desc().nulls_last() if desc else t.c[column].asc().nulls_last()
        return [key, t.c.article_id, t.c.seq]

    # The page's keys first, then its display columns: joining articles and entities before the sort and
    # the limit did it for every match (1,239 events of one actor in 1M: 50 of the 59 ms).
    # With an actor or target the matches are few (an entity's events) and all of them are sorted anyway:
    # count(*) over () brings the total in the same pass; so with a text q led by its index (~12,000
    # candidates for a full name at 1M events: page and count were 36 + 33 ms, one pass now).  Otherwise
    # (a type, a country, nothing) the page comes from an index in order and stops at the limit, and a
    # separate count reads index entries only; a window count there would sort every match (1M with no
    # filter).
    # With the events' own keys (schema 12) an entity's events are one index range: its page stops at the
    # limit (the index gives the date order; ties are sorted) and the count reads index entries only, where
    # a window count sorted all of them (~1 ms of an actor's 1,250 events at 1M).
    keyed = _keyed(conn)
    counted = search is not None and search.total is not None
    windowed = not counted and ((bool(actor or target) and not keyed) or _searched(q))
    total_col = func.count().over() if windowed else literal(0)
    page = (select(ev.c.article_id, ev.c.id, ev.c.seq, ev.c[column], total_col.label("total"))
            .select_from(joined).where(*where)
            .order_by(*ordered(ev)).limit(limit).offset(offset).subquery("page"))
    e2 = ev.alias("e2")
    shown = (page.join(e2, and_(e2.c.article_id == page.c.article_id, e2.c.id == page.c.id))
             .join(articles, articles.c.id == e2.c.article_id))
    columns: list[Any] = [e2.c.article_id, e2.c.data, articles.c.title, articles.c.published, page.c.total]
    if keyed:  # the actor's and target's keys are the events' own: no look-up of two entity rows per event
        columns += [e2.c.actor_key, e2.c.target_key]
    else:
        ae = entities.alias("ae")
        te = entities.alias("te")
        shown = shown.outerjoin(ae, _role_on(e2, ae, "actor")).outerjoin(te, _role_on(e2, te, "target"))
        columns += [ae.c.name.label("ae_name"), ae.c.type.label("ae_type"), ae.c.kb_id.label("ae_kb_id"),
                    te.c.name.label("te_name"), te.c.type.label("te_type"), te.c.kb_id.label("te_kb_id")]
    query = select(*columns).select_from(shown).order_by(*ordered(page))
    rows = conn.execute(query).mappings().all()
    if search is not None and search.total is not None:
        total = search.total
    elif windowed and rows:
        total = int(rows[0]["total"])
    elif windowed and not offset:
        total = 0
    elif (short := _short_page_total(len(rows), limit, offset)) is not None:
        total = short
    else:  # no window, or past the last page where no row carries the total
        total = int(conn.execute(select(func.count()).select_from(joined).where(*where)).scalar_one())
    capped = search is not None and (search.capped or total > SEARCH_TOTAL_CAP)
    return Page(min(total, SEARCH_TOTAL_CAP) if capped else total, limit, offset,
                [_event_item(r["data"], r) for r in rows], capped)


def event_keys(conn: Connection, *, type: str | None = None, actor: str | None = None,
               target: str | None = None, country: str | None = None, date_from: str | None = None,
               date_to: str | None = None, factuality: str | None = None, q: str | None = None,
               site: str | None = None) -> Iterator[tuple[str, str]]:
    """``(article_id, event id)`` of every event :func:`list_events` matches (and of ``site``), streamed
    article by article, newest article first: what ``eventwire export`` writes, so an export and the API
    agree on which events a filter means (dates compare as the stored, sortable ``events.date`` key: a
    week-dated event is in the range its Monday is in)."""
    ev = _events_ready(conn)
    if ev is None:
        return
    joined, where = _filtered(conn, ev, actor, target)
    where += _event_where(conn, ev, type=type, country=country, date_from=date_from, date_to=date_to,
                          factuality=factuality, q=q, article_id=None)
    if site:
        where.append(articles.c.site == site)
    query = (select(ev.c.article_id, ev.c.id)
             .select_from(joined.join(articles, articles.c.id == ev.c.article_id)).where(*where)
             .order_by(articles.c.published.desc().nulls_last(), ev.c.article_id, ev.c.seq))
    for article_id, event_id in conn.execution_options(yield_per=_STREAM_ROWS).execute(query):
        yield str(article_id), str(event_id)


def timeline_events(conn: Connection, *, type: str | None = None, actor: str | None = None,
                    target: str | None = None, country: str | None = None, date_from: str | None = None,
                    date_to: str | None = None, q: str | None = None) -> list[Row]:
    """Events per day and PLOVER type: ``{day, type, count}`` (events dated to a day or finer); ``q`` as in
    :func:`list_events` (words of the actor, target or place)."""
    ev = _events_ready(conn)
    if ev is None:
        return []
    if not actor and not target and not q and has_table(conn, "event_days"):
        return _timeline_from_counts(conn, type=type, country=country, date_from=date_from, date_to=date_to)
    if bool(actor) != bool(target) and not country and not q and has_table(conn, entity_days.name):
        role, key = ("actor", actor) if actor else ("target", target)
        return _entity_timeline(conn, str(key), role, type=type, date_from=date_from, date_to=date_to)
    joined, where = _filtered(conn, ev, actor, target)
    where += _event_where(conn, ev, type=type, country=country, date_from=date_from, date_to=date_to,
                          factuality=None, q=q, article_id=None)
    # An actor's or target's events (~1,200 of 1M for a busy name) are grouped from their rows, in the
    # (article_id, actor_entity, date, ...) index.  Values with a time ("2024-03-05T14:00") are folded into
    # their day; weeks, months and PAST_REF have no place on a day axis (event_day).
    query = (select(ev.c.date, ev.c.type, func.count().label("n")).select_from(joined).where(*where)
             .group_by(ev.c.date, ev.c.type))
    counts: dict[tuple[str, str], int] = {}
    for date, etype, n in conn.execute(query).all():
        day = event_day(date)
        if day is not None:
            counts[(day, etype)] = counts.get((day, etype), 0) + n
    return [{"day": d, "type": t, "count": n} for (d, t), n in sorted(counts.items())]


def _timeline_from_counts(conn: Connection, *, type: str | None, country: str | None, date_from: str | None,
                          date_to: str | None) -> list[Row]:
    """The timeline from ``event_days`` (kept by the store): a country's year is ~5,400 rows of its primary
    key, where the events index had ~67,000 entries at 1M events (country timeline 19 -> ~3 ms CPU)."""
    where: list[ColumnElement[bool]] = []
    if type:
        where.append(event_days.c.type == type)
    if country:
        where.append(event_days.c.place_country == country)
    where += _day_range(event_days.c.day, date_from, date_to)
    if country:  # one country: its rows, in key order
        query = (select(event_days.c.day, event_days.c.type, event_days.c.n).where(*where)
                 .order_by(event_days.c.day, event_days.c.type))
    else:  # every country: summed
        total = func.sum(event_days.c.n)
        query = (select(event_days.c.day, event_days.c.type, total).where(*where)
                 .group_by(event_days.c.day, event_days.c.type).order_by(event_days.c.day, event_days.c.type))
    return [{"day": d, "type": t, "count": int(n)} for d, t, n in conn.execute(query).all()]


def _entity_timeline(conn: Connection, key: str, role: str, *, type: str | None, date_from: str | None,
                     date_to: str | None) -> list[Row]:
    """One entity's timeline in one role from ``entity_days`` (kept by the store, schema 11): ~16 -> ~1 ms
    for a person in ~3,400 articles at 1M events."""
    where = [entity_days.c.key == key, entity_days.c.role == role]
    if type:
        where.append(entity_days.c.type == type)
    where += _day_range(entity_days.c.day, date_from, date_to)
    query = (select(entity_days.c.day, entity_days.c.type, entity_days.c.n).where(*where)
             .order_by(entity_days.c.day, entity_days.c.type))
    return [{"day": d, "type": t, "count": int(n)} for d, t, n in conn.execute(query).all()]


def entity_event_days(conn: Connection, key: str, role: str) -> list[Row]:
    """Events per day of entity ``key`` as ``role`` ("actor" or "target"), every type together: ``{day,
    count}``, the sums of :func:`timeline_events`' buckets per day (the entity page's chart draws no types).
    From ``entity_days``: a person in ~3,400 articles at 1M events has ~2,850 (day, type) rows over 336 days,
    read and charted in ~5.6 ms CPU by type, ~1.5 ms by day."""
    if role not in ("actor", "target"):
        raise ValueError(f"role is actor or target, not {role!r}")
    if _events_ready(conn) is not None and has_table(conn, entity_days.name):
        query = (select(entity_days.c.day, func.sum(entity_days.c.n))
                 .where(entity_days.c.key == key, entity_days.c.role == role)
                 .group_by(entity_days.c.day).order_by(entity_days.c.day))
        return [{"day": d, "count": int(n)} for d, n in conn.execute(query).all()]
    days: dict[str, int] = {}
    for b in timeline_events(conn, **{role: key}):
        days[b["day"]] = days.get(b["day"], 0) + int(b["count"])
    return [{"day": d, "count": n} for d, n in sorted(days.items())]


def entity_network(conn: Connection, key: str, *, limit: int = 30) -> list[Row]:
    """Actor → target edges among the events entity ``key`` takes part in, most events first."""
    ev = _events_ready(conn)
    if ev is None:
        return []
    if has_table(conn, entity_edges.name):
        return _network_from_counts(conn, key, limit)
    edges: dict[tuple[str, str], Row] = {}
    # Two indexed lookups (key as actor, key as target) instead of one OR over both joins, which would scan.
    for role in ("actor", "target"):
        joined, where = _joined(ev, key if role == "actor" else None, key if role == "target" else None)
        me = joined.right
        other = entities.alias("other")
        joined = joined.join(other, _role_on(ev, other, "target" if role == "actor" else "actor"))
        ae, te = (me, other) if role == "actor" else (other, me)
        a_key = entity_key_sql(ae).label("actor_key")
        t_key = entity_key_sql(te).label("target_key")
        query = (select(a_key, func.min(ae.c.name).label("actor_name"), t_key,
                        func.min(te.c.name).label("target_name"), ev.c.type, func.count().label("n"))
                 .select_from(joined).where(*where).group_by(a_key, t_key, ev.c.type))
        for r in conn.execute(query).mappings():
            if role == "target" and r["actor_key"] == key:
                continue  # counted from the actor side already
            e = edges.setdefault((r["actor_key"], r["target_key"]), {
                "actor_key": r["actor_key"], "actor_name": r["actor_name"], "target_key": r["target_key"],
                "target_name": r["target_name"], "count": 0, "types": {}})
            e["count"] += int(r["n"])
            e["types"][r["type"]] = e["types"].get(r["type"], 0) + int(r["n"])
    return sorted(edges.values(), key=lambda e: (-e["count"], e["actor_key"], e["target_key"]))[:limit]


def _network_from_counts(conn: Connection, key: str, limit: int) -> list[Row]:
    """:func:`entity_network` from ``entity_edges`` (kept by the store, schema 11): grouping the events of a
    person in ~3,400 articles took ~54 ms of SQLite CPU at 1M events; its edges are a few hundred rows.

    One query: the pairs summed and ranked in SQL (~2,450 edge rows for such a person), then the type rows
    of the first ``limit`` pairs only, where Python summed every row (3.9 -> 2.1 ms CPU, 30 people, median).
    Each pair's types come in the order its rows were read when Python summed them all (SQLite's plan of
    ``actor_key = k OR target_key = k``: the primary key's order where k is the actor, the order written
    where it is the target); PostgreSQL, which had no such order, lists them by type."""
    ee = entity_edges
    n = func.sum(ee.c.n).label("n")
    actor, target = _bytewise(conn, ee.c.actor_key), _bytewise(conn, ee.c.target_key)
    top = (select(ee.c.actor_key, ee.c.target_key, n)
           .where(or_(ee.c.actor_key == key, ee.c.target_key == key))
           .group_by(ee.c.actor_key, ee.c.target_key)
           .order_by(n.desc(), actor, target).limit(limit).cte("top"))
    e = ee.alias("e")
    written = literal_column("e.rowid") if conn.dialect.name == "sqlite" else e.c.type
    pair = and_(e.c.actor_key == top.c.actor_key, e.c.target_key == top.c.target_key)
    query = (select(top.c.actor_key, top.c.target_key, top.c.n, e.c.type, e.c.n)
             .select_from(top.join(e, pair))
             .order_by(top.c.n.desc(), _bytewise(conn, top.c.actor_key), _bytewise(conn, top.c.target_key),
                       case((top.c.actor_key == key, e.c.type)), written))
    edges: dict[tuple[str, str], Row] = {}
    for a, t, count, etype, n_type in conn.execute(query).all():
        found = edges.get((a, t))
        if found is None:
            found = edges[(a, t)] = {"actor_key": a, "target_key": t, "count": int(count), "types": {}}
        found["types"][etype] = int(n_type)
    top_edges = list(edges.values())
    names = _names(conn, {k for e in top_edges for k in (e["actor_key"], e["target_key"])})
    return [{"actor_key": e["actor_key"], "actor_name": names.get(e["actor_key"], e["actor_key"]),
             "target_key": e["target_key"], "target_name": names.get(e["target_key"], e["target_key"]),
             "count": e["count"], "types": e["types"]} for e in top_edges]


def _bytewise(conn: Connection, column: Any) -> Any:
    """``column`` ordered as Python orders str (by code point): SQLite's BINARY collation does, UTF-8 bytes
    in order; PostgreSQL's default collation may follow a locale, its "C" one does not."""
    return column.collate("C") if conn.dialect.name == "postgresql" else column


def _names(conn: Connection, keys: set[str]) -> dict[str, str]:
    """The name shown for each key: a name key's own; a knowledge-base entity's first name (as
    :func:`entity_summary`'s)."""
    out: dict[str, str] = {}
    kb: list[str] = []
    for k in keys:
        kb_id, _etype, name = parse_entity_key(k)
        if kb_id is None:
            out[k] = str(name)
        else:
            kb.append(kb_id)
    if kb:
        query = (select(entities.c.kb_id, func.min(entities.c.name)).where(entities.c.kb_id.in_(sorted(kb)))
                 .group_by(entities.c.kb_id))
        out.update({f"kb:{kb_id}": str(name) for kb_id, name in conn.execute(query)})
    return out


# -- stories, incidents, copies and flags (schema 13) ---------------------------------------------------

def _outlet(site: str | None, url: str | None, article_id: str) -> str:
    """An article's outlet: its site name, else its URL's host without ``www.`` (as aggregate/incidents.py
    counts sources), else the article itself."""
    if site:
        return site.lower()
    host = (urlsplit(url).hostname or "") if url else ""
    return host.removeprefix("www.") or f"article:{article_id}"


def _story_sources(story_ids: Sequence[str], conn: Connection) -> dict[str, int]:
    """Independent sources per story: distinct outlets of its current articles that copy no other."""
    if not story_ids:
        return {}
    query = (select(article_stories.c.story_id, articles.c.site, articles.c.url, articles.c.id)
             .join(articles, articles.c.id == article_stories.c.article_id)
             .where(article_stories.c.story_id.in_(sorted(set(story_ids))),
                    article_stories.c.duplicate_of.is_(None)))
    outlets: dict[str, set[str]] = {}
    for sid, site, url, article_id in conn.execute(query):
        outlets.setdefault(str(sid), set()).add(_outlet(site, url, article_id))
    return {sid: len(found) for sid, found in outlets.items()}


def list_stories(conn: Connection, *, q: str | None = None, date_from: str | None = None,
                 date_to: str | None = None, min_articles: int = 1, limit: int = 50, offset: int = 0) -> Page:
    """Stories, most recently published first: id, title, first/last publication, articles, independent
    sources, incidents; `q` searches the story's title."""
    n_incidents = (select(func.count()).select_from(incidents)
                   .where(incidents.c.story_id == stories.c.id).scalar_subquery())
    query = select(stories.c.id, stories.c.title, stories.c.first_published, stories.c.last_published,
                   stories.c.articles, n_incidents.label("incidents"))
    where: list[ColumnElement[bool]] = [stories.c.articles >= min_articles]
    if q:
        where.append(stories.c.title.icontains(q, autoescape=True))
    where += _day_range(stories.c.last_published, date_from, None)
    if date_to:
        where.append(stories.c.first_published <= date_to + "~")
    query = query.where(*where).order_by(stories.c.last_published.desc().nulls_last(), stories.c.id)
    total, rows = _paged(conn, query, limit, offset)
    sources = _story_sources([r["id"] for r in rows], conn)
    for r in rows:
        r["independent_sources"] = sources.get(r["id"], 0)
    return Page(total, limit, offset, rows)


def story_articles(conn: Connection, story_id: str, *, limit: int = 500) -> list[Row]:
    """A story's current articles, oldest first, with the copy each one is and its number of flags."""
    n_flags = (select(func.count()).select_from(article_flags)
               .where(article_flags.c.article_id == articles.c.id).scalar_subquery())
    query = (select(articles.c.id, articles.c.title, articles.c.published, articles.c.site, articles.c.url,
                    article_stories.c.duplicate_of, n_flags.label("flags"))
             .join(article_stories, article_stories.c.article_id == articles.c.id)
             .where(article_stories.c.story_id == story_id)
             .order_by(articles.c.published.nulls_last(), articles.c.id).limit(limit))
    return [dict(r) for r in conn.execute(query).mappings()]


def story_detail(conn: Connection, story_id: str) -> Row | None:
    """One story: its row, its articles, its incidents (most reported first)."""
    row = conn.execute(select(stories.c.id, stories.c.title, stories.c.first_published,
                              stories.c.last_published, stories.c.articles)
                       .where(stories.c.id == story_id)).mappings().first()
    if row is None:
        return None
    out = dict(row)
    out["independent_sources"] = _story_sources([story_id], conn).get(story_id, 0)
    out["article_refs"] = story_articles(conn, story_id)
    out["incidents"] = list_incidents(conn, story_id=story_id, limit=MAX_LIMIT).items
    return out


def list_incidents(conn: Connection, *, type: str | None = None, country: str | None = None,
                   date_from: str | None = None, date_to: str | None = None, story_id: str | None = None,
                   min_sources: int | None = None, conflicts: bool | None = None, actor: str | None = None,
                   target: str | None = None, limit: int = 50, offset: int = 0) -> Page:
    """Incidents, most independent sources first, then newest; each item is its stored record (id, type,
    date, place, actors, targets, articles, independent_sources, fatalities, conflicts, story_id).
    ``actor`` / ``target``: an entity key, as for events: incidents one of whose reports has that actor or
    target (events by their key index, then their incidents by incident_reports' (article, event) index)."""
    query = select(incidents.c.record)
    where: list[ColumnElement[bool]] = []
    for key, column in ((actor, events.c.actor_key), (target, events.c.target_key)):
        if key:
            where.append(incidents.c.id.in_(
                select(incident_reports.c.incident_id)
                .join(events, and_(events.c.article_id == incident_reports.c.article_id,
                                   events.c.id == incident_reports.c.event_id))
                .where(column == key)))
    if type:
        where.append(incidents.c.type == type)
    if country:
        where.append(incidents.c.country == country)
    if story_id:
        where.append(incidents.c.story_id == story_id)
    if min_sources:
        where.append(incidents.c.independent_sources >= min_sources)
    if conflicts is not None:
        where.append(incidents.c.conflicts > 0 if conflicts else incidents.c.conflicts == 0)
    where += _day_range(incidents.c.date_first, date_from, date_to)
    query = query.where(*where).order_by(incidents.c.independent_sources.desc(),
                                         incidents.c.date_first.desc().nulls_last(), incidents.c.id)
    total, rows = _paged(conn, query, limit, offset)
    return Page(total, limit, offset, [_json_value(r["record"]) for r in rows])


def _json_value(value: Any) -> Row:
    """A JSON column's value (SQLite drivers may hand back the text)."""
    return dict(json.loads(value) if isinstance(value, str) else value)


def article_story(conn: Connection, article_id: str) -> Row:
    """``{story_id, duplicate_of, flags}`` of one article (None, None, [] before it has a story)."""
    row = conn.execute(select(article_stories.c.story_id, article_stories.c.duplicate_of)
                       .where(article_stories.c.article_id == article_id)).first()
    flags = [_json_value(r) for r in conn.execute(select(article_flags.c.record)
                                                  .where(article_flags.c.article_id == article_id)
                                                  .order_by(article_flags.c.seq)).scalars()]
    return {"story_id": None if row is None else row[0], "duplicate_of": None if row is None else row[1],
            "flags": flags}
