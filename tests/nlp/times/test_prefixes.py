"""How a pattern's matches can begin: never narrower than the matches (a ruled-out try could never match),
and the time finder's candidates are those of trying every pattern everywhere."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.nlp.times import component
from eventwire.nlp.times.prefixes import match_prefixes


def test_prefixes_of_plain_patterns() -> None:
    assert match_prefixes(re.compile(r"(?:last|next)\s+week")) == {"las", "nex"}
    assert match_prefixes(re.compile(r"(?:the\s+)?year", re.IGNORECASE)) == {"the", "yea"}
    assert match_prefixes(re.compile(r"(?-i:May)|now", re.IGNORECASE)) == {"may", "now"}
    assert match_prefixes(re.compile(r"a[b-c]")) == {"ab", "ac"}
    assert match_prefixes(re.compile(r"(?<!\w)(?=x)xy\b")) == {"xy"}  # lookarounds take nothing
    # a repeat is read generously: after one copy anything may follow
    assert match_prefixes(re.compile(r"\d{4}")) == {str(n) for n in range(10)}


def test_patterns_that_may_begin_with_anything_have_no_prefixes() -> None:
    assert match_prefixes(re.compile(r"a?")) is None  # may match nothing
    assert match_prefixes(re.compile(r".b")) is None
    assert match_prefixes(re.compile(r"[^a]b")) is None
    # a character beyond ASCII may fold onto an ASCII one ("ſ" is "s" when case is ignored)
    assert match_prefixes(re.compile(r"[ſt]x", re.IGNORECASE)) is None
    assert match_prefixes(re.compile(r"(?:a|\u212a)x", re.IGNORECASE)) is None


def test_characters_that_fold_onto_ascii_are_never_ruled_out() -> None:
    # when case is ignored "ſ" matches "s", the Kelvin sign "k", "ı" "i": as literals and in classes
    for other, ascii_ in (("ſ", "s"), ("\u212a", "k"), ("ı", "i"), ("[ſ-ſ]", "s"), ("[ſt]", "s")):
        rx = re.compile(other + "x", re.IGNORECASE)
        text = ascii_ + "x"
        assert rx.match(text)
        prefixes = match_prefixes(rx)
        assert prefixes is None or any(text.startswith(p) for p in prefixes), (other, prefixes)


def test_every_time_pattern_has_prefixes() -> None:
    # the speed-up reaches every pattern: none may begin with just anything
    assert all(p is not None for p in component._PREFIXES)


_PIECES = st.sampled_from(["a", "b", "s", "k", "ſ", "\u212a", "K", "S", "1", "9", " ", "-", "'", "é", "٣",
                           "[a-c]", "[^a]", r"\d", r"\s", r"\w", r"\W", ".", r"\b", "(?=a)", "(?!b)",
                           "(?<!x)"])


def _regex(depth: int = 2) -> st.SearchStrategy[str]:
    leaf = _PIECES.map(lambda p: p if len(p) > 1 or p in ".-" else re.escape(p) if p == "-" else p)
    if depth == 0:
        return leaf
    inner = _regex(depth - 1)
    seq = st.lists(st.one_of(leaf, inner), min_size=1, max_size=4).map("".join)
    return st.one_of(
        leaf,
        seq,
        st.tuples(seq, seq).map(lambda ab: f"(?:{ab[0]}|{ab[1]})"),
        st.tuples(seq, st.sampled_from(["?", "*", "+", "{2}", "{0,2}", "??"])).map(
            lambda sq: f"(?:{sq[0]}){sq[1]}"),
        seq.map(lambda x: f"(?-i:{x})"),
    )


@settings(max_examples=500, deadline=None)
@given(_regex(), st.booleans(), st.data())
def test_no_match_begins_outside_the_prefixes(pattern: str, ignore_case: bool, data: st.DataObject) -> None:
    rx = re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    prefixes = match_prefixes(rx)
    # texts the pattern matches from their start (hypothesis writes them from the pattern), with a tail
    try:
        head = data.draw(st.from_regex(rx, fullmatch=True))
    except Exception:  # a construct hypothesis cannot write strings for (some lookarounds)
        return
    text = head + data.draw(st.text(alphabet=st.sampled_from(list("aSk ſ1é")), max_size=3))
    m = rx.match(text)
    window = text[:3]
    if m is None or prefixes is None or not window.isascii():
        return
    assert any(window.lower().startswith(p) for p in prefixes), (pattern, text, sorted(prefixes)[:10])


def _every_pattern_everywhere(text: str) -> list[tuple[int, int]]:
    starts = component._starts(text)
    return [(m.start(), m.end()) for rx in component._RES for s in starts
            if (m := rx.match(text, s)) is not None]


_WORDS = st.sampled_from([
    "last", "Last", "LAST", "week", "the", "The", "March", "MARCH", "march", "May", "1998", "'90s", "10",
    "p.m.", "a.m.", "Monday", "night", "ſunday", "laſt", "\u212aey", "٢٠١٥", "two", "years", "ago",
    "every", "day", "this", "morning", "fiscal", "2025", "Q3", ",", ".", "-", "/", "12/25/2025",
    "2025-12-25", "noon", "o'clock", "half", "an", "hour", "the", "past", "24", "hours", "Christmas",
    "Eve", "spring", "of", "\n", "1", "st",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=14), st.lists(st.sampled_from([" ", "", "  ", "\n"]), min_size=14,
                                               max_size=14))
def test_the_finder_tries_find_what_trying_everything_finds(words: list[str], gaps: list[str]) -> None:
    text = "".join(w + g for w, g in zip(words, gaps, strict=False))
    assert list(component._regex_candidates(text)) == _every_pattern_everywhere(text)
