"""Day-first or month-first: the evidence for reading 03/04/2024."""

from __future__ import annotations

from datetime import date

import pytest

from eventwire.readers.dates import (
    infer_date_order,
    iso_datetime,
    make_date,
    order_for_url,
    tz_offset,
)


@pytest.mark.parametrize(("text", "url", "language", "order", "reason_word"), [
    # another numeric date with a field > 12 decides
    ("Filed 03/04/2024. The hearing was moved from 25/03/2024.", None, None, "DMY", "first field"),
    ("Filed 03/04/2024. The hearing was moved from 03/25/2024.", None, None, "MDY", "second field"),
    # that evidence beats the site's locale
    ("Filed 03/04/2024. The hearing was moved from 03/25/2024.", "https://news.example.co.uk/a", None, "MDY",
     "second field"),
    # a weekday next to the date: 3 April 2024 was a Wednesday, March 4 2024 a Monday
    ("The vote is on Wednesday, 03/04/2024.", None, None, "DMY", "weekday"),
    ("The vote is on Monday, 03/04/2024.", None, None, "MDY", "weekday"),
    ("Die Abstimmung ist am Mittwoch, 03/04/2024.", None, None, "DMY", "weekday"),
    # dotted dates elsewhere: a day-first writer
    ("Stand 14.03.2024. Termin: 03/04/2024.", None, None, "DMY", "dotted"),
    # the URL's country
    ("Filed 03/04/2024.", "https://www.example.ch/artikel/1", None, "DMY", ".ch"),
    ("Filed 03/04/2024.", "https://example.com.au/story", None, "DMY", ".au"),
    ("Filed 03/04/2024.", "https://city.example.us/story", None, "MDY", ".us"),
    # the language, then the English default
    ("Rapport publié le 03/04/2024.", None, "fr", "DMY", "language fr"),
    ("Filed 03/04/2024.", None, "en", "MDY", "no evidence"),
    ("Filed 03/04/2024.", "https://example.com/x", None, "MDY", "no evidence"),
])
def test_evidence(text: str, url: str | None, language: str | None, order: str, reason_word: str) -> None:
    result = infer_date_order(text, url=url, language=language)
    assert result.order == order
    assert reason_word in result.reason


def test_weekday_that_fits_both_readings_is_no_evidence() -> None:
    # 05/05/2024 is the same day either way (a Sunday): falls through to the default.
    assert "no evidence" in infer_date_order("On Sunday, 05/05/2024 the polls open.").reason


def test_run_together_time_does_not_hide_the_next_date() -> None:
    # "09:0525/03/2024": the date after a run-together time still counts as evidence.
    assert infer_date_order("25/03/2024, 09:0525/03/2024, 11:42").order == "DMY"


def test_url_table_and_helpers() -> None:
    assert order_for_url("https://www.bbc.co.uk/news") == "DMY"
    assert order_for_url("https://example.com") is None
    assert order_for_url(None) is None
    assert make_date(24, 3, 14) == date(2024, 3, 14)
    assert make_date(2024, 2, 30) is None
    assert tz_offset("CET") == "+01:00"
    assert tz_offset("UTC+5:30") == "+05:30"
    assert tz_offset("CST") is None  # ambiguous: US Central or China
    assert iso_datetime(date(2024, 3, 14)) == "2024-03-14"
    assert iso_datetime(date(2024, 3, 14), (9, 5, None)) == "2024-03-14T09:05"
    assert iso_datetime(date(2024, 3, 14), (9, 5, 7), "+01:00") == "2024-03-14T09:05:07+01:00"


def test_url_that_does_not_parse_as_a_host_gives_no_order() -> None:
    from eventwire.readers.dates import order_for_url

    assert order_for_url("[oops/x") is None  # read as "//[oops/x" it once raised ValueError
    assert order_for_url("news.example.ch/a") == order_for_url("https://news.example.ch/a")
