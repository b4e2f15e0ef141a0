from __future__ import annotations

import json
import pickle

from eventwire.model import (
    Article,
    CharSpan,
    Event,
    EventArg,
    EventDate,
    EventPlace,
    Factuality,
    Quantity,
    article_from_dict,
    content_hash,
)
from eventwire.nlp.events.plover import type_names

TEXT = "Rebels shelled the port of Veltra on Friday, killing up to 12 people, officials said."


def _span(word: str) -> CharSpan:
    start = TEXT.index(word)
    return CharSpan.of(TEXT, start, start + len(word))


def _article() -> Article:
    kind = type_names()[-1]
    event = Event(
        id="V1", type=kind, trigger=_span("shelled"), mode="HEAVY-WEAPONS",
        actor=EventArg(span=_span("Rebels"), name="Rebels", sector="REB"),
        target=EventArg(span=_span("the port of Veltra"), entity="E2", name="Veltra", country="XXA"),
        date=EventDate(value="2031-03-07", precision="day", source="text", time="T1"),
        place=EventPlace(span=_span("Veltra"), name="Veltra", precision="place", lat=1.5, lon=-2.25),
        quantities=(Quantity(kind="fatalities", span=_span("up to 12 people"), low=None, high=12.0),),
        factuality=Factuality.REPORTED, factuality_cues=(_span("said"),), attribution="A1", confidence=0.8,
    )
    return Article(id=content_hash(TEXT)[:16], content_hash=content_hash(TEXT), text=TEXT, events=(event,))


def test_event_format_fields_and_round_trip() -> None:
    article = _article()
    d = json.loads(json.dumps(article.to_dict()))
    (ev,) = d["events"]
    # FORMAT.md: type, actor {span, text}, target {span, text} or null
    assert ev["type"] == type_names()[-1]
    assert TEXT[slice(*ev["actor"]["span"])] == ev["actor"]["text"] == "Rebels"
    assert TEXT[slice(*ev["target"]["span"])] == ev["target"]["text"]
    assert ev["quantities"][0]["high"] == 12.0 and ev["quantities"][0]["low"] is None
    assert article_from_dict(d) == article


def test_event_spans_are_exact_and_pickle() -> None:
    article = _article()
    assert all(TEXT[s.start:s.end] == s.text for s in article.spans())
    assert len(article.events[0].spans()) == 6
    assert pickle.loads(pickle.dumps(article)) == article


def test_minimal_event_defaults() -> None:
    event = Event(id="V1", type=type_names()[0], trigger=_span("said"))
    d = event.to_dict()
    assert d["actor"] is None and d["target"] is None and d["factuality"] == "asserted"
    art = Article(id="x", content_hash="y", text=TEXT, events=(event,))
    assert article_from_dict(art.to_dict()).events == (event,)
