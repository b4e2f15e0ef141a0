"""Domain objects: typed, frozen dataclasses shared by every stage.

Everything that points into an article's text carries a :class:`CharSpan` whose ``text`` equals
``article.text[start:end]``; that invariant is property-tested.  spaCy types never appear here.

``to_dict()`` gives the JSON shape of ``eventwire extract`` (the batch interchange of FORMAT.md plus our
own richer fields); :func:`article_from_dict` reads it back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "AnalysisStatus",
    "Article",
    "ArticleInput",
    "Attribution",
    "AttributionKind",
    "CharSpan",
    "Conflict",
    "ConflictValue",
    "Entity",
    "Event",
    "EventArg",
    "EventDate",
    "EventPlace",
    "Factuality",
    "Flag",
    "Incident",
    "IncidentReport",
    "Mention",
    "MentionKind",
    "Quantity",
    "Sentence",
    "Skip",
    "TimeExpr",
    "article_from_dict",
    "content_hash",
    "event_from_dict",
]

JSON = dict[str, Any]


class _Compact:
    """Pickle as ``(cls, field values)``: workers send every Article back to the parent, and the default
    pickling of frozen slotted dataclasses (state dicts, setattr per field) took ~2 ms and 17 kB per
    750-word article; positional args take a third of both."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        cls = type(self)
        names: tuple[str, ...] = cls.__slots__  # dataclass slots = its fields, in order
        return (cls, tuple([getattr(self, name) for name in names]))


@dataclass(frozen=True, slots=True)
class CharSpan(_Compact):
    """A half-open range ``[start, end)`` of code points in an article's text, with the words it names."""

    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")
        if len(self.text) != self.end - self.start:
            raise ValueError(f"span [{self.start}, {self.end}) does not match its text {self.text!r}")

    @classmethod
    def of(cls, text: str, start: int, end: int) -> CharSpan:
        """The span ``[start, end)`` of ``text``."""
        return cls(start, end, text[start:end])

    def as_list(self) -> list[int]:
        return [self.start, self.end]

    def to_dict(self) -> JSON:
        return {"span": [self.start, self.end], "text": self.text}


class MentionKind(StrEnum):
    """How a mention names its entity."""

    NAME = "name"  # "Nicolás Maduro", "Maduro"
    NOMINAL = "nominal"  # "the Venezuelan president"
    PRONOUN = "pronoun"  # "he", "his"


@dataclass(frozen=True, slots=True)
class Mention(_Compact):
    span: CharSpan
    kind: MentionKind = MentionKind.NAME
    sentence: int = 0  # index into Article.sentences

    def to_dict(self) -> JSON:
        return {"span": self.span.as_list(), "text": self.span.text, "kind": str(self.kind),
                "sentence": self.sentence}


@dataclass(frozen=True, slots=True)
class Entity(_Compact):
    """One real-world thing, grouped over all its mentions in one article."""

    id: str  # "E1", unique within the article
    type: str  # spaCy/OntoNotes label: PERSON, ORG, GPE, LOC, NORP, FAC, ...
    name: str  # canonical name: the fullest name mention, titles stripped
    mentions: tuple[Mention, ...]
    country: str | None = None  # ISO 3166-1 alpha-3 where the entity is, or belongs to, a country
    kb_id: str | None = None  # e.g. "iso3166:VEN", "geonames:3646738"

    def to_dict(self) -> JSON:
        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "country": self.country,
            "kb_id": self.kb_id,
            # FORMAT.md's `mentions` ([start, end] each) are where the entity is *named*, as a named-entity
            # tagger's output is read; every reference, role nouns and pronouns included, is in
            # `mention_details` with its kind. Listing "he" and "its" as name mentions cost MEANTIME dev
            # strict typed F1 .566 -> .538 (untyped .650 -> .618), below bare spaCy's .551.
            "mentions": [m.span.as_list() for m in self.mentions if m.kind == MentionKind.NAME],
            "mention_details": [m.to_dict() for m in self.mentions],
        }


@dataclass(frozen=True, slots=True)
class TimeExpr(_Compact):
    """A time expression normalised TIMEX3-style against the article's publication time."""

    id: str  # "T1"
    span: CharSpan
    type: str  # DATE, TIME, DURATION, SET
    value: str  # "2025-11-29", "2025-W48", "P3M", "PAST_REF", ... ("" when it could not be normalised)
    precision: str  # instant, day, week, month, quarter, season, year, decade, century, vague, duration, set
    anchored: bool = False  # True when the value was computed from the publication time
    sentence: int = 0

    def to_dict(self) -> JSON:
        return {"id": self.id, "span": self.span.as_list(), "text": self.span.text, "type": self.type,
                "value": self.value, "precision": self.precision, "anchored": self.anchored,
                "sentence": self.sentence}


@dataclass(frozen=True, slots=True)
class Sentence(_Compact):
    span: CharSpan

    def to_dict(self) -> JSON:
        return {"span": self.span.as_list()}


class AttributionKind(StrEnum):
    """How an attribution reports its content."""

    DIRECT = "direct"  # a quotation: "It was a phone call," he said
    INDIRECT = "indirect"  # reported speech: he said that it was a phone call
    MIXED = "mixed"  # paraphrase with a quoted fragment: he said that "nothing should be read into it"
    ACCORDING_TO = "according_to"  # according to X, ...
    INTERNAL_STATE = "internal_state"  # belief, fear, wish, intention: experts believe that ...


class Factuality(StrEnum):
    """How surely the article presents an attribution's content."""

    ASSERTED = "asserted"  # the source confirms, shows, finds: presented as fact
    REPORTED = "reported"  # someone said it; the article neither vouches nor doubts
    ALLEGED = "alleged"  # "is said to have", "reportedly", "allegedly", "claimed"
    SPECULATED = "speculated"  # beliefs and hedges: "believe it is likely", "could", "may"
    DENIED = "denied"  # negated or denied: "did not want to comment", "denied that"
    CONDITIONAL = "conditional"  # "if he resigns"
    PLANNED = "planned"  # events only: threatened, announced or intended, not (yet) done: "will close"


@dataclass(frozen=True, slots=True)
class Attribution(_Compact):
    """Who said (or believed) what: a source, the cue words that mark the attribution, and the content.

    ``content`` may be discontinuous ("The plan," he said, "is dead." has two content spans).  ``via`` is
    the id of the attribution this one is reported through: in "The Herald reports, citing sources, that
    X" the sources' attribution has ``via`` = the Herald's id.
    """

    id: str  # "A1", unique within the article
    kind: AttributionKind
    content: tuple[CharSpan, ...]
    source: CharSpan | None = None  # None: no source in the text ("he is said to have ...")
    cue: CharSpan | None = None
    source_entity: str | None = None  # Entity.id the source resolves to
    anonymous: bool = False  # "sources familiar with the matter", "a person close to ..."
    anonymous_description: str | None = None  # the words that describe an anonymous source
    factuality: Factuality = Factuality.REPORTED
    factuality_cues: tuple[CharSpan, ...] = ()  # the words that decided the factuality
    via: str | None = None
    sentence: int = 0  # index into Article.sentences of the first content span (or the cue)
    confidence: float = 1.0

    def spans(self) -> list[CharSpan]:
        out = [s for s in (self.source, self.cue) if s is not None]
        return out + list(self.content) + list(self.factuality_cues)

    def to_dict(self) -> JSON:
        def role(span: CharSpan | None) -> JSON:
            return {"span": None, "text": None} if span is None else span.to_dict()

        source = role(self.source)
        source.update(entity=self.source_entity, anonymous=self.anonymous,
                      description=self.anonymous_description)
        return {
            "id": self.id,
            "kind": str(self.kind),
            "source": source,
            "cue": role(self.cue),
            "content": {"spans": [s.as_list() for s in self.content], "text": [s.text for s in self.content]},
            "factuality": str(self.factuality),
            "factuality_cues": [s.to_dict() for s in self.factuality_cues],
            "via": self.via,
            "sentence": self.sentence,
            "confidence": self.confidence,
        }


@dataclass(frozen=True, slots=True)
class EventArg(_Compact):
    """An event's actor or target: the words, the canonical entity they resolve to, its country and sector."""

    span: CharSpan | None
    entity: str | None = None  # Entity.id
    name: str | None = None  # the entity's canonical name (or the words when no entity)
    country: str | None = None  # ISO 3166-1 alpha-3
    sector: str | None = None  # GOV, MIL, POL, REB, CVL, MED, OPP, BUS, JUD, IGO, ... where the text says

    def to_dict(self) -> JSON:
        return {"span": None if self.span is None else self.span.as_list(),
                "text": None if self.span is None else self.span.text,
                "entity": self.entity, "name": self.name, "country": self.country, "sector": self.sector}


@dataclass(frozen=True, slots=True)
class EventDate(_Compact):
    """When an event happened: a TIMEX3-style value from the event's clause, or the publication date."""

    value: str  # "2025-11-29", "2025-11", "2025" (a week is dated to its month: events/dates.py)
    precision: str  # day, month, year
    # "text": a time expression of the clause; "paragraph": the time that opens its paragraph, well before
    # publication (none in its sentence); "article": the lede's anchor day; "published": the last fallback
    source: str = "text"
    time: str | None = None  # TimeExpr.id when source is "text"

    def to_dict(self) -> JSON:
        return {"value": self.value, "precision": self.precision, "source": self.source, "time": self.time}


@dataclass(frozen=True, slots=True)
class EventPlace(_Compact):
    """Where an event happened, geocoded offline; ``precision`` in the spirit of UCDP's where_prec."""

    span: CharSpan | None
    name: str
    precision: str  # place, admin1, country, water, airspace
    country: str | None = None  # ISO 3166-1 alpha-3
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    kb_id: str | None = None  # "geonames:3646738", "iso3166:VEN"

    def to_dict(self) -> JSON:
        return {"span": None if self.span is None else self.span.as_list(),
                "text": None if self.span is None else self.span.text, "name": self.name,
                "precision": self.precision, "country": self.country, "admin1": self.admin1,
                "lat": self.lat, "lon": self.lon, "kb_id": self.kb_id}


@dataclass(frozen=True, slots=True)
class Quantity(_Compact):
    """A count or amount the text gives for an event: ``low``/``high`` None when the text leaves it open."""

    kind: str  # fatalities, injured, arrested, crowd, money
    span: CharSpan
    low: float | None = None
    high: float | None = None
    unit: str | None = None  # ISO 4217 for money ("USD"); None for people

    def to_dict(self) -> JSON:
        return {"kind": self.kind, "span": self.span.as_list(), "text": self.span.text, "low": self.low,
                "high": self.high, "unit": self.unit}


@dataclass(frozen=True, slots=True)
class Event(_Compact):
    """Who did what to whom, when and where: one PLOVER-typed event with the evidence for each field."""

    id: str  # "V1", unique within the article
    type: str  # one of the PLOVER types (eventwire.nlp.events.plover)
    trigger: CharSpan
    mode: str | None = None
    actor: EventArg | None = None
    target: EventArg | None = None
    date: EventDate | None = None
    place: EventPlace | None = None
    quantities: tuple[Quantity, ...] = ()
    factuality: Factuality = Factuality.ASSERTED
    factuality_cues: tuple[CharSpan, ...] = ()
    attribution: str | None = None  # Attribution.id the event is reported through
    sentence: int = 0  # index into Article.sentences
    confidence: float = 1.0
    # the same happening's other mentions in the article (their trigger words): headline, lede, quotes ...
    evidence: tuple[CharSpan, ...] = ()

    def spans(self) -> list[CharSpan]:
        out = [self.trigger, *self.factuality_cues, *(q.span for q in self.quantities), *self.evidence]
        out += [a.span for a in (self.actor, self.target) if a is not None and a.span is not None]
        if self.place is not None and self.place.span is not None:
            out.append(self.place.span)
        return out

    def to_dict(self) -> JSON:
        return {
            "id": self.id,
            "type": self.type,
            "mode": self.mode,
            "trigger": self.trigger.to_dict(),
            "actor": None if self.actor is None else self.actor.to_dict(),
            "target": None if self.target is None else self.target.to_dict(),
            "date": None if self.date is None else self.date.to_dict(),
            "place": None if self.place is None else self.place.to_dict(),
            "quantities": [q.to_dict() for q in self.quantities],
            "factuality": str(self.factuality),
            "factuality_cues": [s.to_dict() for s in self.factuality_cues],
            "attribution": self.attribution,
            "sentence": self.sentence,
            "confidence": self.confidence,
            "evidence": [s.to_dict() for s in self.evidence],
        }


class AnalysisStatus(StrEnum):
    ANALYZED = "analyzed"
    SKIPPED = "skipped"  # stored with metadata, not analysed (see Article.skip_reason)


@dataclass(frozen=True, slots=True)
class ArticleInput(_Compact):
    """What a reader hands to the pipeline: a clean body plus everything known about it.

    Dates are ISO-8601 strings.  A datetime without a UTC offset means the time zone is unknown;
    ``metadata["date_order"]`` records how an ambiguous numeric date was read ("DMY" or "MDY").
    """

    text: str
    source: str  # where it came from: "path/to/file.txt", "feed.xml#3", "batch.jsonl:17"
    id: str | None = None  # the caller's id (FORMAT.md input), echoed in the output
    title: str | None = None
    url: str | None = None
    site: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    updated: str | None = None
    language: str | None = None  # ISO 639-1 when the source declares it; else detected later
    captions: tuple[str, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Skip(_Compact):
    """An input that could not become an article, with a stable reason code and a human detail."""

    source: str
    reason: str  # "empty", "binary", "too-large", "not-json", "no-text", "no-article", "bad-gzip", ...
    detail: str = ""


def content_hash(text: str) -> str:
    """The article's identity: sha256 of its body with white space folded, so re-reads dedupe.

    Never raises: readers replace lone surrogates with U+FFFD, but an ``Article`` built by hand may still
    hold one, and "surrogatepass" gives it a hash of its own instead of a UnicodeEncodeError.
    """
    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class Article(_Compact):
    """An analysed (or counted-as-skipped) article: the unit that is stored and exported."""

    id: str  # first 16 hex digits of the content hash
    content_hash: str
    text: str
    source: str = ""
    input_id: str | None = None
    title: str | None = None
    url: str | None = None
    site: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    updated: str | None = None
    language: str | None = None
    captions: tuple[str, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)
    status: AnalysisStatus = AnalysisStatus.ANALYZED
    skip_reason: str | None = None
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    times: tuple[TimeExpr, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    events: tuple[Event, ...] = ()

    def spans(self) -> list[CharSpan]:
        """Every span this article points at (for checks and highlighting)."""
        out = [s.span for s in self.sentences]
        out += [m.span for e in self.entities for m in e.mentions]
        out += [t.span for t in self.times]
        out += [s for a in self.attributions for s in a.spans()]
        out += [s for e in self.events for s in e.spans()]
        return out

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def to_dict(self) -> JSON:
        return {
            "id": self.input_id if self.input_id is not None else self.id,
            "article_id": self.id,
            "content_hash": self.content_hash,
            "source": self.source,
            "url": self.url,
            "site": self.site,
            "title": self.title,
            "authors": list(self.authors),
            "published": self.published,
            "updated": self.updated,
            "language": self.language,
            "captions": list(self.captions),
            "metadata": dict(self.metadata),
            "status": str(self.status),
            "skip_reason": self.skip_reason,
            "text": self.text,
            "sentences": [s.to_dict() for s in self.sentences],
            "entities": [e.to_dict() for e in self.entities],
            "times": [t.to_dict() for t in self.times],
            "attributions": [a.to_dict() for a in self.attributions],
            "events": [e.to_dict() for e in self.events],
        }


def _span(text: str, pair: list[int]) -> CharSpan:
    return CharSpan.of(text, int(pair[0]), int(pair[1]))


def article_from_dict(d: Mapping[str, Any]) -> Article:
    """Rebuild an :class:`Article` from :meth:`Article.to_dict` output (spans re-read from the text)."""
    text: str = d["text"]
    entities = tuple(
        Entity(
            id=e["id"], type=e["type"], name=e["name"], country=e.get("country"), kb_id=e.get("kb_id"),
            mentions=tuple(
                Mention(span=_span(text, m["span"]), kind=MentionKind(m.get("kind", "name")),
                        sentence=int(m.get("sentence", 0)))
                for m in e.get("mention_details") or [{"span": s} for s in e["mentions"]]
            ),
        )
        for e in d.get("entities", [])
    )
    times = tuple(
        TimeExpr(id=t["id"], span=_span(text, t["span"]), type=t["type"], value=t["value"],
                 precision=t.get("precision", "vague"), anchored=bool(t.get("anchored", False)),
                 sentence=int(t.get("sentence", 0)))
        for t in d.get("times", [])
    )
    attributions = tuple(_attribution(text, a) for a in d.get("attributions", []))
    article_id = d.get("article_id") or d["id"]
    return Article(
        id=article_id, content_hash=d.get("content_hash") or content_hash(text), text=text,
        source=d.get("source", ""), input_id=d.get("id") if d.get("id") != article_id else None,
        title=d.get("title"), url=d.get("url"), site=d.get("site"), authors=tuple(d.get("authors", ())),
        published=d.get("published"), updated=d.get("updated"), language=d.get("language"),
        captions=tuple(d.get("captions", ())), metadata=dict(d.get("metadata", {})),
        status=AnalysisStatus(d.get("status", "analyzed")), skip_reason=d.get("skip_reason"),
        sentences=tuple(Sentence(_span(text, s["span"])) for s in d.get("sentences", [])),
        entities=entities, times=times, attributions=attributions,
        events=tuple(event_from_dict(text, e) for e in d.get("events", [])),
    )


def _role(text: str, role: Mapping[str, Any] | None) -> CharSpan | None:
    if not role or role.get("span") is None:
        return None
    return _span(text, role["span"])


def _attribution(text: str, a: Mapping[str, Any]) -> Attribution:
    source: Mapping[str, Any] = a.get("source") or {}
    return Attribution(
        id=a["id"], kind=AttributionKind(a["kind"]),
        content=tuple(_span(text, s) for s in (a.get("content") or {}).get("spans", [])),
        source=_role(text, source), cue=_role(text, a.get("cue")), source_entity=source.get("entity"),
        anonymous=bool(source.get("anonymous", False)), anonymous_description=source.get("description"),
        factuality=Factuality(a.get("factuality", "reported")),
        factuality_cues=tuple(_span(text, c["span"]) for c in a.get("factuality_cues", [])),
        via=a.get("via"), sentence=int(a.get("sentence", 0)), confidence=float(a.get("confidence", 1.0)),
    )


def _arg(text: str, a: Mapping[str, Any] | None) -> EventArg | None:
    if a is None:
        return None
    return EventArg(span=_role(text, a), entity=a.get("entity"), name=a.get("name"), country=a.get("country"),
                    sector=a.get("sector"))


def event_from_dict(text: str, e: Mapping[str, Any]) -> Event:
    """Rebuild an :class:`Event` from :meth:`Event.to_dict` output; spans are re-read from ``text``."""
    date: Mapping[str, Any] | None = e.get("date")
    place: Mapping[str, Any] | None = e.get("place")
    return Event(
        id=e["id"], type=e["type"], trigger=_span(text, e["trigger"]["span"]), mode=e.get("mode"),
        actor=_arg(text, e.get("actor")), target=_arg(text, e.get("target")),
        date=None if date is None else EventDate(value=date["value"], precision=date["precision"],
                                                 source=date.get("source", "text"), time=date.get("time")),
        place=None if place is None else EventPlace(
            span=_role(text, place), name=place["name"], precision=place["precision"],
            country=place.get("country"), admin1=place.get("admin1"), lat=place.get("lat"),
            lon=place.get("lon"), kb_id=place.get("kb_id")),
        quantities=tuple(Quantity(kind=q["kind"], span=_span(text, q["span"]), low=q.get("low"),
                                  high=q.get("high"), unit=q.get("unit")) for q in e.get("quantities", [])),
        factuality=Factuality(e.get("factuality", "asserted")),
        factuality_cues=tuple(_span(text, c["span"]) for c in e.get("factuality_cues", [])),
        attribution=e.get("attribution"), sentence=int(e.get("sentence", 0)),
        confidence=float(e.get("confidence", 1.0)),
        evidence=tuple(_span(text, s["span"]) for s in e.get("evidence", [])),
    )


# -- across articles (aggregate/): incidents, conflicts, consistency flags --------------------------


@dataclass(frozen=True, slots=True)
class IncidentReport(_Compact):
    """One event of one article that reports an incident, with what it says of it."""

    article_id: str
    event_id: str
    site: str | None = None  # the outlet (Article.site, else the URL's host)
    duplicate_of: str | None = None  # the article this one copies: not an independent source
    fatalities_low: float | None = None
    fatalities_high: float | None = None
    fatalities_span: CharSpan | None = None
    date: str | None = None
    place: str | None = None
    factuality: str = "asserted"
    source: str | None = None  # who the article attributes it to (the attribution's source words)
    trigger: CharSpan | None = None

    def to_dict(self) -> JSON:
        return {"article_id": self.article_id, "event_id": self.event_id, "site": self.site,
                "duplicate_of": self.duplicate_of, "fatalities_low": self.fatalities_low,
                "fatalities_high": self.fatalities_high,
                "fatalities_span": None if self.fatalities_span is None else self.fatalities_span.to_dict(),
                "date": self.date, "place": self.place, "factuality": self.factuality, "source": self.source,
                "trigger": None if self.trigger is None else self.trigger.to_dict()}


@dataclass(frozen=True, slots=True)
class ConflictValue(_Compact):
    """One report's value of a field the reports disagree on."""

    value: str
    article_id: str
    span: CharSpan | None = None
    source: str | None = None  # the attribution source, when the article attributes the value

    def to_dict(self) -> JSON:
        return {"value": self.value, "article_id": self.article_id,
                "span": None if self.span is None else self.span.as_list(),
                "text": None if self.span is None else self.span.text, "source": self.source}


@dataclass(frozen=True, slots=True)
class Conflict(_Compact):
    """Reports of one incident that disagree: ``field`` is fatalities, date, place or factuality (a claim
    and a denial of it)."""

    field: str
    values: tuple[ConflictValue, ...]

    def to_dict(self) -> JSON:
        return {"field": self.field, "values": [v.to_dict() for v in self.values]}


@dataclass(frozen=True, slots=True)
class Incident(_Compact):
    """Events in one article or many that are the same real-world happening (aggregate/incidents.py)."""

    id: str  # "I" + 12 hex digits of its first report's article and event ids
    type: str  # PLOVER type
    story_id: str | None
    date_first: str | None
    date_last: str | None
    place: str | None
    country: str | None
    actors: tuple[str, ...]
    targets: tuple[str, ...]
    reports: tuple[IncidentReport, ...]
    independent_sources: int  # distinct outlets, copies counted once
    fatalities_low: float | None = None  # the lowest credible figure across reports (as ACLED records it)
    fatalities_high: float | None = None
    conflicts: tuple[Conflict, ...] = ()

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.article_id for r in self.reports))

    def to_dict(self) -> JSON:
        return {"id": self.id, "type": self.type, "story_id": self.story_id,
                "date": self.date_first if self.date_first == self.date_last else
                (None if self.date_first is None else f"{self.date_first}/{self.date_last}"),
                "date_first": self.date_first, "date_last": self.date_last, "place": self.place,
                "country": self.country, "actors": list(self.actors), "targets": list(self.targets),
                "articles": list(self.articles), "reports": [r.to_dict() for r in self.reports],
                "independent_sources": self.independent_sources,
                "fatalities": {"low": self.fatalities_low, "high": self.fatalities_high,
                               "reports": [{"article_id": r.article_id, "low": r.fatalities_low,
                                            "high": r.fatalities_high} for r in self.reports
                                           if r.fatalities_low is not None or r.fatalities_high is not None]},
                "conflicts": [c.to_dict() for c in self.conflicts]}


@dataclass(frozen=True, slots=True)
class Flag(_Compact):
    """Something an article says that contradicts the rest of it (aggregate/flags.py), with its span."""

    article_id: str
    kind: str  # "role-conflict", "date-dateline"
    span: CharSpan
    message: str
    evidence: tuple[CharSpan, ...] = ()  # where the article says otherwise

    def to_dict(self) -> JSON:
        return {"article_id": self.article_id, "kind": self.kind, "span": self.span.as_list(),
                "text": self.span.text, "message": self.message,
                "evidence": [e.to_dict() for e in self.evidence]}
