"""Checks on record fields: surrogates replaced one for one, URLs that do not parse, ISO dates."""

from __future__ import annotations

import pytest

from eventwire.readers.validate import iso_published, scrub_surrogates, url_problem


def test_lone_surrogates_become_replacement_characters_keeping_offsets() -> None:
    text = "The minister said \ud800 talks resume \udfff."
    clean = scrub_surrogates(text)
    assert clean == "The minister said \ufffd talks resume \ufffd."
    assert len(clean) == len(text)
    clean.encode("utf-8")  # the whole point: it encodes
    assert scrub_surrogates("plain ASCII") == "plain ASCII"
    assert scrub_surrogates("Zürich 北京 😀") == "Zürich 北京 😀"


@pytest.mark.parametrize("url", ["http://[oops/x", "https://[::1/a", "//[oops", "http://example.org/a\nb"])
def test_urls_that_do_not_parse(url: str) -> None:
    assert url_problem(url)


@pytest.mark.parametrize("url", ["https://example.org/a?b=1#c", "example.org/news/1", "/relative/path",
                                 "http://[::1]:8080/x", "https://bücher.example/ä",
                                 "hard::site.example-page.html", "https://example.org:99999/a"])
def test_urls_that_parse(url: str) -> None:
    assert url_problem(url) is None


@pytest.mark.parametrize("value", ["2024-03-14", "2024-03-14T09:05", "2024-03-14T09:05:00+01:00",
                                   "2024-03-14T09:05:00Z", "2024-03", "2024"])
def test_iso_dates_are_kept(value: str) -> None:
    assert iso_published(value) == (value, None)


@pytest.mark.parametrize("value", ["yesterday-ish", "14/03/2024", "2024-13-01", "2024-02-30", "soon"])
def test_other_dates_are_dropped_with_a_reason(value: str) -> None:
    kept, why = iso_published(value)
    assert kept is None
    assert why and "ISO 8601" in why
