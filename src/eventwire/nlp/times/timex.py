"""Normalise English time expressions TIMEX3-style against an article's publication time (no spaCy here).

``normalize("on Saturday", "2025-12-01", tense="past")`` gives ``DATE 2025-11-29``: the Saturday before the
Monday the article was published.  Relative expressions need the anchor; without one they stay unresolved
(``value == ""``) or underspecified (``XXXX-WXX-6``) rather than invented.  Vague ones keep TimeBank's
``PRESENT_REF`` / ``PAST_REF`` / ``FUTURE_REF``.

Every word list lives in ``data/timex_vocab.json`` and ``data/timex_holidays.tsv``; the patterns below are
built from them once, at import.  The whole expression must be understood or :func:`normalize` returns None,
so a caller can use it as a filter too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from eventwire.nlp import tables

__all__ = ["COUNTED_FROM_NEXT", "SMALL_HOURS", "Anchor", "Normalized", "anaphoric_offset", "in_small_hours",
           "normalize", "parse_anchor", "vocabulary"]


@dataclass(frozen=True, slots=True)
class Normalized:
    """A time expression's TIMEX3 reading."""

    type: str  # DATE, TIME, DURATION, SET
    value: str  # "2025-11-29", "2025-W48", "P3M", "PAST_REF", "XXXX-WXX-6"; "" when it needs a missing anchor
    precision: str  # instant, day, week, month, quarter, season, year, decade, century, vague, duration, set
    anchored: bool = False  # the value was computed from the anchor (publication time)
    mod: str | None = None  # TIMEX3 mod: START, MID, END, APPROX, MORE_THAN, LESS_THAN ...


@dataclass(frozen=True, slots=True)
class Anchor:
    """A parsed publication time: the day, and the clock time when the source gave one."""

    day: date
    clock: str | None = None  # "HH:MM"


# ----------------------------------------------------------------------------------------------------------
# vocabulary (loaded once)


_V: dict[str, Any] = json.loads(tables.text("timex_vocab.json"))
MONTHS: dict[str, int] = _V["months"]
WEEKDAYS: dict[str, int] = _V["weekdays"]
NUMBERS: dict[str, int] = _V["numbers"]
SCALES: dict[str, int] = _V["scales"]
ORDINALS: dict[str, int] = _V["ordinals"]
DECADE_WORDS: dict[str, int] = _V["decade_words"]
UNITS: dict[str, tuple[str, bool]] = {k: (v[0], bool(v[1])) for k, v in _V["units"].items()}
PARTS: dict[str, str] = {k.replace("-", " "): v for k, v in _V["parts_of_day"].items()}
CLOCK_WORDS: dict[str, str] = _V["clock_words"]
SEASONS: dict[str, str] = _V["seasons"]
SEASON_START: dict[str, int] = _V["season_start_month"]
RELATIVE_DAYS: dict[str, int] = _V["relative_days"]
RELATIVE_DAY_PARTS: dict[str, str] = _V["relative_days_part"]
SETS: dict[str, str] = _V["sets"]
RELATIVES: dict[str, str] = _V["relatives"]
ANAPHORIC: dict[str, tuple[str, int]] = {k: (v[0], int(v[1])) for k, v in _V["anaphoric_offsets"].items()}
AGO_WORDS: dict[str, int] = _V["ago_words"]
EXACT_COUNTS: dict[str, int] = _V["exact_counts"]
DEICTIC_AGO = frozenset(_V["deictic_ago_words"])


def _alt(words: Iterable[str]) -> str:
    """A regex alternation, longest first so that "sept" wins over "sep"."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _canon_key(s: str) -> str:
    return _canon(s)


# Canonical text: lower case, no abbreviation dots, hyphens between words as spaces, numbers as digits.
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_QUOTES = re.compile(r"[\u2018\u2019\u02bc`\u00b4]")
_AMPM = re.compile(r"\b([ap])\.\s?m\b\.?|\b([ap])m\b\.?")
_ABBR_DOT = re.compile(r"(?<=[a-z])\.(?=\s|,|$)")
_POSS = re.compile(r"(?<=[a-z])'s\b|(?<=s)'(?=\s|$)")
_DEC_APOS = re.compile(r"(?<=\d)'s\b")
_WORD_HYPHEN = re.compile(r"(?<=[a-z0-9])-(?=[a-z])|(?<=[a-z])-(?=[0-9])")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_EDGE = re.compile(r"^[\s,;:\"'()\[\]]+|[\s,;:\"()\[\]]+$")
_WS = re.compile(r"\s+")
_NUMWORD = re.compile(r"\b(?:" + _alt([*NUMBERS, *SCALES]) + r")(?:[ -](?:" + _alt([*NUMBERS, *SCALES, "and"])
                      + r"))*\b")
_FRACTION = re.compile(r"\b(\d+) 1/2\b")
_HALF_UNIT = re.compile(r"\b(?:a half|half an?|half a) (?=[a-z])")
_AND_HALF = re.compile(r"\b(\d+(?:\.\d+)?|an?) ([a-z]+) and a half\b")


def _words_to_number(words: list[str]) -> int | None:
    words = [w for w in words if w != "and"]
    if not words:
        return None
    # Spoken years: "nineteen ninety six" = 19|96, "twenty twenty" = 20|20 (a teen or twenty, then 10..99).
    if len(words) >= 2 and words[0] in NUMBERS and 11 <= NUMBERS[words[0]] <= 20 and words[1] in NUMBERS \
            and NUMBERS[words[1]] >= 10 and all(w in NUMBERS for w in words[1:]):
        rest = sum(NUMBERS[w] for w in words[1:])
        if rest < 100:
            return NUMBERS[words[0]] * 100 + rest
    total, current = 0, 0
    for w in words:
        if w in NUMBERS:
            current += NUMBERS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in SCALES:
            total += max(current, 1) * SCALES[w]
            current = 0
        else:
            return None
    return total + current


def _numword_sub(m: re.Match[str]) -> str:
    words = m.group(0).replace("-", " ").split()
    # "and" only joins inside a number ("a hundred and twenty"); never at its ends.
    tail = ""
    while words and words[-1] == "and":
        words.pop()
        tail = " and"
    n = _words_to_number(words)
    return m.group(0) if n is None else f"{n}{tail}"


def _canon(expr: str) -> str:
    s = _QUOTES.sub("'", _DASHES.sub("-", expr)).lower()
    s = _AMPM.sub(lambda m: (m.group(1) or m.group(2)) + "m", s)
    s = _DEC_APOS.sub("s", s)
    s = _POSS.sub("", s)
    s = _ABBR_DOT.sub("", s)
    s = _WORD_HYPHEN.sub(" ", s)
    s = _THOUSANDS.sub("", s)
    s = _WS.sub(" ", s)
    s = _EDGE.sub("", s)
    s = re.sub(r"\ba (hundred|thousand|million)\b", r"one \1", s)
    s = _NUMWORD.sub(_numword_sub, s)
    s = _FRACTION.sub(lambda m: f"{m.group(1)}.5", s)
    s = _AND_HALF.sub(lambda m: f"{_count(m.group(1)) or 1}.5 {m.group(2)}".replace(".0.5", ".5"), s)
    s = _HALF_UNIT.sub("0.5 ", s)
    return s.strip()


def _count(word: str) -> float | None:
    """A count as a number; None for fuzzy counts ("several") that become TIMEX3 'X'."""
    if word in ("a", "an", "one"):
        return 1
    if word in EXACT_COUNTS:
        return EXACT_COUNTS[word]
    try:
        return float(word)
    except ValueError:
        return None


def _table(rows: Iterable[str], key: Callable[[str], str] = _canon_key) -> set[str]:
    return {key(r) for r in rows}


LEADING_PREPS = sorted(_table(_V["leading_prepositions"]), key=len, reverse=True)
APPROX = sorted(_table(_V["approximators"]), key=len, reverse=True)
MODIFIERS: dict[str, str | None] = {_canon(k): v for k, v in _V["modifiers"].items()}
MODIFIER_KEYS = sorted(MODIFIERS, key=len, reverse=True)
VAGUE: dict[str, str] = {_canon(w): ref for ref, words in _V["vague"].items() for w in words}
FUZZY = _table(_V["fuzzy_counts"])
QUALIFIERS = _table(_V["unit_qualifiers"])
SET_QUANT = _table(_V["set_quantifiers"])
RELATIVES_C: dict[str, str] = {_canon(k): v for k, v in RELATIVES.items()}
ANAPHORIC_C: dict[str, tuple[str, int]] = {_canon(k): v for k, v in ANAPHORIC.items()}


HOLIDAY_ROWS: tuple[tuple[str, str, str], ...] = tuple(
    (name, month, rule) for name, month, rule in tables.rows("timex_holidays.tsv"))
HOLIDAY_NAMES: tuple[str, ...] = tuple(r[0] for r in HOLIDAY_ROWS)  # as written, lower case
HOLIDAYS: dict[str, tuple[str, str]] = {_canon(name): (month, rule) for name, month, rule in HOLIDAY_ROWS}

# Pattern pieces (over canonical text).
P_MONTH = "(?:" + _alt(MONTHS) + ")"
P_WD = "(?:" + _alt(WEEKDAYS) + ")"
P_PART = "(?:" + _alt(PARTS) + ")"
P_SEASON = "(?:" + _alt(SEASONS) + ")"
P_UNIT = "(?:" + _alt(UNITS) + ")"
P_ORD = "(?:" + _alt(ORDINALS) + ")"
P_REL = "(?:" + _alt(RELATIVES_C) + ")"
P_COUNT = r"(?:\d+(?:\.\d+)?|" + _alt([*FUZZY, *EXACT_COUNTS, "a", "an"]) + ")"
P_QUAL = "(?:" + _alt(QUALIFIERS) + ")"
P_DAYNUM = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
P_YEAR = r"(?:\d{4}|'\d{2})"


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


RE_ISO = _c(r"^(\d{4})-(\d{2})(?:-(\d{2}))?(?:t(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?"
            r"(?:z|[+-]\d{2}:?\d{2})?)?$")
RE_NUMERIC = _c(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})$")
RE_MONTH_SLASH_YEAR = _c(r"^(\d{1,2})/(\d{4})$")
RE_MONTH_DAY = _c(
    rf"^(?:{P_WD},? )?(?:the )?(?:(?P<d1>{P_DAYNUM})(?: of)? (?P<m1>{P_MONTH})|(?P<m2>{P_MONTH}) (?:the )?"
    rf"(?P<d2>{P_DAYNUM}))(?:,? (?P<y>{P_YEAR}))?(?:,? (?P<wd2>{P_WD}))?(?: (?P<pod>{P_PART}))?$")
RE_MONTH = _c(rf"^(?:(?P<rel>{P_REL}) )?(?P<m>{P_MONTH})(?:,? (?:of )?(?:(?P<y>{P_YEAR})"
              r"|(?P<yrel>this year|last year|next year|the previous year|the following year)))?$")
RE_YEAR = _c(r"^(?:the )?(?:(?:fiscal|fiscal year|fy|calendar|calendar year|year|model year|budget year) )?"
             r"(?P<y>\d{4}|'\d{2})(?: (?:fiscal year|fiscal|model year|calendar year|season))?$")
RE_DECADE = _c(rf"^(?:the )?(?:(?P<y>\d{{3}})0s|'?(?P<yy>\d)0s|(?P<w>{_alt(DECADE_WORDS)}))$")
RE_CENTURY = _c(rf"^(?:the )?(?P<n>{P_ORD}|\d{{1,2}}(?:st|nd|rd|th)) century$")
RE_QUARTER = _c(
    rf"^(?:the )?(?:(?P<y>\d{{4}}) |(?P<yrel>this year|last year|next year) )?(?:fiscal |calendar )?"
    rf"(?P<ord>{P_ORD}) (?:fiscal |calendar )?(?P<u>quarter|half)(?: of (?:fiscal |the )?(?:(?P<y2>\d{{4}})"
    rf"|(?P<yrel2>this year|last year|next year|the year))|,? (?:fiscal )?(?P<y3>\d{{4}}))?$")
RE_Q = _c(r"^q(?P<q>[1-4])(?: (?P<y>\d{4}))?$|^(?P<y2>\d{4}) q(?P<q2>[1-4])$")
RE_SEASON = _c(rf"^(?:(?P<rel>{P_REL}) )?(?:the )?(?P<s>{P_SEASON})(?:,? (?:of )?(?P<y>{P_YEAR}))?$"
               rf"|^(?P<y2>\d{{4}}) (?P<s2>{P_SEASON})$")
RE_RELDAY = _c(rf"^(?:(?P<pod1>{P_PART}) )?(?P<rel>{_alt(RELATIVE_DAYS)})(?: (?P<pod2>{P_PART}))?$")
RE_THIS_PART = _c(rf"^(?:this|the) (?P<pod>{P_PART})$|^last (?P<night>night|evening)$")
RE_WEEKDAY = _c(rf"^(?:(?P<rel>{P_REL}) )?(?P<wd>{P_WD})(?P<pl>s)?(?: (?P<pod>{P_PART}))?$")
RE_REL_UNIT = _c(rf"^(?P<rel>{P_REL}|the) (?:(?:fiscal|calendar|financial|school|model|reporting) )?"
                 r"(?P<u>week|weekend|month|quarter|year|decade|century|period|half)$")
RE_SAME_LAST_YEAR = _c(r"^(?:the )?(?:same|comparable|corresponding|year ago|year earlier) (?:quarter|period)"
                       r"(?: (?:last year|a year ago|a year earlier|of last year|the previous year))?$")
RE_AGO = _c(rf"^(?P<n>{P_COUNT}|\d+(?:\.\d+)?) (?:{P_QUAL} )?(?P<u>{P_UNIT})(?: or so)? "
            rf"(?P<dir>{_alt(AGO_WORDS)})$")
RE_DURATION = _c(
    rf"^(?:(?:the|another|an additional|a further|(?:the )?(?:past|last|next|first|coming|following|"
    rf"previous|final|remaining|initial|latest|prior|other|same|last few|early|opening|closing)) )*"
    rf"(?P<n>{P_COUNT})(?:(?: to| or|-| and) (?P<n2>{P_COUNT}))?(?: {P_QUAL})* (?P<u>{P_UNIT})"
    r"(?: (?:or so|or more|or longer|plus|running|in a row|straight|of age))?$")
RE_BARE_UNITS = _c(rf"^(?:the )?(?:(?:past|last|next|coming|following|previous|first|early|final|later|"
                   rf"several|many|some|few|recent|other) )?(?P<u>{P_UNIT})$")
RE_SET = _c(rf"^(?P<q>{_alt(SET_QUANT)}) (?:(?P<n>{P_COUNT}) )?(?:other )?"
            rf"(?P<x>{P_UNIT}|{P_WD}|{P_MONTH}|{P_PART}|{P_SEASON})$")
RE_TIMES_PER = _c(rf"^(?:once|twice|thrice|\d+ times?) (?:a|an|per|every|each) (?P<u>{P_UNIT})$")
RE_HOLIDAY = _c(rf"^(?:(?P<rel>{P_REL}) )?(?P<h>{_alt(HOLIDAYS)})(?:,? (?P<y>\d{{4}}))?$")
RE_CLOCK = _c(
    r"(?P<clock>(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?(?::\d{2})? ?(?P<ampm>am|pm)|(?P<h2>\d{1,2}):(?P<m2>\d{2})"
    r"(?::\d{2})?|(?P<h3>\d{1,2}) o'?clock(?: (?P<ampm3>am|pm))?|(?P<word>" + _alt(CLOCK_WORDS) + r"))"
    r"(?: (?:(?P<utc>gmt|utc|z)|[a-z]{1,2}[sd]t|local time|local|eastern|pacific|central|mountain"
    r"|et|pt|ct|mt))?")
RE_CLOCK_FULL = _c(rf"^(?:{RE_CLOCK.pattern})$")
RE_CLOCK_THEN_DAY = _c(rf"^(?:{RE_CLOCK.pattern}),? (?:on |of )?(?P<rest>.+)$")
RE_DAY_THEN_CLOCK = _c(rf"^(?P<rest>.+?),? (?:at |around |about )?(?:{RE_CLOCK.pattern})$")
RE_AGE = _c(r"\b(?:old|aged?)$")

# ----------------------------------------------------------------------------------------------------------
# calendar arithmetic


def parse_anchor(anchor: str | None) -> Anchor | None:
    """Read an ISO-8601 date or datetime ("2025-12-01", "2025-12-01T09:30:00+01:00"); None if unusable."""
    if not anchor:
        return None
    m = re.match(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?", anchor)
    if not m:
        return None
    try:
        d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    clock = f"{m.group(4)}:{m.group(5)}" if m.group(4) else None
    return Anchor(d, clock)


def _add_months(d: date, n: int) -> tuple[int, int]:
    k = d.year * 12 + d.month - 1 + n
    return k // 12, k % 12 + 1


def _iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _quarter_of(d: date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def _month_end(y: int, m: int) -> date:
    ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
    return date(ny, nm, 1) - timedelta(days=1)


def _easter(y: int) -> date:
    """Gregorian Easter Sunday (Meeus/Jones/Butcher)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return date(y, month, day)


_WD_CODES = {"MO": 1, "TU": 2, "WE": 3, "TH": 4, "FR": 5, "SA": 6, "SU": 7}


def _holiday_date(name: str, y: int) -> date | None:
    month, rule = HOLIDAYS[name]
    if month == "E":
        return _easter(y) + timedelta(days=int(rule))
    mo = int(month)
    if rule.isdigit():
        return date(y, mo, int(rule))
    m = re.fullmatch(r"([A-Z]{2})(-?\d)([+-]\d+)?", rule)
    if not m:
        return None
    wd, nth, shift = _WD_CODES[m.group(1)], int(m.group(2)), int(m.group(3) or 0)
    if nth > 0:
        first = date(y, mo, 1)
        d = first + timedelta(days=(wd - first.isoweekday()) % 7 + 7 * (nth - 1))
    else:
        last = _month_end(y, mo)
        d = last - timedelta(days=(last.isoweekday() - wd) % 7 + 7 * (-nth - 1))
    return d + timedelta(days=shift)


Cand = tuple[date, date, str]  # first day, last day, value
_DAY_WINDOW = 200  # "Dec. 20": within half a year the tense decides, beyond it the nearest date wins
_MONTH_WINDOW = 270  # "in September": a past-tense month more than 9 months back is rarer than a parse error


def _dist(c: Cand, a: date) -> int:
    if c[0] <= a <= c[1]:
        return 0
    return min(abs((c[0] - a).days), abs((c[1] - a).days))


def _choose(cands: list[Cand], a: date, direction: str | None, strict: bool = False,
            window: int | None = None) -> Cand:
    """Pick the candidate period the words mean: before the anchor, after it, or the nearest one.

    ``strict`` excludes a period that contains the anchor ("last Friday" said on a Friday is a week ago).
    ``window``: a candidate in the tense's direction further than this many days loses to the nearest one;
    tense comes from a parse and is wrong often enough ("said it would close Nov. 20") that a date 11
    months back is less likely than one 3 weeks ahead.
    """
    cands = sorted(cands)
    pick: Cand | None = None
    if direction == "past":
        ok = [c for c in cands if (c[1] < a if strict else c[0] <= a)]
        pick = ok[-1] if ok else None
    elif direction == "future":
        ok = [c for c in cands if (c[0] > a if strict else c[1] >= a)]
        pick = ok[0] if ok else None
    if pick is not None and (window is None or strict or _dist(pick, a) <= window):
        return pick
    return min(cands, key=lambda c: (_dist(c, a), c[0] > a))


# ----------------------------------------------------------------------------------------------------------
# the handlers: each reads the whole canonical string or returns None


@dataclass(frozen=True, slots=True)
class _Ctx:
    anchor: Anchor | None
    direction: str | None  # "past", "future" or None (nearest)
    strict: bool  # "since Friday": the Friday before, never the anchor day itself
    date_order: str


def _unresolved(type_: str, precision: str) -> Normalized:
    return Normalized(type_, "", precision, False)


def _rel_direction(rel: str | None, ctx: _Ctx) -> tuple[str | None, bool, bool]:
    """(direction, strict, this) for a relative word: last -> strictly before, next -> strictly after."""
    kind = RELATIVES_C.get(rel or "")
    if kind == "last":
        return "past", True, False
    if kind == "next":
        return "future", True, False
    if kind == "this":
        return ctx.direction, ctx.strict, True
    return ctx.direction, ctx.strict, False


def _h_vague(s: str, ctx: _Ctx) -> Normalized | None:
    ref = VAGUE.get(s)
    return Normalized("DATE", ref, "vague") if ref else None


def _h_iso(s: str, ctx: _Ctx) -> Normalized | None:
    m = RE_ISO.match(s)
    if not m:
        return None
    y, mo = int(m.group(1)), int(m.group(2))
    if not 1 <= mo <= 12:
        return None
    if m.group(3) is None:
        return Normalized("DATE", f"{y:04d}-{mo:02d}", "month")
    try:
        d = date(y, mo, int(m.group(3)))
    except ValueError:
        return None
    if m.group(4):
        return Normalized("TIME", f"{d.isoformat()}T{m.group(4)}:{m.group(5)}", "instant")
    return Normalized("DATE", d.isoformat(), "day")


def _year4(yy: str, ctx: _Ctx) -> int:
    """A year from "1997", "'97" or "97": two digits pivot on the anchor (else 19xx for >= 30)."""
    n = int(yy.lstrip("'"))
    if len(yy.lstrip("'")) > 2:
        return n
    if ctx.anchor:
        base = ctx.anchor.day.year // 100 * 100
        return base + n if base + n <= ctx.anchor.day.year + 10 else base - 100 + n
    return 1900 + n if n >= 30 else 2000 + n


def _h_numeric(s: str, ctx: _Ctx) -> Normalized | None:
    m = RE_NUMERIC.match(s)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        mo, d = (b, a) if ctx.date_order == "DMY" else (a, b)
        if mo > 12 and d <= 12:  # "25/12/2025" cannot be MDY
            mo, d = d, mo
        try:
            return Normalized("DATE", date(_year4(m.group(3), ctx), mo, d).isoformat(), "day")
        except ValueError:
            return None
    m = RE_MONTH_SLASH_YEAR.match(s)
    if m and 1 <= int(m.group(1)) <= 12:
        return Normalized("DATE", f"{m.group(2)}-{int(m.group(1)):02d}", "month")
    return None


def _day_value(d: date, pod: str | None) -> Normalized:
    if pod:
        return Normalized("TIME", f"{d.isoformat()}T{PARTS[pod]}", "day", True)
    return Normalized("DATE", d.isoformat(), "day", True)


def _h_month_day(s: str, ctx: _Ctx) -> Normalized | None:
    m = RE_MONTH_DAY.match(s)
    if not m:
        return None
    mo = MONTHS[m.group("m1") or m.group("m2")]
    day = int(re.sub(r"\D", "", m.group("d1") or m.group("d2")))
    if not 1 <= day <= 31:
        return None
    pod = m.group("pod")
    suffix = f"T{PARTS[pod]}" if pod else ""
    typ = "TIME" if pod else "DATE"
    if m.group("y"):
        try:
            d = date(_year4(m.group("y"), ctx), mo, day)
        except ValueError:
            return None
        return Normalized(typ, d.isoformat() + suffix, "day")
    if ctx.anchor is None:
        return Normalized(typ, f"XXXX-{mo:02d}-{day:02d}{suffix}", "day")
    a = ctx.anchor.day
    cands: list[Cand] = []
    for y in (a.year - 1, a.year, a.year + 1):
        try:
            d = date(y, mo, day)
        except ValueError:
            continue
        cands.append((d, d, d.isoformat()))
    if not cands:
        return None
    c = _choose(cands, a, ctx.direction, ctx.strict, window=_DAY_WINDOW)
    return Normalized(typ, c[2] + suffix, "day", True)


def _months_cands(mo: int, a: date) -> list[Cand]:
    years = (a.year - 1, a.year, a.year + 1)
    return [(date(y, mo, 1), _month_end(y, mo), f"{y:04d}-{mo:02d}") for y in years]


def _h_month(s: str, ctx: _Ctx) -> Normalized | None:
    m = RE_MONTH.match(s)
    if not m:
        return None
    mo = MONTHS[m.group("m")]
    if m.group("y"):
        return Normalized("DATE", f"{_year4(m.group('y'), ctx):04d}-{mo:02d}", "month")
    if ctx.anchor is None:
        return Normalized("DATE", f"XXXX-{mo:02d}", "month")
    a = ctx.anchor.day
    if m.group("yrel"):
        y = a.year + (0 if m.group("yrel") == "this year" else 1 if "next" in m.group("yrel")
                      or "following" in m.group("yrel") else -1)
        return Normalized("DATE", f"{y:04d}-{mo:02d}", "month", True)
    direction, strict, this = _rel_direction(m.group("rel"), ctx)
    if this:
        return Normalized("DATE", f"{a.year:04d}-{mo:02d}", "month", True)
    c = _choose(_months_cands(mo, a), a, direction, strict, window=_MONTH_WINDOW)
    return Normalized("DATE", c[2], "month", True)


def _h_year(s: str, ctx: _Ctx) -> Normalized | None:
    m = RE_YEAR.match(s)
    if not m:
        return None
    y = _year4(m.group("y"), ctx)
    if not 1000 <= y <= 2999:
        return None
    return Normalized("DATE", f"{y:04d}", "year")


def _h_decade(s: str, ctx: _Ctx) -> Normalized | None:
    m = RE_DECADE.match(s)
    if not m:
        return None
    if m.group("y"):
        return Normalized("DATE", m.group("y"), "decade")
    tens = int(m.group("yy")) if m.group("yy") else DECADE_WORDS[m.group("w")] // 10
    century = _year4(f"'{tens}0", ctx) // 100 if ctx.anchor else (19 if tens >= 3 else 20)
    if ctx.anchor and century * 100 + tens * 10 > ctx.anchor.day.year:
        century -= 1
    return Normalized("DATE", f"{century:02d}{tens}", "decade", ctx.anchor is not None)


def _h_century(s: str, ctx: _Ctx) -> Normalized | None:
    m = RE_CENTURY.match(s)
    if not m:
        return None
    n = ORDINALS.get(m.group("n")) or int(re.sub(r"\D", "", m.group("n")))
    return Normalized("DATE", f"{n - 1:02d}", "century") if n >= 1 else None


def _quarter_cands(q: int, a: date, half: bool = False) -> list[Cand]:
    out: list[Cand] = []
    for y in (a.year - 1, a.year, a.year + 1):
        first = (q - 1) * (6 if half else 3) + 1
        last = first + (5 if half else 2)
        out.append((date(y, first, 1), _month_end(y, last), f"{y:04d}-{'H' if half else 'Q'}{q}"))
    return out


def _h_quarter(s: str, ctx: _Ctx) -> Normalized | None:
    m = RE_Q.match(s)
    if m:
        q = int(m.group("q") or m.group("q2"))
        y_s = m.group("y") or m.group("y2")
        if y_s:
            return Normalized("DATE", f"{y_s}-Q{q}", "quarter")
        s = f"the {['first', 'second', 'third', 'fourth'][q - 1]} quarter"
    m = RE_QUARTER.match(s)
    if not m:
        return None
    n = ORDINALS[m.group("ord")]
    half = m.group("u") == "half"
    if n > (2 if half else 4):
        return None
    letter = "H" if half else "Q"
    precision = "year" if half else "quarter"  # the model's precision list has no "half"
    y_s = m.group("y") or m.group("y2") or m.group("y3")
    if y_s:
        return Normalized("DATE", f"{y_s}-{letter}{n}", precision)
    yrel = m.group("yrel") or m.group("yrel2")
    if ctx.anchor is None:
        return Normalized("DATE", f"XXXX-{letter}{n}", precision)
    a = ctx.anchor.day
    if yrel and yrel != "the year":
        y = a.year + {"this year": 0, "last year": -1, "next year": 1}[yrel]
        return Normalized("DATE", f"{y:04d}-{letter}{n}", precision, True)
    # Quarter results are reported after the quarter: "third-quarter" in October is the one just ended, even
    # in "will report third-quarter results"; so always the latest such quarter, the current one included.
    c = _choose(_quarter_cands(n, a, half), a, "past", ctx.strict)
    return Normalized("DATE", c[2], precision, True)


def _season_cands(code: str, a: date) -> list[Cand]:
    out: list[Cand] = []
    start = SEASON_START[code]
    for y in (a.year - 1, a.year, a.year + 1):
        # Winter y runs from December of y-1 to February of y: the year that holds most of it.
        sy = y - 1 if code == "WI" else y
        first = date(sy, start, 1)
        ey, em = _add_months(first, 2)
        out.append((first, _month_end(ey, em), f"{y:04d}-{code}"))
    return out


def _h_season(s: str, ctx: _Ctx) -> Normalized | None:
    m = RE_SEASON.match(s)
    if not m:
        return None
    code = SEASONS[m.group("s") or m.group("s2")]
    y_s = m.group("y") or m.group("y2")
    if y_s:
        return Normalized("DATE", f"{_year4(y_s, ctx):04d}-{code}", "season")
    if ctx.anchor is None:
        return Normalized("DATE", f"XXXX-{code}", "season")
    a = ctx.anchor.day
    direction, strict, this = _rel_direction(m.group("rel"), ctx)
    cands = _season_cands(code, a)
    if this:
        return Normalized("DATE", _choose(cands, a, None)[2], "season", True)
    return Normalized("DATE", _choose(cands, a, direction, strict)[2], "season", True)


def _h_relday(s: str, ctx: _Ctx) -> Normalized | None:
    m = RE_RELDAY.match(s)
    pod: str | None
    if m:
        rel = m.group("rel")
        offset = RELATIVE_DAYS[rel]
        pod = m.group("pod1") or m.group("pod2")
        code = PARTS[pod] if pod else RELATIVE_DAY_PARTS.get(rel)
    else:
        m = RE_THIS_PART.match(s)
        if not m:
            return None
        offset = -1 if m.group("night") else 0
        code = PARTS[m.group("pod") or m.group("night")]
    if ctx.anchor is None:
        return _unresolved("TIME" if code else "DATE", "day")
    if offset == 0 and code in _LATER_PARTS and in_small_hours(ctx.anchor):
        offset = -1  # "earlier in the evening", "tonight" in a page stamped 03:35: the evening just gone
    d = ctx.anchor.day + timedelta(days=offset)
    if code:
        return Normalized("TIME", f"{d.isoformat()}T{code}", "day", True)
    return Normalized("DATE", d.isoformat(), "day", True)


# the parts of a day that a page stamped in the small hours still calls today's: the evening, the night and
# the afternoon just gone, written before midnight and stamped after it
_LATER_PARTS = frozenset({"AF", "EV", "NI"})
# a stamp before this hour is a page of the small hours, written the day before (events/dates.py's
# publication fallback says what that choice was measured at)
SMALL_HOURS = 6


def in_small_hours(anchor: Anchor) -> bool:
    """Whether a publication stamp is of the small hours: a clock before ``SMALL_HOURS``, never exactly 00:00
    (a date whose time was dropped)."""
    clock = anchor.clock
    return clock is not None and clock[:2].isdigit() and int(clock[:2]) < SMALL_HOURS and clock != "00:00"


def _h_weekday(s: str, ctx: _Ctx) -> Normalized | None:
    m = RE_WEEKDAY.match(s)
    if not m:
        return None
    wd = WEEKDAYS[m.group("wd")]
    pod = m.group("pod")
    code = f"T{PARTS[pod]}" if pod else ""
    if m.group("pl") or (pod and pod.endswith("s")):  # "on Fridays", "Tuesday nights": every one of them
        return Normalized("SET", f"XXXX-WXX-{wd}{code}", "set")
    typ = "TIME" if pod else "DATE"
    if ctx.anchor is None:
        return Normalized(typ, f"XXXX-WXX-{wd}{code}", "day")
    a = ctx.anchor.day
    direction, strict, this = _rel_direction(m.group("rel"), ctx)
    if this:
        d = a + timedelta(days=wd - a.isoweekday())
        return Normalized(typ, d.isoformat() + code, "day", True)
    cands: list[Cand] = []
    for k in range(-7, 8):
        d = a + timedelta(days=k)
        if d.isoweekday() == wd:
            cands.append((d, d, d.isoformat()))
    # News reports what happened: with no tense, or the present ("Smith says Friday ..."), the latest such
    # day (the anchor day included) is meant; in 11 TimeBank-style present-tense weekdays, 9 were.
    # "Monday night" in a past-tense clause of a Monday article is that same Monday (wire copy is filed
    # late, or dated in another time zone): 4 of 4 such TimeBank-style cases, even with a morning clock time.
    c = _choose(cands, a, direction if direction == "future" else "past", strict)
    return Normalized(typ, c[2] + code, "day", True)


def _weekend(a: date, shift_weeks: int) -> str:
    return _iso_week(a + timedelta(weeks=shift_weeks)) + "-WE"


def _h_rel_unit(s: str, ctx: _Ctx) -> Normalized | None:
    m = RE_REL_UNIT.match(s)
    if not m:
        m2 = RE_SAME_LAST_YEAR.match(s)
        if not m2:
            return None
        if ctx.anchor is None:
            return _unresolved("DATE", "quarter")
        y, q = _quarter_of(ctx.anchor.day)
        y, q = (y, q - 1) if q > 1 else (y - 1, 4)
        return Normalized("DATE", f"{y - 1:04d}-Q{q}", "quarter", True)
    rel, unit = m.group("rel"), m.group("u")
    kind = "the" if rel == "the" else RELATIVES_C.get(rel)
    if kind is None:
        return None
    if ctx.anchor is None:
        return _unresolved("DATE", {"weekend": "week", "period": "quarter", "half": "year"}.get(unit, unit))
    a = ctx.anchor.day
    shift = {"this": 0, "last": -1, "next": 1, "yearago": -1}.get(kind, 0)
    if unit == "weekend":
        on_weekend = a.isoweekday() >= 6
        if kind == "the":  # "over the weekend": the latest one, or the coming one in a future clause
            shift = 0 if on_weekend or ctx.direction == "future" else -1
        elif kind == "this":
            shift = 0 if on_weekend or ctx.direction != "past" else -1
        elif kind == "last":
            shift = -1
        elif kind == "next":
            shift = 0 if not on_weekend else 1
        return Normalized("DATE", _weekend(a, shift), "week", True)
    if unit in ("quarter", "period", "half"):
        if unit == "half":
            if kind not in ("this", "last", "next"):
                return None
            k = a.year * 2 + (a.month - 1) // 6 + shift
            return Normalized("DATE", f"{k // 2:04d}-H{k % 2 + 1}", "year", True)
        y, q = _quarter_of(a)
        if kind == "this":
            k = y * 4 + q - 1
        elif kind == "next":
            k = y * 4 + q
        else:  # "the quarter", "the latest quarter", "last quarter": the latest one that has ended
            k = y * 4 + q - 2
            if kind == "yearago":
                k -= 4
        if unit == "period" and kind not in ("last", "yearago"):
            return None
        return Normalized("DATE", f"{k // 4:04d}-Q{k % 4 + 1}", "quarter", True)
    if kind == "the":
        return None  # "the week", "the year": anaphoric, not the publication's
    if unit == "week":
        return Normalized("DATE", _iso_week(a + timedelta(weeks=shift)), "week", True)
    if unit == "month":
        y, mo = _add_months(a, shift)
        return Normalized("DATE", f"{y:04d}-{mo:02d}", "month", True)
    if unit == "year":
        return Normalized("DATE", f"{a.year + shift:04d}", "year", True)
    if unit == "decade":
        return Normalized("DATE", f"{a.year // 10 + shift:03d}", "decade", True)
    if unit == "century":
        return Normalized("DATE", f"{a.year // 100 + shift:02d}", "century", True)
    return None


def _shift(a: Anchor, unit: str, n: float, ctx: _Ctx) -> Normalized:
    """The point ``n`` units from the anchor, at the unit's own precision."""
    code, clock = UNITS[unit]
    d = a.day
    if clock:
        if a.clock is None:
            return Normalized("DATE", d.isoformat(), "day", True)
        hh, mm = (int(x) for x in a.clock.split(":"))
        minutes = hh * 60 + mm + round(n * {"H": 60, "M": 1, "S": 1 / 60}[code])
        d = d + timedelta(days=minutes // 1440)
        minutes %= 1440
        return Normalized("TIME", f"{d.isoformat()}T{minutes // 60:02d}:{minutes % 60:02d}", "instant", True)
    if code == "D":
        return Normalized("DATE", (d + timedelta(days=round(n))).isoformat(), "day", True)
    if code in ("W", "2W", "WE"):  # "two weeks ago": the day (2 of 3 TimeBank-style cases), not the week
        weeks = n * (2 if code == "2W" else 1)
        return Normalized("DATE", (d + timedelta(days=round(7 * weeks))).isoformat(), "day", True)
    if code == "M":
        y, mo = _add_months(d, round(n))
        return Normalized("DATE", f"{y:04d}-{mo:02d}", "month", True)
    if code == "Q":
        y, mo = _add_months(d, round(3 * n))
        return Normalized("DATE", f"{y:04d}-Q{(mo - 1) // 3 + 1}", "quarter", True)
    years = round(n * {"Y": 1, "DE": 10, "CE": 100, "ML": 1000}[code])
    return Normalized("DATE", f"{d.year + years:04d}", "year", True)


def _h_ago(s: str, ctx: _Ctx) -> Normalized | None:
    off = ANAPHORIC_C.get(s)
    m = RE_AGO.match(s) if off is None else None
    if m:
        n = _count(m.group("n"))
        sign = AGO_WORDS[m.group("dir")]
        if m.group("dir") not in DEICTIC_AGO:
            # "three days later", "a month before": counted from a story event, not from publication; what
            # the words give for sure is the amount of time.
            return Normalized("DURATION", _duration_value(n, m.group("u")), "duration")
        if n is None:
            return Normalized("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", "vague")
        if ctx.anchor is None:
            return _unresolved("DATE", "day")
        return _shift(ctx.anchor, m.group("u"), sign * n, ctx)
    if off is None:
        return None
    if ctx.anchor is None:
        return _unresolved("DATE", "day")
    unit = {"D": "day", "W": "week", "M": "month", "Y": "year"}[off[0]]
    return _shift(ctx.anchor, unit, off[1], ctx)


_CARRY = {"Y": ("M", 12), "H": ("M", 60), "M": ("S", 60), "D": ("H", 24)}


def _duration_value(n: float | None, unit: str) -> str:
    code, clock = UNITS[unit]
    t = "T" if clock else ""
    if n is None:
        return f"P{t}X{code}"
    if code == "2W":
        code, n = "W", n * 2
    elif code == "DE":
        code, n = "Y", n * 10
    elif code == "CE":
        code, n = "Y", n * 100
    elif code == "ML":
        code, n = "Y", n * 1000
    whole = int(n)
    if n == whole:
        return f"P{t}{whole}{code}"
    if code in _CARRY:  # "2 1/2 years" = P2Y6M, "a minute and a half" = PT1M30S
        sub, k = _CARRY[code]
        rest = round((n - whole) * k)
        if code == "D":
            return f"P{whole}DT{rest}H" if whole else f"PT{rest}H"
        head = f"{whole}{code}" if whole else ""
        return f"P{t}{head}{rest}{sub}"
    return f"P{t}{n:g}{code}"


def _h_duration(s: str, ctx: _Ctx) -> Normalized | None:
    m = RE_DURATION.match(s)
    if m:
        n = _count(m.group("n"))
        if n is not None and n <= 0:
            return None
        return Normalized("DURATION", _duration_value(n, m.group("u")), "duration")
    m = RE_BARE_UNITS.match(s)
    if not m:
        return None
    unit = m.group("u")
    u = unit
    plural = u in ("centuries", "millennia") or (u.endswith("s") and UNITS.get(u[:-1]) == UNITS[u])
    if plural:
        return Normalized("DURATION", _duration_value(None, unit), "duration")
    if s == unit:  # a bare "week" ("a bad week for Asia"); "the week" is anaphoric and left alone
        return Normalized("DURATION", _duration_value(1, unit), "duration")
    return None


def _h_set(s: str, ctx: _Ctx) -> Normalized | None:
    if s in SETS:
        return Normalized("SET", SETS[s], "set")
    m = RE_TIMES_PER.match(s)
    if m:
        return Normalized("SET", _duration_value(1, m.group("u")), "set")
    m = RE_SET.match(s)
    if not m:
        return None
    x = m.group("x")
    n = _count(m.group("n")) if m.group("n") else 1
    if x in UNITS:
        if UNITS[x][0] == "WE":
            return Normalized("SET", "XXXX-WXX-WE", "set")
        return Normalized("SET", _duration_value(n, x), "set")
    if x in WEEKDAYS:
        return Normalized("SET", f"XXXX-WXX-{WEEKDAYS[x]}", "set")
    if x in MONTHS:
        return Normalized("SET", f"XXXX-{MONTHS[x]:02d}", "set")
    if x in PARTS:
        return Normalized("SET", f"XXXX-XX-XXT{PARTS[x]}", "set")
    return Normalized("SET", f"XXXX-{SEASONS[x]}", "set")


def _h_holiday(s: str, ctx: _Ctx) -> Normalized | None:
    m = RE_HOLIDAY.match(s)
    if not m:
        return None
    name = m.group("h")
    if m.group("y"):
        d = _holiday_date(name, int(m.group("y")))
        return Normalized("DATE", d.isoformat(), "day") if d else None
    if ctx.anchor is None:
        month, rule = HOLIDAYS[name]
        fixed = month != "E" and rule.isdigit()
        return Normalized("DATE", f"XXXX-{int(month):02d}-{int(rule):02d}", "day") if fixed else \
            _unresolved("DATE", "day")
    a = ctx.anchor.day
    cands: list[Cand] = []
    for y in (a.year - 1, a.year, a.year + 1):
        d = _holiday_date(name, y)
        if d:
            cands.append((d, d, d.isoformat()))
    direction, strict, this = _rel_direction(m.group("rel"), ctx)
    c = _choose(cands, a, None if this else direction, strict)
    return Normalized("DATE", c[2], "day", True)


def _clock(m: re.Match[str]) -> str | None:
    if m.group("word"):
        return CLOCK_WORDS[m.group("word")]
    h_s = m.group("h") or m.group("h2") or m.group("h3")
    hh = int(h_s)
    mm = int(m.group("m") or m.group("m2") or 0)
    ampm = m.group("ampm") or m.group("ampm3")
    if ampm:
        if not 1 <= hh <= 12:
            return None
        hh = hh % 12 + (12 if ampm == "pm" else 0)
    if hh > 24 or mm > 59:
        return None
    return f"{hh:02d}:{mm:02d}" + ("Z" if m.group("utc") else "")


def _h_clock(s: str, ctx: _Ctx) -> Normalized | None:
    m = RE_CLOCK_FULL.match(s)
    day: Normalized | None = None
    if m is None:
        m = RE_CLOCK_THEN_DAY.match(s) or RE_DAY_THEN_CLOCK.match(s)
        if m is None:
            return None
        day = _dispatch(m.group("rest"), ctx, _DAY_HANDLERS)
        if day is None or day.precision != "day" or not day.value or "T" in day.value:
            return None
    clock = _clock(m)
    if clock is None:
        return None
    if day is not None:
        return Normalized("TIME", f"{day.value}T{clock}", "instant", day.anchored)
    if ctx.anchor is None:
        return Normalized("TIME", f"XXXX-XX-XXT{clock}", "instant")
    day_of = ctx.anchor.day
    if ctx.direction == "past" and ctx.anchor.clock is not None and not clock.startswith("24:") and \
            _minutes(clock) - _minutes(ctx.anchor.clock) > _LATER_THAN_ANY_ZONE:
        # "the blast came at 11pm" in a report published at 01:11: yesterday's 11pm (no time zone puts a
        # clock more than 14 hours after the publication's on the same day).  Not "midnight" (24:00): the
        # midnight just past opens the publication day, which an event's day-precision date then reads
        # (events-news tune: "at midnight she wrote" in a report filed at 03:35)
        day_of -= timedelta(days=1)
    return Normalized("TIME", f"{day_of.isoformat()}T{clock}", "instant", True)


_LATER_THAN_ANY_ZONE = 14 * 60


def _minutes(clock: str) -> int:
    return int(clock[:2]) * 60 + int(clock[3:5])


Handler = Callable[[str, _Ctx], Normalized | None]
_DAY_HANDLERS: tuple[Handler, ...] = (_h_relday, _h_weekday, _h_month_day, _h_iso, _h_numeric, _h_holiday)
_HANDLERS: tuple[Handler, ...] = (
    _h_vague, _h_iso, _h_numeric, _h_relday, _h_weekday, _h_month_day, _h_month, _h_year, _h_decade,
    _h_century, _h_quarter, _h_season, _h_rel_unit, _h_ago, _h_set, _h_holiday, _h_duration, _h_clock,
)


def _dispatch(s: str, ctx: _Ctx, handlers: tuple[Handler, ...] = _HANDLERS) -> Normalized | None:
    for h in handlers:
        r = h(s, ctx)
        if r is not None:
            return r
    return None


def _strip_prefix(s: str, prefixes: list[str]) -> tuple[str, str | None]:
    for p in prefixes:
        if s.startswith(p + " ") and len(s) > len(p) + 1:
            return s[len(p) + 1:], p
    return s, None


_TRAILERS = re.compile(r"(?:,| or so| or later| or earlier| and beyond| onwards?| on| or more| at the latest"
                       r"| at the earliest| alone| in all| in total| so far)$")
_THE_UNIT = re.compile(r"^(?:the|this) (year|month|week|quarter|decade|century|day)$")
_APPROX_MOD = {"more than": "MORE_THAN", "over": "MORE_THAN", "at least": "EQUAL_OR_MORE",
               "less than": "LESS_THAN", "under": "LESS_THAN", "up to": "EQUAL_OR_LESS",
               "no more than": "EQUAL_OR_LESS", "fewer than": "LESS_THAN"}


@lru_cache(maxsize=8192)
def _normalize(expr: str, anchor: str | None, tense: str | None, date_order: str) -> Normalized | None:
    s = _canon(expr)
    if not s or len(s) > 80 or RE_AGE.search(s):
        return None
    direction = tense if tense in ("past", "future") else None
    strict = False
    s = _TRAILERS.sub("", s).strip()
    while _strip_prefix(s, APPROX)[1] is None:  # "at least 20 years": "at" belongs to "at least"
        s2, prep = _strip_prefix(s, LEADING_PREPS)
        if prep is None:
            break
        if prep == "since":
            direction, strict = "past", True
        s = s2
    ctx = _Ctx(parse_anchor(anchor), direction, strict, date_order)
    mod: str | None = None
    for _ in range(4):
        r = _dispatch(s, ctx)
        if r is not None:
            return replace(r, mod=mod) if mod and r.mod is None else r
        s2, p = _strip_prefix(s, MODIFIER_KEYS)
        if p is not None:
            mod = MODIFIERS[p] or mod
        else:
            s2, p = _strip_prefix(s, APPROX)
            if p is not None:
                mod = _APPROX_MOD.get(p, "APPROX")
        if p is None:
            return None
        s2, _ = _strip_prefix(s2, LEADING_PREPS)
        # "the end of the year", "earlier in the month": the anchor's own year/month.
        about_now = (p in MODIFIERS and MODIFIERS[p] is not None) or p in ("earlier", "later")
        s = _THE_UNIT.sub(r"this \1", s2) if about_now else s2
    return None


def normalize(expr: str, anchor: str | None, *, tense: str | None = None,
              date_order: str = "MDY") -> Normalized | None:
    """Read one time expression; None when it is not one we understand as a whole.

    ``anchor``: the publication date/datetime (ISO-8601) that relative expressions resolve against.
    ``tense``: "past", "present" or "future" of the clause, to pick which Saturday or October is meant;
    None (or "present") takes the nearest one.  ``date_order``: how "02/03/2025" is read ("MDY" or "DMY").
    """
    return _normalize(expr, anchor, tense, date_order)


# what follows a time counted from another happening: a noun phrase ("the day after [the election]", "the
# morning after [Iowa]"), whose day the text does not give; read by times/component.py and events/dates.py
COUNTED_FROM_NEXT = r"\s+(?:(?:the|a|an|his|her|their|its|this|that)\b|[A-Z0-9])"

# left to the normaliser and to the comparison periods of earnings copy (times/component.py): "a year ago",
# "a year earlier" (the same quarter of the year before, once a quarter was named), "year-ago"
_DEICTIC_ANAPHORA = frozenset(_canon(k) for k in ("a year ago", "a year earlier", "a year before", "year-ago",
                                                  "year-earlier", "the prior-year"))


def anaphoric_offset(expr: str) -> tuple[str, int] | None:
    """An anaphoric expression's unit ("D", "W", "M" or "Y") and how many of them it is from the time last
    named ("the next day": ("D", 1), "that year": ("Y", 0), "the week before": ("W", -1)); None for any
    other expression."""
    key = _canon(expr)
    return None if key in _DEICTIC_ANAPHORA else ANAPHORIC_C.get(key)


def vocabulary() -> Mapping[str, Any]:
    """The loaded vocabulary tables (read-only use), for the finder in times/component.py."""
    return _V
