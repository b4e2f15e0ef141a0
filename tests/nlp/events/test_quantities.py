from __future__ import annotations

import pytest

from eventwire.nlp.events.quantities import find_quantities, parse_count


def found(text: str) -> list[tuple[str, str, float | None, float | None, str | None]]:
    return [(q.kind, q.span.text, q.low, q.high, q.unit) for q in find_quantities(text, 0, len(text))]


@pytest.mark.parametrize(("words", "qualifier", "expected"), [
    ("80", "up to", (None, 80.0)),
    ("5", "at least", (5.0, None)),
    ("dozens", "", (12.0, None)),
    ("twenty five", "", (25.0, 25.0)),
    ("1,200", "", (1200.0, 1200.0)),
    ("3.5 million", "", (3_500_000.0, 3_500_000.0)),
    ("many", "", (None, None)),
])
def test_parse_count(words: str, qualifier: str, expected: tuple[float | None, float | None]) -> None:
    assert parse_count(words, qualifier) == expected


def test_casualties_money_and_crowds() -> None:
    assert found("Gunmen raided the depot, killing up to 14 guards.") == [
        ("fatalities", "killing up to 14 guards", None, 14.0, None)]
    assert found("Dozens of villagers were wounded and 3 people died.") == [
        ("injured", "Dozens of villagers were wounded", 12.0, None, None),
        ("fatalities", "3 people died", 3.0, 3.0, None)]
    assert found("The council offered a reward of $2.5 million.") == [
        ("money", "$2.5 million", 2_500_000.0, 2_500_000.0, "USD")]
    assert found("a fine of 40 million euros") == [
        ("money", "40 million euros", 40_000_000.0, 40_000_000.0, "EUR")]
    assert found("Thousands of demonstrators filled the square; at least 9 were arrested.") == [
        ("crowd", "Thousands of demonstrators", 1000.0, None, None),
        ("arrested", "at least 9 were arrested", 9.0, None, None)]


def test_spans_index_the_whole_text() -> None:
    text = "Intro. Police detained 7 students."
    start = text.index("Police")
    (q,) = find_quantities(text, start, len(text))
    assert text[q.span.start:q.span.end] == q.span.text == "detained 7 students"
    assert find_quantities("No numbers here.", 0, 16) == []
