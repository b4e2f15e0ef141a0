"""Incidents: events in one article or many that are the same real-world happening.

Two events are the same happening when they have the same PLOVER type, belong to the same story (stories.py
already decided the articles tell one story; this keeps the comparison cheap and local), and nothing they
say disagrees beyond what each one's precision allows:

* dates: a day equals a day within ``date_slack_days`` (reports written a day apart say "Tuesday" of the
  same night); a week, month or year contains the other; a date taken from the publication time only
  (``EventDate.source == "published"``) is a weak date, compatible within ``published_slack_days``;
* places: the same country, and where both name a place below country level, the same name or one named
  inside the other ("Tal Afar" / "Tal Afar district");
* actors and targets: where both give one, they share a word of their names or a country code.

An incident counts its **independent sources**: distinct outlets (``Article.site``, else the URL's host),
with copies (``duplicate_of``) never counted.  Fatalities: the lowest credible figure is the lowest low of
the reports that are not copies nor denied (ACLED's rule), the high the highest high; where independent
reports give different figures, a ``fatalities`` conflict lists each figure with its article, span and
attribution source.  A report that denies what others assert is a ``factuality`` conflict; differing days
(both at day precision, both from the text) a ``date`` conflict; differing places a ``place`` conflict.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from ..model import (
    Article,
    Conflict,
    ConflictValue,
    Event,
    EventArg,
    Factuality,
    Incident,
    IncidentReport,
)

__all__ = ["IncidentOptions", "build_incidents", "site_of"]

_DENIED = frozenset({Factuality.DENIED})
# claims that are not (yet) happenings: never merged with one that happened
_NOT_HAPPENED = frozenset({Factuality.CONDITIONAL, Factuality.PLANNED})


@dataclass(frozen=True)
class IncidentOptions:
    date_slack_days: int = 1
    published_slack_days: int = 3


def site_of(article: Article) -> str | None:
    """The outlet: ``Article.site``, else the URL's host without ``www.``."""
    if article.site:
        return article.site.lower()
    if article.url:
        host = urlsplit(article.url).hostname or ""
        return host.removeprefix("www.") or None
    return None


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _dates_agree(a: Event, b: Event, opts: IncidentOptions) -> bool:
    if a.date is None or b.date is None or not a.date.value or not b.date.value:
        return True
    da, db = _day(a.date.value), _day(b.date.value)
    if a.date.precision == "day" and b.date.precision == "day" and da and db:
        weak = "published" in (a.date.source, b.date.source)
        return abs((da - db).days) <= (opts.published_slack_days if weak else opts.date_slack_days)
    # coarser values ("2025-11", "2025-W48", "2025"): one must contain the other as a prefix, or the weak
    # one is the publication fallback
    if "published" in (a.date.source, b.date.source):
        return True
    va, vb = a.date.value, b.date.value
    return va.startswith(vb[:7]) or vb.startswith(va[:7]) or (va[:4] == vb[:4] and "W" in va + vb)


def _places_agree(a: Event, b: Event) -> bool:
    if a.place is None or b.place is None:
        return True
    if a.place.country and b.place.country and a.place.country != b.place.country:
        return False
    fine = {"place", "admin1"}
    if a.place.precision in fine and b.place.precision in fine:
        na, nb = a.place.name.lower(), b.place.name.lower()
        return na in nb or nb in na
    return True


def _words(arg: EventArg) -> set[str]:
    text = " ".join(x for x in (arg.name, arg.span.text if arg.span else None) if x)
    return {w.lower() for w in text.replace("'s", " ").split() if len(w) > 2}


def _args_agree(a: EventArg | None, b: EventArg | None) -> bool:
    if a is None or b is None:
        return True
    if a.country and b.country and a.country == b.country:
        return True
    return bool(_words(a) & _words(b))


@dataclass
class _Group:
    events: list[tuple[Article, Event]] = field(default_factory=list)

    def accepts(self, event: Event, opts: IncidentOptions) -> bool:
        for _, other in self.events:
            if not (_dates_agree(event, other, opts) and _places_agree(event, other)
                    and _args_agree(event.actor, other.actor) and _args_agree(event.target, other.target)):
                return False
        return True


def _fatalities(event: Event) -> tuple[float | None, float | None, object]:
    for q in event.quantities:
        if q.kind == "fatalities":
            return q.low, q.high if q.high is not None else q.low, q.span
    return None, None, None


def _source(article: Article, event: Event) -> str | None:
    if event.attribution is None:
        return None
    for a in article.attributions:
        if a.id == event.attribution:
            return a.source.text if a.source is not None else a.anonymous_description
    return None


def _report(article: Article, event: Event, copies: Mapping[str, str]) -> IncidentReport:
    low, high, span = _fatalities(event)
    return IncidentReport(
        article_id=article.id, event_id=event.id, site=site_of(article), duplicate_of=copies.get(article.id),
        fatalities_low=low, fatalities_high=high, fatalities_span=span,  # type: ignore[arg-type]
        date=None if event.date is None else event.date.value,
        place=None if event.place is None else event.place.name,
        factuality=str(event.factuality), source=_source(article, event), trigger=event.trigger)


def _fmt(x: float | None) -> str:
    return "" if x is None else (str(int(x)) if float(x).is_integer() else str(x))


def _conflicts(reports: Sequence[IncidentReport], events: Sequence[Event]) -> tuple[Conflict, ...]:
    out: list[Conflict] = []
    independent = [(r, e) for r, e in zip(reports, events, strict=True) if r.duplicate_of is None]
    tolls = [(r, e) for r, e in independent if r.fatalities_low is not None and r.factuality != "denied"]
    if len({(r.fatalities_low, r.fatalities_high) for r, _ in tolls}) > 1:
        out.append(Conflict("fatalities", tuple(
            ConflictValue(value=_fmt(r.fatalities_low) if r.fatalities_low == r.fatalities_high else
                          f"{_fmt(r.fatalities_low)}-{_fmt(r.fatalities_high)}",
                          article_id=r.article_id, span=r.fatalities_span, source=r.source)
            for r, _ in tolls)))
    denied = [(r, e) for r, e in independent if e.factuality in _DENIED]
    if denied and len(denied) < len(independent):
        out.append(Conflict("factuality", tuple(
            ConflictValue(value=r.factuality, article_id=r.article_id,
                          span=e.factuality_cues[0] if e.factuality_cues else e.trigger, source=r.source)
            for r, e in independent)))
    days = [(r, e) for r, e in independent
            if e.date is not None and e.date.precision == "day" and e.date.source == "text"]
    if len({e.date.value for _, e in days if e.date is not None}) > 1:
        out.append(Conflict("date", tuple(
            ConflictValue(value=e.date.value if e.date else "", article_id=r.article_id, span=e.trigger,
                          source=r.source) for r, e in days)))
    placed = [(r, e) for r, e in independent
              if e.place is not None and e.place.precision in ("place", "admin1")]
    if len({e.place.name.lower() for _, e in placed if e.place is not None}) > 1:
        out.append(Conflict("place", tuple(
            ConflictValue(value=e.place.name if e.place else "", article_id=r.article_id,
                          span=e.place.span if e.place else None, source=r.source) for r, e in placed)))
    return tuple(out)


def _incident(group: _Group, story_id: str | None, copies: Mapping[str, str]) -> Incident:
    reports = [_report(a, e, copies) for a, e in group.events]
    events = [e for _, e in group.events]
    first = group.events[0]
    iid = "I" + hashlib.sha256(f"{first[0].id}:{first[1].id}".encode()).hexdigest()[:12]
    days = sorted(e.date.value for e in events if e.date is not None and e.date.value[:1].isdigit())
    places = [e.place for e in events if e.place is not None]
    finest = min(places, key=lambda p: ("place", "admin1", "country").index(p.precision)
                 if p.precision in ("place", "admin1", "country") else 3, default=None)
    credible = [r for r in reports if r.duplicate_of is None and r.factuality != "denied"]
    lows = [r.fatalities_low for r in credible if r.fatalities_low is not None]
    highs = [r.fatalities_high for r in credible if r.fatalities_high is not None]
    sites = {r.site or f"article:{r.article_id}" for r in reports if r.duplicate_of is None}

    def names(args: Iterable[EventArg | None]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.name or (a.span.text if a.span else "") for a in args
                                   if a is not None and (a.name or a.span)))

    return Incident(
        id=iid, type=first[1].type, story_id=story_id, date_first=days[0] if days else None,
        date_last=days[-1] if days else None, place=None if finest is None else finest.name,
        country=next((p.country for p in places if p.country), None),
        actors=names(e.actor for e in events), targets=names(e.target for e in events),
        reports=tuple(reports), independent_sources=len(sites),
        fatalities_low=min(lows) if lows else None, fatalities_high=max(highs) if highs else None,
        conflicts=_conflicts(reports, events))


def build_incidents(articles: Iterable[Article], stories: Mapping[str, str], *,
                    copies: Mapping[str, str] | None = None,
                    options: IncidentOptions | None = None) -> list[Incident]:
    """The incidents of a collection: ``stories`` maps article id -> story id, ``copies`` article id -> the
    id of its original.  Events that are planned or conditional stay incidents of their own."""
    opts = options or IncidentOptions()
    copies = copies or {}
    by_story: dict[str, list[_Group]] = {}
    ordered = sorted(articles, key=lambda a: (a.published or "9999", a.input_id or a.id))
    out: list[Incident] = []
    story_of: dict[int, str | None] = {}
    groups: list[_Group] = []
    for article in ordered:
        sid = stories.get(article.id) or f"article:{article.id}"
        candidates = by_story.setdefault(sid, [])
        for event in article.events:
            target: _Group | None = None
            if event.factuality not in _NOT_HAPPENED:
                target = next((g for g in candidates if g.events[0][1].type == event.type
                               and g.events[0][1].factuality not in _NOT_HAPPENED and g.accepts(event, opts)),
                              None)
            if target is None:
                target = _Group()
                candidates.append(target)
                groups.append(target)
                story_of[id(target)] = stories.get(article.id)
            target.events.append((article, event))
    for group in groups:
        out.append(_incident(group, story_of[id(group)], copies))
    return out
