"""Counts and amounts in an event's sentence: fatalities, injured, arrested, crowd size, money.

Regular expressions over the sentence text, built from ``data/event_quantities.json``.  Readings follow
ACLED's conservative conventions: "up to 80" is a high bound of 80 with no low bound, "at least 5" a low
bound, and a vague "dozens" a low bound of 12.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from eventwire.model import CharSpan, Quantity
from eventwire.nlp import tables

__all__ = ["find_quantities", "parse_count"]


@cache
def _vocab() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(tables.text("event_quantities.json"))
    return data


def _alt(words: list[str]) -> str:
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=lambda w: (-len(w), w))
    )


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    v = _vocab()
    qual = _alt(
        v["high_only"] + v["low_only"] + ["about", "around", "approximately", "roughly", "an estimated"]
    )
    words = _alt(list(v["number_words"]))
    vague = _alt(list(v["vague_counts"]))
    scale = _alt([s for s in v["scales"] if len(s) > 1])
    num = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(?:\s+(?:{scale}))?"
    count = rf"(?P<q>(?:{qual})\s+)?(?P<n>{num}|(?:{words})(?:[\s-]+(?:{words}))?|{vague})"
    people = _alt(v["people"])
    killed, injured, arrested = _alt(v["killed"]), _alt(v["injured"]), _alt(v["arrested"])
    adj = r"(?:\w+\s+){0,2}?"
    be = r"(?:\s+(?:were|was|are|have\s+been|had\s+been|has\s+been|been|reportedly|all))*"
    cur_sym = _alt([c for c in v["currencies"] if not c.isalpha()])
    cur_word = _alt([c for c in v["currencies"] if c.isalpha()])
    money_scale = _alt(list(v["scales"]))
    return {
        # "killing up to 80 people", "killed 12", "left 3 dead"
        "verb_first": re.compile(
            rf"\b(?P<kind>{killed}|{injured}|{arrested})\s+{count}(?:\s+{adj}(?:{people}))?\b", re.I
        ),
        # "80 people were killed", "12 dead", "dozens of civilians wounded"
        "count_first": re.compile(
            rf"{count}(?:\s+of)?\s+{adj}(?:{people})?{be}\s*(?P<kind>{killed}|{injured}|"
            rf"{arrested})\b",
            re.I,
        ),
        "crowd": re.compile(
            rf"{count}(?:\s+of)?\s+{adj}(?P<kind>{_alt(v['crowd_nouns'])}|people\s+(?:"
            rf"{_alt(v['crowd_verbs'])}))\b",
            re.I,
        ),
        "money": re.compile(
            rf"(?P<q>(?:{qual})\s+)?(?:(?P<sym>{cur_sym})\s?(?P<n>\d[\d,]*(?:\.\d+)?)(?:\s*(?P<s>"
            rf"{money_scale})\b)?|(?P<n2>\d[\d,]*(?:\.\d+)?)\s*(?P<s2>{money_scale})?\s+(?P<w>"
            rf"{cur_word})\b)",
            re.I,
        ),
    }


@cache
def _maybe_count() -> re.Pattern[str]:
    """A cheap pre-test: a digit, a currency sign or a number word somewhere in the sentence."""
    v = _vocab()
    words = [w.split()[-1] for w in [*v["number_words"], *v["vague_counts"]]]
    signs = "".join(re.escape(c) for c in v["currencies"] if not c.isalpha() and len(c) == 1)
    return re.compile(rf"[\d{signs}]|\b(?:{_alt(words)})\b", re.I)


@cache
def _anchors() -> dict[str, re.Pattern[str]]:
    """What each long pattern needs somewhere in the sentence: a casualty word, a crowd word, a currency.
    Without one the pattern cannot match, and testing for it is ~20x cheaper than the pattern."""
    v = _vocab()
    kinds = _alt(v["killed"] + v["injured"] + v["arrested"])
    signs = "".join(re.escape(c) for c in v["currencies"] if not c.isalpha() and len(c) == 1)
    words = _alt([c for c in v["currencies"] if c.isalpha()])
    return {
        "people": re.compile(rf"\b(?:{kinds})\b", re.I),
        "crowd": re.compile(rf"\b(?:{_alt(v['crowd_nouns'])}|people)\b", re.I),
        "money": re.compile(rf"[{signs}]|\b(?:{words})\b", re.I),
    }


def parse_count(number: str, qualifier: str = "") -> tuple[float | None, float | None]:
    """``(low, high)`` of a count phrase: "up to 80" -> (None, 80); "dozens" -> (12, None); "5" -> (5, 5)."""
    v = _vocab()
    words = " ".join(number.lower().replace("-", " ").split())
    q = " ".join(qualifier.lower().split())
    value: float | None
    vague = False
    if words in v["vague_counts"]:
        value, vague = float(v["vague_counts"][words]), True
    elif words in v["number_words"]:
        value = float(v["number_words"][words])
    elif all(w in v["number_words"] for w in words.split()):
        value = float(sum(v["number_words"][w] for w in words.split()))  # "twenty five"
    else:
        parts = words.split()
        try:
            value = float(parts[0].replace(",", ""))
        except ValueError:
            return None, None
        if len(parts) > 1:
            value *= float(v["scales"].get(parts[1], 1))
    if vague or q in v["low_only"]:
        return value, None
    if q in v["high_only"]:
        return None, value
    return value, value


_KIND = {"killed": "fatalities", "injured": "injured", "arrested": "arrested"}


def _kind(word: str) -> str:
    w = " ".join(word.lower().split())
    for key, kind in _KIND.items():
        if w in _vocab()[key]:
            return kind
    return "crowd"


def find_quantities(text: str, start: int, end: int) -> list[Quantity]:
    """Quantities in ``text[start:end]`` (spans index ``text``), in text order, overlaps dropped."""
    sentence = text[start:end]
    found: list[Quantity] = []
    if not _maybe_count().search(sentence):
        return found  # ~2/3 of news sentences name no number: skip the four long patterns
    taken: list[tuple[int, int]] = []

    def add(kind: str, s: int, e: int, low: float | None, high: float | None, unit: str | None) -> None:
        if low is None and high is None:
            return
        if any(s < te and ts < e for ts, te in taken):
            return
        taken.append((s, e))
        found.append(
            Quantity(kind=kind, span=CharSpan.of(text, start + s, start + e), low=low, high=high, unit=unit)
        )

    pats = _patterns()
    anchors = _anchors()
    has_people = anchors["people"].search(sentence) is not None
    has_crowd = anchors["crowd"].search(sentence) is not None
    for name in ("verb_first", "count_first", "crowd"):
        if not (has_crowd if name == "crowd" else has_people):
            continue
        for m in pats[name].finditer(sentence):
            low, high = parse_count(m.group("n"), m.group("q") or "")
            add(_kind(m.group("kind")) if name != "crowd" else "crowd", m.start(), m.end(), low, high, None)
    money = anchors["money"].search(sentence) is not None
    for m in pats["money"].finditer(sentence) if money else ():
        currencies = _vocab()["currencies"]
        if m.group("sym"):
            number, scale, unit = m.group("n"), m.group("s") or "", currencies[m.group("sym").lower()]
        else:
            number, scale, unit = m.group("n2"), m.group("s2") or "", currencies[m.group("w").lower()]
        low, high = parse_count(f"{number} {scale.lower()}".strip(), m.group("q") or "")
        add("money", m.start(), m.end(), low, high, unit)
    found.sort(key=lambda q: q.span.start)
    return found
