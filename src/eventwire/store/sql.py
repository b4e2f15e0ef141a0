"""The SQLAlchemy Core store: SQLite by default, PostgreSQL by URL.

Every SQLAlchemy or driver error is turned into a :class:`StoreError` here, with a message that says what
to do; nothing above the store sees SQLAlchemy.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, create_engine, delete, func, inspect, select
from sqlalchemy.engine import RowMapping, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DataError,
    DBAPIError,
    IntegrityError,
    NoSuchModuleError,
    SQLAlchemyError,
    StatementError,
)

from ..errors import StoreError
from ..model import (
    AnalysisStatus,
    Article,
    ArticleInput,
    Attribution,
    AttributionKind,
    CharSpan,
    Entity,
    Event,
    Factuality,
    Mention,
    MentionKind,
    Sentence,
    TimeExpr,
    article_from_dict,
    event_from_dict,
)
from ..model import content_hash as text_hash
from ..settings import mask_url
from . import sqlite as sqlite_setup
from .aggregates import (
    add_entity_counts,
    add_event_days,
    day_counts,
    entity_counts,
    entity_key,
    remove_entity_counts,
    remove_event_days,
)
from .base import ArticleSummary, PutResult, RejectedArticle
from .migrations import MIGRATIONS, Migration, check_migrations, latest_version, previous_version
from .sqlite import WRITE_OPTION, check_sqlite_path, configure_sqlite
from .tables import (
    article_versions,
    articles,
    attributions,
    entities,
    event_date_key,
    events,
    mentions,
    metadata,
    schema_version,
    times,
)
from .versions import article_identity, input_identity

__all__ = ["MIN_PREFIX", "SqlStore"]

# Shortest id prefix `get` accepts: 6 hex digits = 16.7M values, so a prefix is unique with >99% chance
# up to ~580 articles and stays mostly unique well beyond; shorter prefixes would collide in small stores.
MIN_PREFIX = 6

# Errors that mean "this article's data cannot be stored", as opposed to "the database is unusable".
# TypeError: metadata that is not JSON; OverflowError: an int beyond 64 bits (sqlite3 raises it unwrapped);
# ValueError: e.g. UnicodeEncodeError on a lone surrogate.
_DATA_ERRORS = (IntegrityError, DataError, TypeError, ValueError, OverflowError)


class _VersionRace(Exception):
    """A concurrent writer took this article's version key first (the unique index refused ours)."""


class SqlStore:
    """A :class:`~eventwire.store.base.Store` on any SQLAlchemy database."""

    def __init__(self, engine: Engine, *, migrations: Sequence[Migration] = MIGRATIONS) -> None:
        """Use ``engine``, creating the schema on first use and migrating an older one."""
        check_migrations(migrations)
        self._engine = engine
        self._writer = engine.execution_options(**{WRITE_OPTION: True})
        self._migrations = tuple(migrations)
        self.url = mask_url(engine.url.render_as_string(hide_password=False))
        self._ensure_schema()

    @classmethod
    def from_url(cls, url: str, *, migrations: Sequence[Migration] = MIGRATIONS) -> SqlStore:
        """Open (creating if needed) the database at ``url``."""
        try:
            parsed = make_url(url)
        except ArgumentError as e:
            raise StoreError(f"{mask_url(url)!r} is not a database URL — use e.g. sqlite:///eventwire.db or "
                             f"postgresql+psycopg://user@host/dbname") from e
        shown = mask_url(parsed.render_as_string(hide_password=False))
        is_sqlite = parsed.get_backend_name() == "sqlite"
        if is_sqlite:
            check_sqlite_path(parsed, shown)
        try:
            # ensure_ascii=False: store non-ASCII metadata as itself, not as \u escapes (half the bytes).
            engine = create_engine(parsed, json_serializer=partial(json.dumps, ensure_ascii=False),
                                   pool_pre_ping=not is_sqlite)
        except (NoSuchModuleError, ModuleNotFoundError) as e:
            raise StoreError(f"cannot open {shown}: no driver for {parsed.drivername!r} ({e}) — for "
                             f"PostgreSQL: pip install 'psycopg[binary]'; URL postgresql+psycopg://") from e
        except SQLAlchemyError as e:
            raise StoreError(f"cannot open {shown}: {e} — check the URL or pass --db") from e
        if is_sqlite:
            configure_sqlite(engine)
        try:
            return cls(engine, migrations=migrations)
        except BaseException:
            engine.dispose()
            raise

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for read-only queries by the aggregator and the API."""
        return self._engine

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction (under the writers' lock) for the aggregator's tables: stories, copies,
        incidents, flags (store/stories.py)."""
        with self._errors("cannot write to"), self._writer.begin() as conn:
            yield conn

    # -- schema -----------------------------------------------------------------------------------

    def _ensure_schema(self) -> None:
        latest = latest_version(self._migrations)
        with self._errors("cannot open"):
            with self._engine.connect() as conn:
                version = _db_version(conn)
            if version is None:
                # Re-check under the write lock: two processes may create the same new database at once.
                with self._writer.begin() as conn:
                    version = _db_version(conn)
                    if version is None:
                        metadata.create_all(conn)
                        _stamp(conn, latest)
                        version = latest
        if version > latest:
            raise StoreError(
                f"database {self.url} has schema version {version}, but this eventwire only knows up to "
                f"version {latest} — upgrade eventwire (pip install -U eventwire) or pass --db with another "
                f"database")
        if version < latest:
            self.migrate()

    def schema_version(self) -> int:
        """The database's schema version."""
        with self._errors("cannot read from"), self._engine.connect() as conn:
            version = _db_version(conn)
        if version is None:
            raise StoreError(f"database {self.url} has no schema_version table — it was not created by "
                             f"eventwire; pass --db with another database")
        return version

    def migrate(self) -> list[int]:
        """Apply pending migrations in order, each in its own transaction; the versions applied."""
        applied: list[int] = []
        for m in self._migrations:
            before = previous_version(self._migrations, m)
            fix = (f"the database is still at version {before} (each migration is one transaction); "
                   f"back it up and report this, or pass --db with another database")
            with self._errors(f"migration {m.version} ({m.description}) failed on", fix=fix), \
                    self._writer.begin() as conn:
                # Re-read under the write lock: another process may have migrated meanwhile.
                current = _db_version(conn) or 0
                if current >= m.version:
                    continue
                needed = previous_version(self._migrations, m)
                if current != needed:
                    raise StoreError(f"database {self.url} is at schema version {current}; migration "
                                     f"{m.version} needs {needed}")
                m.apply(conn)
                _stamp(conn, m.version)
            applied.append(m.version)
        return applied

    # -- writing ----------------------------------------------------------------------------------

    def put(self, article: Article) -> PutResult:
        """Store ``article`` and all its rows in one transaction.

        "stored": new; "new-version": it supersedes the stored article of its source (versions.py), which
        moves to the history; "updated": its text is stored under its source with other metadata, which is
        replaced (the earlier record kept in the history); "unchanged": its text is stored as it is, or under
        another source (a duplicate).
        """
        _check_spans(article)
        try:
            return self._put(article)
        except _VersionRace:
            # Another writer stored a version of this source between our read and our insert (PostgreSQL,
            # where writers do not queue on one lock): once more, and this one supersedes that one.
            try:
                return self._put(article)
            except _VersionRace as e:
                raise RejectedArticle(article.id, "another writer keeps storing versions of its source "
                                                  "— ingest it again") from e

    def _put(self, article: Article) -> PutResult:
        key, fingerprint = article_identity(article)
        # A cheap read first: reruns then never take the write lock.
        if self._unchanged(article.content_hash, key, fingerprint, article.id):
            return "unchanged"
        article_row, entity_rows, mention_rows, time_rows = _rows(article)
        article_row.update(version_key=key, metadata_hash=fingerprint)
        attribution_rows = _attribution_rows(article)
        event_rows = _event_rows(article)
        try:
            with self._errors("cannot write to", data_errors=True), self._writer.begin() as conn:
                same_text = _by_hash(conn, article.content_hash)
                outcome: PutResult = "stored"
                if same_text is None and _superseded(conn, key, article.id):
                    return "unchanged"
                if same_text is not None:
                    if not _edited(same_text, key, fingerprint):
                        return "unchanged"
                    retire(conn, same_text["id"], superseded_by=article.id, change="metadata")
                    outcome = "updated"
                elif key is not None:
                    current = _current(conn, key)
                    if current == article.id:
                        # Another writer stored this very text after _by_hash read (PostgreSQL reads each
                        # statement's own snapshot): "unchanged", not a version superseding itself.  Writers
                        # queued on the write counter's row (schema 8) met here in 1 of 6 runs of 16 articles.
                        return "unchanged"
                    if current is not None:
                        retire(conn, current, superseded_by=article.id, change="text")
                        outcome = "new-version"
                conn.execute(articles.insert(), [article_row])
                if entity_rows:
                    conn.execute(entities.insert(), entity_rows)
                if mention_rows:
                    conn.execute(mentions.insert(), mention_rows)
                if time_rows:
                    conn.execute(times.insert(), time_rows)
                if attribution_rows:
                    conn.execute(attributions.insert(), attribution_rows)
                if event_rows:
                    conn.execute(events.insert(), event_rows)
                    add_event_days(conn, day_counts(event_rows))
                add_entity_counts(conn, entity_counts(entity_rows, mention_rows, event_rows))
        except _DATA_ERRORS as e:
            # On PostgreSQL two writers can both pass the check; the loser hits the unique content_hash (the
            # same text: unchanged) or version_key (another text of the same source at the same moment).
            if isinstance(e, IntegrityError):
                if self._unchanged(article.content_hash, key, fingerprint, article.id):
                    return "unchanged"
                if key is not None and "version_key" in str(e.orig):
                    raise _VersionRace from e
            raise RejectedArticle(article.id, _data_error(e)) from e
        except DBAPIError as e:  # only _too_large passes _errors: a value beyond the database's limits
            raise RejectedArticle(article.id, f"{str(e.orig).strip()} — a value (URL, title, name, date) is "
                                              f"longer than the database can index; shorten it") from e
        except StatementError as e:  # a value the driver could not bind (not a DBAPIError: those are mapped)
            raise RejectedArticle(article.id, _data_error(e)) from e
        return outcome

    def _unchanged(self, content_hash: str, key: str | None, fingerprint: str, article_id: str) -> bool:
        with self._errors("cannot read from"), self._engine.connect() as conn:
            row = _by_hash(conn, content_hash)
            if row is None:
                return _superseded(conn, key, article_id)
        return not _edited(row, key, fingerprint)

    def unchanged(self, item: ArticleInput) -> bool:
        """Whether :meth:`put` would answer "unchanged" for this input's article (so it needs no analysis):
        its text is stored, and not under its own source with other metadata; or its source had this text
        before and it was superseded."""
        key, fingerprint = input_identity(item)
        digest = text_hash(item.text)
        return self._unchanged(digest, key, fingerprint, digest[:16])

    # -- reading ----------------------------------------------------------------------------------

    def has(self, content_hash: str) -> bool:
        with self._errors("cannot read from"), self._engine.connect() as conn:
            return _has(conn, content_hash)

    def get(self, article_id: str) -> Article | None:
        """The article with this id or unique id prefix; a superseded version's id finds that version (its
        latest record in the history)."""
        # One connection, one transaction: the article and its rows come from the same snapshot.
        with self._errors("cannot read from"), self._engine.connect() as conn:
            row = _find(conn, articles, articles.c.id, article_id)
            if row is not None:
                return _load(conn, row)
            old = _find(conn, article_versions, article_versions.c.article_id, article_id)
        return None if old is None else article_from_dict(_json(old["record"]))

    def history(self, article_id: str) -> list[dict[str, Any]]:
        """The versions that came before article ``article_id`` (full id), newest first: ``{article_id,
        change ("text" or "metadata"), superseded_by, superseded_at}``; [] for an article never edited."""
        with self._errors("cannot read from"), self._engine.connect() as conn:
            key = conn.execute(select(articles.c.version_key).where(articles.c.id == article_id)).scalar()
            if key is None:
                key = conn.execute(select(article_versions.c.version_key)
                                   .where(article_versions.c.article_id == article_id)
                                   .order_by(article_versions.c.seq.desc()).limit(1)).scalar()
            if key is None:
                return []
            rows = conn.execute(select(article_versions.c.article_id, article_versions.c.change,
                                       article_versions.c.superseded_by, article_versions.c.superseded_at)
                                .where(article_versions.c.version_key == key)
                                .order_by(article_versions.c.seq.desc())).mappings().all()
        return [dict(r) for r in rows]

    def list_articles(self, *, limit: int = 50, offset: int = 0) -> list[ArticleSummary]:
        n_entities = (select(func.count()).select_from(entities)
                      .where(entities.c.article_id == articles.c.id).scalar_subquery())
        n_times = (select(func.count()).select_from(times)
                   .where(times.c.article_id == articles.c.id).scalar_subquery())
        query = (
            select(articles.c.id, articles.c.title, articles.c.published, articles.c.status,
                   n_entities.label("n_entities"), n_times.label("n_times"))
            # Explicit NULLS LAST: SQLite sorts NULL first in ASC (so last in DESC), PostgreSQL the reverse.
            .order_by(articles.c.published.desc().nulls_last(), articles.c.id)
            .limit(limit).offset(offset)
        )
        with self._errors("cannot read from"), self._engine.connect() as conn:
            return [ArticleSummary(id=r.id, title=r.title, published=r.published, status=r.status,
                                   n_entities=int(r.n_entities), n_times=int(r.n_times))
                    for r in conn.execute(query)]

    def counts(self) -> dict[str, int]:
        def count(table: Any, *where: Any) -> Any:
            return select(func.count()).select_from(table).where(*where).scalar_subquery()

        query = select(
            count(articles).label("articles"),
            count(articles, articles.c.status == str(AnalysisStatus.ANALYZED)).label("analyzed"),
            count(articles, articles.c.status == str(AnalysisStatus.SKIPPED)).label("skipped"),
            count(entities).label("entities"),
            count(mentions).label("mentions"),
            count(times).label("times"),
        )
        with self._errors("cannot read from"), self._engine.connect() as conn:
            row = conn.execute(query).mappings().one()
        return {k: int(v) for k, v in row.items()}

    # -- lifecycle --------------------------------------------------------------------------------

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SqlStore({self.url!r})"

    # -- errors -----------------------------------------------------------------------------------

    @contextmanager
    def _errors(self, doing: str, *, data_errors: bool = False, fix: str | None = None) -> Iterator[None]:
        """Turn database failures into a StoreError saying ``{doing} {url}: why — how to fix``.

        With ``data_errors``, errors about the values written (integrity, data) pass through for put();
        ``fix`` replaces the advice guessed from the driver's message.
        """
        started = time.monotonic()
        try:
            yield
        except DBAPIError as e:
            if data_errors and (isinstance(e, IntegrityError | DataError) or _too_large(e)):
                raise
            waited = time.monotonic() - started
            raise StoreError(f"{doing} {self.url}: {_explain(e, fix, waited=waited)}") from e
        except NoSuchModuleError as e:
            raise StoreError(f"{doing} {self.url}: {e}") from e


def _too_large(e: DBAPIError) -> bool:
    """A value of this article beyond the database's limits: PostgreSQL's SQLSTATE class 54, e.g. a B-tree
    index entry over ~2,700 bytes (an incompressible 10 kB URL in the indexed articles.url).  One article's
    problem, not the database's: put() rejects that article and the batch goes on."""
    return str(getattr(e.orig, "sqlstate", "") or "").startswith("54")


def _explain(e: DBAPIError, fix: str | None = None, *, waited: float = 0.0) -> str:
    """The driver's reason, and what to do about it (``waited``: seconds the failed step took)."""
    reason = str(e.orig).strip() or type(e.orig).__name__
    return f"{reason} — {fix or _guess_fix(reason.lower(), waited)}"


def _guess_fix(reason: str, waited: float = 0.0) -> str:
    if "locked" in reason or "busy" in reason:
        # The time actually waited, not the limit: SQLite may refuse a lock at once (issue 9: the message
        # claimed 30 s after 0.03 s).
        return (f"another process held the lock; gave up after {waited:.1f} s (the limit is "
                f"{sqlite_setup.BUSY_TIMEOUT_MS / 1000:g} s) — wait for it to finish, or pass --db with "
                f"another database")
    if "unable to open" in reason:
        return "check that the directory exists and is writable, or pass --db"
    if "not a database" in reason or "malformed" in reason:
        return "this file is not an intact SQLite database — pass --db with another path"
    if "readonly" in reason or "read-only" in reason:
        return "the database file or its directory is read-only — fix the permissions or pass --db"
    if "full" in reason:
        return "the disk is full — free some space or pass --db on another disk"
    return "check the URL and that the database server is running and reachable, or pass --db"


def _data_error(e: BaseException) -> str:
    """Why one article's rows were refused, and what its producer must fix."""
    cause = getattr(e, "orig", None) or e
    reason = str(cause).splitlines()[0] if isinstance(e, StatementError) else f"{type(e).__name__}: {e}"
    if isinstance(e, IntegrityError) and ("articles.id" in reason or "pk_articles" in reason):
        fix = "another article, with other text, has the same id (an id is 64 bits of the content hash)"
    elif isinstance(e, IntegrityError):
        fix = "entity, time and attribution ids must be unique within an article"
    elif isinstance(cause, UnicodeError):
        fix = "the text must be valid Unicode (no lone surrogates)"
    elif isinstance(cause, OverflowError) or isinstance(e, DataError):
        fix = "offsets and sentence numbers must fit in 64 bits"
    else:
        fix = "metadata must be JSON-serialisable (str keys; str, number, bool, None, list, dict values)"
    return f"{reason} — {fix}"


def _db_version(conn: Connection) -> int | None:
    if not inspect(conn).has_table(schema_version.name):
        return None
    version = conn.execute(select(func.max(schema_version.c.version))).scalar_one()
    return int(version) if version is not None else None


def _stamp(conn: Connection, version: int) -> None:
    conn.execute(schema_version.insert().values(version=version, applied_at=datetime.now(UTC)))


def _has(conn: Connection, content_hash: str) -> bool:
    query = select(articles.c.id).where(articles.c.content_hash == content_hash).limit(1)
    return conn.execute(query).first() is not None


def _by_hash(conn: Connection, content_hash: str) -> RowMapping | None:
    query = (select(articles.c.id, articles.c.version_key, articles.c.metadata_hash)
             .where(articles.c.content_hash == content_hash).limit(1))
    return conn.execute(query).mappings().first()


def _current(conn: Connection, key: str) -> str | None:
    """The id of the stored (current) article of version key ``key``."""
    return conn.execute(select(articles.c.id).where(articles.c.version_key == key)).scalar()


def _superseded(conn: Connection, key: str | None, article_id: str) -> bool:
    """Whether this text was its source's before and a newer text replaced it.  Not stored again: a rerun
    over inputs that hold both versions (a JSONL with two records of one URL, an old copy of a file) would
    otherwise flip the current version at every run.  (So a file reverted to an earlier text keeps the
    later version current.)"""
    if key is None:
        return False
    query = (select(article_versions.c.seq).where(article_versions.c.version_key == key,
                                                  article_versions.c.article_id == article_id,
                                                  article_versions.c.change == "text").limit(1))
    return conn.execute(query).first() is not None


def _edited(row: RowMapping, key: str | None, fingerprint: str) -> bool:
    """Whether the stored article ``row`` (same text) is this source's with other metadata: an edit."""
    return key is not None and row["version_key"] == key and row["metadata_hash"] != fingerprint


def _find(conn: Connection, table: Any, column: Any, article_id: str) -> RowMapping | None:
    """The row of ``table`` whose ``column`` is ``article_id`` or, for >= MIN_PREFIX characters, starts with
    it (the newest, in the history); StoreError when a prefix matches several articles."""
    order = [table.c.seq.desc()] if table is article_versions else []
    row = conn.execute(select(table).where(column == article_id).order_by(*order).limit(1)).mappings().first()
    if row is not None or len(article_id) < MIN_PREFIX:
        return row
    # substr, not LIKE: LIKE is case-insensitive on SQLite and case-sensitive on PostgreSQL.
    prefix = func.substr(column, 1, len(article_id)) == article_id
    ids = conn.execute(select(column).where(prefix).distinct().limit(2)).scalars().all()
    if len(ids) > 1:
        raise StoreError(f"id prefix {article_id!r} matches several articles ({ids[0]}, {ids[1]}, ...) — "
                         f"give more characters")
    if not ids:
        return None
    return conn.execute(select(table).where(column == ids[0]).order_by(*order).limit(1)).mappings().first()


def _load(conn: Connection, row: RowMapping) -> Article:
    """The article of ``articles`` row ``row`` with its entities, mentions, times, attributions and events."""
    aid = row["id"]
    ent_rows = conn.execute(select(entities).where(entities.c.article_id == aid)
                            .order_by(entities.c.seq)).mappings().all()
    men_rows = conn.execute(select(mentions).where(mentions.c.article_id == aid)
                            .order_by(mentions.c.entity_id, mentions.c.seq)).mappings().all()
    time_rows = conn.execute(select(times).where(times.c.article_id == aid)
                             .order_by(times.c.seq)).mappings().all()
    attr_rows = conn.execute(select(attributions).where(attributions.c.article_id == aid)
                             .order_by(attributions.c.seq)).mappings().all()
    event_rows = conn.execute(select(events.c.data).where(events.c.article_id == aid)
                              .order_by(events.c.seq)).all()
    article = _article(row, ent_rows, men_rows, time_rows)
    if attr_rows:
        article = replace(article, attributions=_attributions(article.text, attr_rows))
    if event_rows:
        evs = tuple(event_from_dict(article.text, _json(r[0])) for r in event_rows)
        article = replace(article, events=evs)
    return article


def retire(conn: Connection, article_id: str, *, superseded_by: str, change: str) -> None:
    """Move stored article ``article_id`` to ``article_versions`` (whole, as its to_dict record) and delete
    its rows from the query tables (children by ON DELETE CASCADE), taking its counts out of event_days and
    the per-entity tables."""
    row = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
    if row is None:  # PostgreSQL: a concurrent writer retired it first; its insert or ours will conflict
        return
    record = _load(conn, row).to_dict()
    conn.execute(article_versions.insert(), [{
        "article_id": article_id, "version_key": row["version_key"], "superseded_by": superseded_by,
        "change": change, "superseded_at": datetime.now(UTC), "record": record}])
    counted = [dict(r) for r in conn.execute(
        select(events.c.article_id, events.c.place_country, events.c.date, events.c.type,
               events.c.actor_entity, events.c.target_entity)
        .where(events.c.article_id == article_id)).mappings()]
    remove_event_days(conn, day_counts(counted))
    named = [dict(r) for r in conn.execute(
        select(entities.c.article_id, entities.c.id, entities.c.kb_id, entities.c.type, entities.c.name,
               entities.c.country)
        .where(entities.c.article_id == article_id)).mappings()]
    mentioned = [dict(r) for r in conn.execute(
        select(mentions.c.article_id, mentions.c.entity_id).where(mentions.c.article_id == article_id))
        .mappings()]
    remove_entity_counts(conn, entity_counts(named, mentioned, counted))
    conn.execute(delete(articles).where(articles.c.id == article_id))



def _check_spans(article: Article) -> None:
    """The project invariant ``text[start:end] == span.text``: get() rebuilds spans from the text."""
    for span in article.spans():
        if span.end > len(article.text) or article.text[span.start:span.end] != span.text:
            raise RejectedArticle(article.id, f"span [{span.start}, {span.end}) {span.text!r} does not match "
                                              f"the article text there — a bug in the stage that made it")


Row = dict[str, Any]


def _rows(a: Article) -> tuple[Row, list[Row], list[Row], list[Row]]:
    article_row: Row = {
        "id": a.id, "content_hash": a.content_hash, "input_id": a.input_id, "source": a.source,
        "url": a.url, "site": a.site, "title": a.title, "authors": list(a.authors),
        "published": a.published, "updated": a.updated, "language": a.language,
        "captions": list(a.captions), "metadata": dict(a.metadata), "status": str(a.status),
        "skip_reason": a.skip_reason, "text": a.text,
        "sentences": [s.span.as_list() for s in a.sentences], "created_at": datetime.now(UTC),
    }
    entity_rows = [{"article_id": a.id, "id": e.id, "seq": i, "type": e.type, "name": e.name,
                    "country": e.country, "kb_id": e.kb_id} for i, e in enumerate(a.entities)]
    mention_rows = [{"article_id": a.id, "entity_id": e.id, "seq": j, "start": m.span.start,
                     "end": m.span.end, "text": m.span.text, "kind": str(m.kind), "sentence": m.sentence}
                    for e in a.entities for j, m in enumerate(e.mentions)]
    time_rows = [{"article_id": a.id, "id": t.id, "seq": i, "start": t.span.start, "end": t.span.end,
                  "text": t.span.text, "type": t.type, "value": t.value, "precision": t.precision,
                  "anchored": t.anchored, "sentence": t.sentence} for i, t in enumerate(a.times)]
    return article_row, entity_rows, mention_rows, time_rows


def _attribution_rows(a: Article) -> list[Row]:
    def pair(span: CharSpan | None) -> list[int] | None:
        return None if span is None else span.as_list()

    return [{"article_id": a.id, "id": x.id, "seq": i, "kind": str(x.kind), "source": pair(x.source),
             "source_text": x.source.text if x.source else None, "source_entity": x.source_entity,
             "anonymous": x.anonymous, "anonymous_description": x.anonymous_description, "cue": pair(x.cue),
             "content": [c.as_list() for c in x.content], "factuality": str(x.factuality),
             "factuality_cues": [c.as_list() for c in x.factuality_cues], "via": x.via,
             "sentence": x.sentence, "confidence": x.confidence} for i, x in enumerate(a.attributions)]


def _event_rows(a: Article) -> list[Row]:
    def arg(x: Event, role: str, field: str) -> Any:
        value = getattr(x, role)
        if value is None:
            return None
        if field == "text":
            return value.span.text if value.span is not None else value.name
        return getattr(value, field)

    keys = {e.id: entity_key(e.kb_id, e.type, e.name) for e in a.entities}

    def key(x: Event, role: str) -> str | None:
        value = getattr(x, role)
        return None if value is None or value.entity is None else keys.get(value.entity)

    return [{"article_id": a.id, "id": x.id, "seq": i, "type": x.type, "mode": x.mode,
             "trigger_start": x.trigger.start, "trigger_end": x.trigger.end,
             **{f"{role}_{f}": arg(x, role, f) for role in ("actor", "target")
                for f in ("text", "entity", "country", "sector")},
             "actor_key": key(x, "actor"), "target_key": key(x, "target"),
             "date": event_date_key(x.date.value) if x.date else None,
             "date_precision": x.date.precision if x.date else None,
             "date_source": x.date.source if x.date else None, "date_time": x.date.time if x.date else None,
             "place_name": x.place.name if x.place else None,
             "place_country": x.place.country if x.place else None,
             "place_precision": x.place.precision if x.place else None, "factuality": str(x.factuality),
             "attribution": x.attribution, "sentence": x.sentence, "confidence": x.confidence,
             "data": x.to_dict()} for i, x in enumerate(a.events)]


def _json(value: Any) -> dict[str, Any]:
    """A JSON column as a dict (SQLite drivers may hand back the text)."""
    return dict(json.loads(value)) if isinstance(value, str) else dict(value)


def _attributions(text: str, rows: Sequence[RowMapping]) -> tuple[Attribution, ...]:
    def span(pair: list[int] | None) -> CharSpan | None:
        return None if pair is None else CharSpan.of(text, int(pair[0]), int(pair[1]))

    def spans(pairs: list[list[int]]) -> tuple[CharSpan, ...]:
        return tuple(CharSpan.of(text, int(s), int(e)) for s, e in pairs)

    return tuple(
        Attribution(id=r["id"], kind=AttributionKind(r["kind"]), content=spans(r["content"]),
                    source=span(r["source"]), cue=span(r["cue"]), source_entity=r["source_entity"],
                    anonymous=bool(r["anonymous"]), anonymous_description=r["anonymous_description"],
                    factuality=Factuality(r["factuality"]), factuality_cues=spans(r["factuality_cues"]),
                    via=r["via"], sentence=r["sentence"], confidence=float(r["confidence"]))
        for r in rows
    )


def _article(row: RowMapping, ent_rows: Sequence[RowMapping], men_rows: Sequence[RowMapping],
             time_rows: Sequence[RowMapping]) -> Article:
    text: str = row["text"]
    by_entity: dict[str, list[Mention]] = {}
    for m in men_rows:
        by_entity.setdefault(m["entity_id"], []).append(
            Mention(span=CharSpan.of(text, m["start"], m["end"]), kind=MentionKind(m["kind"]),
                    sentence=m["sentence"]))
    ents = tuple(
        Entity(id=e["id"], type=e["type"], name=e["name"], mentions=tuple(by_entity.get(e["id"], ())),
               country=e["country"], kb_id=e["kb_id"])
        for e in ent_rows
    )
    tms = tuple(
        TimeExpr(id=t["id"], span=CharSpan.of(text, t["start"], t["end"]), type=t["type"], value=t["value"],
                 precision=t["precision"], anchored=bool(t["anchored"]), sentence=t["sentence"])
        for t in time_rows
    )
    return Article(
        id=row["id"], content_hash=row["content_hash"], text=text, source=row["source"],
        input_id=row["input_id"], title=row["title"], url=row["url"], site=row["site"],
        authors=tuple(row["authors"]), published=row["published"], updated=row["updated"],
        language=row["language"], captions=tuple(row["captions"]), metadata=dict(row["metadata"]),
        status=AnalysisStatus(row["status"]), skip_reason=row["skip_reason"],
        sentences=tuple(Sentence(CharSpan.of(text, s, e)) for s, e in row["sentences"]),
        entities=ents, times=tms,
    )
