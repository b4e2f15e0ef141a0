"""The relational schema: portable SQLAlchemy Core, the same on SQLite and PostgreSQL.

One row per article, entity, mention, time expression and attribution.  Child rows carry a ``seq``
column (their position in the article's tuple) so that :meth:`SqlStore.get` rebuilds tuples in the order
they were put: ids such as "E10" do not sort after "E9" as strings.

Types are chosen so that a value SQLite accepts is also accepted by PostgreSQL: free text is ``Text``
(a ``VARCHAR(n)`` would be enforced only by PostgreSQL), identifiers we compute are ``String(64)`` (a
sha256 hex digest is 64 characters), JSON is ``JSONB`` on PostgreSQL and JSON text on SQLite.
"""

from __future__ import annotations

import re
from datetime import date as _date
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    event,
)
from sqlalchemy.dialects.postgresql import JSONB

__all__ = ["ARTICLE_VERSION_INDEX", "BASE_SCHEMA_VERSION", "EVENT_KEY_INDEXES", "KEY_INDEXES",
           "QUERY_INDEXES", "STORY_TABLES", "article_bands", "article_flags", "article_stories",
           "article_versions", "articles", "attributions", "entities", "entity_days", "entity_edges",
           "entity_names", "entity_totals", "event_date_key", "event_day", "event_days", "events",
           "incident_reports", "incidents", "mentions", "metadata", "schema_version", "store_changes",
           "stories", "story_df", "story_keys", "story_terms", "times"]

# The version a database created from this module's tables has before any migration in
# ``migrations.MIGRATIONS`` (a migration numbered N turns a version N-1 database into version N).
BASE_SCHEMA_VERSION = 1

# Fixed constraint names: migrations can then refer to them on both backends.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Json = JSON().with_variant(JSONB(), "postgresql")
Id = String(64)

articles = Table(
    "articles",
    metadata,
    Column("id", Id, primary_key=True),  # Article.id: the first 16 hex digits of content_hash
    Column("content_hash", Id, nullable=False, unique=True),
    Column("input_id", Text),
    Column("source", Text, nullable=False),
    Column("url", Text, index=True),
    Column("site", Text),
    Column("title", Text),
    Column("authors", Json, nullable=False),  # list[str]
    Column("published", Text, index=True),  # ISO 8601 as the reader gave it
    Column("updated", Text),
    Column("language", Text),
    Column("captions", Json, nullable=False),  # list[str]
    Column("metadata", Json, nullable=False),  # dict[str, Any]
    Column("status", String(16), nullable=False),  # AnalysisStatus value
    Column("skip_reason", Text),
    Column("text", Text, nullable=False),
    Column("sentences", Json, nullable=False),  # list of [start, end]
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Schema 9 (store/versions.py): the source identity this article is the current version of (unique: one
    # current version per source; NULL for none) and the fingerprint of its metadata (an edit of it alone
    # updates the article).  Earlier versions live in article_versions.
    Column("version_key", Text),
    Column("metadata_hash", String(64)),
)

# One current article per version key; NULLs (no key) never collide, on SQLite and PostgreSQL alike.
ARTICLE_VERSION_INDEX = Index("uq_articles_version_key", articles.c.version_key, unique=True)

entities = Table(
    "entities",
    metadata,
    Column("article_id", Id, primary_key=True),
    Column("id", Text, primary_key=True),  # Entity.id, unique within its article ("E1")
    Column("seq", Integer, nullable=False),
    Column("type", Text, nullable=False, index=True),
    Column("name", Text, nullable=False, index=True),
    Column("country", Text, index=True),
    Column("kb_id", Text, index=True),
    ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
)

# Lookups of an entity's mentions use the primary key, whose leading columns are (article_id, entity_id).
mentions = Table(
    "mentions",
    metadata,
    Column("article_id", Id, primary_key=True),
    Column("entity_id", Text, primary_key=True),
    Column("seq", Integer, primary_key=True),  # position in Entity.mentions
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("kind", String(16), nullable=False),  # MentionKind value
    Column("sentence", Integer, nullable=False),
    ForeignKeyConstraint(["article_id", "entity_id"], ["entities.article_id", "entities.id"],
                         ondelete="CASCADE"),
)

times = Table(
    "times",
    metadata,
    Column("article_id", Id, primary_key=True),
    Column("id", Text, primary_key=True),  # TimeExpr.id, unique within its article ("T1")
    Column("seq", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("value", Text, nullable=False, index=True),
    Column("precision", Text, nullable=False),
    Column("anchored", Boolean, nullable=False),
    Column("sentence", Integer, nullable=False),
    ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
)

# One row per Attribution.  Role spans are JSON ([start, end] or null; content a list of them, since it may be
# discontinuous); their words are re-read from the article text on get().  source_text is kept for queries
# ("what did anonymous officials say?") without joining the text.
attributions = Table(
    "attributions",
    metadata,
    Column("article_id", Id, primary_key=True),
    Column("id", Text, primary_key=True),  # Attribution.id, unique within its article ("A1")
    Column("seq", Integer, nullable=False),
    Column("kind", String(16), nullable=False, index=True),  # AttributionKind value
    Column("source", Json),  # [start, end] or null
    Column("source_text", Text),
    Column("source_entity", Text, index=True),  # Entity.id in the same article
    Column("anonymous", Boolean, nullable=False),
    Column("anonymous_description", Text),
    Column("cue", Json),  # [start, end] or null
    Column("content", Json, nullable=False),  # list of [start, end]
    Column("factuality", String(16), nullable=False, index=True),  # Factuality value
    Column("factuality_cues", Json, nullable=False),  # list of [start, end]
    Column("via", Text),  # Attribution.id this one is reported through
    Column("sentence", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
)

# One row per Event.  ``data`` is Event.to_dict() (spans re-read from the article text on get()); the flat
# columns are what queries filter on ("events in VEN whose actor is entity E3") and the links to entities
# (actor_entity, target_entity), time expressions (date_time) and attributions (attribution).
events = Table(
    "events",
    metadata,
    Column("article_id", Id, primary_key=True),
    Column("id", Text, primary_key=True),  # Event.id, unique within its article ("V1")
    Column("seq", Integer, nullable=False),
    Column("type", String(16), nullable=False, index=True),  # PLOVER type
    Column("mode", Text),
    Column("trigger_start", Integer, nullable=False),
    Column("trigger_end", Integer, nullable=False),
    Column("actor_text", Text),
    Column("actor_entity", Text, index=True),  # Entity.id in the same article
    Column("actor_country", String(3), index=True),
    Column("actor_sector", String(8)),
    Column("target_text", Text),
    Column("target_entity", Text, index=True),
    Column("target_country", String(3), index=True),
    Column("target_sector", String(8)),
    # The actor's and target's entity keys (queries.entity_key), schema 12: an entity's events are then one
    # index range (ix_events_actor_key) instead of a probe per article naming it (a person in ~3,400 articles
    # at 1M events: its 50 newest events as actor 14 -> ~2 ms CPU).
    Column("actor_key", Text),
    Column("target_key", Text),
    Column("date", Text, index=True),  # event_date_key(EventDate.value): ISO text that sorts as time
    Column("date_precision", String(16)),
    Column("date_source", String(16)),  # text, paragraph, article or published (model.EventDate)
    Column("date_time", Text),  # TimeExpr.id in the same article
    Column("place_name", Text),
    Column("place_country", String(3), index=True),
    Column("place_precision", String(16)),
    Column("factuality", String(16), nullable=False, index=True),  # Factuality value
    Column("attribution", Text),  # Attribution.id in the same article
    Column("sentence", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("data", Json, nullable=False),  # Event.to_dict()
    ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
)

# Events per (place country, day, PLOVER type): the counts of the timeline, kept by SqlStore.put in the same
# transaction as the events (schema 7).  A country's timeline at 1M events read ~67,000 entries of the
# (place_country, date, type) index and grouped them into ~5,400 buckets (~16 ms of SQLite CPU per request);
# here it reads those ~5,400 rows.  Only events dated to a day are counted (event_day); '' is "no country"
# (a primary key column cannot be NULL on PostgreSQL).  A superseded article's events are taken out again
# (aggregates.remove_event_days), so the counts are those of current versions.
event_days = Table(
    "event_days",
    metadata,
    Column("place_country", String(3), primary_key=True),
    Column("day", String(10), primary_key=True),
    Column("type", String(16), primary_key=True),
    Column("n", Integer, nullable=False),
)

# Per-entity counts (schema 11), kept like event_days by SqlStore.put and retire (aggregates.py), so that an
# entity's page reads its own rows instead of grouping its events: at 1M events a person named in ~3,400
# articles took ~54 ms of SQLite CPU for the network, ~16 ms per timeline and ~14 ms for the counts (issue 9:
# entity page ~160 ms, entity API ~100 ms).  Keys as queries.entity_key spells them.
# Entity rows and their mentions per key (entity_summary's "articles" and "mentions").
entity_totals = Table(
    "entity_totals",
    metadata,
    Column("key", Text, primary_key=True),
    Column("n", Integer, nullable=False),
    Column("mentions", Integer, nullable=False),
)

# Entity rows per key and the name, type and country they carry (schema 15; country '' for none, a key
# column), kept like entity_totals: the entity search reads these instead of every entity row of the key
# (at 1M events a full name matched ~3,200 entity rows, ~12 ms of its ~21 ms to fetch them to group them by
# key), through an index of its own (store/fulltext.py).  Its rowid is the search index's key.
entity_names = Table(
    "entity_names",
    metadata,
    Column("key", Text, primary_key=True),
    Column("name", Text, primary_key=True),
    Column("type", Text, primary_key=True),
    Column("country", Text, primary_key=True),
    Column("n", Integer, nullable=False),
)

# Events per key, role ("actor"/"target"), day and type: the entity's timeline (dated to a day, event_day).
entity_days = Table(
    "entity_days",
    metadata,
    Column("key", Text, primary_key=True),
    Column("role", String(6), primary_key=True),
    Column("day", String(10), primary_key=True),
    Column("type", String(16), primary_key=True),
    Column("n", Integer, nullable=False),
)

# Events per actor key, target key and type, with both an actor and a target: the entity network's edges.
entity_edges = Table(
    "entity_edges",
    metadata,
    Column("actor_key", Text, primary_key=True),
    Column("target_key", Text, primary_key=True),
    Column("type", String(16), primary_key=True),
    Column("n", Integer, nullable=False),
    Index("ix_entity_edges_target", "target_key"),
)


def event_day(key: str | None) -> str | None:
    """The day of an ``events.date`` value that names one ("2024-03-05", "2024-03-05T14:00"), else None:
    weeks ("2024-06-24/P1W"), months, years and NULL have no place on a day axis."""
    if key is None or len(key) < 10 or key[4] != "-" or key[7] != "-" or "/" in key:
        return None
    return key[:10]


_WEEK = re.compile(r"^(\d{4})-W(\d{2})(?:-(\d))?$")
_ISO = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2}(?:T.*)?)?)?$")


def event_date_key(value: str | None) -> str | None:
    """The ``events.date`` column for an EventDate value: ISO text that sorts and compares as time.

    Days ("2024-03-05", "2024-03-05T14:00"), months ("2024-03") and years ("2024") are that already.  A week
    ("2024-W26") becomes an ISO interval from its Monday ("2024-06-24/P1W"): stored as given it sorted after
    every day of its year ('W' > '1'), so an article's "last week" topped the newest-first event table above
    later days, and no month filter matched it.  Other values with a year ("2024-SU", "2024-Q2") keep the
    year; those without one (PAST_REF) are NULL: last in every sort, matched by no date filter.  The value
    itself stays in ``data``.
    """
    if not value:
        return None
    if _ISO.match(value):
        return value
    week = _WEEK.match(value)
    if week:
        y, w, d = int(week[1]), int(week[2]), week[3]
        try:
            if d:
                return _date.fromisocalendar(y, w, int(d)).isoformat()
            return f"{_date.fromisocalendar(y, w, 1).isoformat()}/P1W"
        except ValueError:  # no such week (W54): the year is still true
            return value[:4]
    return value[:4] if value[:4].isdigit() else None


# Indexes of the read queries (store/queries.py), schema version 4.  Entity ids ("E3") repeat in every
# article, so the single-column index on actor_entity matches ~1/50 of all events per lookup: lookups of an
# entity's events go through (article_id, entity id) instead (events by actor: 135 -> a few ms at 300k
# events).  (type, date) and (place_country, date, type) let "events of a type in a month" and "timeline of
# a country" read index entries only, not ~1/15 of the event rows.
QUERY_INDEXES: tuple[Index, ...] = (
    # date, seq, id too: a page of an actor's events is sorted and keyed from index entries alone, without
    # reading ~1,200 event rows (with their JSON) for one actor in 1M events (41 -> ~15 ms).
    Index("ix_events_article_actor", events.c.article_id, events.c.actor_entity, events.c.date, events.c.seq,
          events.c.id),
    Index("ix_events_article_target", events.c.article_id, events.c.target_entity, events.c.date,
          events.c.seq, events.c.id),
    Index("ix_events_type_date", events.c.type, events.c.date, events.c.article_id, events.c.seq,
          events.c.id),
    Index("ix_events_place_country_date_type", events.c.place_country, events.c.date, events.c.type),
    Index("ix_attributions_article_source", attributions.c.article_id, attributions.c.source_entity),
)

# Schema 5: an entity key (queries.entity_key) resolves to its (article_id, id) rows from index entries
# alone.  With the name-only index every match cost a row read for type and kb_id, then another for the ids:
# ~5,000 random reads for a name in ~2,500 articles, 80 ms of the 1M-event "events by actor" query.
KEY_INDEXES: tuple[Index, ...] = (
    Index("ix_entities_name_key", entities.c.name, entities.c.type, entities.c.kb_id, entities.c.article_id,
          entities.c.id),
    Index("ix_entities_kb_key", entities.c.kb_id, entities.c.article_id, entities.c.id),
)

# An entity's events by key (schema 12), covering what a page of them is sorted and keyed by.
EVENT_KEY_INDEXES: tuple[Index, ...] = (
    Index("ix_events_actor_key", events.c.actor_key, events.c.date, events.c.article_id, events.c.seq,
          events.c.id),
    Index("ix_events_target_key", events.c.target_key, events.c.date, events.c.article_id, events.c.seq,
          events.c.id),
)

# Earlier versions of articles (schema 9), whole: the Article.to_dict() record as it was stored, analysis
# included, so `get` still finds a superseded id.  Their rows are gone from the query tables, so every list,
# count, timeline and export shows current versions only, without a filter in each query.
article_versions = Table(
    "article_versions",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Id, nullable=False, index=True),  # the id the version had (its content hash prefix)
    Column("version_key", Text, index=True),
    Column("superseded_by", Id, nullable=False),  # the article that replaced it (the same id: metadata edit)
    Column("change", String(16), nullable=False),  # "text" or "metadata"
    Column("superseded_at", DateTime(timezone=True), nullable=False),
    Column("record", Json, nullable=False),  # Article.to_dict()
)

# -- stories, copies, incidents and flags (schema 13, issue 12; aggregate/ computes them) -------------------
# stories: one row per story; norm_* are the norms of its vector sums (story_terms), which the online
# assignment (aggregate/stories.OnlineStories) divides overlap sums by.  seq: when it last took an article.
stories = Table(
    "stories",
    metadata,
    Column("id", Id, primary_key=True),
    Column("title", Text),  # its first article's
    Column("first_published", Text),
    Column("last_published", Text),
    Column("articles", Integer, nullable=False),
    Column("norm_words", Float, nullable=False),
    Column("norm_names", Float, nullable=False),
    Column("seq", Integer, nullable=False),
    Index("ix_stories_last_published", "last_published", "id"),
)
# which story each article is in, and the article its text copies (near-duplicates: aggregate/duplicates.py)
article_stories = Table(
    "article_stories",
    metadata,
    Column("article_id", Id, primary_key=True),
    Column("story_id", Id, nullable=False, index=True),
    Column("duplicate_of", Id, index=True),
    Column("seq", Integer, nullable=False),
)
# a story's vector sums: at most StoryOptions.max_terms terms per part ("w:" words, "n:" names), and its
# members' lede terms ("m:" main persons, "p:" persons of the ledes, "c:" casts and "c:*" their squared norm;
# aggregate/stories._lede_terms)
story_terms = Table(
    "story_terms",
    metadata,
    Column("story_id", Id, primary_key=True),
    Column("term", String(80), primary_key=True),
    Column("weight", Float, nullable=False),
    Index("ix_story_terms_term_story", "term", "story_id", "weight"),
)
# the inverted index: a story's most salient terms; (term, seq) gives the most recently joined stories first
story_keys = Table(
    "story_keys",
    metadata,
    # story first: a story's keys are replaced at each article it takes (keyed by term first, that delete
    # scanned the whole table: 60 ms per article at 100k stored)
    Column("story_id", Id, primary_key=True),
    Column("term", String(80), primary_key=True),
    Column("seq", Integer, nullable=False),
    Index("ix_story_keys_term_seq", "term", "seq"),
)
# documents per term, over every article assigned (IDF of the online assignment)
story_df = Table(
    "story_df",
    metadata,
    Column("term", String(80), primary_key=True),
    Column("df", Integer, nullable=False),
)
# MinHash LSH bands of each article's shingles: articles sharing a band are candidate copies
article_bands = Table(
    "article_bands",
    metadata,
    Column("hash", String(32), primary_key=True),  # first: a look-up is by hash (band checked after)
    Column("band", Integer, primary_key=True),
    Column("article_id", Id, primary_key=True),
)
incidents = Table(
    "incidents",
    metadata,
    Column("id", Id, primary_key=True),
    Column("story_id", Id, index=True),
    Column("type", String(16), nullable=False),
    Column("date_first", Text),
    Column("date_last", Text),
    Column("place", Text),
    Column("country", String(3)),
    Column("independent_sources", Integer, nullable=False),
    Column("fatalities_low", Float),
    Column("fatalities_high", Float),
    Column("conflicts", Integer, nullable=False),
    Column("record", Json, nullable=False),  # Incident.to_dict()
    Index("ix_incidents_type_date", "type", "date_first", "id"),
    Index("ix_incidents_country_date", "country", "date_first", "id"),
)
incident_reports = Table(
    "incident_reports",
    metadata,
    Column("incident_id", Id, primary_key=True),
    Column("article_id", Id, primary_key=True),
    Column("event_id", String(16), primary_key=True),
    Index("ix_incident_reports_article", "article_id", "event_id", "incident_id"),
)
article_flags = Table(
    "article_flags",
    metadata,
    Column("article_id", Id, primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(32), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("message", Text, nullable=False),
    Column("record", Json, nullable=False),  # Flag.to_dict()
)
STORY_TABLES = (stories, article_stories, story_terms, story_keys, story_df, article_bands, incidents,
                incident_reports, article_flags)

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

# One row: how many writes the aggregated tables have seen (schema 8; store/changes.py keeps it by triggers).
store_changes = Table(
    "store_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("n", BigInteger, nullable=False),
)


@event.listens_for(metadata, "after_create")
def _after_create(_target: Any, connection: Any, **_kw: Any) -> None:
    # What Core tables cannot say (schema 8): the change counter's triggers and row, the search indexes
    # (SQLite FTS5 tables and their triggers, PostgreSQL pg_trgm indexes).
    from . import changes, fulltext

    changes.install(connection)
    fulltext.install(connection, fill=False)
