"""Debris in text copied from web pages: captions with credits, timestamp lines, bylines, sign-offs.

Copying an article out of a browser drags along the page furniture around it, flattened into lines:

- an image caption with its credit run into it: ``...stays defiant.Image: Reuters`` (also ``Photo: AP``,
  ``Foto: Keystone``, ``(Image: X)``, ``Credit: ...``, ``... Getty Images``): the credit is stripped, the
  caption kept in ``captions`` and its line removed from the body;
- a line of timestamps, often run together: ``03/14/2024, 09:0503/14/2024, 11:42`` or
  ``14.03.2024, 09:05 Uhr, aktualisiert 11:42 Uhr`` (published, then updated): parsed and removed;
- a leading byline ``By Jane Doe``: parsed into authors and removed;
- initials or agencies in brackets at the very end, ``(con)``, ``(sda/afp)``, ``(AP)``: kept as the sign-off
  and stripped.

Everything else stays byte-for-byte: whole lines go, nothing is reflowed.  The words that mark debris
(credit markers, picture agencies, labels like "Updated") live in ``data/readers_debris.json``; nothing here
knows any one article.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from eventwire.nlp import tables
from eventwire.readers.dates import (
    NUMERIC_DATE,
    DateOrder,
    infer_date_order,
    iso_datetime,
    make_date,
    month_number,
    tz_offset,
)

__all__ = [
    "Cleaned",
    "Stamp",
    "clean_text",
    "find_byline",
    "find_timestamps",
    "split_credit",
    "split_signoff",
]

# A caption is a sentence or two; a line longer than this that ends in a credit is body text we keep whole.
_MAX_CAPTION = 600
# Credits are a name or two ("Jane Roe/Reuters", "AFP via Getty Images"): ~30 chars, never 80.
_MAX_CREDIT = 80
_MAX_CREDIT_WORDS = 10
# Timestamp lines seen in copies are 10-60 chars; 160 leaves room for labels in two languages.
_MAX_STAMP_LINE = 160
# A byline is the head of the article: among its first three non-empty lines.
_BYLINE_LINES = 3
_MAX_BYLINE = 140


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A body with its debris taken out, and what the debris said."""

    text: str
    captions: tuple[str, ...] = ()
    credits: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    published: str | None = None
    updated: str | None = None
    published_tz: str | None = None  # a zone name when the text gives one, "unknown" for a bare time
    signoff: str | None = None
    removed: tuple[str, ...] = ()  # what was taken out, in order: caption, credit, timestamp, byline, signoff
    date_order: DateOrder | None = None
    applied: bool = True  # False: ``text`` is the input unchanged and ``removed`` lists what was only found
    body: str = ""  # the text without its debris, whether or not it was applied (a title is guessed from it)

    def metadata(self) -> dict[str, Any]:
        """The ``ArticleInput.metadata`` entries this cleaning contributes."""
        out: dict[str, Any] = {}
        if self.removed:
            out["cleaned" if self.applied else "debris"] = list(self.removed)
        if self.credits:
            out["credits"] = list(self.credits)
        if self.signoff:
            out["signoff"] = self.signoff
        if self.published_tz:
            out["published_tz"] = self.published_tz
        if self.date_order:
            out["date_order"] = self.date_order.order
            out["date_order_reason"] = self.date_order.reason
        return out


# --------------------------------------------------------------------------------------------------------
# credits and captions


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _debris() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(tables.text("readers_debris.json"))
    return data


_SENTENCE_END = ".!?…\"”’»)]"


@cache
def _marker_credit() -> re.Pattern[str]:
    markers = _alternation(_debris()["credit_markers"])
    who = r"(?P<who>[^:()\[\]\n]{1,%d}?)" % _MAX_CREDIT  # noqa: UP031 - a regex's braces
    return re.compile(r"(?P<open>[(\[]\s*)?\b(?P<marker>" + markers + r")\s?:\s*" + who
                      + r"\s*(?P<close>[)\]])?\s*$", re.I)


@cache
def _agency_credit() -> re.Pattern[str]:
    agencies = _alternation(_debris()["credit_agencies"])
    # "AFP via Getty Images", "Jane Roe/Getty Images", "Keystone/Jane Roe", "Getty Images for X"
    return re.compile(
        r"(?:[\w'’. -]{1,40}?\s*(?:/|\bvia\b|\bfor\b)\s*)?(?:" + agencies
        + r")(?:\s*(?:/|\bfor\b)\s*[\w'’. -]{1,40})?", re.I)


# A sentence break inside a credit ("fire. Officials") means it is prose; "J. Doe" is not a break.
_SENTENCE_BREAK = re.compile(r"[a-z]{2}[.!?]\s+\S")


def _credit_ok(who: str) -> bool:
    who = who.strip()
    return (bool(who) and len(who.split()) <= _MAX_CREDIT_WORDS and not _SENTENCE_BREAK.search(who)
            and who[-1] not in ",;:")


def split_credit(line: str) -> tuple[str, str] | None:
    """``(caption, credit)`` when ``line`` ends in a photo credit; the caption may be empty."""
    body = line.rstrip()
    for m in _marker_credit().finditer(body):
        start = m.start()
        marker = m["marker"]
        if not marker[0].isupper() or not _credit_ok(m["who"]):
            continue  # "the final image: a burning car" is prose; credits write the marker capitalised
        if bool(m["open"]) != bool(m["close"]):
            continue
        before = body[:start]
        # Run in after a sentence ("defiant.Image:"), after a space, or alone on its line.
        if before and not (before[-1].isspace() or before[-1] in _SENTENCE_END):
            continue
        return before.rstrip(), body[start:].strip().strip("()[]").strip()
    # Without a marker only a picture agency counts, alone or right after a sentence end; try the last
    # sentence end first so "AP Photo/J. Doe" is not cut at "J.".
    tail = max(0, len(body) - _MAX_CREDIT - 2)  # a credit is short: look only at the line's end
    ends = [i + 1 for i in range(tail, len(body)) if body[i] in _SENTENCE_END]
    for start in [*reversed(ends), *([0] if tail == 0 else [])]:
        who = body[start:].strip()
        if who and _agency_credit().fullmatch(who) and _credit_ok(who):
            return body[:start].rstrip(), who
    return None


# --------------------------------------------------------------------------------------------------------
# timestamp lines


@dataclass(slots=True)
class Stamp:
    """One date (and time) found on a timestamp line."""

    day: date | None
    time: tuple[int, int, int | None] | None
    zone: str | None
    role: str | None  # "published", "updated" or None (position decides)


@cache
def _stamp_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    cal = json.loads(tables.text("readers_calendar.json"))
    months = _alternation([a for names in cal["months"].values() for m in names for a in m])
    iso = r"(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})"
    named = (r"(?P<nd1>\d{1,2})(?:\.|st|nd|rd|th)?\s+(?:de\s+)?(?P<nm1>" + months
             + r")\.?,?\s+(?:de\s+)?(?P<ny1>\d{4})"
             + r"|(?P<nm2>" + months + r")\.?\s+(?P<nd2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<ny2>\d{4})")
    date_re = re.compile(r"(?:" + NUMERIC_DATE.pattern + r"\.?|" + iso + r"|" + named + r")", re.I)
    # Case-sensitive: "CET" is a zone, "on" after a time is a word.
    zones = r"(?-i:(?:UTC|GMT)\s*[+-]\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}|[A-Z]{1,5})"
    time_re = re.compile(
        r"(?:T|,?\s*(?:um|at|à|a las|alle|om|-|–|\|)?\s*)?"
        r"(?:(?P<h>\d{1,2})[:h](?P<m>\d{2})(?::(?P<s>\d{2}))?|(?P<h2>\d{1,2})\.(?P<m2>\d{2})(?=\s*Uhr))"
        r"(?:\s*(?P<ampm>[ap]\.?\s?m\.?)(?![a-z]))?(?:\s*(?:Uhr|h)\b)?"
        r"(?:\s*\(?(?P<zone>" + zones + r")\)?(?![\w]))?", re.I)
    debris = _debris()
    words = [*debris["published_labels"], *debris["updated_labels"], *debris["stamp_fillers"]]
    weekdays = [a for names in cal["weekdays"].values() for w in names for a in w if len(a) >= 3]
    label_re = re.compile(r"(?P<label>" + _alternation(words + weekdays) + r")(?![\w])\.?\s*:?", re.I)
    return date_re, time_re, label_re


_SEPARATORS = " \t,;|·•–—-/()[]:"


def _parse_time(m: re.Match[str]) -> tuple[tuple[int, int, int | None], str | None] | None:
    hour = int(m["h"] or m["h2"])
    minute = int(m["m"] or m["m2"])
    second = int(m["s"]) if m["s"] else None
    if m["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m["ampm"].lower().startswith("p") else 0)
    if hour > 23 or minute > 59 or (second is not None and second > 59):
        return None
    zone = m["zone"]
    if zone and tz_offset(zone) is None:
        return None  # an unknown capitalised word after the time: not a timestamp line
    return (hour, minute, second), zone


def _scan_stamps(line: str) -> list[tuple[re.Match[str] | None, re.Match[str] | None, str | None]] | None:
    """The (date, time, role) tokens of a line made only of timestamps and labels, else None."""
    date_re, time_re, label_re = _stamp_patterns()
    debris = _debris()
    published = {w.lower() for w in debris["published_labels"]}
    updated = {w.lower() for w in debris["updated_labels"]}
    tokens: list[tuple[re.Match[str] | None, re.Match[str] | None, str | None]] = []
    role: str | None = None
    i, n = 0, len(line)
    while i < n:
        if line[i] in _SEPARATORS:
            i += 1
            continue
        dm = date_re.match(line, i)
        if dm and dm.end() > i:
            tm = time_re.match(line, dm.end())
            tokens.append((dm, tm, role))
            role = None
            i = tm.end() if tm else dm.end()
            continue
        tm = time_re.match(line, i)
        if tm and tm.end() > i and (tm["h"] or tm["h2"]) and line[i].isdigit():
            tokens.append((None, tm, role))
            role = None
            i = tm.end()
            continue
        lm = label_re.match(line, i)
        if lm:
            word = lm["label"].lower()
            role = "published" if word in published else "updated" if word in updated else role
            i = lm.end()
            continue
        return None
    return tokens if any(d is not None for d, _, _ in tokens) else None


def _day(m: re.Match[str], order: str) -> date | None:
    if m["a"]:
        a, b, year = int(m["a"]), int(m["b"]), int(m["y"])
        return make_date(year, b, a) if m["sep"] == "." or order == "DMY" else make_date(year, a, b)
    if m["iy"]:
        return make_date(int(m["iy"]), int(m["im"]), int(m["id"]))
    month = month_number(m["nm1"] or m["nm2"])
    day, year = int(m["nd1"] or m["nd2"]), int(m["ny1"] or m["ny2"])
    return make_date(year, month, day) if month else None


def find_timestamps(line: str, order: DateOrder) -> list[Stamp] | None:
    """The stamps of a line made only of dates, times and labels (None for any other line)."""
    if len(line.strip()) > _MAX_STAMP_LINE or not line.strip():
        return None
    tokens = _scan_stamps(line.strip())
    if not tokens:
        return None
    stamps: list[Stamp] = []
    waiting: list[Stamp] = []  # times written before their date ("09:05, 14 March 2024")
    last_day: date | None = None
    for dm, tm, role in tokens:
        parsed = _parse_time(tm) if tm else None
        if tm and parsed is None:
            return None
        stamp = Stamp(None, parsed[0] if parsed else None, parsed[1] if parsed else None, role)
        if dm is None:
            stamp.day = last_day
            (stamps if last_day else waiting).append(stamp)
            continue
        stamp.day = last_day = _day(dm, order.order)
        if stamp.day is None:
            return None  # 31/02/2024: not a date, so not a timestamp line
        for early in waiting:
            early.day = stamp.day
        if waiting and stamp.time is None:
            stamps += waiting  # the date completes the times before it
        else:
            stamps += [*waiting, stamp]
        waiting = []
    return stamps if not waiting else None


def _iso(stamp: Stamp) -> str:
    assert stamp.day is not None
    return iso_datetime(stamp.day, stamp.time, tz_offset(stamp.zone) if stamp.zone else None)


def _assign(stamps: list[Stamp]) -> tuple[Stamp | None, Stamp | None]:
    published = next((s for s in stamps if s.role == "published"), None)
    updated = next((s for s in stamps if s.role == "updated"), None)
    free = [s for s in stamps if s.role is None]
    if published is None and free:
        published = free.pop(0)
    if updated is None and free:
        updated = free.pop(0)
        # Unlabelled, the earlier one is the publication (sites print either order).
        if published is not None and _sort_key(updated) < _sort_key(published):
            published, updated = updated, published
    return published, updated


def _sort_key(s: Stamp) -> tuple[date, tuple[int, int, int]]:
    assert s.day is not None
    hour, minute, second = s.time or (0, 0, 0)
    return s.day, (hour, minute, second or 0)


# --------------------------------------------------------------------------------------------------------
# bylines and sign-offs


@cache
def _byline_re() -> re.Pattern[str]:
    prefixes = _alternation(_debris()["byline_prefixes"])
    return re.compile(r"^(?:" + prefixes + r")\s*:?\s+(?P<rest>.+?)\s*$", re.I)


@cache
def _joiner_re() -> re.Pattern[str]:
    words = [w for w in _debris()["name_joiners"] if w.isalpha()]
    return re.compile(r"\s*(?:[,;&|]|\s[–—-]\s|\b(?:" + _alternation(words) + r")\b)\s*")


_NAME_TOKEN = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'’.-]*$")


def _is_name(part: str) -> bool:
    tokens = part.split()
    particles = set(_debris()["name_particles"])
    return (2 <= len(tokens) <= 5 and not any(ch.isdigit() for ch in part)
            and all(_NAME_TOKEN.match(t) or t.lower() in particles for t in tokens)
            and bool(_NAME_TOKEN.match(tokens[0])) and bool(_NAME_TOKEN.match(tokens[-1])))


def find_byline(line: str) -> tuple[str, ...] | None:
    """The author names of a byline line ("By Jane Doe and John Roe, Reuters"), else None."""
    line = line.strip()
    if len(line) > _MAX_BYLINE or line[-1:] in ".!?":
        return None
    m = _byline_re().match(line)
    if not m or not line[0].isupper():
        return None
    parts = [p.strip() for p in _joiner_re().split(m["rest"]) if p.strip()]
    names: list[str] = []
    for i, part in enumerate(parts):
        if _is_name(part):
            if len(names) < i:
                return None  # a name after a non-name part: prose, not a byline
            names.append(part)
        elif not names or len(part.split()) > 4:
            return None
    # What follows the names is an organisation or role ("Reuters", "Political correspondent"): at most 2.
    return tuple(names) if names and len(parts) - len(names) <= 2 else None


@cache
def _signoff_re() -> re.Pattern[str]:
    prefixes = _alternation(_debris()["signoff_prefixes"])
    tag = r"[A-Za-zÀ-ÿ]{1,12}\.?(?:\s*[/,;]\s*[A-Za-zÀ-ÿ]{1,12}\.?){0,3}"
    return re.compile(r"(?P<lead>^|(?<=[" + re.escape(_SENTENCE_END) + r"]))(?P<space>\s*)\((?P<tag>" + tag
                      + r"|(?:" + prefixes + r")\b[^()\n]{1,200})\)\s*$")


def split_signoff(text: str) -> tuple[str, str] | None:
    """``(text without it, sign-off)`` when ``text`` ends in a bracketed tag like "(con)" or "(sda/afp)"."""
    m = _signoff_re().search(text)
    if not m:
        return None
    return text[: m.start("space")], m["tag"].strip()


# --------------------------------------------------------------------------------------------------------


def _content(line: str) -> str:
    return line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def clean_text(text: str, *, url: str | None = None, language: str | None = None,
               remove: bool = True) -> Cleaned:
    """Take debris out of ``text`` (see the module docstring); with ``remove=False`` only report it.

    The date order (day- or month-first) for numeric dates is decided once for the whole text, from the
    text's own evidence, the URL and the language (see :mod:`eventwire.readers.dates`).
    """
    order = infer_date_order(text, url=url, language=language)
    lines = text.splitlines(keepends=True)
    drop: set[int] = set()
    removed: list[str] = []
    captions: list[str] = []
    credits: list[str] = []
    stamps: list[Stamp] = []
    for i, line in enumerate(lines):
        content = _content(line)
        if not content.strip():
            continue
        found = find_timestamps(content, order)
        if found is not None:
            drop.add(i)
            removed.append("timestamp")
            if not stamps:
                stamps = found
            continue
        split = split_credit(content)
        if split is not None and len(split[0]) <= _MAX_CAPTION:
            caption, credit = split
            drop.add(i)
            credits.append(credit)
            if caption.strip():
                captions.append(caption.strip())
                removed.append("caption")
            else:
                removed.append("credit")
    authors: tuple[str, ...] = ()
    head = [i for i, line in enumerate(lines) if i not in drop and _content(line).strip()][:_BYLINE_LINES]
    for i in head:
        names = find_byline(_content(lines[i]))
        if names:
            authors = names
            drop.add(i)
            removed.append("byline")
            break
    body = "".join(line for i, line in enumerate(lines) if i not in drop).strip()
    signoff = None
    split_end = split_signoff(body)
    if split_end is not None:
        body, signoff = split_end[0].rstrip(), split_end[1]
        removed.append("signoff")
    published, updated = _assign(stamps)
    timed = published if published is not None and published.time is not None else None
    return Cleaned(
        text=body if remove else text,
        captions=tuple(captions),
        credits=tuple(credits),
        authors=authors,
        published=_iso(published) if published else None,
        updated=_iso(updated) if updated else None,
        published_tz=(timed.zone or "unknown") if timed else None,
        signoff=signoff,
        removed=tuple(removed),
        date_order=order,
        applied=remove,
        body=body,
    )
