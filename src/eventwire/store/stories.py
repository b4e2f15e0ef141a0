"""The store's side of stories, copies, incidents and flags (schema 13): writes, on one connection.

:class:`SqlStoryBackend` is the index that ``aggregate.stories.OnlineStories`` assigns stories over (its
``StoryBackend`` protocol); the other functions replace an article's flags, a story's incidents, and keep the
MinHash bands that find copies.  Nothing here decides anything: aggregate/ does, this module stores.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, TextClause, delete, func, select, text, update

from ..model import Article, Flag, Incident, article_from_dict
from .tables import (
    article_bands,
    article_flags,
    article_stories,
    article_versions,
    articles,
    incident_reports,
    incidents,
    stories,
    story_df,
    story_keys,
    story_terms,
)
from .versions import article_identity

__all__ = ["DOCUMENTS", "SqlStoryBackend", "StoryVersion", "SumsCache", "add_bands", "band_matches",
           "forget_article", "replace_flags", "replace_incidents", "story_article_ids", "superseded_members"]

DOCUMENTS = "*"  # the story_df key whose count is the number of articles assigned

# SQLite allows 32,766 bound parameters per statement (3.32+), PostgreSQL 65,535: 900 keeps well below both
# even for statements binding several values per row.
_CHUNK = 900


def _chunks(values: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _upsert(conn: Connection, table: Any, rows: list[dict[str, Any]], keys: list[Any],
            set_: Mapping[str, Any] | None = None) -> None:
    """INSERT ... ON CONFLICT DO UPDATE (or DO NOTHING without ``set_``) on SQLite and PostgreSQL."""
    if not rows:
        return
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    if set_ is None:
        stmt = stmt.on_conflict_do_nothing(index_elements=keys)
    else:
        stmt = stmt.on_conflict_do_update(index_elements=keys,
                                          set_={k: v(stmt.excluded) if callable(v) else v
                                                for k, v in set_.items()})
    for chunk in _chunks(rows, _CHUNK // max(len(rows[0]), 1)):
        conn.execute(stmt, list(chunk))


def _insert_rows(conn: Connection, table: Any, columns: Sequence[str], rows: Sequence[tuple[Any, ...]],
                 on_conflict: str = "") -> None:
    """Many rows of plain values in one driver ``executemany``, ``on_conflict`` appended (an ``ON CONFLICT``
    clause both SQLite and PostgreSQL read).  The rows an article writes (~600 story terms, ~600 document
    counts, 48 index keys) went through Core's per-row parameter processing: 2.5 ms of the stories layer's
    ~11 ms per article on the ingest bench (bench/ingest_stories.py); the driver takes them as they are."""
    if not rows:
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
           f"{' ' + on_conflict if on_conflict else ''}")
    conn.exec_driver_sql(sql, list(rows))


# (seq, articles, norm_words, norm_names) of a story's row: any write of the story by anyone changes it (every
# save takes a new seq under the document-count row's lock; a drop changes the member count and norms)
StoryVersion = tuple[int, int, float, float]
SumsCache = Mapping[str, tuple[StoryVersion, dict[str, float]]]


@cache
def _recent_statement(n: int) -> TextClause:
    """UNION ALL of ``n`` index ranges of story_keys, terms and limit bound (``:t0`` ... ``:lim``).  Text,
    built once per ``n``: building the same query as 48 Core subqueries cost 30 ms per article in Python."""
    one = ("SELECT * FROM (SELECT term, story_id, seq FROM story_keys WHERE term = :t{i} "
           "ORDER BY seq DESC LIMIT :lim) AS k{i}")
    return text(" UNION ALL ".join(one.format(i=i) for i in range(n)))


class SqlStoryBackend:
    """``aggregate.stories.StoryBackend`` over the schema-10 tables, inside the caller's transaction."""

    def __init__(self, conn: Connection, cache: SumsCache | None = None) -> None:
        self.conn = conn
        self._documents: int | None = None
        # story id -> its sums as stored in this transaction (read, or checked against ``cache``): save
        # writes only the rows that differ from them
        self._stored: dict[str, dict[str, float]] = {}
        self._cache = cache
        # what ``cache`` learns from this transaction's writes, for the caller to keep once it committed
        self.written: dict[str, tuple[StoryVersion, dict[str, float]] | None] = {}

    def _version(self, story_id: str) -> StoryVersion | None:
        row = self.conn.execute(select(stories.c.seq, stories.c.articles, stories.c.norm_words,
                                       stories.c.norm_names).where(stories.c.id == story_id)).first()
        return None if row is None else (int(row[0]), int(row[1]), float(row[2]), float(row[3]))

    def documents(self) -> int:
        # kept as the count of a reserved story_df key ("*": every real term has a part prefix): a COUNT(*)
        # of article_stories is a scan, 4 ms at 100k articles on SQLite and growing
        if self._documents is None:
            self._documents = int(self.conn.execute(select(story_df.c.df).where(story_df.c.term == DOCUMENTS))
                                  .scalar() or 0)
        return self._documents

    def df(self, terms: Collection[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for chunk in _chunks(sorted(terms)):
            out.update({t: int(n) for t, n in self.conn.execute(
                select(story_df.c.term, story_df.c.df).where(story_df.c.term.in_(chunk)))})
        return out

    def count(self, terms: Collection[str]) -> None:
        # sorted: concurrent PostgreSQL writers lock the rows in one order and cannot deadlock
        _insert_rows(self.conn, story_df, ("term", "df"), [(t, 1) for t in sorted({*terms, DOCUMENTS})],
                     "ON CONFLICT (term) DO UPDATE SET df = story_df.df + 1")
        self._documents = self.documents() + 1

    def recent_many(self, terms: Sequence[str], limit: int) -> dict[str, list[str]]:
        """term -> the ``limit`` stories most recently posted under it, for all ``terms`` in one statement (48
        round trips cost 8 ms per article at 2,000 stored)."""
        if not terms:
            return {}
        params: dict[str, Any] = {f"t{i}": t for i, t in enumerate(terms)}
        params["lim"] = limit
        out: dict[str, list[tuple[int, str]]] = {}
        for term, sid, seq in self.conn.execute(_recent_statement(len(terms)), params).all():
            out.setdefault(term, []).append((int(seq), sid))
        return {t: [sid for _, sid in sorted(rows, reverse=True)] for t, rows in out.items()}

    def overlap(self, story_ids: Collection[str], terms: Collection[str]) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        ids = sorted(story_ids)
        for chunk in _chunks(sorted(terms), _CHUNK - len(ids)):
            for sid, term, weight in self.conn.execute(
                    select(story_terms.c.story_id, story_terms.c.term, story_terms.c.weight)
                    .where(story_terms.c.term.in_(chunk), story_terms.c.story_id.in_(ids))).all():
                out.setdefault(sid, {})[term] = float(weight)
        return out

    def norms(self, story_ids: Collection[str]) -> dict[str, tuple[float, ...]]:
        return {sid: (float(w), float(n)) for sid, w, n in self.conn.execute(
            select(stories.c.id, stories.c.norm_words, stories.c.norm_names)
            .where(stories.c.id.in_(sorted(story_ids))))}

    def uncount(self, terms: Collection[str]) -> None:
        """One document fewer holding each of ``terms`` (a superseded article leaving the counts)."""
        keys = sorted({*terms, DOCUMENTS})
        for chunk in _chunks(keys):
            self.conn.execute(update(story_df).where(story_df.c.term.in_(chunk)).values(df=story_df.c.df - 1))
            self.conn.execute(delete(story_df).where(story_df.c.term.in_(chunk), story_df.c.df <= 0,
                                                     story_df.c.term != DOCUMENTS))
        self._documents = max(self.documents() - 1, 0)

    def sums(self, story_id: str) -> dict[str, float]:
        hit = self._cache.get(story_id) if self._cache is not None else None
        if hit is not None and hit[0] == self._version(story_id):
            stored = hit[1]  # nobody wrote the story since this process did: its ~600 rows need no reading
        else:
            # ordered by term, as the cached sums are: the story's vector is the same either way
            stored = {t: float(w) for t, w in self.conn.execute(
                select(story_terms.c.term, story_terms.c.weight).where(story_terms.c.story_id == story_id)
                .order_by(story_terms.c.term)).all()}
        self._stored[story_id] = stored
        return dict(stored)

    def save(self, story_id: str, article: Article, sums: Mapping[str, float], norms: tuple[float, ...],
             keys: Collection[str], *, duplicate_of: str | None) -> None:
        conn, seq = self.conn, self.documents()
        row = conn.execute(select(stories.c.first_published, stories.c.last_published, stories.c.articles)
                           .where(stories.c.id == story_id)).first()
        published = article.published
        if row is None:
            members = 1
            conn.execute(stories.insert(), [{
                "id": story_id, "title": article.title, "first_published": published,
                "last_published": published, "articles": 1, "norm_words": norms[0], "norm_names": norms[1],
                "seq": seq}])
        else:
            first, last, members = row[0], row[1], int(row[2]) + 1
            conn.execute(update(stories).where(stories.c.id == story_id).values(
                articles=members, norm_words=norms[0], norm_names=norms[1], seq=seq,
                first_published=min(x for x in (first, published) if x) if first or published else None,
                last_published=max(x for x in (last, published) if x) if last or published else None))
        self._write_terms(story_id, sums)
        version = (seq, members, float(norms[0]), float(norms[1]))
        self.written[story_id] = (version, dict(sorted(sums.items())))
        conn.execute(delete(story_keys).where(story_keys.c.story_id == story_id))
        if keys:
            _insert_rows(conn, story_keys, ("term", "story_id", "seq"),
                         [(t, story_id, seq) for t in sorted(set(keys))])
        _upsert(conn, article_stories, [{"article_id": article.id, "story_id": story_id,
                                         "duplicate_of": duplicate_of, "seq": seq}],
                [article_stories.c.article_id],
                {"story_id": story_id, "duplicate_of": duplicate_of, "seq": seq})


    def _write_terms(self, story_id: str, sums: Mapping[str, float]) -> None:
        """The story's term rows become ``sums``: only the rows that differ from what this transaction read
        (an article joining a story changes its own ~300-600 terms, not the story's others), else all."""
        conn, before = self.conn, self._stored.pop(story_id, None)
        if before is None:
            conn.execute(delete(story_terms).where(story_terms.c.story_id == story_id))
            before = {}
        for chunk in _chunks(sorted(before.keys() - sums.keys())):
            conn.execute(delete(story_terms).where(story_terms.c.story_id == story_id,
                                                   story_terms.c.term.in_(chunk)))
        _insert_rows(conn, story_terms, ("story_id", "term", "weight"),
                     [(story_id, t, w) for t, w in sorted(sums.items()) if before.get(t) != w],
                     "ON CONFLICT (story_id, term) DO UPDATE SET weight = excluded.weight")

    def drop(self, story_id: str, article_id: str, sums: Mapping[str, float], norms: tuple[float, ...],
             keys: Collection[str]) -> None:
        """Take ``article_id`` out of its story: the story keeps ``sums``, ``norms`` and index ``keys`` (its
        recency, ``seq``, stays), or goes with its terms and keys when it was the last member."""
        conn = self.conn
        conn.execute(delete(article_stories).where(article_stories.c.article_id == article_id))
        published = articles.c.published
        left = conn.execute(select(func.count(), func.min(published), func.max(published))
                            .select_from(article_stories)
                            .join(articles, articles.c.id == article_stories.c.article_id, isouter=True)
                            .where(article_stories.c.story_id == story_id)).one()
        self.written[story_id] = None  # its recency stays while its members change: not a version to trust
        conn.execute(delete(story_terms).where(story_terms.c.story_id == story_id))
        conn.execute(delete(story_keys).where(story_keys.c.story_id == story_id))
        if not left[0]:
            conn.execute(delete(stories).where(stories.c.id == story_id))
            return
        seq = conn.execute(select(stories.c.seq).where(stories.c.id == story_id)).scalar() or 0
        conn.execute(update(stories).where(stories.c.id == story_id).values(
            articles=int(left[0]), first_published=left[1], last_published=left[2], norm_words=norms[0],
            norm_names=norms[1]))
        _insert_rows(conn, story_terms, ("story_id", "term", "weight"),
                     [(story_id, t, w) for t, w in sorted(sums.items())])
        if keys:
            _insert_rows(conn, story_keys, ("term", "story_id", "seq"),
                         [(t, story_id, seq) for t in sorted(set(keys))])


def superseded_members(conn: Connection, article: Article) -> list[tuple[str, Article]]:
    """(story id, the superseded version) of every earlier text of ``article``'s source still in a story."""
    key, _ = article_identity(article)
    if key is None:
        return []
    rows = conn.execute(select(article_stories.c.story_id, article_versions.c.record)
                        .join(article_stories, article_stories.c.article_id == article_versions.c.article_id)
                        .where(article_versions.c.version_key == key, article_versions.c.change == "text",
                               article_versions.c.article_id != article.id)
                        .order_by(article_versions.c.seq)).all()
    out: dict[str, tuple[str, Article]] = {}
    for story_id, record in rows:
        old = article_from_dict(json.loads(record) if isinstance(record, str) else dict(record))
        out.setdefault(old.id, (str(story_id), old))
    return list(out.values())


def forget_article(conn: Connection, article_id: str, *, superseded_by: str) -> None:
    """The rows of a superseded article outside its story's vectors: its copy bands, its flags, its reports in
    incidents (the incidents themselves are rebuilt by aggregate/).  Its copies now point at the version that
    superseded it: a wire copy of an outlet's earlier text is still that outlet's report, counted once."""
    conn.execute(delete(article_bands).where(article_bands.c.article_id == article_id))
    conn.execute(delete(article_flags).where(article_flags.c.article_id == article_id))
    conn.execute(delete(incident_reports).where(incident_reports.c.article_id == article_id))
    conn.execute(update(article_stories).where(article_stories.c.duplicate_of == article_id)
                 .values(duplicate_of=superseded_by))


def band_matches(conn: Connection, bands: Sequence[tuple[int, str]]) -> list[str]:
    """Articles sharing at least one MinHash band with ``bands`` (candidate copies), oldest first."""
    if not bands:
        return []
    wanted = set(bands)
    found = conn.execute(select(article_bands.c.band, article_bands.c.hash, article_bands.c.article_id,
                                article_stories.c.seq)
                         .join(article_stories, article_stories.c.article_id == article_bands.c.article_id,
                               isouter=True)
                         .where(article_bands.c.hash.in_(sorted({h for _, h in bands})))).all()
    seqs = {a: seq for b, h, a, seq in found if (int(b), h) in wanted}
    return sorted(seqs, key=lambda a: (seqs[a] is None, seqs[a] or 0, a))


def add_bands(conn: Connection, article_id: str, bands: Sequence[tuple[int, str]]) -> None:
    _insert_rows(conn, article_bands, ("band", "hash", "article_id"), [(b, h, article_id) for b, h in bands],
                 "ON CONFLICT (hash, band, article_id) DO NOTHING")


def replace_flags(conn: Connection, article_id: str, flags: Sequence[Flag]) -> None:
    conn.execute(delete(article_flags).where(article_flags.c.article_id == article_id))
    if flags:
        conn.execute(article_flags.insert(), [
            {"article_id": article_id, "seq": i, "kind": f.kind, "start": f.span.start, "end": f.span.end,
             "message": f.message, "record": f.to_dict()} for i, f in enumerate(flags)])


def story_article_ids(conn: Connection, story_id: str, *, limit: int) -> list[str]:
    """The ``limit`` most recently assigned articles of a story."""
    return list(conn.execute(select(article_stories.c.article_id)
                             .where(article_stories.c.story_id == story_id)
                             .order_by(article_stories.c.seq.desc()).limit(limit)).scalars())


def replace_incidents(conn: Connection, story_id: str, found: Sequence[Incident]) -> None:
    """The incidents of a story, rebuilt: the old ones (and their reports) go, ``found`` are written."""
    old = list(conn.execute(select(incidents.c.id).where(incidents.c.story_id == story_id)).scalars())
    if old:
        conn.execute(delete(incident_reports).where(incident_reports.c.incident_id.in_(old)))
        conn.execute(delete(incidents).where(incidents.c.id.in_(old)))
    if not found:
        return
    conn.execute(incidents.insert(), [{
        "id": i.id, "story_id": story_id, "type": i.type, "date_first": i.date_first,
        "date_last": i.date_last, "place": i.place, "country": i.country,
        "independent_sources": i.independent_sources, "fatalities_low": i.fatalities_low,
        "fatalities_high": i.fatalities_high, "conflicts": len(i.conflicts),
        "record": i.to_dict()} for i in found])
    reports = {(i.id, r.article_id, r.event_id) for i in found for r in i.reports}
    _upsert(conn, incident_reports, [{"incident_id": i, "article_id": a, "event_id": e}
                                     for i, a, e in sorted(reports)],
            [incident_reports.c.incident_id, incident_reports.c.article_id, incident_reports.c.event_id])
