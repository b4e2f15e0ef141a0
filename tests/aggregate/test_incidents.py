"""Golden test of incidents on invented reports: three outlets and a wire copy of one bombing, a later
unrelated one; tolls 30 vs 34; a denial; sources counted once."""

from __future__ import annotations

from eventwire.aggregate.incidents import build_incidents, site_of
from eventwire.model import (
    Article,
    Attribution,
    AttributionKind,
    CharSpan,
    Event,
    EventArg,
    EventDate,
    EventPlace,
    Factuality,
    Quantity,
)
from eventwire.testing import make_article


def _span(text: str, words: str, nth: int = 0) -> CharSpan:
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return CharSpan.of(text, start, start + len(words))


def _report(text: str, url: str, published: str, *, trigger: str, toll: str | None, low: float | None,
            day: str, factuality: Factuality = Factuality.ASSERTED, source: str | None = None,
            cue: str | None = None, place: str = "Port Halvard") -> Article:
    attributions = ()
    if source is not None:
        attributions = (Attribution(id="A1", kind=AttributionKind.INDIRECT, content=(_span(text, trigger),),
                                    source=_span(text, source), cue=_span(text, cue or "said")),)
    event = Event(
        id="V1", type="ASSAULT", trigger=_span(text, trigger),
        actor=EventArg(span=_span(text, "militants"), name="militants"),
        target=EventArg(span=_span(text, "market"), name="market"),
        date=EventDate(value=day, precision="day"),
        place=EventPlace(span=_span(text, place), name=place, precision="place", country="NRL"),
        quantities=() if toll is None else (Quantity(kind="fatalities", span=_span(text, toll), low=low,
                                                     high=low),),
        factuality=factuality,
        factuality_cues=(_span(text, "denied"),) if factuality is Factuality.DENIED else (),
        attribution="A1" if source is not None else None)
    return make_article(text, url=url, published=published, attributions=attributions, events=(event,))


def _collection() -> list[Article]:
    a = _report("The police said militants bombed a market in Port Halvard on Tuesday, killing 30 people.",
                "https://harbourpost.example/a1", "2031-03-04", trigger="bombed", toll="30 people",
                low=30, day="2031-03-04", source="The police")
    copy = _report("PORT HALVARD (Wire) - The police said militants bombed a market in Port Halvard on "
                   "Tuesday, killing 30 people.",
                   "https://reprints.example/w1", "2031-03-04", trigger="bombed", toll="30 people", low=30,
                   day="2031-03-04", source="The police")
    b = _report("Hospital staff said 34 people died after militants attacked the market in Port Halvard.",
                "https://tidewire.example/b7", "2031-03-05", trigger="attacked", toll="34 people", low=34,
                day="2031-03-04", source="Hospital staff")
    c = _report("The Halvard Front denied that its militants attacked the market in Port Halvard.",
                "https://coastalherald.example/c2", "2031-03-05", trigger="attacked", toll=None, low=None,
                day="2031-03-04", factuality=Factuality.DENIED, source="The Halvard Front", cue="denied")
    d = _report("Weeks later the militants shelled a market in Esker Bay, killing 4 people.",
                "https://harbourpost.example/a9", "2031-08-19", trigger="shelled", toll="4 people", low=4,
                day="2031-08-19", place="Esker Bay")
    # a second outlet page from the same site is not a second independent source
    e = _report("The militants struck the market in Port Halvard, police said, and 30 people were killed.",
                "https://www.harbourpost.example/a2", "2031-03-04", trigger="struck", toll="30 people",
                low=30, day="2031-03-04", source="police")
    return [a, copy, b, c, d, e]


def test_one_incident_per_happening_with_independent_sources_counted_once() -> None:
    arts = _collection()
    a, copy, b, c, _, e = arts
    assert copy.id != a.id
    stories = {x.id: "S1" for x in arts}
    incidents = build_incidents(arts, stories, copies={copy.id: a.id})
    assert len(incidents) == 2
    halvard = next(i for i in incidents if i.place == "Port Halvard")
    assert set(halvard.articles) == {a.id, copy.id, b.id, c.id, e.id}
    # harbourpost (a, e), tidewire, coastalherald; the reprint is a copy
    assert halvard.independent_sources == 3
    assert (halvard.fatalities_low, halvard.fatalities_high) == (30, 34)
    assert halvard.type == "ASSAULT" and halvard.country == "NRL"
    assert (halvard.date_first, halvard.date_last) == ("2031-03-04", "2031-03-04")
    esker = next(i for i in incidents if i.place == "Esker Bay")
    assert esker.independent_sources == 1 and esker.fatalities_low == 4 and not esker.conflicts


def test_the_toll_conflict_and_the_denial_are_listed_with_article_span_and_source() -> None:
    arts = _collection()
    a, copy, b, c, _, e = arts
    incidents = build_incidents(arts, {x.id: "S1" for x in arts}, copies={copy.id: a.id})
    halvard = next(i for i in incidents if i.place == "Port Halvard")
    conflicts = {k.field: k for k in halvard.conflicts}
    assert set(conflicts) == {"fatalities", "factuality"}
    tolls = {(v.value, v.article_id, v.span.text if v.span else None, v.source)
             for v in conflicts["fatalities"].values}
    assert tolls == {("30", a.id, "30 people", "The police"), ("34", b.id, "34 people", "Hospital staff"),
                     ("30", e.id, "30 people", "police")}
    denial = {(v.value, v.article_id, v.source) for v in conflicts["factuality"].values}
    assert ("denied", c.id, "The Halvard Front") in denial and ("asserted", b.id, "Hospital staff") in denial
    assert all(v.article_id != copy.id for k in halvard.conflicts for v in k.values)
    record = halvard.to_dict()
    assert record["conflicts"][0]["values"][0].keys() >= {"value", "article_id", "span", "source"}


def test_different_stories_or_places_or_days_are_different_incidents() -> None:
    arts = _collection()
    a, _, b, *_ = arts
    assert len(build_incidents([a, b], {a.id: "S1", b.id: "S2"})) == 2
    far = _report("The militants bombed a market in Port Halvard, killing 30 people.", "https://x.example/1",
                  "2031-06-01", trigger="bombed", toll="30 people", low=30, day="2031-06-01")
    assert len(build_incidents([a, far], {a.id: "S1", far.id: "S1"})) == 2


def test_site_is_the_outlet_host_without_www() -> None:
    assert site_of(make_article("x", url="https://www.tidewire.example/b7")) == "tidewire.example"
    assert site_of(make_article("x", site="Tide Wire")) == "tide wire"
    assert site_of(make_article("x")) is None
