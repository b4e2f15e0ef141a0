"""The spaCy-free normaliser: table-driven cases against an invented anchor, plus properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.nlp.times.timex import Normalized, normalize, parse_anchor

# Wednesday 12 March 2031, ISO week 2031-W11 (an invented publication time).
ANCHOR = "2031-03-12T09:30"

# (expression, tense, expected value, expected type)
CASES: list[tuple[str, str | None, str, str]] = [
    # explicit dates in many spellings
    ("March 3, 2029", None, "2029-03-03", "DATE"),
    ("3 March 2029", None, "2029-03-03", "DATE"),
    ("the 3rd of March, 2029", None, "2029-03-03", "DATE"),
    ("Mar. 3", "past", "2031-03-03", "DATE"),
    ("Dec. 24", "past", "2030-12-24", "DATE"),
    ("Dec. 24", None, "2030-12-24", "DATE"),
    ("Aug. 24", "future", "2031-08-24", "DATE"),
    ("Aug. 24", "past", "2030-08-24", "DATE"),
    # beyond ~200 days the tense (from a parse, often wrong in reported speech) loses to the nearest date
    ("Dec. 24", "future", "2030-12-24", "DATE"),
    ("Sunday, Dec. 24, 2028", None, "2028-12-24", "DATE"),
    ("2029-07-04", None, "2029-07-04", "DATE"),
    ("2029-07-04T18:45:00Z", None, "2029-07-04T18:45", "TIME"),
    ("07/04/2029", None, "2029-07-04", "DATE"),
    ("25/12/2029", None, "2029-12-25", "DATE"),
    ("October 2029", None, "2029-10", "DATE"),
    ("Oct. 2029", None, "2029-10", "DATE"),
    ("1997", None, "1997", "DATE"),
    ("in 1997", None, "1997", "DATE"),
    ("fiscal 2030", None, "2030", "DATE"),
    ("the 1990s", None, "199", "DATE"),
    ("the 1990's", None, "199", "DATE"),
    ("the '80s", None, "198", "DATE"),
    ("the nineties", None, "199", "DATE"),
    ("the 20th century", None, "19", "DATE"),
    ("the nineteenth century", None, "18", "DATE"),
    ("nineteen ninety-six", None, "1996", "DATE"),
    ("the year two thousand", None, "2000", "DATE"),
    ("twenty twenty-nine", None, "2029", "DATE"),
    # months alone: the tense picks the year
    ("in October", "past", "2030-10", "DATE"),
    ("in October", "future", "2031-10", "DATE"),
    ("in March", "past", "2031-03", "DATE"),
    ("last October", None, "2030-10", "DATE"),
    ("next October", None, "2031-10", "DATE"),
    ("this October", None, "2031-10", "DATE"),
    ("June last year", None, "2030-06", "DATE"),
    ("late November", "past", "2030-11", "DATE"),
    # weekdays
    ("on Saturday", "past", "2031-03-08", "DATE"),
    ("on Saturday", "future", "2031-03-15", "DATE"),
    ("Saturday", None, "2031-03-08", "DATE"),
    ("Saturday", "present", "2031-03-08", "DATE"),
    ("Wednesday", "past", "2031-03-12", "DATE"),
    ("last Friday", None, "2031-03-07", "DATE"),
    ("next Friday", None, "2031-03-14", "DATE"),
    ("since Wednesday", None, "2031-03-05", "DATE"),
    ("since Wednesday", "future", "2031-03-05", "DATE"),
    ("Monday night", "past", "2031-03-10TNI", "TIME"),
    ("on Friday morning", "future", "2031-03-14TMO", "TIME"),
    ("Friday's", "future", "2031-03-14", "DATE"),
    ("on Sundays", None, "XXXX-WXX-7", "SET"),
    # days relative to publication
    ("today", None, "2031-03-12", "DATE"),
    ("yesterday", None, "2031-03-11", "DATE"),
    ("tomorrow", None, "2031-03-13", "DATE"),
    ("tonight", None, "2031-03-12TNI", "TIME"),
    ("last night", None, "2031-03-11TNI", "TIME"),
    ("this morning", None, "2031-03-12TMO", "TIME"),
    ("yesterday afternoon", None, "2031-03-11TAF", "TIME"),
    ("late yesterday", None, "2031-03-11", "DATE"),
    ("the day before", None, "2031-03-11", "DATE"),
    ("the following day", None, "2031-03-13", "DATE"),
    # weeks, weekends, months, quarters, years, seasons
    ("this week", None, "2031-W11", "DATE"),
    ("last week", None, "2031-W10", "DATE"),
    ("next week", None, "2031-W12", "DATE"),
    ("over the weekend", "past", "2031-W10-WE", "DATE"),
    ("this weekend", "future", "2031-W11-WE", "DATE"),
    ("last weekend", None, "2031-W10-WE", "DATE"),
    ("next weekend", None, "2031-W11-WE", "DATE"),
    ("this month", None, "2031-03", "DATE"),
    ("earlier this month", None, "2031-03", "DATE"),
    ("last month", None, "2031-02", "DATE"),
    ("next month", None, "2031-04", "DATE"),
    ("this year", None, "2031", "DATE"),
    ("last year", None, "2030", "DATE"),
    ("early next year", None, "2032", "DATE"),
    ("the end of the year", None, "2031", "DATE"),
    ("this quarter", None, "2031-Q1", "DATE"),
    ("last quarter", None, "2030-Q4", "DATE"),
    ("next quarter", None, "2031-Q2", "DATE"),
    ("the third quarter", None, "2030-Q3", "DATE"),
    ("third-quarter", "future", "2030-Q3", "DATE"),
    ("the first quarter", None, "2031-Q1", "DATE"),
    ("the fourth quarter of 2029", None, "2029-Q4", "DATE"),
    ("Q2 2030", None, "2030-Q2", "DATE"),
    ("the year-ago quarter", None, "2029-Q4", "DATE"),
    ("this summer", None, "2031-SU", "DATE"),
    ("last summer", None, "2030-SU", "DATE"),
    ("last fall", None, "2030-FA", "DATE"),
    ("the summer of 1998", None, "1998-SU", "DATE"),
    ("the winter of nineteen ninety-four", None, "1994-WI", "DATE"),
    ("this decade", None, "203", "DATE"),
    ("mid-1990s", None, "199", "DATE"),
    # vague references stay vague
    ("now", None, "PRESENT_REF", "DATE"),
    ("currently", None, "PRESENT_REF", "DATE"),
    ("at present", None, "PRESENT_REF", "DATE"),
    ("recently", None, "PAST_REF", "DATE"),
    ("in recent weeks", None, "PAST_REF", "DATE"),
    ("in the past", None, "PAST_REF", "DATE"),
    ("several years ago", None, "PAST_REF", "DATE"),
    ("soon", None, "FUTURE_REF", "DATE"),
    ("in the future", None, "FUTURE_REF", "DATE"),
    ("the coming months", None, "FUTURE_REF", "DATE"),
    # so long ago / from now
    ("three days ago", None, "2031-03-09", "DATE"),
    ("two weeks ago", None, "2031-02-26", "DATE"),
    ("five months ago", None, "2030-10", "DATE"),
    ("two years ago", None, "2029", "DATE"),
    ("a year ago", None, "2030", "DATE"),
    ("a year earlier", None, "2030", "DATE"),
    ("three days from now", None, "2031-03-15", "DATE"),
    ("two hours ago", None, "2031-03-12T07:30", "TIME"),
    # durations
    ("three months", None, "P3M", "DURATION"),
    ("the past 24 hours", None, "PT24H", "DURATION"),
    ("the last twenty four hours", None, "PT24H", "DURATION"),
    ("two-year", None, "P2Y", "DURATION"),
    ("a couple of days", None, "P2D", "DURATION"),
    ("a few weeks", None, "PXW", "DURATION"),
    ("years", None, "PXY", "DURATION"),
    ("2 1/2 years", None, "P2Y6M", "DURATION"),
    ("a year and a half", None, "P1Y6M", "DURATION"),
    ("half an hour", None, "PT30M", "DURATION"),
    ("90 minutes", None, "PT90M", "DURATION"),
    ("two decades", None, "P20Y", "DURATION"),
    ("more than three years", None, "P3Y", "DURATION"),
    ("the first nine months", None, "P9M", "DURATION"),
    ("a fortnight", None, "P2W", "DURATION"),
    ("one hundred and twenty days", None, "P120D", "DURATION"),
    ("three trading days", None, "P3D", "DURATION"),
    ("three days later", None, "P3D", "DURATION"),
    # sets
    ("every week", None, "P1W", "SET"),
    ("daily", None, "P1D", "SET"),
    ("each Thursday", None, "XXXX-WXX-4", "SET"),
    ("twice a month", None, "P1M", "SET"),
    ("every two years", None, "P2Y", "SET"),
    ("every morning", None, "XXXX-XX-XXTMO", "SET"),
    # clock times
    ("06:15", None, "2031-03-12T06:15", "TIME"),
    ("3 p.m.", None, "2031-03-12T15:00", "TIME"),
    ("3:30 p.m. Tuesday", "past", "2031-03-11T15:30", "TIME"),
    ("Friday at 10 a.m.", "future", "2031-03-14T10:00", "TIME"),
    ("noon", None, "2031-03-12T12:00", "TIME"),
    ("12 a.m.", None, "2031-03-12T00:00", "TIME"),
    ("16:05 GMT", None, "2031-03-12T16:05Z", "TIME"),
    ("around 7:15 p.m.", None, "2031-03-12T19:15", "TIME"),
    # holidays
    ("Christmas", "past", "2030-12-25", "DATE"),
    ("Christmas 2029", None, "2029-12-25", "DATE"),
    ("Thanksgiving", "future", "2031-11-27", "DATE"),
    ("Easter", "future", "2031-04-13", "DATE"),
    ("Super Tuesday", "past", "2031-03-04", "DATE"),  # the first Tuesday of March
    ("Black Friday", "future", "2031-11-28", "DATE"),  # the day after Thanksgiving
    ("Cyber Monday", "future", "2031-12-01", "DATE"),  # the Monday after it, into December
]


@pytest.mark.parametrize(("expr", "tense", "value", "type_"), CASES)
def test_normalize_with_anchor(expr: str, tense: str | None, value: str, type_: str) -> None:
    n = normalize(expr, ANCHOR, tense=tense)
    assert n is not None, expr
    assert (n.value, n.type) == (value, type_), expr


NO_ANCHOR: list[tuple[str, str, bool]] = [
    ("yesterday", "", False),
    ("last year", "", False),
    ("three days ago", "", False),
    ("on Saturday", "XXXX-WXX-6", False),
    ("Dec. 24", "XXXX-12-24", False),
    ("in October", "XXXX-10", False),
    ("this summer", "XXXX-SU", False),
    ("the third quarter", "XXXX-Q3", False),
    ("3 p.m.", "XXXX-XX-XXT15:00", False),
    ("March 3, 2029", "2029-03-03", False),
    ("now", "PRESENT_REF", False),
    ("three months", "P3M", False),
]


@pytest.mark.parametrize(("expr", "value", "anchored"), NO_ANCHOR)
@pytest.mark.parametrize("anchor", [None, "", "not a date", "2031-02-30"])
def test_without_a_usable_anchor_relative_values_stay_unresolved(expr: str, value: str, anchored: bool,
                                                                 anchor: str | None) -> None:
    n = normalize(expr, anchor)
    assert n is not None
    assert (n.value, n.anchored) == (value, anchored)


@pytest.mark.parametrize("expr", [
    "55-year-old", "aged 55", "the year", "Friday and Saturday", "hello world", "", "   ",
    "the week", "31 February 2030", "13/13/2030",
])
def test_not_a_time_expression(expr: str) -> None:
    assert normalize(expr, ANCHOR) is None


def test_anchored_flag_and_precision() -> None:
    rel = normalize("yesterday", ANCHOR)
    explicit = normalize("March 3, 2029", ANCHOR)
    assert rel is not None and explicit is not None
    assert rel.anchored and rel.precision == "day"
    assert not explicit.anchored
    assert normalize("this week", ANCHOR) == Normalized("DATE", "2031-W11", "week", True)
    assert normalize("recently", ANCHOR) == Normalized("DATE", "PAST_REF", "vague", False)
    dur = normalize("three months", ANCHOR)
    assert dur is not None and dur.precision == "duration"


def test_modifiers_are_kept() -> None:
    early = normalize("early next year", ANCHOR)
    more = normalize("more than three years", ANCHOR)
    assert early is not None and early.mod == "START"
    assert more is not None and more.mod == "MORE_THAN"


def test_date_order_dmy() -> None:
    n = normalize("07/04/2029", ANCHOR, date_order="DMY")
    assert n is not None and n.value == "2029-04-07"


def test_parse_anchor() -> None:
    a = parse_anchor("2031-03-12T09:30:00+01:00")
    assert a is not None and a.day == date(2031, 3, 12) and a.clock == "09:30"
    b = parse_anchor("2031-03-12")
    assert b is not None and b.clock is None
    assert parse_anchor("March 2031") is None
    assert parse_anchor(None) is None


WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]


@given(st.dates(min_value=date(1800, 1, 1), max_value=date(2199, 12, 31)))
@settings(max_examples=200, deadline=None)
def test_explicit_dates_round_trip(d: date) -> None:
    name = MONTH_NAMES[d.month - 1]
    for text in (f"{name} {d.day}, {d.year}", f"{d.day} {name} {d.year}", d.isoformat()):
        n = normalize(text, ANCHOR)
        assert n is not None and n.value == d.isoformat() and not n.anchored, text


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
       st.sampled_from(["past", "future", None]))
@settings(max_examples=200, deadline=None)
def test_weekdays_land_within_a_week_on_the_right_side(anchor: date, tense: str | None) -> None:
    for k, name in enumerate(WEEKDAY_NAMES, 1):
        n = normalize(f"on {name}", anchor.isoformat(), tense=tense)
        assert n is not None
        d = date.fromisoformat(n.value)
        assert d.isoweekday() == k
        delta = d - anchor
        if tense == "future":
            assert timedelta(0) <= delta < timedelta(days=7)
        else:
            assert -timedelta(days=7) < delta <= timedelta(0)


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_never_raises_on_junk(s: str) -> None:
    n = normalize(s, ANCHOR)
    assert n is None or n.type in ("DATE", "TIME", "DURATION", "SET")


@pytest.mark.parametrize(("expr", "anchor", "tense", "value"), [
    # a report filed at 01:11 tells of last night's 11pm, not tonight's
    ("11pm", "2031-03-12T01:11:34", "past", "2031-03-11T23:00"),
    ("around 11 p.m.", "2031-03-12T01:11:34", "past", "2031-03-11T23:00"),
    # within 14 hours a time zone can put it on the same day; the future stays on the day
    ("1pm", "2031-03-12T01:11:34", "past", "2031-03-12T13:00"),
    ("11pm", "2031-03-12T01:11:34", "future", "2031-03-12T23:00"),
    ("11pm", "2031-03-12T01:11:34", None, "2031-03-12T23:00"),
    ("11pm", "2031-03-12", "past", "2031-03-12T23:00"),
])
def test_a_past_clock_later_than_any_zone_allows_is_the_day_before(expr: str, anchor: str, tense: str | None,
                                                                  value: str) -> None:
    n = normalize(expr, anchor, tense=tense)
    assert n is not None and n.value == value


@pytest.mark.parametrize(("expr", "anchor", "value"), [
    # a page stamped in the small hours calls the evening and night just gone today's
    ("tonight", "2031-03-12T03:35:00", "2031-03-11TNI"),
    ("this evening", "2031-03-12T03:35:00", "2031-03-11TEV"),
    ("the evening", "2031-03-12T03:35:00", "2031-03-11TEV"),
    ("this afternoon", "2031-03-12T05:59:00", "2031-03-11TAF"),
    # not its morning nor its day; not a page stamped later, nor a date whose time was dropped (00:00)
    ("this morning", "2031-03-12T03:35:00", "2031-03-12TMO"),
    ("today", "2031-03-12T03:35:00", "2031-03-12"),
    ("tonight", "2031-03-12T06:00:00", "2031-03-12TNI"),
    ("tonight", "2031-03-12T00:00:00", "2031-03-12TNI"),
    ("tonight", "2031-03-12", "2031-03-12TNI"),
])
def test_the_evening_in_a_page_stamped_in_the_small_hours_is_the_day_before(expr: str, anchor: str,
                                                                            value: str) -> None:
    n = normalize(expr, anchor)
    assert n is not None and n.value == value
