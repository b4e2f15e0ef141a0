"""Exports for analysts' own tools: JSONL, CSV, Parquet and a GDELT-2.0-shaped TSV.

Which records are written is decided by the read queries of the API (``store/queries.py``: ``event_keys``,
``attribution_keys``, ``list_articles``), so a filter means the same in an export as in the API; the records
themselves come from :meth:`Store.get` article by article (newest first).  Three record kinds:

* ``events``: with ``--format jsonl`` one PLOVER JSON record per event, using the PLOVER specification's field
  names (``id``, ``date``, ``event``, ``mode``, ``context``, ``source``/``target`` as lists of
  ``{actorText, code, sector}``, ``eventText``, ``text``, ``language``, ``publication``, ``version``,
  ``dateCoded``, and ``dead``/``injured``/``size`` where the text gives them) plus an ``eventwire`` object
  with the evidence (article id, spans, factuality); csv/parquet get one flat row per event; ``gdelt`` the TSV
  documented at :data:`GDELT_COLUMNS`.
* ``attributions`` and ``articles``: flat rows (csv, parquet) or their full JSON (jsonl).
* ``incidents``: one row per incident (csv, parquet; columns :data:`INCIDENT_COLUMNS`, ACLED-like: the
  lowest credible toll, independent sources, what the reports disagree on) or the API's record (jsonl).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any, Literal, TextIO

from ..errors import ConfigError
from ..model import Article, Attribution, Event
from ..nlp.events.plover import event_type, is_event_type
from ..store import Store
from ..store import queries as Q

__all__ = ["FORMATS", "GDELT_COLUMNS", "INCIDENT_COLUMNS", "KINDS", "ExportFilters", "export", "gdelt_row",
           "plover_record"]

Format = Literal["jsonl", "csv", "parquet", "gdelt"]
Kind = Literal["events", "attributions", "articles", "incidents"]
FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet", "gdelt")
KINDS: tuple[str, ...] = ("events", "attributions", "articles", "incidents")
PLOVER_VERSION = "0.6"  # the PLOVER manual version whose field names the JSONL export follows

# Articles read per store page: one `get` per article; 500 keeps the id page small and the loop simple.
_PAGE = 500


@dataclass(frozen=True, slots=True)
class ExportFilters:
    """Which records to export; None = no constraint.  Dates are ISO prefixes (YYYY, YYYY-MM, YYYY-MM-DD)."""

    type: str | None = None  # PLOVER type (events) or attribution kind
    country: str | None = None  # ISO 3166-1 alpha-3 of where the event happened
    date_from: str | None = None
    date_to: str | None = None
    factuality: str | None = None
    site: str | None = None


def _engine(store: Store) -> Any:
    engine = getattr(store, "engine", None)
    if engine is None:  # pragma: no cover - every store we ship is a SqlStore
        raise ConfigError("export needs a SQL store")
    return engine


def _articles(store: Store, f: ExportFilters) -> Iterator[Article]:
    """The articles of ``f`` (site, publication dates), as ``queries.list_articles`` pages them."""
    offset = 0
    while True:
        with _engine(store).connect() as conn:
            page = Q.list_articles(conn, site=f.site, date_from=f.date_from, date_to=f.date_to, limit=_PAGE,
                                   offset=offset)
        for row in page.items:
            article = store.get(row["id"])
            if article is not None:
                yield article
        offset += _PAGE
        if offset >= page.total:
            return


def _by_article(store: Store, keys: Iterator[tuple[str, str]]) -> Iterator[tuple[Article, list[str]]]:
    """Each article of ``(article_id, item id)`` keys (grouped by article) with its item ids, one get each."""
    for article_id, group in groupby(keys, key=itemgetter(0)):
        article = store.get(article_id)
        if article is not None:
            yield article, [item for _, item in group]


def _events(store: Store, f: ExportFilters) -> Iterator[tuple[Article, list[Event]]]:
    """The events matching ``f``, chosen by ``queries.event_keys``: the API's filters, not a re-implementation
    (one in Python compared the raw date value, so "2024-W26" matched no --from/--to; issue 9)."""
    with _engine(store).connect() as conn:
        keys = Q.event_keys(conn, type=f.type, country=f.country, date_from=f.date_from, date_to=f.date_to,
                            factuality=f.factuality, site=f.site)
        for article, ids in _by_article(store, keys):
            by_id = {e.id: e for e in article.events}
            yield article, [by_id[i] for i in ids if i in by_id]


def _attributions(store: Store, f: ExportFilters) -> Iterator[tuple[Article, list[Attribution]]]:
    """The attributions matching ``f`` (kind, factuality, publication dates, site), by the API's query."""
    with _engine(store).connect() as conn:
        keys = Q.attribution_keys(conn, kind=f.type, factuality=f.factuality, date_from=f.date_from,
                                  date_to=f.date_to, site=f.site)
        for article, ids in _by_article(store, keys):
            by_id = {x.id: x for x in article.attributions}
            yield article, [by_id[i] for i in ids if i in by_id]


def _event_day(a: Article, e: Event) -> str | None:
    if e.date is not None and e.date.value[:4].isdigit():
        return e.date.value
    return a.published[:10] if a.published else None


def _sentence_text(a: Article, index: int) -> str:
    if 0 <= index < len(a.sentences):
        return a.sentences[index].span.text
    return ""


def plover_record(a: Article, e: Event, *, coded: str | None = None) -> dict[str, Any]:
    """One event as a PLOVER JSON record (field names of the PLOVER manual) with our evidence."""
    def actors(arg: Any) -> list[dict[str, Any]]:
        if arg is None:
            return []
        out = {"actorText": arg.span.text if arg.span is not None else (arg.name or ""),
               "code": arg.country or "", "name": arg.name}
        if arg.sector:
            out["sector"] = arg.sector
        return [out]

    rec: dict[str, Any] = {
        "id": f"{a.id}-{e.id}",
        "date": _event_day(a, e) or "",
        "source": actors(e.actor),
        "target": actors(e.target),
        "event": e.type,
        "eventText": e.trigger.text,
        "mode": e.mode or "",
        "context": "",
        "text": _sentence_text(a, e.sentence),
        "language": a.language or "",
        "publication": a.site or "",
        "url": a.url or "",
        "version": PLOVER_VERSION,
        "dateCoded": coded or datetime.now(UTC).date().isoformat(),
    }
    for q in e.quantities:
        key = {"fatalities": "dead", "injured": "injured", "crowd": "size"}.get(q.kind)
        if key and q.low is not None:
            rec[key] = int(q.low)
    if e.place is not None:
        rec["location"] = {"placeName": e.place.name, "countryCode": e.place.country or "",
                           "admin1": e.place.admin1 or "", "lat": e.place.lat, "lon": e.place.lon,
                           "precision": e.place.precision}
    rec["eventwire"] = {"article_id": a.id, "event_id": e.id, "factuality": str(e.factuality),
                        "attribution": e.attribution, "confidence": e.confidence, "evidence": e.to_dict()}
    return rec


def _flat_event(a: Article, e: Event) -> dict[str, Any]:
    def arg(prefix: str, x: Any) -> dict[str, Any]:
        return {f"{prefix}_text": x.span.text if x is not None and x.span is not None else None,
                f"{prefix}_start": x.span.start if x is not None and x.span is not None else None,
                f"{prefix}_end": x.span.end if x is not None and x.span is not None else None,
                f"{prefix}_name": x.name if x is not None else None,
                f"{prefix}_country": x.country if x is not None else None,
                f"{prefix}_sector": x.sector if x is not None else None}

    q: dict[str, float | None] = dict.fromkeys(("dead", "injured", "size"))
    for quantity in e.quantities:
        key = {"fatalities": "dead", "injured": "injured", "crowd": "size"}.get(quantity.kind)
        if key and quantity.low is not None:
            q[key] = quantity.low
    place = e.place
    return {"article_id": a.id, "event_id": e.id, "type": e.type, "mode": e.mode,
            "quad_class": event_type(e.type).quad if is_event_type(e.type) else None,
            "date": _event_day(a, e), "date_source": e.date.source if e.date else None,
            "trigger_text": e.trigger.text, "trigger_start": e.trigger.start, "trigger_end": e.trigger.end,
            **arg("actor", e.actor), **arg("target", e.target),
            "place_name": place.name if place else None, "place_country": place.country if place else None,
            "place_lat": place.lat if place else None, "place_lon": place.lon if place else None,
            **q, "factuality": str(e.factuality), "attribution": e.attribution, "confidence": e.confidence,
            "sentence": _sentence_text(a, e.sentence), "published": a.published, "url": a.url,
            "title": a.title}


def _flat_attribution(a: Article, x: Any) -> dict[str, Any]:
    names = {e.id: e.name for e in a.entities}
    return {"article_id": a.id, "attribution_id": x.id, "kind": str(x.kind),
            "source_text": x.source.text if x.source else None,
            "source_start": x.source.start if x.source else None,
            "source_end": x.source.end if x.source else None,
            "source_entity": names.get(x.source_entity or ""), "anonymous": x.anonymous,
            "cue_text": x.cue.text if x.cue else None,
            "content_text": " … ".join(c.text for c in x.content),
            "content_spans": json.dumps([c.as_list() for c in x.content]),
            "factuality": str(x.factuality), "via": x.via, "confidence": x.confidence,
            "published": a.published, "url": a.url, "title": a.title}


def _flat_article(a: Article) -> dict[str, Any]:
    return {"article_id": a.id, "title": a.title, "published": a.published, "site": a.site, "url": a.url,
            "language": a.language, "status": str(a.status), "authors": "; ".join(a.authors),
            "n_entities": len(a.entities), "n_attributions": len(a.attributions), "n_events": len(a.events),
            "text": a.text}


# GDELT 2.0 event table columns, in order.  We fill those that have a meaning for us and leave the rest empty:
#   GLOBALEVENTID  a running number in this file (GDELT's ids are global; ours are "article-V1" in SOURCEURL's
#                  stead, see the last column)
#   SQLDATE, MonthYear, Year, FractionDate   from the event date (else the publication date)
#   Actor1/2Code, CountryCode   the actor's / target's ISO 3166-1 alpha-3 (GDELT uses CAMEO country codes,
#                  which are the same three letters for most countries)
#   Actor1/2Name   the entity's canonical name (or the words), upper-cased as GDELT does
#   Actor1/2Type1Code   the sector (GOV, MIL, REB, ...), CAMEO's role codes where they coincide
#   IsRootEvent    1 for the first event of its sentence
#   EventCode, EventBaseCode, EventRootCode   the PLOVER type name (not a CAMEO number: PLOVER has no codes)
#   QuadClass      PLOVER's quad class 1-4: the same four classes, same numbering as GDELT
#   NumMentions, NumSources, NumArticles   1 (one row per event mention; aggregate downstream)
#   ActionGeo_*    the event's place: Type 1 for a country, 5 for an admin1, 4 for a place; FullName, the ISO3
#                  country code (GDELT uses FIPS 10-4 here: convert if you join with GDELT), ADM1Code, Lat,
#                  Long, FeatureID (our kb id)
#   DATEADDED      when this file was written (YYYYMMDDHHMMSS, UTC)
#   SOURCEURL      the article URL
# Empty: Actor*KnownGroupCode, *EthnicCode, *Religion*, *Type2/3Code, GoldsteinScale, AvgTone, Actor1/2Geo_*.
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)
_GEO_TYPE = {"country": "1", "admin1": "5", "place": "4"}


def gdelt_row(n: int, a: Article, e: Event, *, root: bool, added: str) -> list[str]:
    """The GDELT 2.0 columns of one event (see :data:`GDELT_COLUMNS` for which are filled)."""
    row = dict.fromkeys(GDELT_COLUMNS, "")
    day = _event_day(a, e) or ""
    if len(day) >= 10 and day[:10].replace("-", "").isdigit():
        d = datetime.fromisoformat(day[:10])
        row.update(SQLDATE=d.strftime("%Y%m%d"), MonthYear=d.strftime("%Y%m"), Year=d.strftime("%Y"),
                   FractionDate=f"{d.year + (d.timetuple().tm_yday - 1) / 365:.4f}")
    elif day[:4].isdigit():
        row.update(Year=day[:4], MonthYear=day[:4] + day[5:7] if len(day) >= 7 else "")
    for prefix, arg in (("Actor1", e.actor), ("Actor2", e.target)):
        if arg is None:
            continue
        name = arg.name or (arg.span.text if arg.span is not None else "")
        row[f"{prefix}Code"] = (arg.country or "") + (arg.sector or "")
        row[f"{prefix}Name"] = " ".join(name.upper().split())
        row[f"{prefix}CountryCode"] = arg.country or ""
        row[f"{prefix}Type1Code"] = arg.sector or ""
    row.update(GLOBALEVENTID=str(n), IsRootEvent="1" if root else "0", EventCode=e.type, EventBaseCode=e.type,
               EventRootCode=e.type, NumMentions="1", NumSources="1", NumArticles="1", DATEADDED=added,
               SOURCEURL=a.url or f"eventwire:{a.id}#{e.id}")
    if is_event_type(e.type):
        row["QuadClass"] = str(event_type(e.type).quad)
    if e.place is not None:
        p = e.place
        row.update(ActionGeo_Type=_GEO_TYPE.get(p.precision, ""), ActionGeo_FullName=p.name,
                   ActionGeo_CountryCode=p.country or "", ActionGeo_ADM1Code=p.admin1 or "",
                   ActionGeo_Lat="" if p.lat is None else f"{p.lat:.4f}",
                   ActionGeo_Long="" if p.lon is None else f"{p.lon:.4f}", ActionGeo_FeatureID=p.kb_id or "")
    # GDELT files are tab-separated with no quoting: a tab or newline inside a name would shift columns.
    return [" ".join(row[c].split()) if c.endswith(("Name", "FullName")) else row[c].replace("\t", " ")
            for c in GDELT_COLUMNS]


# One row per incident, ACLED-like: the happening once, however many reports; the lowest credible toll with
# the highest reported beside it; the sources that corroborate it; a note of what the reports disagree on.
INCIDENT_COLUMNS: tuple[str, ...] = (
    "incident_id", "event_type", "event_date", "date_first", "date_last", "country", "location", "actors",
    "targets", "fatalities", "fatalities_high", "independent_sources", "articles", "sources", "conflicts",
    "story_id", "notes")


def _whole(x: float | None) -> float | int | None:
    """30.0 -> 30: tolls are counts of people."""
    return int(x) if isinstance(x, float) and x.is_integer() else x


def _incident_row(record: dict[str, Any]) -> dict[str, Any]:
    fatalities = record.get("fatalities") or {}
    conflicts = record.get("conflicts") or []

    def said(c: dict[str, Any]) -> str:
        return str(c["field"]) + ": " + " vs ".join(
            f"{v['value']}" + (f" ({v['source']})" if v.get("source") else "") for v in c["values"])

    return {
        "incident_id": record["id"], "event_type": record["type"], "event_date": record.get("date") or "",
        "date_first": record.get("date_first") or "", "date_last": record.get("date_last") or "",
        "country": record.get("country") or "", "location": record.get("place") or "",
        "actors": "; ".join(record.get("actors") or []), "targets": "; ".join(record.get("targets") or []),
        "fatalities": _whole(fatalities.get("low")), "fatalities_high": _whole(fatalities.get("high")),
        "independent_sources": record.get("independent_sources", 0),
        "articles": len(record.get("articles") or []),
        "sources": "; ".join(sorted({r.get("site") or r["article_id"] for r in record.get("reports") or []
                                     if not r.get("duplicate_of")})),
        "conflicts": len(conflicts), "story_id": record.get("story_id") or "",
        "notes": " | ".join(said(c) for c in conflicts),
    }


def _incidents(store: Store, f: ExportFilters) -> Iterator[dict[str, Any]]:
    """Incident records matching ``f`` (type, country, dates of the incident), by the API's query."""
    offset = 0
    while True:
        with _engine(store).connect() as conn:
            page = Q.list_incidents(conn, type=f.type, country=f.country, date_from=f.date_from,
                                    date_to=f.date_to, limit=Q.MAX_LIMIT, offset=offset)
        yield from page.items
        offset += Q.MAX_LIMIT
        if offset >= page.total:
            return


def _records(store: Store, kind: str, fmt: str, f: ExportFilters) -> Iterator[dict[str, Any]]:
    coded = datetime.now(UTC).date().isoformat()
    if kind == "incidents":
        for record in _incidents(store, f):
            yield record if fmt == "jsonl" else _incident_row(record)
    elif kind == "articles":
        for a in _articles(store, f):
            yield a.to_dict() if fmt == "jsonl" else _flat_article(a)
    elif kind == "attributions":
        for a, found in _attributions(store, f):
            for x in found:
                yield ({"article_id": a.id, **x.to_dict()} if fmt == "jsonl" else _flat_attribution(a, x))
    else:
        for a, evs in _events(store, f):
            for e in evs:
                yield plover_record(a, e, coded=coded) if fmt == "jsonl" else _flat_event(a, e)


def export(store: Store, fmt: str, out: Path, *, kind: str = "events",
           filters: ExportFilters | None = None) -> int:
    """Write the records of ``kind`` matching ``filters`` to ``out`` in format ``fmt``; the count written."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if kind not in KINDS:
        raise ConfigError(f"unknown record kind {kind!r}: use one of {', '.join(KINDS)}")
    if fmt == "gdelt" and kind != "events":
        raise ConfigError("--format gdelt exports events only")
    f = filters or ExportFilters()
    try:
        if fmt == "gdelt":
            return _write_gdelt(store, out, f)
        rows = _records(store, kind, fmt, f)
        if fmt == "jsonl":
            return _write(out, lambda fh: _jsonl(fh, rows))
        if fmt == "csv":
            return _write(out, lambda fh: _csv(fh, rows))
        return _parquet(out, rows)
    except OSError as e:  # the output file: a missing folder, no permission, a full disk
        raise ConfigError(f"cannot write {out}: {e.strerror or e} — check that its folder exists and is "
                          f"writable, or pass another --out") from e


def _write(out: Path, body: Callable[[TextIO], int]) -> int:
    with out.open("w", encoding="utf-8", newline="") as fh:
        return body(fh)


def _jsonl(fh: TextIO, rows: Iterator[dict[str, Any]]) -> int:
    n = 0
    for r in rows:
        fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        n += 1
    return n


def _csv(fh: TextIO, rows: Iterator[dict[str, Any]]) -> int:
    writer: csv.DictWriter[str] | None = None
    n = 0
    for r in rows:
        if writer is None:
            writer = csv.DictWriter(fh, fieldnames=list(r))
            writer.writeheader()
        writer.writerow(r)
        n += 1
    return n


def _parquet(out: Path, rows: Iterator[dict[str, Any]]) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:
        raise ConfigError("--format parquet needs pyarrow: pip install 'eventwire[parquet]'") from e
    items = list(rows)
    table = pa.Table.from_pylist(items) if items else pa.table({})
    pq.write_table(table, out)
    return len(items)


def _write_gdelt(store: Store, out: Path, f: ExportFilters) -> int:
    added = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    n = 0
    with out.open("w", encoding="utf-8", newline="") as fh:
        for a, evs in _events(store, f):
            seen_sentences: set[int] = set()
            for e in evs:
                n += 1
                root = e.sentence not in seen_sentences
                seen_sentences.add(e.sentence)
                fh.write("\t".join(gdelt_row(n, a, e, root=root, added=added)) + "\n")
    return n
