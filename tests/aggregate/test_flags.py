from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from eventwire.aggregate.flags import FlagOptions, article_flags, dateline, role_titles
from eventwire.model import (
    Article,
    CharSpan,
    Entity,
    Event,
    EventDate,
    Factuality,
    Mention,
    Sentence,
    TimeExpr,
)
from eventwire.testing import make_article

SEED = Path(__file__).resolve().parents[3] / "shared" / "samples" / "seed-article.txt"


def _article(text: str, entities: dict[str, tuple[str, str | None, tuple[str, ...]]]) -> Article:
    """``entities``: id -> (type, ISO3 country, names whose every occurrence is a mention)."""
    sentences = tuple(Sentence(CharSpan.of(text, m.start(), m.end())) for m in re.finditer(r"[^.]+\.?", text))
    built = []
    for eid, (etype, country, names) in entities.items():
        spans = sorted({(m.start(), m.end()) for n in names for m in re.finditer(re.escape(n), text)})
        # a longer name covers its shorter form ("Luis Ortega" / "Ortega"): keep the longest
        spans = [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]
        built.append(Entity(id=eid, type=etype, name=names[0], country=country,
                            mentions=tuple(Mention(span=CharSpan.of(text, s, e)) for s, e in spans)))
    return make_article(text, sentences=sentences, entities=tuple(built))


SLIP = ("For now, Luis Ortega refuses to leave. According to a report, French President Luis Ortega urged "
        "him to quit. Anna Berg spoke by phone with Chilean strongman Luis Ortega. Sources say the French "
        "president offered Ortega safe passage. Berg later told French television that the call took place. "
        "Ortega appeared on Chilean television.")
SLIP_ENTITIES = {"E1": ("PERSON", None, ("Luis Ortega", "Ortega")),
                 "E2": ("PERSON", None, ("Anna Berg", "Berg")),
                 "E3": ("NORP", "FRA", ("French",)), "E4": ("NORP", "CHL", ("Chilean",))}


def test_a_head_role_of_the_wrong_country_is_flagged_with_its_span_and_evidence() -> None:
    article = _article(SLIP, SLIP_ENTITIES)
    flags = list(article_flags(article))
    assert len(flags) == 1
    flag = flags[0]
    assert flag.kind == "role-conflict" and flag.span.text == "French President Luis Ortega"
    assert SLIP[flag.span.start:flag.span.end] == flag.span.text
    assert "Chilean strongman Luis Ortega" in [e.text for e in flag.evidence]
    assert "Anna Berg" in flag.message


def test_the_unnamed_title_resolves_past_a_person_titled_for_another_country() -> None:
    titles = role_titles(_article(SLIP, SLIP_ENTITIES))
    unnamed = [t for t in titles if not t.named]
    assert [(t.span.text, t.person) for t in unnamed] == [("French president", "E2")]


def test_one_office_given_to_two_persons_is_flagged_once() -> None:
    text = ("Norwegian Prime Minister Kari Lund met farmers in Bergen. Kari Lund told Norwegian radio the "
            "talks went well. Later, Norwegian Prime Minister Erik Dahl said the farmers would be heard.")
    article = _article(text, {"E1": ("PERSON", None, ("Kari Lund",)), "E2": ("PERSON", None, ("Erik Dahl",)),
                              "E3": ("NORP", "NOR", ("Norwegian",))})
    flags = list(article_flags(article))
    assert [f.span.text for f in flags] == ["Norwegian Prime Minister Erik Dahl"]


def test_a_consistent_article_has_no_flags() -> None:
    text = ("Chilean President Luis Ortega met French President Anna Berg. Ortega thanked Chilean voters; "
            "Berg flew back to French soil.")
    article = _article(text, {"E1": ("PERSON", None, ("Luis Ortega", "Ortega")),
                              "E2": ("PERSON", None, ("Anna Berg", "Berg")),
                              "E3": ("NORP", "FRA", ("French",)), "E4": ("NORP", "CHL", ("Chilean",))})
    assert list(article_flags(article)) == []


@pytest.mark.model
@pytest.mark.skipif(not SEED.exists(), reason="needs ../shared/samples/seed-article.txt")
def test_the_seed_articles_us_president_maduro_is_flagged() -> None:
    from eventwire.pipeline import analyze

    article = analyze(text=SEED.read_text(encoding="utf-8"))
    flags = list(article_flags(article))
    assert [f.span.text for f in flags] == ["US President Nicolás Maduro"]
    assert article.text[flags[0].span.start:flags[0].span.end] == "US President Nicolás Maduro"


# -- a date that contradicts the dateline -------------------------------------------------------------------
DATED = ("Port Halden, Tuesday, March 3, 2026 -- Police arrested two men after a warehouse fire.\n"
         "Rebels attacked an army post on Friday, March 6, 2026, killing three soldiers.\n"
         "The mayor will visit the harbour on March 10, 2026.\n"
         "The fire began on Monday, March 2, 2026, and a guard saw smoke on March 4.")


def _time(text: str, tid: str, words: str, value: str, *, anchored: bool = False) -> TimeExpr:
    start = text.index(words)
    return TimeExpr(id=tid, span=CharSpan.of(text, start, start + len(words)), type="DATE", value=value,
                    precision="day", anchored=anchored)


def _event(text: str, eid: str, trigger: str, time: TimeExpr | None, factuality: Factuality) -> Event:
    start = text.index(trigger)
    when = None if time is None else EventDate(value=time.value, precision="day", source="text", time=time.id)
    return Event(id=eid, type="ASSAULT", trigger=CharSpan.of(text, start, start + len(trigger)), date=when,
                 factuality=factuality)


def _dated(text: str = DATED, *, published: str | None = None) -> Article:
    times = (_time(text, "T1", "Tuesday, March 3, 2026", "2026-03-03"),
             _time(text, "T2", "Friday, March 6, 2026", "2026-03-06"),
             _time(text, "T3", "March 10, 2026", "2026-03-10"),
             _time(text, "T4", "Monday, March 2, 2026", "2026-03-02"),
             _time(text, "T5", "March 4", "2026-03-04", anchored=True))
    events = (_event(text, "V1", "attacked", times[1], Factuality.REPORTED),
              _event(text, "V2", "visit", times[2], Factuality.PLANNED),
              _event(text, "V3", "began", times[3], Factuality.ASSERTED),
              _event(text, "V4", "saw", times[4], Factuality.ASSERTED))
    return make_article(text, times=times, events=events, published=published)


def test_an_event_told_as_done_after_the_dateline_is_flagged_with_its_span() -> None:
    article = _dated()
    assert dateline(article) == (date(2026, 3, 3), article.times[0].span)
    flags = [f for f in article_flags(article) if f.kind == "date-dateline"]
    # not the planned visit of March 10, nor March 2 (before), nor "March 4" (its year is the normaliser's)
    assert [f.span.text for f in flags] == ["Friday, March 6, 2026"]
    flag = flags[0]
    assert DATED[flag.span.start:flag.span.end] == flag.span.text
    assert [e.text for e in flag.evidence] == ["Tuesday, March 3, 2026", "attacked"]
    assert "3 days after the dateline" in flag.message


def test_a_day_within_the_slack_is_no_contradiction() -> None:
    assert not [f for f in article_flags(_dated(), FlagOptions(dateline_slack_days=3))
                if f.kind == "date-dateline"]


def test_without_a_dateline_the_publication_day_is_the_day_written() -> None:
    text = DATED.replace("Port Halden, Tuesday, March 3, 2026 -- ",
                         "Port Halden -- On Tuesday, March 3, 2026, ")
    # the date is inside a sentence now (followed by a comma on a long line): not a dateline
    article = _dated(text, published="2026-03-07T08:00:00")
    assert dateline(article) == (date(2026, 3, 7), None)
    assert not [f for f in article_flags(article) if f.kind == "date-dateline"]
    earlier = _dated(text, published="2026-03-01")
    flags = [f for f in article_flags(earlier) if f.kind == "date-dateline"]
    # March 2 is one day after publication: within the slack
    assert [f.span.text for f in flags] == ["Friday, March 6, 2026"]
    assert "publication (2026-03-01)" in flags[0].message


def test_a_dateline_alone_on_a_short_line() -> None:
    text = "TUESDAY, MARCH 3, 2026\n" + DATED.split("\n", 1)[1]
    article = make_article(text, times=(_time(text, "T1", "TUESDAY, MARCH 3, 2026", "2026-03-03"),))
    assert dateline(article) == (date(2026, 3, 3), article.times[0].span)


@pytest.mark.model
def test_an_analysed_article_dated_after_its_dateline_is_flagged() -> None:
    from eventwire.pipeline import analyze

    text = ("Port Halden, Tuesday, March 3, 2026 -- Police arrested two men after a warehouse fire in the "
            "harbour district, the city's police chief said.\n"
            "Rebels attacked an army post near the border on Friday, March 6, 2026, killing three soldiers, "
            "the defence ministry said.\n"
            "The mayor will visit the harbour on March 10, 2026, her office said.")
    flags = [f for f in article_flags(analyze(text=text)) if f.kind == "date-dateline"]
    assert [f.span.text for f in flags] == ["Friday, March 6, 2026"]
    assert flags[0].evidence[0].text == "Tuesday, March 3, 2026"
