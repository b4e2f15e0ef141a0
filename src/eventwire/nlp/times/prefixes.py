"""Which few characters a regular expression's matches can begin with, read off its parse.

The time finder tries its 22 patterns at every word that may start a time expression (~200 per 731-word
article): 4,400 ``match`` calls, ~2 ms, nearly all of them failing.  Most patterns can only begin with a
few words ("last", "the", "March", a digit), so the first three characters of the text rule most tries
out.  :func:`match_prefixes` gives the set of lower-case beginnings (up to ``k`` characters) of every
string the pattern can match, as long as those characters are ASCII: a wider set than the truth (optional
parts, lookarounds and repeats are read generously) but never a narrower one, so a try it rules out could
never have matched.  Text that is not ASCII at the try is always tried (case folding: "ſ" matches "s").
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

__all__ = ["match_prefixes"]

# more beginnings than this and the set is not worth keeping (\d\d\d is 1,000)
_MAX = 5000
_OPEN = ("", False)
_ASCII = [chr(c) for c in range(128)]
_CATEGORIES: dict[Any, str] = {
    sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W",
}
_REPEATS = tuple(getattr(sre, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
                 if hasattr(sre, name))

# (text, complete): complete = the part matched exactly this text (shorter than k), else the text is only
# how what it matched begins
_Entry = tuple[str, bool]


def match_prefixes(pattern: re.Pattern[str], k: int = 3) -> frozenset[str] | None:
    """Lower-case strings of at most ``k`` characters, one of which begins (lower-cased) every match of
    ``pattern`` whose first ``k`` characters are ASCII; None when the pattern may begin with anything."""
    entries = _sequence(sre_parse.parse(pattern.pattern, pattern.flags), k)
    if entries is None:
        return None
    found = frozenset(text for text, _ in entries)
    return None if "" in found else found


def _sequence(items: Any, k: int) -> set[_Entry] | None:
    partial = {""}
    done: set[_Entry] = set()
    for op, av in items:
        alternatives = _element(op, av, k)
        if alternatives is None:
            return None
        grown: set[str] = set()
        for head in partial:
            for text, complete in alternatives:
                joined = head + text
                if len(joined) >= k:
                    done.add((joined[:k], False))
                elif complete:
                    grown.add(joined)
                else:
                    done.add((joined, False))
        partial = grown
        if len(partial) + len(done) > _MAX:
            return None
        if not partial:
            break
    return done | {(text, True) for text in partial}


def _element(op: Any, av: Any, k: int) -> set[_Entry] | None:
    if op is sre.LITERAL:
        ch = chr(av)
        return {(ch.lower(), True)} if ch.isascii() else {_OPEN}
    if op is sre.IN:
        chars = _char_set(av)
        return {_OPEN} if chars is None else {(ch, True) for ch in chars}
    if op is sre.SUBPATTERN:
        return _sequence(av[-1], k)
    if op is sre.BRANCH:
        out: set[_Entry] = set()
        for alternative in av[1]:
            found = _sequence(alternative, k)
            if found is None:
                return None
            out |= found
        return out
    if op in _REPEATS:
        low, high, sub = av
        if high == 0:
            return {("", True)}
        once = _sequence(sub, k)
        if once is None:
            return None
        out = set(once)
        if high > 1:  # more than one copy: what one copy begins with, and anything after it
            out |= {(text, False) for text, complete in once if complete}
        if low == 0:
            out.add(("", True))
        return out
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return {("", True)}  # zero-width: it only ever rules matches out
    return {_OPEN}  # anything else (a back-reference, ANY, NOT_LITERAL, ...): no telling


def _char_set(items: Any) -> set[str] | None:
    """The lower-cased ASCII characters a character class can match; None when it is negated or holds a
    character beyond ASCII."""
    chars: set[str] = set()
    for op, av in items:
        # a character beyond ASCII may match an ASCII one when case is ignored ("ſ" and "s", "K" and "k"):
        # a class holding one is not read
        if op is sre.LITERAL and av < 128:
            chars.add(chr(av).lower())
        elif op is sre.RANGE and av[1] < 128:
            chars |= {chr(c).lower() for c in range(av[0], av[1] + 1)}
        elif op is sre.CATEGORY and av in _CATEGORIES:
            probe = re.compile(_CATEGORIES[av])
            chars |= {ch.lower() for ch in _ASCII if probe.match(ch)}
        else:
            return None
    return chars
