"""Consistency inside one article: what contradicts the rest of it, flagged with its span.

Read from an analysed :class:`Article` only (entities, their mentions, sentences); nothing here runs a model.

``role-conflict``: an office written before a person's name with the country it belongs to ("US President
Nicolás Maduro", "Venezuelan dictator Nicolás Maduro"). A person given head roles of two countries, or a
unique office of one country given to two persons, is a contradiction; the flagged one is the title whose
country the rest of the article ties least to that person: for each person and country, the sentences
mentioning both (the titles themselves left out) plus the unnamed titles ("the US president") resolved to that
person, less the same count for the person the article ties most to that country. In the seed article "the US
president" follows "Donald Trump ... Venezuelan dictator Nicolás Maduro" and resolves to Trump: Maduro's US
tie (2) does not beat Trump's (2) while his Venezuelan one (2) beats Trump's (1), so "US President Nicolás
Maduro" is the slip and "Venezuelan dictator" stands.

``date-dateline``: an event the article tells as done (asserted, reported or alleged: not planned,
conditional, denied or speculated) on a day its text gives in full (day, month and year) that falls after the
day the article was written.  A date without its year is left alone: the year is the normaliser's guess (in
the 246 stories-news and stories-ecb dev articles the only two such flags were "fired on June 8" of the year
before and a deadline "by July 26"; with full dates only, none fire there).  The day written is the
dateline's: a full date (not worked out from the publication time) at the head of one of the article's first
lines, nearly alone on its line ("Tuesday, May 24, 2005") or followed by an outlet or a dash ("Nov. 9, 2016
(Reuters) -"); without one, the publication date.  ``dateline_slack_days`` (1) lets an evening dateline meet a
report of the night after it in another time zone.  The flag's span is the event's date in the text; its
evidence the dateline (when the text has one) and the event's trigger.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

from ..model import Article, CharSpan, Entity, Factuality, Flag
from ..nlp import tables

__all__ = ["FlagOptions", "article_flags", "dateline", "role_titles"]


@dataclass(frozen=True)
class FlagOptions:
    """Thresholds of the consistency flags (module docstring: why each)."""

    dateline_slack_days: int = 1
    dateline_lines: int = 3  # the dateline is on one of the article's first lines (0-based line index <= 3)
    dateline_offset: int = 60  # ... and starts at most this many characters into its line
    # a line holding the date and at most this many other characters is a dateline by itself: "Updated: May
    # 16, 2005, 6: 03 PM ET" has 23; "The mayor will visit the harbour on March 10, 2026." (a sentence) 37
    dateline_other_chars: int = 25


# after the date: "(Reuters) -", " - ", " -- ", an em dash, a colon: what ends a dateline
_DATELINE_END = re.compile(r"[ \t]*(?:\([^()\n]{1,40}\)[ \t]*)?(?:[-\u2013\u2014:]|$)", re.MULTILINE)
# told as done: what an analyst would count as having happened by the time the article was written
_DONE = frozenset({Factuality.ASSERTED, Factuality.REPORTED, Factuality.ALLEGED})


@dataclass(frozen=True)
class RoleTitle:
    """"<country> <office> <person>": who the article says holds which office of which country."""

    span: CharSpan  # from the country word to the end of the name
    country: str  # ISO3
    office: str
    person: str  # Entity.id
    sentence: int
    named: bool = True  # False: "the US president", the person resolved from the names before it


@cache
def _offices() -> tuple[frozenset[str], frozenset[str], re.Pattern[str]]:
    table = json.loads(tables.text("flag_roles.json"))
    head, unique = frozenset(table["head"]), frozenset(table["unique"])
    words = sorted(head | unique, key=lambda w: -len(w))
    pattern = re.compile(r"[ \t]+(?:former[ \t]+)?(" + "|".join(re.escape(w).replace(r"\ ", r"[ \t]+")
                                                           for w in words) + r")[ \t]+", re.IGNORECASE)
    return head, unique, pattern


def _sentence_of(article: Article, offset: int) -> int:
    for i, s in enumerate(article.sentences):
        if s.span.start <= offset < s.span.end:
            return i
    return -1


def role_titles(article: Article) -> list[RoleTitle]:
    """Every "<country> <office> <person name>" of the article."""
    _, _, pattern = _offices()
    person_at = {m.span.start: (e, m.span) for e in article.entities if e.type == "PERSON"
                 for m in e.mentions if m.kind == "name"}
    out: list[RoleTitle] = []
    unnamed: list[tuple[int, int, str, str]] = []
    for entity in article.entities:
        if entity.type not in ("GPE", "NORP") or not entity.country:
            continue
        for mention in entity.mentions:
            m = pattern.match(article.text, mention.span.end)
            if m is None:
                continue
            office = " ".join(m.group(1).lower().split())
            if m.end() in person_at:
                person, name = person_at[m.end()]
                out.append(RoleTitle(span=CharSpan.of(article.text, mention.span.start, name.end),
                                     country=entity.country, office=office, person=person.id,
                                     sentence=_sentence_of(article, mention.span.start)))
            else:
                unnamed.append((mention.span.start, m.end(1), entity.country, office))
    # "the US president" with no name: the person named last before it, unless the article has just given
    # that person a title of another country ("... Venezuelan dictator Nicolás Maduro. ... the US president")
    names = sorted((span.start, e.id) for e, span in person_at.values())
    for start, end, country, office in unnamed:
        for _, person_id in reversed([n for n in names if n[0] < start]):
            if any(t.person == person_id and t.country != country and t.span.start < start for t in out):
                continue
            out.append(RoleTitle(span=CharSpan.of(article.text, start, end), country=country, office=office,
                                 person=person_id, sentence=_sentence_of(article, start), named=False))
            break
    return sorted(out, key=lambda t: t.span.start)


def _ties(article: Article, titles: list[RoleTitle]) -> Counter[tuple[str, str]]:
    """(person id, country) -> sentences naming both, the title spans themselves left out."""
    inside = [(t.span.start, t.span.end) for t in titles]

    def free(span: CharSpan) -> bool:
        return not any(s <= span.start and span.end <= e for s, e in inside)

    persons: dict[int, set[str]] = {}
    countries: dict[int, set[str]] = {}
    for e in article.entities:
        for m in e.mentions:
            if not free(m.span):
                continue
            sentence = _sentence_of(article, m.span.start)
            if e.type == "PERSON":
                persons.setdefault(sentence, set()).add(e.id)
            elif e.type in ("GPE", "NORP") and e.country:
                countries.setdefault(sentence, set()).add(e.country)
    ties: Counter[tuple[str, str]] = Counter((t.person, t.country) for t in titles if not t.named)
    for sentence, who in persons.items():
        for person in who:
            for country in countries.get(sentence, ()):
                ties[(person, country)] += 1
    return ties


def _name(article: Article, entity_id: str) -> str:
    entity: Entity | None = article.entity(entity_id)
    return entity.name if entity is not None else entity_id


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


def dateline(article: Article, options: FlagOptions | None = None) -> tuple[date, CharSpan | None] | None:
    """The day the article was written: its dateline's full date and span, else its publication day."""
    opts = options or FlagOptions()
    text = article.text
    for t in sorted(article.times, key=lambda t: t.span.start):
        line_start = text.rfind("\n", 0, t.span.start) + 1
        if text.count("\n", 0, line_start) > opts.dateline_lines:
            break
        day = _day(t.value)
        if (t.precision != "day" or t.anchored or day is None
                or t.span.start - line_start > opts.dateline_offset):
            continue
        line_end = text.find("\n", t.span.end)
        line_end = len(text) if line_end < 0 else line_end
        others = line_end - line_start - len(t.span.text)
        if others <= opts.dateline_other_chars or _DATELINE_END.match(text, t.span.end):
            return day, t.span
    published = _day(article.published or "")
    return (published, None) if published is not None else None


def _dateline_flags(article: Article, options: FlagOptions) -> Iterator[Flag]:
    found = dateline(article, options)
    if found is None:
        return
    written, where = found
    times = {t.id: t for t in article.times}
    flagged: set[CharSpan] = set()
    for event in article.events:
        when = event.date
        if when is None or when.source != "text" or when.precision != "day" or event.factuality not in _DONE:
            continue
        time = times.get(when.time or "")
        day = _day(when.value)
        # a year the normaliser chose (anchored: "June 8" in an article of May) is its guess, not the text's
        if time is None or time.anchored or day is None or time.span == where or time.span in flagged:
            continue
        if (day - written).days <= options.dateline_slack_days:
            continue
        flagged.add(time.span)
        said = f"the dateline ({where.text})" if where is not None else f"publication ({written.isoformat()})"
        yield Flag(article_id=article.id, kind="date-dateline", span=time.span,
                   message=f"'{event.trigger.text}' is told as done on {day.isoformat()} ({time.span.text}), "
                           f"{(day - written).days} days after {said}",
                   evidence=tuple(s for s in (where, event.trigger) if s is not None))


def article_flags(article: Article, options: FlagOptions | None = None) -> Iterator[Flag]:
    """The consistency flags of one article."""
    yield from _role_flags(article)
    yield from _dateline_flags(article, options or FlagOptions())


def _role_flags(article: Article) -> Iterator[Flag]:
    head, unique, _ = _offices()
    titles = role_titles(article)
    if len(titles) < 2:
        return
    ties = _ties(article, titles)
    people = {e.id for e in article.entities if e.type == "PERSON"}

    def support(t: RoleTitle) -> int:
        rival = max((ties[(p, t.country)] for p in people if p != t.person), default=0)
        return ties[(t.person, t.country)] - rival

    flagged: set[CharSpan] = set()
    for i, a in enumerate(titles):
        for b in titles[i + 1:]:
            two_countries = (a.person == b.person and a.country != b.country
                             and a.office in head and b.office in head)
            two_holders = (a.person != b.person and a.country == b.country and a.office == b.office
                           and a.office in unique)
            if not (two_countries or two_holders):
                continue
            weak, strong = (a, b) if support(a) < support(b) else (b, a)
            if support(weak) == support(strong) or weak.span in flagged or not weak.named:
                continue
            flagged.add(weak.span)
            holder = max(people - {weak.person}, key=lambda p: ties[(p, weak.country)], default=None)
            if two_countries:
                message = (f"{_name(article, weak.person)} is called {weak.office} of {weak.country} here, "
                           f"but {strong.office} of {strong.country} elsewhere")
            else:
                message = (f"{weak.office} of {weak.country} is given to {_name(article, weak.person)} here "
                           f"and to {_name(article, strong.person)} elsewhere")
            if holder is not None and ties[(holder, weak.country)] > 0:
                message += f"; the article ties {_name(article, holder)} to {weak.country}"
            yield Flag(article_id=article.id, kind="role-conflict", span=weak.span, message=message,
                       evidence=(strong.span, *(t.span for t in titles if t.person == holder
                                                and t.country == weak.country)))
