"""spaCy component "eventwire_times": find time expressions, normalise them, write ``doc._.ew_times``.

Candidates come from two places: spaCy's DATE/TIME entities, and our own patterns over the text (built
from the timex vocabulary) for what the small model misses or mis-bounds ("now", "currently", "daily",
"Monday night", "10 p.m. Wednesday", "the past 24 hours").  A candidate survives only when
:func:`eventwire.nlp.times.timex.normalize` understands all of it; overlapping survivors keep the longest.
The clause tense (from the governing verb and its auxiliaries) tells the normaliser which Saturday or which
October is meant.

Cost: a dozen precompiled regex scans over the text plus a few dictionary look-ups per candidate; the
normaliser is cached.  On en_core_web_sm this is ~1% of the pipeline's time per article.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from eventwire.model import CharSpan, TimeExpr
from eventwire.nlp.docindex import index_of
from eventwire.nlp.extensions import register_extensions
from eventwire.nlp.times import timex
from eventwire.nlp.times.prefixes import match_prefixes

__all__ = ["TimesComponent", "clause_tense", "find_candidates", "make_times"]

_V = timex.vocabulary()


def _alt(words: Iterable[str]) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def _cap(words: Iterable[str]) -> str:
    """Proper nouns (months, weekdays): Capitalised or UPPER case only, so "march" the verb is not one."""
    forms = {f for w in words for f in (w.capitalize(), w.upper())}
    return "(?-i:" + _alt(forms) + ")"


_ABBR_DOT = set(_V["weekdays_abbreviations_need_dot"])
_MONTH_FULL = [max((k for k, v in _V["months"].items() if v == n), key=len) for n in range(1, 13)]
_MONTH_ABBR = [m for m in _V["months"] if m not in _MONTH_FULL]
MON = rf"(?:{_cap(_MONTH_FULL)}|{_cap(_MONTH_ABBR)}\.?)"
MONFULL = _cap(_MONTH_FULL)  # a month without a day or year is written out: "Jan" alone is a name
WD = rf"(?:{_cap([w for w in _V['weekdays'] if w not in _ABBR_DOT])}|{_cap(_ABBR_DOT)}\.)"
WDS = rf"(?:{_cap([w for w in _V['weekdays'] if w not in _ABBR_DOT])})s?"
NUMWORD = _alt([*_V["numbers"], *_V["scales"]])
NUM = (rf"(?:\d+(?:[.,]\d+)?(?:\s+1/2)?|(?:{NUMWORD})(?:[\s-]+(?:{NUMWORD}|and(?=\s+(?:{NUMWORD}))))*"
       rf"|{_alt([*_V['fuzzy_counts'], *_V['exact_counts']])}|an?)")
UNIT = "(?:" + _alt(_V["units"]) + ")"
QUAL = "(?:" + _alt(_V["unit_qualifiers"]) + ")"
PART = "(?:" + _alt(_V["parts_of_day"]) + ")"
SEASON = "(?:" + _alt(_V["seasons"]) + ")"
ORD = "(?:" + _alt(_V["ordinals"]) + ")"
REL = "(?:" + _alt(r for r in _V["relatives"] if not r.startswith("the year") and "comparable" not in r) + ")"
MODS = "(?:" + _alt(_V["modifiers"]) + ")"
# "over the past week": there "over" is not "more than", and not part of the expression.
APPROX = "(?:(?:" + _alt(_V["approximators"]) + r")(?!\s+the\b))"
DAYNUM = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?:1[6-9]\d\d|20\d\d|'\d\d)(?!\d)"
CLOCK = (r"(?:(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s?(?:[ap]\.\s?m\.?|[ap]m\b)"
         r"|(?:[01]?\d|2[0-3]):[0-5]\d(?::\d\d)?|(?:[01]?\d)\s+o'?clock|noon|midnight)"
         r"(?:\s+(?-i:[A-Z]{1,2}[SD]T|GMT|UTC))?")
RELDAY = "(?:" + _alt(_V["relative_days"]) + ")"

_B = r"(?<![\w'-])"  # left word boundary that also refuses "-year" inside "55-year-old"
_E = r"(?![\w-])"


def _title_words(name: str) -> str:
    return " ".join(w if w in ("of", "the", "eve") and i else w[:1].upper() + w[1:]
                    for i, w in enumerate(name.split()))


HOLIDAY = "(?-i:" + _alt({f for n in timex.HOLIDAY_NAMES for f in (_title_words(n), n.upper())}) + ")"

_PATTERNS: tuple[str, ...] = (
    # explicit dates: "Monday, Dec. 1, 2025", "1 December 2025", "December 2025", with an optional clock time
    rf"(?:{WD},?\s+)?(?:the\s+)?(?:{MON}\s*{DAYNUM}|{DAYNUM}(?:\s+of)?\s+{MON})(?:,?\s+{YEAR})?(?:,?\s+{WD})?"
    rf"(?:,?\s+(?:at\s+)?{CLOCK})?",
    rf"(?:{MODS}[\s-]+)?(?:(?:{REL})\s+)?{MON},?\s+(?:of\s+)?{YEAR}",
    r"\d{4}-[01]\d-[0-3]\d(?:T[0-2]\d:[0-5]\d(?::[0-5]\d)?)?",
    # numeric dates either way round: "25/12/2025" is day-first (the normaliser reads them in the article's
    # own order)
    r"[0-3]?\d/[0-3]?\d/(?:\d{4}|\d{2})",
    # months and seasons, with what modifies them: "late November", "last fall", "the summer of 1998"
    rf"(?:{MODS}[\s-]+)?(?:(?:{REL})\s+)?(?:the\s+)?(?:{MONFULL}|{SEASON})(?:\s+of\s+{YEAR})?",
    # days: "last Friday", "Monday night", "early yesterday", "this morning", "Christmas Eve"
    rf"(?:{MODS}[\s-]+)?(?:{PART}\s+)?(?:(?:{REL})\s+)?(?:{WDS}|{RELDAY}|{HOLIDAY})(?:\s+{PART})?",
    rf"(?:{MODS}\s+)?(?:this|last|tomorrow|yesterday)\s+{PART}",
    # clock times, with their day: "10 p.m. Wednesday", "Wednesday at 10 p.m.", "06:15"
    rf"(?:{APPROX}\s+)?{CLOCK}(?:,?\s+(?:on\s+)?(?:{WD}|{RELDAY}|{MON}\s*{DAYNUM}))?",
    rf"(?:{WD}|{RELDAY}),?\s+(?:at\s+|around\s+|about\s+)?{CLOCK}",
    # quarters, halves, years, decades, centuries
    rf"(?:the\s+)?(?:{YEAR}\s+|(?:this|last|next)\s+year(?:'s)?\s+|fiscal[\s-]+)?{ORD}[\s-]+(?:fiscal\s+)?"
    rf"(?:quarter|half)(?:\s+of\s+(?:fiscal\s+)?{YEAR}|,?\s+{YEAR})?",
    rf"(?:{MODS}[\s-]+)?(?:the\s+)?(?:(?:fiscal|calendar|model)(?:\s+year)?\s+)?(?:1[6-9]\d\d|20\d\d)(?!\d)"
    rf"(?:'?s)?",
    rf"(?:{MODS}[\s-]+)?(?:the\s+)?(?:'\d0s|\d0s|{_alt(_V['decade_words'])})",
    rf"(?:the\s+)?(?:{ORD}|\d{{1,2}}(?:st|nd|rd|th))[\s-]+century",
    # "this week", "last year's", "the latest quarter", "over the weekend", "the year-ago period"
    rf"(?:{MODS}\s+)?(?:{REL}|the)\s+(?:(?:fiscal|calendar)\s+)?(?:week|weekend|month|quarter|year|decade|century"
    rf"|period)",
    r"(?:the\s+)?(?:same|comparable|year[\s-]ago|year[\s-]earlier)(?:\s+third|\s+second|\s+first|\s+fourth)?\s+"
    r"(?:quarter|period)(?:\s+(?:last\s+year|a\s+year\s+(?:ago|earlier)))?",
    # amounts of time, and points so far from now: "the past 24 hours", "two-year", "three days ago"
    rf"(?:{APPROX}\s+)?(?:(?:the|another|an\s+additional|(?:the\s+)?(?:past|last|next|first|coming|following"
    rf"|previous|final|remaining|initial|latest|other))\s+)*{NUM}(?:\s*(?:to|or|-|and)\s*{NUM})?"
    rf"(?:[\s-]+{QUAL})*[\s-]+{UNIT}(?:\s+and\s+a\s+half)?(?:\s+or\s+so)?"
    rf"(?:\s+(?:{_alt(_V['deictic_ago_words'])}|(?:{_alt(_V['ago_words'])})(?=\s*[,.;:)]|\s*$)))?",
    rf"(?:{APPROX}\s+)?(?:half\s+an?|a\s+half)\s+{UNIT}",
    _alt(_V["anaphoric_offsets"]),
    # vague and frequency words
    _alt(_V["finder_vague"]),
    _alt(_V["finder_sets"]),
    rf"(?:every|each|per)\s+(?:other\s+)?(?:{NUM}\s+)?(?:{UNIT}|{WD}|{MON}|{PART}|{SEASON})",
    rf"(?:once|twice|{NUM}\s+times)\s+(?:a|an|per|every)\s+{UNIT}",
)
_RES = tuple(re.compile(_B + "(?:" + p + ")" + _E, re.IGNORECASE) for p in _PATTERNS)

_AGE_AFTER = re.compile(r"^(?:-|\s)(?:years?[\s-])?old\b|^\s+of\s+age\b", re.IGNORECASE)
_AGE_BEFORE = re.compile(r"\baged?\s+$", re.IGNORECASE)
_POSSESSIVE_BEFORE = re.compile(r"\b(?:his|her|their|my|your|our)\s+$", re.IGNORECASE)
_YEAR_ONLY = re.compile(r"^(?:1[6-9]\d\d|20\d\d)$")
# A bare 4-digit number is a year after these words ("in 1997", "its 1990 invasion", "1994, 1995 and 1997").
_YEAR_CONTEXT = re.compile(r"\b(?:in|since|by|until|till|from|before|after|of|during|through|fiscal|year"
                           r"|early|late|mid|to|and|or|between|circa|spring|summer|autumn|fall|winter|as|the|its"
                           r"|his|her|their|our|both|a|an|for|around|about|than|('s))\s+$"
                           r"|(?:1[6-9]\d\d|20\d\d),\s+$|-$|^$",
                           re.IGNORECASE)
_PERCENT_AFTER = re.compile(r"^\s*(?:%|percent)")
_MONEY_BEFORE = re.compile(r"[$#€£¥]\s*$|\bNo\.\s*$")
_AMBIGUOUS_MONTH = re.compile(r"^(?:May|March|MAY|MARCH)$")
_MONTH_CONTEXT = re.compile(r"\b(?:in|since|by|until|till|from|before|after|of|during|through|early|late|mid"
                            r"|last|next|this|past|coming|to|and|or|between|on)\s+$", re.IGNORECASE)
_TRIM_TAIL = re.compile(r"(?:'s|’s|')$")
_QUARTER_OF = re.compile(r"^\s+of\b", re.IGNORECASE)
_PER_UNIT = re.compile(rf"^an?\s+({UNIT})$", re.IGNORECASE)
_SET_WORDS = frozenset(_V["sets"])
_FINDER_SETS = frozenset(_V["finder_sets"])
# "fall" and "spring" are also a drop and a source: a bare season needs a time word before it.
_SEASON_WORD = re.compile(rf"^(?:the\s+)?{SEASON}$", re.IGNORECASE)
_SEASON_CONTEXT = re.compile(r"\b(?:in|during|by|until|through|over|since|this|last|next|early|late|past"
                             r"|coming|before|after|the)\s+$", re.IGNORECASE)
_SECOND = re.compile(r"^(?:an?|one|the|1|per|every|each)\s+seconds?$|^seconds?$", re.IGNORECASE)
_BARE_PLURAL = re.compile(rf"^{UNIT}$", re.IGNORECASE)
_BARE_PLURAL_CONTEXT = re.compile(r"\b(?:for|within|in|over|after|took|take|takes|lasted|last|lasts|of)\s+$",
                                  re.IGNORECASE)
_DATELINE = re.compile(
    rf"(?m)^[^\n]{{0,60}}?(?:(?P<m>{MON})\s+(?P<d>[0-3]?\d),?\s+(?P<y>\d{{4}})|(?P<d2>[0-3]?\d)\s+(?P<m2>{MON})"
    rf"\s+(?P<y2>\d{{4}})|(?P<iso>\d{{4}}-[01]\d-[0-3]\d))")
_FUTURE_AUX = frozenset(_V["future_auxiliaries"])
_MODAL_FUTURE = frozenset(_V["modal_future"])
_FUTURE_GOVERNORS = frozenset(_V["future_governors"])
_TIME_LABELS = frozenset({"DATE", "TIME"})


@dataclass(frozen=True, slots=True)
class _Cand:
    start: int
    end: int
    from_ent: bool


# Where a match can begin: a digit, or a word that starts some phrase of the vocabulary or a pattern above.
# Trying the 22 alternation-heavy patterns only at words that can begin a match, instead of scanning every
# character, cuts the finder's cost ~5x (whole-text scans were ~4 us/char, 7% of en_core_web_sm's time).
_PATTERN_WORDS = ("the a an another this last next past first coming following previous final remaining "
                  "initial latest other tomorrow yesterday fiscal calendar model same comparable year half "
                  "every each per once twice noon midnight")
_FIRST_WORDS = frozenset(
    re.split(r"[\s-]+", phrase.lower().strip())[0]
    for table in ("months", "weekdays", "numbers", "scales", "units", "parts_of_day", "seasons",
                  "relative_days", "decade_words", "sets", "clock_words", "finder_sets", "finder_vague",
                  "modifiers", "relatives", "approximators", "anaphoric_offsets", "fuzzy_counts",
                  "exact_counts", "ordinals")
    for phrase in _V[table]
) | frozenset(h.split()[0] for h in timex.HOLIDAY_NAMES) | frozenset(
    _PATTERN_WORDS.split())
# A match can only begin where _B allows it: at the start of a word, a number or "'90s".
_LEAD = re.compile(r"(?<![\w'-])(?:'?(\d)|([A-Za-z]+))")


def _starts(text: str) -> list[int]:
    """Character offsets where a time expression may begin (regex-found words, no spaCy tokens: cheaper)."""
    out: list[int] = []
    for m in _LEAD.finditer(text):
        word = m.group(2)
        if word is None:
            out.append(m.start())
            continue
        key = word.lower()
        if key in _FIRST_WORDS or (key.endswith("s") and key[:-1] in _FIRST_WORDS):
            out.append(m.start())
    return out


# How each pattern's matches can begin (``prefixes``, three characters): at a word, only the patterns its
# first three characters allow are tried.  Per 731-word article ~4,400 tries became ~1,550 and the
# finder's regex time went from ~2.4 to ~1.7 ms, with the same matches in the same order.
_PREFIX_LEN = 3
_PREFIXES = tuple(match_prefixes(rx, _PREFIX_LEN) for rx in _RES)
# each pattern's prefixes with their lengths: "does key begin with one" is a look-up per length
_PREFIX_TESTS = tuple((p, tuple(sorted({len(x) for x in p}))) if p is not None else None for p in _PREFIXES)
_ALL_PATTERNS = tuple(range(len(_RES)))
_patterns_at: dict[str, tuple[int, ...]] = {}


def _patterns_for(key: str) -> tuple[int, ...]:
    """The patterns that may match where the text begins with ``key`` (lower-case ASCII, <= 3 chars)."""
    found = _patterns_at.get(key)
    if found is None:
        if len(_patterns_at) > 50_000:  # distinct word beginnings: a few thousand in practice
            _patterns_at.clear()
        found = _patterns_at[key] = tuple(
            k for k, test in enumerate(_PREFIX_TESTS)
            if test is None or any(key[:n] in test[0] for n in test[1]))
    return found


def _regex_candidates(text: str) -> Iterator[tuple[int, int]]:
    """Every pattern's matches at every possible start, pattern by pattern, each in text order."""
    found: list[list[tuple[int, int]]] = [[] for _ in _RES]
    for s in _starts(text):
        window = text[s:s + _PREFIX_LEN]
        # beyond ASCII, case folding may match what the prefixes do not list ("ſ" is "s"): try them all
        for k in _patterns_for(window.lower()) if window.isascii() else _ALL_PATTERNS:
            m = _RES[k].match(text, s)
            if m is not None:
                found[k].append((m.start(), m.end()))
    for matches in found:
        yield from matches


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",;:\"(["):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:\")](["):
        end -= 1
    m = _TRIM_TAIL.search(text, start, end)
    if m and m.end() == end and end - start > 3:
        end = m.start()
    if end > start and text[end - 1] == "." and not re.search(
            r"(?:[ap]\.m|\b[A-Z][a-z]{1,3})\.$", text[max(start, end - 6):end]):
        end -= 1
    return start, end


# "11pm ([2130] GMT)": a clock in a time zone, not a year
_ZONE_AFTER = re.compile(r"\s*(?:GMT|UTC|Z)\b")


def _plausible(text: str, start: int, end: int, ents: dict[int, str]) -> bool:
    """Reject look-alikes: ages ("55-year-old"), bare numbers that are not years, "March" the verb."""
    s = text[start:end]
    before = text[max(0, start - 12):start]
    after = text[end:end + 12]
    if _AGE_AFTER.match(after) or (s[:1].isdigit() and _AGE_BEFORE.search(before)):
        return False
    if _POSSESSIVE_BEFORE.search(before) and re.search(r"\d0s$|ties$", s):  # "in his 50s", "her thirties"
        return False
    if len(s) == 4 and s.isdigit() and _ZONE_AFTER.match(after):
        return False
    if _YEAR_ONLY.match(s):
        label = ents.get(start)
        if label is not None:
            return label in _TIME_LABELS
        if _MONEY_BEFORE.search(before) or not _YEAR_CONTEXT.search(before) or _PERCENT_AFTER.match(after):
            return False
    if _AMBIGUOUS_MONTH.match(s) and ents.get(start) not in _TIME_LABELS and not _MONTH_CONTEXT.search(
            before):
        return False
    if re.search(r"quarters?$", s, re.IGNORECASE) and _QUARTER_OF.match(after) and not re.search(
            r"(?i)\b(?:first|second|third|fourth|final|this|last|next|latest|the\s+quarter)\b", s):
        return False
    if _SECOND.match(s):
        return False
    low = s.lower()
    if low in _SET_WORDS and low not in _FINDER_SETS:  # "annual report", "quarterly dividend": adjectives
        return False
    if _SEASON_WORD.match(s) and not _SEASON_CONTEXT.search(before) and not re.search(r"\d$", s):
        return False
    return not (_BARE_PLURAL.match(s) and not _BARE_PLURAL_CONTEXT.search(before))


_NAME_LABELS = frozenset({"ORG", "WORK_OF_ART", "PRODUCT", "FAC"})


def find_candidates(doc: Doc, text: str | None = None) -> list[tuple[int, int, bool]]:
    """Every plausible time-expression span (start, end, from spaCy entity), possibly overlapping.

    ``text`` is ``doc.text`` when the caller has it already (spaCy rebuilds that string on every access).
    """
    text = doc.text if text is None else text
    doc_ents = doc.ents  # a property that walks every token: read it once
    ents = {e.start_char: e.label_ for e in doc_ents}
    # a time word inside a longer name is part of the name: "USA TODAY", "the Today show", "Hotel Sunday"
    # (spaCy's entities never overlap: only the last name starting at or before a candidate can hold it)
    names = [(e.start_char, e.end_char) for e in doc_ents if e.label_ in _NAME_LABELS]
    name_starts = [a for a, _ in names]
    seen: set[tuple[int, int]] = set()
    out: list[tuple[int, int, bool]] = []
    for e in doc_ents:
        if e.label_ in _TIME_LABELS:
            s, t = _trim(text, e.start_char, e.end_char)
            if s < t and (s, t) not in seen and _plausible(text, s, t, ents):
                seen.add((s, t))
                out.append((s, t, True))
    for s0, t0 in _regex_candidates(text):
        s, t = _trim(text, s0, t0)
        k = bisect.bisect_right(name_starts, s) - 1
        if k >= 0 and t <= names[k][1] and names[k] != (s, t):
            continue
        if s < t and (s, t) not in seen and _plausible(text, s, t, ents):
            seen.add((s, t))
            out.append((s, t, False))
    return out


# ----------------------------------------------------------------------------------------------------------
# tense of the clause a time expression sits in


def _is_verb(t: Token) -> bool:
    return t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VB") or t.tag_ == "MD"


def _past_perfect(governor: Token) -> bool:
    """Whether a plan is told in the past perfect ("the truce [had been due] to end Friday", "voting had been
    [scheduled] to close Thursday"): a plan of the past, whose day is behind the report, not ahead of it."""
    clause = governor.head if governor.dep_ in ("acomp", "attr") else governor
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("had", "'d") for c in clause.children)


def _verb_tense(v: Token, depth: int = 0) -> str | None:
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & _FUTURE_AUX:
        return "future"
    if v.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if any(a.lemma_ == "have" for a in auxes):
        return "past"  # present perfect, "may have met": behind us
    if words & _MODAL_FUTURE:
        return "future"
    if v.tag_ in ("VBZ", "VBP"):
        return "present"
    if v.tag_ == "VBG" and any(a.lemma_ == "be" and a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "future"  # "is meeting on Friday": an arrangement
    if v.tag_ == "VBN" and not auxes:
        return "past"  # "talks held on Friday"
    if depth < 3 and v.head is not v:
        head = v.head
        # a purpose clause under a past verb ("[called] Trump [to concede] early on Wednesday", the parser's
        # advcl) happened with it, not after it; a complement ("plans to visit", "urged him to resign") and a
        # purpose still ahead ("is on pace [to complete] it on Monday") look ahead
        purpose_done = v.dep_ == "advcl" and head.tag_ in ("VBD", "VBN")
        ahead = v.dep_ == "xcomp" or ("to" in words and not purpose_done)
        if ahead and head.lemma_.lower() in _FUTURE_GOVERNORS and not _past_perfect(head):
            return "future"
        if _is_verb(head):
            return _verb_tense(head, depth + 1)
        if v.dep_ == "acl" and v.tag_ == "VBG":
            # a participle on a noun has no tense of its own: its noun's verb's ("will follow Brel's speech
            # [denouncing] his plans ... Wednesday morning" is ahead; "arrested protesters [marching] on
            # Friday" behind)
            for governor in head.ancestors:
                if _is_verb(governor):
                    return _verb_tense(governor, depth + 1)
    return None


def clause_tense(span: Span) -> str | None:
    """"past", "present" or "future" of the verb governing ``span``; None in verbless text."""
    t = span.root
    for _ in range(10):
        if _is_verb(t) and t.i not in range(span.start, span.end):
            return _verb_tense(t)
        if t.head is t:
            return None
        t = t.head
    return None


# ----------------------------------------------------------------------------------------------------------
# the component


def _dateline_anchor(text: str) -> str | None:
    """Without a publication date, a full date on one of the first lines (the dateline) is the anchor."""
    m = _DATELINE.search(text[:400])
    if not m or text[:m.start()].count("\n") > 3:
        return None
    if m.group("iso"):
        return m.group("iso")
    mon = m.group("m") or m.group("m2")
    day = int(m.group("d") or m.group("d2"))
    year = int(m.group("y") or m.group("y2"))
    mo = timex.MONTHS.get(mon.lower().rstrip("."))
    if mo is None or not 1 <= day <= 31:
        return None
    return f"{year:04d}-{mo:02d}-{day:02d}"


def _context_expr(doc: Doc, span: Span, text: str) -> str:
    """The words to normalise: the span, plus what the words just before it say about it."""
    prev = doc[span.start - 1] if span.start > 0 else None
    if prev is not None and prev.lower_ == "since":
        return "since " + text
    if prev is not None and _PER_UNIT.match(text) and (
            prev.like_num or prev.tag_ in ("CD", "NNS", "$") or prev.lower_ in ("times", "%", "percent")):
        return "every " + text.split(None, 1)[1]  # "$5 a year", "four flights a week": a frequency
    return text


_QUARTER_VALUE = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR_AGO = re.compile(r"(?i)^(?:a\s+year\s+(?:ago|earlier|before)|(?:the\s+)?year[\s-](?:ago|earlier))$")
_COMPARISON_WORDS = re.compile(r"(?i)\b(?:ago|earlier|prior|previous|last|before)\b")
_YEAR_PERIOD = re.compile(r"(?i)^the\s+(\d{4})\s+(?:period|quarter)$")


def _comparison_periods(text: str, found: list[tuple[int, int, timex.Normalized]]
                        ) -> list[tuple[int, int, timex.Normalized]]:
    """Earnings news compares a quarter with "a year earlier": the same quarter of the year before.

    Once a quarter (2025-Q3) has been named, "a year ago", "year-earlier" and "the 2024 period" mean
    2024-Q3, not the whole of 2024 (in TimeBank-style financial wire copy about 4 in 5 do).
    """
    out: list[tuple[int, int, timex.Normalized]] = []
    quarter: tuple[int, int] | None = None
    for s, e, n in found:
        m = _QUARTER_VALUE.match(n.value)
        if m and not _COMPARISON_WORDS.search(text, s, e):  # "the year-ago quarter" is not the topic
            quarter = (int(m.group(1)), int(m.group(2)))
        elif quarter is not None and n.type == "DATE":
            words = text[s:e]
            y = quarter[0] - 1 if _YEAR_AGO.match(words) else None
            m2 = _YEAR_PERIOD.match(words)
            if m2:
                y = int(m2.group(1))
            if y is not None:
                n = timex.Normalized("DATE", f"{y:04d}-Q{quarter[1]}", "quarter", True, n.mod)
        out.append((s, e, n))
    return out


# A clock time and the day it is on, apart by words the finder does not join: "[around 11pm] local time on
# [Thursday evening]", "[11pm] (2130 GMT) on [Thursday]", "[Thursday], shortly after [11pm]".  Alone, the
# clock is read on the publication day, which is the day after for a report filed after midnight (a
# consulate attack at 11pm on Thursday, published at 01:11 on Friday, was dated Friday).
_CLOCK_TO_DAY = re.compile(r"(?i)\s*(?:local\s+time)?\s*(?:\([^()\n]{0,30}\))?\s*,?\s*(?:on\s+|of\s+)?$")
_DAY_TO_CLOCK = re.compile(r"(?i)\s*,?\s*(?:(?:at|around|about|shortly|just|after|before|until)\s+)*$")
_DAY_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T[A-Z]{2})?$")
_BARE_CLOCK = "XXXX-XX-XXT"
_CLOCK_GAP = 40  # characters between the two: "local time", a bracketed clock in another zone


def _clock_days(text: str, found: list[tuple[int, int, timex.Normalized]]
                ) -> list[tuple[int, int, timex.Normalized]]:
    """A bare clock time next to a day takes that day (see _CLOCK_TO_DAY)."""
    out = list(found)
    for i, (s, e, n) in enumerate(found):
        if n.type != "TIME" or n.precision != "instant":
            continue
        bare = timex.normalize(text[s:e], None)
        if bare is None or not bare.value.startswith(_BARE_CLOCK):
            continue
        day: timex.Normalized | None = None
        for s2, _e2, n2 in found[i + 1:]:
            if s2 > e + _CLOCK_GAP:
                break
            if n2.precision == "day" and _DAY_VALUE.match(n2.value):
                if _CLOCK_TO_DAY.match(text, e, s2):
                    day = n2
                break
        if day is None and i > 0:
            _s0, e0, n0 = found[i - 1]
            if n0.precision == "day" and _DAY_VALUE.match(n0.value) and s - e0 <= _CLOCK_GAP \
                    and _DAY_TO_CLOCK.match(text, e0, s):
                day = n0
        if day is not None:
            out[i] = (s, e, timex.Normalized("TIME", f"{day.value[:10]}T{bare.value[len(_BARE_CLOCK):]}",
                                             "instant", day.anchored, n.mod))
    return out


# "The senator was arrested on [Oct. 23]. [Earlier that day] ...", "[the next morning]", "[the same day]", "in
# 2008 ... [that year]", "[the following month]": counted from the time the text last named, not from
# publication (TimeML reads them so; the normaliser alone anchors them on the publication day).  A time
# named further back than this is another paragraph's.
_ANAPHORA_REACH = 600
_REFERENCE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-W(\d{2}))?(?![\d-])")
_BEFORE_AFTER = re.compile(r"(?i)\b(?:before|after)$")
_NAMED_NEXT = re.compile(timex.COUNTED_FROM_NEXT)
_Ref = tuple[int, int | None, date | None, date | None]


def _reference(n: timex.Normalized) -> _Ref | None:
    """(year, month, day, a day of its week) a named time gives as a reference, as far as it says them; None
    for a duration, a vague or a set expression.  A week names its Thursday's year and month, and no day."""
    if n.type not in ("DATE", "TIME") or n.precision not in ("instant", "day", "week", "month", "year"):
        return None
    m = _REFERENCE.match(n.value)
    if m is None:
        return None
    try:
        if m.group(4):
            thursday = date.fromisocalendar(int(m.group(1)), int(m.group(4)), 4)
            return thursday.year, thursday.month, None, thursday
        year, month = int(m.group(1)), int(m.group(2)) if m.group(2) else None
        if month is not None and not 1 <= month <= 12:
            return None
        day = date(year, month, int(m.group(3))) if month and m.group(3) else None
    except ValueError:
        return None
    return year, month, day, day


def _counted(ref: _Ref, unit: str, n: int) -> timex.Normalized | None:
    """The time ``n`` units from a reference, at the unit's precision; None where the reference is coarser
    than the unit ("the next day" after "in 2008")."""
    year, month, day, in_week = ref
    if unit == "D" and day is not None:
        return timex.Normalized("DATE", (day + timedelta(days=n)).isoformat(), "day", True)
    if unit == "W" and in_week is not None:
        iso = (in_week + timedelta(days=7 * n)).isocalendar()
        return timex.Normalized("DATE", f"{iso[0]:04d}-W{iso[1]:02d}", "week", True)
    if unit == "M" and month is not None:
        k = year * 12 + month - 1 + n
        return timex.Normalized("DATE", f"{k // 12:04d}-{k % 12 + 1:02d}", "month", True)
    if unit == "Y":
        return timex.Normalized("DATE", f"{year + n:04d}", "year", True)
    return None


def _anaphoric_times(text: str, found: list[tuple[int, int, timex.Normalized]]
                     ) -> list[tuple[int, int, timex.Normalized]]:
    """Anaphoric expressions counted from the last time named before them that says as much as their unit
    (a day for "the next day", at least a year for "that year"; see _ANAPHORA_REACH).  One so counted is
    named for the next ("On Monday ... The next day ... That night": Tuesday night)."""
    out = list(found)
    named: list[tuple[int, _Ref]] = []  # (end, reference), in text order
    for i, (s, e, n) in enumerate(found):
        offset = timex.anaphoric_offset(text[s:e])
        if offset is not None and _BEFORE_AFTER.search(text, s, e) and _NAMED_NEXT.match(text, e):
            continue  # "the day after the election": counted from the election, not from the time last named
        if offset is None:
            ref = _reference(n)
            if ref is not None:
                named.append((e, ref))
            continue
        for end, ref in reversed(named):
            if s - end > _ANAPHORA_REACH:
                break
            counted = _counted(ref, *offset)
            if counted is not None:
                out[i] = (s, e, timex.Normalized(counted.type, counted.value, counted.precision, n.anchored,
                                                 n.mod))
                again = _reference(counted)
                if again is not None:
                    named.append((e, again))
                break
    return out


class TimesComponent:
    """Writes ``doc._.ew_times``; see the module docstring."""

    def __init__(self, nlp: Language, name: str = "eventwire_times", date_order: str = "MDY") -> None:
        register_extensions()
        self.name = name
        self.date_order = date_order

    def __call__(self, doc: Doc) -> Doc:
        doc._.ew_times = tuple(self.extract(doc))
        return doc

    def extract(self, doc: Doc) -> list[TimeExpr]:
        article = index_of(doc)
        text = article.text
        published = article.published
        anchor = published if timex.parse_anchor(published) else _dateline_anchor(text)
        sents = article.sentence_starts
        # the order the reader detected for this article ("25/12/2025" elsewhere in it makes "3/4/2026" the
        # 3rd of April); the component's configured order only when no reader decided
        date_order = article.date_order or self.date_order
        found: list[tuple[int, int, timex.Normalized]] = []
        cands = find_candidates(doc, text)
        # Longest first: "Monday night" beats "Monday"; a spaCy entity that fails as a whole ("Friday and
        # Saturday") leaves room for its parts.
        cands.sort(key=lambda c: (-(c[1] - c[0]), not c[2], c[0]))
        taken: list[tuple[int, int]] = []
        for s, e, _from_ent in cands:
            if any(s < t1 and t0 < e for t0, t1 in taken):
                continue
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            words = text[s:e]
            tense = clause_tense(span)
            norm = timex.normalize(_context_expr(doc, span, words), anchor, tense=tense,
                                   date_order=date_order)
            if norm is None:
                continue
            taken.append((s, e))
            found.append((s, e, norm))
        found.sort(key=lambda f: f[0])
        found = _anaphoric_times(text, _clock_days(text, _comparison_periods(text, found)))
        out: list[TimeExpr] = []
        for i, (s, e, n) in enumerate(found, 1):
            out.append(TimeExpr(id=f"T{i}", span=CharSpan.of(text, s, e), type=n.type, value=n.value,
                                precision=n.precision, anchored=n.anchored,
                                sentence=max(0, bisect.bisect_right(sents, s) - 1)))
        return out


@Language.factory("eventwire_times", default_config={"date_order": "MDY"}, assigns=["doc._.ew_times"],
                  requires=["doc.ents", "token.dep", "doc.sents"])
def make_times(nlp: Language, name: str, date_order: str) -> TimesComponent:
    """spaCy factory: ``nlp.add_pipe("eventwire_times")`` after "ner" (it reads the DATE/TIME entities)."""
    return TimesComponent(nlp, name, date_order)
