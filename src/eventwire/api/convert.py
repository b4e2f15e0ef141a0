"""Model objects and query rows to response schemas."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ..model import Article, Attribution, CharSpan, Entity, Event, EventArg
from ..store.queries import entity_key
from .schemas import (
    ArticleOut,
    AttributionOut,
    EntityOut,
    EventArgOut,
    EventDateOut,
    EventItem,
    EventPlaceOut,
    MentionOut,
    QuantityOut,
    SpanOut,
    TimeOut,
)

__all__ = ["article_out", "event_out", "page_json", "span_of"]


def page_json(schema: type[BaseModel], page: Any) -> bytes:
    """A query page (``total``, ``limit``, ``offset``, ``items``, ``total_capped``) as the bytes FastAPI would
    send for a route whose response_model is ``schema``: validated, then JSONResponse's json.dumps (its
    fields taken by hand: dataclasses.asdict deep-copies 50 items, 3 of ~5 ms)."""
    fields = {"total": page.total, "limit": page.limit, "offset": page.offset, "items": page.items,
              "total_capped": page.total_capped}
    return bytes(JSONResponse(schema.model_validate(fields).model_dump(mode="json")).body)


def _span(s: CharSpan | None) -> SpanOut | None:
    return None if s is None else _req(s)


def _req(s: CharSpan) -> SpanOut:
    return SpanOut(start=s.start, end=s.end, text=s.text)


def span_of(text: str, pair: Any) -> SpanOut | None:
    """A stored ``[start, end]`` pair as a span of ``text`` (None for null or a pair outside the text)."""
    if not pair or len(pair) != 2:
        return None
    start, end = int(pair[0]), int(pair[1])
    if not 0 <= start <= end <= len(text):
        return None
    return SpanOut(start=start, end=end, text=text[start:end])


def _attribution(a: Attribution) -> AttributionOut:
    return AttributionOut(
        id=a.id, kind=str(a.kind), source=_span(a.source), source_entity=a.source_entity,
        anonymous=a.anonymous, anonymous_description=a.anonymous_description, cue=_span(a.cue),
        content=[SpanOut(start=c.start, end=c.end, text=c.text) for c in a.content],
        factuality=str(a.factuality),
        factuality_cues=[SpanOut(start=c.start, end=c.end, text=c.text) for c in a.factuality_cues],
        via=a.via, confidence=a.confidence)


def article_out(a: Article, events: list[EventItem] | None = None) -> ArticleOut:
    return ArticleOut(
        id=a.id, content_hash=a.content_hash, input_id=a.input_id, source=a.source, title=a.title, url=a.url,
        site=a.site, authors=list(a.authors), published=a.published, updated=a.updated, language=a.language,
        captions=list(a.captions), metadata=dict(a.metadata), status=str(a.status),
        skip_reason=a.skip_reason, text=a.text,
        sentences=[SpanOut(start=s.span.start, end=s.span.end, text=s.span.text) for s in a.sentences],
        entities=[EntityOut(id=e.id, key=entity_key(e.kb_id, e.type, e.name), type=e.type, name=e.name,
                            country=e.country, kb_id=e.kb_id,
                            mentions=[MentionOut(start=m.span.start, end=m.span.end, text=m.span.text,
                                                 kind=str(m.kind), sentence=m.sentence) for m in e.mentions])
                  for e in a.entities],
        times=[TimeOut(id=t.id, start=t.span.start, end=t.span.end, text=t.span.text, type=t.type,
                       value=t.value, precision=t.precision, anchored=t.anchored) for t in a.times],
        attributions=[_attribution(x) for x in a.attributions],
        events=[event_out(a, e) for e in a.events] if events is None else events,
    )


def _arg(arg: EventArg | None, by_id: dict[str, Entity]) -> EventArgOut | None:
    if arg is None:
        return None
    ent = by_id.get(arg.entity or "")
    return EventArgOut(span=_span(arg.span), entity=arg.entity, name=arg.name,
                       key=entity_key(ent.kb_id, ent.type, ent.name) if ent else None,
                       country=arg.country, sector=arg.sector)


def event_out(article: Article, e: Event) -> EventItem:
    by_id = {x.id: x for x in article.entities}
    place = e.place
    return EventItem(
        article_id=article.id, id=e.id, type=e.type, mode=e.mode, trigger=_req(e.trigger),
        actor=_arg(e.actor, by_id), target=_arg(e.target, by_id),
        date=None if e.date is None else EventDateOut(value=e.date.value, precision=e.date.precision,
                                                      source=e.date.source),
        place=None if place is None else EventPlaceOut(
            span=_span(place.span), name=place.name, precision=place.precision, country=place.country,
            admin1=place.admin1, lat=place.lat, lon=place.lon, kb_id=place.kb_id),
        quantities=[QuantityOut(kind=q.kind, span=_req(q.span), low=q.low, high=q.high, unit=q.unit)
                    for q in e.quantities],
        factuality=str(e.factuality),
        factuality_cues=[SpanOut(start=c.start, end=c.end, text=c.text) for c in e.factuality_cues],
        attribution=e.attribution, sentence=e.sentence, confidence=e.confidence,
        evidence=[SpanOut(start=s.start, end=s.end, text=s.text) for s in e.evidence],
        title=article.title, published=article.published)
