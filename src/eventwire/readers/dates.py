"""Numeric dates whose order (day-first or month-first) must be decided from evidence.

``03/04/2024`` is 3 April in Zurich and March 4 in Chicago.  Evidence, strongest first:

1. another slash or dash date in the same text with a first field > 12 (only DMY reads it) or a second
   field > 12 (only MDY reads it);
2. a weekday written next to the date ("Monday, 03/04/2024") that only one reading agrees with;
3. dotted dates (``14.03.2024``) in the same text: a site writing those is day-first everywhere;
4. the site's country from the URL's top-level domain (``data/readers_date_order.tsv``);
5. the article's language (same table);
6. otherwise MDY: English text without evidence is most often US-written or machine-translated into English,
   and translation engines emit the US order.

Dotted dates themselves are always day-first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from urllib.parse import urlsplit

from eventwire.nlp import tables

__all__ = [
    "NUMERIC_DATE",
    "DateOrder",
    "NumericDate",
    "infer_date_order",
    "iso_datetime",
    "make_date",
    "month_number",
    "numeric_dates",
    "order_for_language",
    "order_for_url",
    "tz_offset",
    "weekday_number",
]

# A date may follow a run-together time ("06:1512/01/2025"), so a digit before it is fine after ":MM".
_BEFORE = r"(?:(?<!\d)|(?<=:\d\d))"
NUMERIC_DATE = re.compile(
    _BEFORE + r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?!\d)")


@dataclass(frozen=True, slots=True)
class DateOrder:
    order: str  # "DMY" or "MDY"
    reason: str  # short, for metadata["date_order_reason"]


def make_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when it does not exist (31 April); two-digit years are 20xx below 70, else 19xx."""
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _pair(a: int, b: int, year: int, order: str) -> date | None:
    return make_date(year, b, a) if order == "DMY" else make_date(year, a, b)


@dataclass(frozen=True, slots=True)
class NumericDate:
    start: int
    end: int
    a: int  # first field
    b: int  # second field
    year: int
    sep: str

    def read(self, order: str) -> date | None:
        """This date read in ``order``; dotted dates are always day-first."""
        return _pair(self.a, self.b, self.year, "DMY" if self.sep == "." else order)


def numeric_dates(text: str) -> Iterator[NumericDate]:
    """Every ``a/b/yyyy``, ``a-b-yyyy`` and ``a.b.yyyy`` date in ``text`` (two-digit years too)."""
    for m in NUMERIC_DATE.finditer(text):
        yield NumericDate(m.start(), m.end(), int(m["a"]), int(m["b"]), int(m["y"]), m["sep"])


@cache
def _names(kind: str) -> dict[str, int]:
    table: dict[str, list[list[str]]] = json.loads(tables.text("readers_calendar.json"))[kind]
    out: dict[str, int] = {}
    for names in table.values():
        for i, aliases in enumerate(names):
            for alias in aliases:
                out.setdefault(alias, i)
    return out


def weekday_number(word: str) -> int | None:
    """Monday = 0 ... Sunday = 6 for a weekday name or abbreviation in a language we list."""
    return _names("weekdays").get(word.lower().rstrip("."))


def month_number(word: str) -> int | None:
    """1..12 for a month name or abbreviation in a language we list."""
    i = _names("months").get(word.lower().rstrip("."))
    return None if i is None else i + 1


@cache
def _weekday_date() -> re.Pattern[str]:
    # Two-letter abbreviations (German "Mo", "Do", "So") are ordinary words in other languages; they go
    # with dotted dates, which need no evidence, so they are left out here.
    names = sorted((n for n in _names("weekdays") if len(n) >= 3), key=len, reverse=True)
    return re.compile(r"\b(?P<weekday>" + "|".join(map(re.escape, names)) + r")\b\.?,?\s+(?:the\s+)?"
                      + NUMERIC_DATE.pattern, re.I)


@cache
def _order_table() -> dict[tuple[str, str], str]:
    return {(row[0], row[1]): row[2] for row in tables.rows("readers_date_order.tsv")}


def _tld(url: str | None) -> str:
    try:
        host = (urlsplit(url if "//" in url else "//" + url).hostname or "") if url else ""
    except ValueError:  # "[oops/x" read as "//[oops/x": an unclosed IPv6 bracket; no country from it
        return ""
    return host.rsplit(".", 1)[-1].lower() if "." in host else ""


def order_for_url(url: str | None) -> str | None:
    """DMY/MDY for the country of the URL's top-level domain, when the table knows it."""
    tld = _tld(url)
    return _order_table().get(("tld", tld)) if tld else None


def order_for_language(language: str | None) -> str | None:
    """DMY/MDY usual for an ISO 639-1 language, when the table knows it."""
    return _order_table().get(("lang", language.lower()[:2])) if language else None


def infer_date_order(text: str, *, url: str | None = None, language: str | None = None) -> DateOrder:
    """How the slash and dash dates of ``text`` are to be read, and why (see the module docstring)."""
    dates = list(numeric_dates(text))
    slashed = [d for d in dates if d.sep != "."]
    dmy = sum(1 for d in slashed if d.a > 12 >= d.b)
    mdy = sum(1 for d in slashed if d.b > 12 >= d.a)
    if dmy != mdy:
        order = "DMY" if dmy > mdy else "MDY"
        field = "first" if dmy > mdy else "second"
        mixed = f"; {min(dmy, mdy)} disagree" if dmy and mdy else ""
        return DateOrder(order, f"a date in the text has its {field} field > 12{mixed}")
    votes = {"DMY": 0, "MDY": 0}
    # No slashed date, no weekday-date pair: skip the scan (1.5 ms on a 750-word article, 1% of spaCy's time).
    for m in _weekday_date().finditer(text) if slashed else ():
        wanted = weekday_number(m["weekday"])
        a, b, year = int(m["a"]), int(m["b"]), int(m["y"])
        if m["sep"] == "." or wanted is None:
            continue
        fits = [o for o in ("DMY", "MDY")
                if (d := _pair(a, b, year, o)) is not None and d.weekday() == wanted]
        if len(fits) == 1:
            votes[fits[0]] += 1
    if votes["DMY"] != votes["MDY"]:
        order = max(votes, key=lambda o: votes[o])
        return DateOrder(order, "a weekday next to a date agrees only with this order")
    if any(d.sep == "." for d in dates):
        return DateOrder("DMY", "the text writes dotted dates (dd.mm.yyyy)")
    by_url = order_for_url(url)
    if by_url:
        return DateOrder(by_url, f"site locale from the URL's domain .{_tld(url)}")
    by_language = order_for_language(language)
    if by_language and language and not language.lower().startswith("en"):
        return DateOrder(by_language, f"usual order for language {language}")
    return DateOrder("MDY", "no evidence: English default (US order, as machine translation writes it)")


@cache
def _zones() -> dict[str, str]:
    return {row[0].upper(): row[1] for row in tables.rows("readers_timezones.tsv")}


_NUMERIC_ZONE = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2}):?(\d{2})?$", re.I)


def tz_offset(zone: str) -> str | None:
    """``+01:00`` for "CET", "UTC+1", "+0100" ...; None for a zone we cannot place without guessing."""
    zone = zone.strip()
    if zone.upper() in _zones():
        return _zones()[zone.upper()]
    m = _NUMERIC_ZONE.match(zone)
    if not m:
        return None
    hours, minutes = int(m.group(2)), int(m.group(3) or 0)
    if hours > 14 or minutes >= 60:
        return None
    return f"{m.group(1)}{hours:02d}:{minutes:02d}"


def iso_datetime(day: date, time: tuple[int, int, int | None] | None = None,
                 offset: str | None = None) -> str:
    """``2024-03-14``, ``2024-03-14T09:05`` (seconds only when given), + ``+01:00`` when the zone is known."""
    out = day.isoformat()
    if time is not None:
        hour, minute, second = time
        out += f"T{hour:02d}:{minute:02d}" + (f":{second:02d}" if second is not None else "")
        if offset:
            out += offset
    return out
