"""Event dates as days, months or years, and the publication fallback."""

from __future__ import annotations

from typing import Any

import pytest

from eventwire.model import ArticleInput, Attribution, AttributionKind, CharSpan, TimeExpr
from eventwire.nlp.events import dates, speech
from eventwire.nlp.events.dates import DATE_PRECISION, event_date, publication_fallback
from eventwire.nlp.events.model import load_classifier

needs_weights = pytest.mark.skipif(load_classifier() is None, reason="no event classifier weights shipped")


def _time(value: str, precision: str) -> TimeExpr:
    return TimeExpr(id="T1", span=CharSpan(0, 9, "last week"), type="DATE", value=value, precision=precision)


@pytest.mark.parametrize(("value", "precision", "expected"), [
    ("2031-06-09", "day", ("2031-06-09", "day")),
    ("2031-06-09TMO", "day", ("2031-06-09", "day")),  # "Monday morning": the day
    ("2031-06-09T14:30", "instant", ("2031-06-09", "day")),
    ("2016-W44", "week", ("2016-11", "month")),  # 31 Oct - 6 Nov: its Thursday is in November
    ("2016-W48", "week", ("2016-12", "month")),  # 28 Nov - 4 Dec
    ("2016-W34-WE", "week", ("2016-08", "month")),  # a weekend
    ("2016-SU", "season", ("2016", "year")),
    ("2016-Q3", "quarter", ("2016", "year")),
    ("2031-05", "month", ("2031-05", "month")),
    ("2031", "year", ("2031", "year")),
])
def test_an_event_date_is_a_day_a_month_or_a_year(value: str, precision: str,
                                                  expected: tuple[str, str]) -> None:
    d = event_date(_time(value, precision))
    assert (d.value, d.precision) == expected
    assert (d.source, d.time) == ("text", "T1")  # the time expression keeps the finer reading


def test_week_dates_sort_inside_their_month() -> None:
    week = event_date(_time("2016-W44", "week")).value
    assert week + "-99" >= "2016-11-01" and week < "2016-11-31"


def test_a_decade_dates_no_event() -> None:
    # "blamed her for the past decade of turmoil": the decade is what the blame is about, and no day, month
    # or year; the speech act falls back to the publication day
    text = "Dov Irr blamed Mara Lin for the past decade of turmoil."
    decade = TimeExpr(id="T1", span=CharSpan.of(text, 27, 42), type="DATE", value="202", precision="decade")
    cue = CharSpan.of(text, 8, 14)
    said = Attribution(id="A1", kind=AttributionKind.INDIRECT, source=CharSpan.of(text, 0, 7), cue=cue,
                       content=(CharSpan.of(text, 15, 22),))
    got = speech._date(text, (decade,), said, cue, "2031-06-10T12:00:00", CharSpan.of(text, 0, len(text)))
    assert got is not None and (got.value, got.source) == ("2031-06-10", "published")
    assert "decade" not in DATE_PRECISION


@pytest.mark.parametrize(("published", "expected"), [
    ("2031-06-09", "2031-06-08"),  # no time of day: the day before's news
    ("2031-06-09T00:00:00", "2031-06-09"),  # a web page's day with its time dropped: that day's news
    ("2031-06-09T03:42:00", "2031-06-08"),  # small hours
    ("2031-06-09T06:00:00", "2031-06-09"),
    ("2031-06-09T15:43:00+02:00", "2031-06-09"),
    ("2031-03-01", "2031-02-28"),
])
def test_publication_fallback(published: str, expected: str) -> None:
    d = publication_fallback(published)
    assert d is not None and (d.value, d.precision, d.source) == (expected, "day", "published")


@pytest.mark.parametrize("published", [None, "", "yesterday-ish", "2031-13-40"])
def test_no_fallback_without_a_publication_day(published: str | None) -> None:
    assert publication_fallback(published) is None


def _at(text: str, word: str) -> TimeExpr:
    start = text.index(word)
    return TimeExpr(id="T1", span=CharSpan.of(text, start, start + len(word)), type="DATE",
                    value="2031-06-10", precision="day")


@pytest.mark.parametrize(("text", "word", "is_owned", "is_relative"), [
    ("She blamed the board for her defeat in Tuesday's vote.", "Tuesday", True, False),
    ("She blamed the board for her defeat in Tuesday’s vote.", "Tuesday", True, False),
    ("The letter came shortly before election day.", "election day", False, True),
    ("Talks have stalled since Monday.", "Monday", False, True),
    ("Talks ended in the days ahead of the summit on Monday.", "Monday", False, False),
    ("Rebels attacked the town on Tuesday.", "Tuesday", False, False),
    # counted from another happening: the times layer reads "the morning" as the publication day's
    ("They met the morning after the primary.", "the morning", False, True),
    ("They met the day before Tuesday's vote.", "the day", False, True),
    ("They met on Monday before leaving.", "Monday", False, False),
    # the occasion the clause happened at: its day is the clause's
    ("At Sunday night's debate, Vey compared himself to Brel.", "Sunday night", False, False),
    ("During Monday's hearing, Brel accused the board.", "Monday", False, False),
    ("She spoke at length about Friday's vote.", "Friday", True, False),
])
def test_a_time_that_dates_a_thing_or_another_happening(text: str, word: str, is_owned: bool,
                                                        is_relative: bool) -> None:
    t = _at(text, word)
    assert dates.owned(text, t) is is_owned
    assert dates.relative(text, t) is is_relative


@pytest.mark.parametrize(("text", "word", "anchored", "heads"), [
    # a timeline run together: the spelled-out date before a colon heads the next entry
    ("Her aide wrote a memo October 28, 2031: the bureau reopens its inquiry.", "October 28, 2031", False,
     True),
    ("October 28, 2031: the bureau reopens its inquiry.", "October 28, 2031", False, True),
    # the clause's own day, then a quotation
    ("Mr Vey said on Wednesday: the border stays open.", "Wednesday", True, False),
    ("Mr Vey said October 28, 2031: the border stays open.", "October 28, 2031", False, False),
    ("Mr Vey spoke in a statement on Wednesday: the border stays open.", "Wednesday", True, False),
    # no colon, or a clock time's colon
    ("Her aide wrote a memo October 28, 2031 and the bureau reopened its inquiry.", "October 28, 2031",
     False, False),
])
def test_a_date_that_heads_a_timeline_entry(nlp: Any, text: str, word: str, anchored: bool,
                                            heads: bool) -> None:
    doc = nlp(text)
    start = text.index(word)
    t = TimeExpr(id="T1", span=CharSpan.of(text, start, start + len(word)), type="DATE", value="2031-10-28",
                 precision="day", anchored=anchored)
    assert dates.heading(doc, t) is heads


@pytest.mark.parametrize(("text", "word", "trigger", "attributive"), [
    # a day after "on" says when, even where the parser makes it the next noun's modifier
    ("On Friday demonstrations in Lirra turned violent and one person was shot.", "Friday", "shot", False),
    ("Vey greeted the envoy with a photo of Mr. Tamm's 2005 wedding.", "2005", "greeted", True),
    ("Brel said that Vey's widely criticized April 1 interview with the paper raised questions.", "April 1",
     "said", True),
    # unless that noun is the occasion the trigger happened at, on it or on a clause above it
    ("At Mr. Tamm's 2005 wedding, Vey greeted the envoy.", "2005", "greeted", False),
    ("Her stance hardened during a 2029 rally when she accused the envoy.", "2029", "accused", False),
    ("In a 2029 interview, Brel praised the envoy and criticized his critics.", "2029", "criticized", False),
    ("At the rally Brel accused the judge handling the 2029 lawsuits.", "2029", "accused", True),
    # the noun a participle trigger hangs on is that trigger's happening
    ("Vey will answer Brel's Tuesday speech denouncing his plans.", "Tuesday", "denouncing", False),
    ("Vey will answer Brel's Tuesday speech by denouncing her plans.", "Tuesday", "denouncing", True),
])
def test_a_time_that_qualifies_another_noun(nlp: Any, text: str, word: str, trigger: str,
                                            attributive: bool) -> None:
    doc = nlp(text)
    start = text.index(word)
    t = TimeExpr(id="T1", span=CharSpan.of(text, start, start + len(word)), type="DATE", value="2031-10-28",
                 precision="day")
    tok = next(x for x in doc if x.text == trigger)
    assert dates._attributive(doc, t, tok) is attributive


@needs_weights
def test_a_timeline_entry_takes_its_own_heading_date(analyzer: Any) -> None:
    # the entries of a timeline whose line breaks were lost: each event is dated by the heading before it,
    # never by the next entry's
    text = ("How the inquiry unfolded. March 2, 2015: Senator Ana Brel's aides are accused of hiding emails "
            "from the Senate October 28, 2016: the Federal Bureau reopens its investigation into Senator "
            "Brel's server November 6, 2016: the Federal Bureau announces it will not charge Senator Brel.")
    (article,) = analyzer.analyze([ArticleInput(text=text, source="test", published="2016-11-12T10:00:00")])
    accused = next(e for e in article.events if e.trigger.text == "accused")
    assert accused.date is not None and accused.date.value == "2015-03-02"
