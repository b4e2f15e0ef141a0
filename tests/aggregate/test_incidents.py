"""Golden test of incidents on invented reports: three outlets and a wire copy of one bombing, a later
unrelated one; tolls 30 vs 34; a denial; sources counted once."""

from __future__ import annotations

from dataclasses import replace

from eventwire.aggregate.incidents import build_incidents, site_of
from eventwire.model import Article, EventDate
from eventwire.testing import incident_reports, make_article


def _collection() -> list[Article]:
    return incident_reports()


def test_one_incident_per_happening_with_independent_sources_counted_once() -> None:
    arts = _collection()
    a, copy, b, c, _, e = arts
    assert copy.id != a.id
    stories = {x.id: "S1" for x in arts}
    incidents = build_incidents(arts, stories, copies={copy.id: a.id})
    assert len(incidents) == 2
    brennock = next(i for i in incidents if i.place == "Brennock")
    assert set(brennock.articles) == {a.id, copy.id, b.id, c.id, e.id}
    # harbourpost (a, e), tidewire, coastalherald; the reprint is a copy
    assert brennock.independent_sources == 3
    assert (brennock.fatalities_low, brennock.fatalities_high) == (30, 34)
    assert brennock.type == "ASSAULT" and brennock.country == "NRL"
    assert (brennock.date_first, brennock.date_last) == ("2031-03-04", "2031-03-04")
    esker = next(i for i in incidents if i.place == "Esker Bay")
    assert esker.independent_sources == 1 and esker.fatalities_low == 4 and not esker.conflicts


def test_the_toll_conflict_and_the_denial_are_listed_with_article_span_and_source() -> None:
    arts = _collection()
    a, copy, b, c, _, e = arts
    incidents = build_incidents(arts, {x.id: "S1" for x in arts}, copies={copy.id: a.id})
    brennock = next(i for i in incidents if i.place == "Brennock")
    conflicts = {k.field: k for k in brennock.conflicts}
    assert set(conflicts) == {"fatalities", "factuality"}
    tolls = {(v.value, v.article_id, v.span.text if v.span else None, v.source)
             for v in conflicts["fatalities"].values}
    assert tolls == {("30", a.id, "30 people", "The police"), ("34", b.id, "34 people", "Hospital staff"),
                     ("30", e.id, "30 people", "police")}
    denial = {(v.value, v.article_id, v.source) for v in conflicts["factuality"].values}
    assert ("denied", c.id, "The Brennock Front") in denial and ("asserted", b.id, "Hospital staff") in denial
    assert all(v.article_id != copy.id for k in brennock.conflicts for v in k.values)
    record = brennock.to_dict()
    assert record["conflicts"][0]["values"][0].keys() >= {"value", "article_id", "span", "source"}


def test_different_stories_or_places_or_days_are_different_incidents() -> None:
    arts = _collection()
    a, _, b, *_ = arts
    assert len(build_incidents([a, b], {a.id: "S1", b.id: "S2"})) == 2
    later = EventDate(value="2031-06-01", precision="day")
    far = replace(a, id="f" * 16, published="2031-06-01",
                  events=tuple(replace(e, date=later) for e in a.events))
    assert len(build_incidents([a, far], {a.id: "S1", far.id: "S1"})) == 2


def test_site_is_the_outlet_host_without_www() -> None:
    assert site_of(make_article("x", url="https://www.tidewire.example/b7")) == "tidewire.example"
    assert site_of(make_article("x", site="Tide Wire")) == "tide wire"
    assert site_of(make_article("x")) is None
