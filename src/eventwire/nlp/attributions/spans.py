"""Where an attribution's content starts and ends, given its cue: candidate spans from the parse, ranked.

The rules of ``attributions/component.py`` find a cue and take one fixed piece of the parse as content
(the clause complement, the object, the head clause around a parenthetical "he said").  On PolNeAR's dev
compartment that piece was the annotators' content exactly for 1,126 of 2,192 contents, and another 383
overlapped it by half or more: the boundaries were wrong ("that" in or out, a ", which ..." tail, a
closing quotation mark, the preposition of "accused X of Y").  Here every plausible piece around the cue
verb becomes a candidate -- the subtree of each child and grandchild, the head clause left and right of
the cue, the sentence left and right of it, nearby quotations -- each in a few edge variants (separators
and quotation marks kept or trimmed, cut at a comma or dash), and a linear model over hashed features of
the candidate (its relation to the cue, its edges, its length, the cue's lemma and class) picks one.

The weights are learnt from PolNeAR's train compartment by ``scripts/train_attribution_spans.py``
(softmax over each cue's candidates, the candidate equal to the annotated content as target).  This module
holds the candidate generator and the scorer shared by training and the pipeline, so both see the same
features.  spaCy types stay inside ``nlp/``.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy
from spacy.attrs import ORTH, SENT_START
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from eventwire.nlp.attributions import lexicon as lex
from eventwire.nlp.strings import string_ids

__all__ = ["N_BUCKETS", "QUOTE_REACH", "Candidate", "CandidateTables", "SpanRanker", "code_points",
           "content_candidates", "hash_features", "prefix_counts"]

# 2**20 hashed feature buckets: ~60k distinct features appear in training, so collisions are rare, and the
# float32 weights take 4 MB.
N_BUCKETS = 1 << 20
_SEPARATORS = " \t\r\n\u00a0,;:.—–-"
_QUOTES = "\"“”„«»‘’'"
_SKIP_CHILD = frozenset({"punct", "aux", "auxpass", "neg", "cc", "det", "case", "space"})
_VIA = frozenset({"xcomp", "ccomp", "prep", "dobj", "conj", "advcl", "acomp", "prt", "dative", "agent",
                  "oprd", "pcomp", "pobj", "attr", "acl", "relcl"})
_CUTS = frozenset({",", "—", "–", "-", "--", ";", "(", ":"})
# At most this many cut points per piece: on train, 96% of the contents ended before the third separator
# of the piece they were cut from.
_MAX_CUTS = 4
# Quotations within 400 characters of the cue's sentence are candidates.  On a page that never ends a
# sentence (a quote-dense transcript parsed as one 40k-character "sentence") that made every quotation a
# candidate of every cue: quadratic, 40k characters took 29 s.  The sentence is therefore cut to at most
# this many characters either side of the cue first: a sentence under 2,000 characters (~350 words) is
# untouched, and no prediction of scripts/evaluate.py's sets changed with it.
QUOTE_REACH = 2000
_QUOTE_MARGIN = 400
_CONTENT_PREPS = frozenset({"of", "for", "to", "on", "about", "as"})  # "accused X of [Y]", "called for [Y]"
_FUNCTION_TAGS = frozenset({"IN", "DT", "CC", "TO", "WDT", "WP", "WRB", "PRP", "PRP$", "MD", "RB", "``",
                            "''", ",", ":", "-LRB-", "HYPH", "NFP"})


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int  # characters, whitespace-trimmed
    end: int
    features: tuple[str, ...]


class CandidateTables:
    """What every cue of one article reads, built once per article in one pass over its text and tokens.

    Each cue used to rescan its pieces (up to the whole sentence) for quotation marks, line breaks and cut
    points, and every quotation of the article: with one cue every ~50 characters in a sentence that runs
    on (a quote-dense page without full stops) that was quadratic, 40k characters took 29 s.  Prefix counts
    and sorted positions answer the same questions with a subtraction or a bisection."""

    __slots__ = ("closes", "cut_tokens", "newlines", "opens", "quote_chars", "quote_ends", "quote_starts",
                 "quotes", "sent_starts", "text")

    def __init__(self, doc: Doc, quotes: Sequence[tuple[int, int]], text: str | None = None) -> None:
        self.text = doc.text if text is None else text
        self.quotes = list(quotes)  # find_quotes: in text order, never overlapping
        self.quote_starts = [s for s, _ in self.quotes]
        self.quote_ends = [e for _, e in self.quotes]
        self.opens = set(self.quote_starts)
        self.closes = {e - 1 for e in self.quote_ends}
        self.quote_chars = _prefix_counts(self.text, _QUOTES)
        self.newlines = _prefix_counts(self.text, "\n")
        # one array test over the words, not a Token per word
        self.cut_tokens: list[int] = numpy.flatnonzero(numpy.isin(doc.to_array(ORTH), _cut_ids())).tolist()
        # sentence starts as token indexes: ``Token.sent`` walks the tokens back to its sentence's start,
        # per cue, which is quadratic when a whole page parses as one sentence
        self.sent_starts: list[int] | None = None
        if len(doc) and doc.has_annotation("SENT_START"):
            flags = doc.to_array(SENT_START)
            flags[0] = 1
            self.sent_starts = numpy.flatnonzero(flags == 1).tolist()

    def sentence(self, doc: Doc, v: Token) -> tuple[int, int, int, int]:
        """Token start and end, first and end character of ``v``'s sentence (``v.sent``'s, faster)."""
        if self.sent_starts is None:
            sent = v.sent
            return sent.start, sent.end, sent.start_char, sent.end_char
        k = bisect.bisect_right(self.sent_starts, v.i) - 1
        start = self.sent_starts[k]
        end = self.sent_starts[k + 1] if k + 1 < len(self.sent_starts) else len(doc)
        last = doc[end - 1]
        return start, end, doc[start].idx, last.idx + len(last.text)

    def has(self, counts: list[int], s: int, e: int) -> bool:
        """Whether characters ``s..e`` hold one of the characters ``counts`` counts."""
        return counts[e] - counts[s] > 0

    def near_quotes(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The quotations that end after ``lo`` and start before ``hi``, in text order."""
        return self.quotes[bisect.bisect_right(self.quote_ends, lo):bisect.bisect_left(self.quote_starts, hi)]


@cache
def _cut_ids() -> numpy.ndarray:
    """spaCy's hashes of the cut-point words (``_CUTS``)."""
    return numpy.array(sorted(get_string_id(w) for w in _CUTS), dtype=numpy.uint64)


def _prefix_counts(text: str, chars: str) -> list[int]:
    """``out[i]``: how many of ``chars`` occur in ``text[:i]``."""
    return prefix_counts(code_points(text), [ord(c) for c in chars])


def code_points(text: str) -> numpy.ndarray:
    """Every character's code point (a lone surrogate as itself), without a Python loop."""
    return numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32)


def prefix_counts(codes: numpy.ndarray, chars: Sequence[int], invert: bool = False) -> list[int]:
    """``out[i]``: how many of ``codes[:i]`` are in ``chars`` (with ``invert``, not in them).  A Python loop
    over a 4,500-character article took ~0.15 ms per count; the array sum ~0.06 (the list it returns is
    what the lookups index fastest)."""
    hit = numpy.isin(codes, numpy.asarray(chars, dtype=numpy.uint32), invert=invert)
    out = numpy.zeros(len(codes) + 1, dtype=numpy.int64)
    numpy.cumsum(hit, out=out[1:])
    return out.tolist()


def _bucket(n: int) -> int:
    return min(8, int(math.log2(n + 1)))


def _tok_word(t: Token) -> str:
    return t.lower_ if t.tag_ in _FUNCTION_TAGS or t.is_punct else t.tag_


class _Gen:
    def __init__(self, doc: Doc, tables: CandidateTables) -> None:
        self.doc = doc
        self.text = tables.text
        self.opens = tables.opens
        self.closes = tables.closes
        self.cut_tokens = tables.cut_tokens
        self.tables = tables

    def edges(self, s: int, e: int) -> list[tuple[str, int, int]]:
        """Edge variants of characters ``s..e``: as the tokens give them, separators trimmed, separators
        and quotation marks trimmed, and widened to an adjacent quotation mark (plus ``.,`` before it)."""
        text = self.text
        out: list[tuple[str, int, int]] = []

        def trim(a: int, b: int, chars: str) -> tuple[int, int]:
            while a < b and text[a] in chars:
                a += 1
            while b > a and text[b - 1] in chars:
                b -= 1
            return a, b

        a, b = trim(s, e, " \t\r\n\u00a0")
        out.append(("raw", a, b))
        out.append(("sep", *trim(a, b, _SEPARATORS)))
        out.append(("sepq", *trim(a, b, _SEPARATORS + _QUOTES)))
        c, d = trim(a, b, _SEPARATORS)
        k = d
        while k < len(text) and k - d < 2 and text[k] in ".,!?":
            k += 1
        # only marks that open or close a quotation: the ” after "citing “X,” that ..." is not the content's
        if k in self.closes:
            out.append(("closeq", c, k + 1))
        if c - 1 in self.opens:
            out.append(("openq", c - 1, d))
        return [(name, x, y) for name, x, y in out if x < y]

    def pieces(self, v: Token) -> list[tuple[str, int, int]]:
        """Token ranges (inclusive) around cue head ``v``, each with the name of its relation to it."""
        out: list[tuple[str, int, int]] = []
        for c in v.children:
            if c.dep_ in _SKIP_CHILD:
                continue
            side = "L" if c.i < v.i else "R"
            out.append((f"c:{c.dep_}:{side}", c.left_edge.i, c.right_edge.i))
            if c.dep_ == "prep" and c.right_edge.i > c.i:
                prep = c.lower_ if c.lower_ in _CONTENT_PREPS else "x"
                out.append((f"c:prep-obj:{prep}", c.i + 1, c.right_edge.i))
            if c.dep_ in _VIA:
                for g in c.children:
                    if g.dep_ in _SKIP_CHILD:
                        continue
                    gside = "L" if g.i < v.i else "R"
                    out.append((f"g:{c.dep_}>{g.dep_}:{gside}", g.left_edge.i, g.right_edge.i))
        sent_start, sent_end, _, _ = self.tables.sentence(self.doc, v)
        if v.head.i != v.i:
            h = v.head
            if h.left_edge.i < v.left_edge.i:
                out.append((f"h:L:{v.dep_}", h.left_edge.i, v.left_edge.i - 1))
            if v.right_edge.i < h.right_edge.i:
                out.append((f"h:R:{v.dep_}", v.right_edge.i + 1, h.right_edge.i))
        if sent_start < v.left_edge.i:
            out.append(("s:L", sent_start, v.left_edge.i - 1))
        if v.i + 1 < sent_end:
            out.append(("s:R", v.i + 1, sent_end - 1))
            if v.right_edge.i + 1 < sent_end:
                out.append(("s:R2", v.right_edge.i + 1, sent_end - 1))
        return out

    def cuts(self, name: str, lo: int, hi: int) -> list[tuple[str, int, int]]:
        """The piece, the piece without a leading "that", and its prefixes ending before a separator."""
        doc = self.doc
        out = [(name, lo, hi)]
        if doc[lo].dep_ == "mark" and lo < hi:
            out.append((name + "|nomark", lo + 1, hi))
        # the piece's first cut points, from the article's sorted list (not a walk over the piece's tokens)
        first = bisect.bisect_left(self.cut_tokens, lo + 1)
        for k in self.cut_tokens[first:first + _MAX_CUTS]:
            if k > hi:
                break
            nxt = doc[k + 1].dep_ if k + 1 < len(doc) else "END"
            out.append((f"{name}|cut{doc[k].text}>{nxt}", lo, k - 1))
        return out


def content_candidates(doc: Doc, v: Token, quotes: Sequence[tuple[int, int]],
                       incumbent: tuple[int, int] | None = None, family: str = "none",
                       text: str | None = None, tables: CandidateTables | None = None,
                       quote_reach: int = QUOTE_REACH) -> list[Candidate]:
    """Candidate contents for the cue whose head token is ``v``, each with its hashed-feature strings.

    ``quotes`` are the article's quotations as character ranges, marks included (``find_quotes``).
    ``incumbent`` is the content the rules chose (always a candidate) and ``family`` names the rule that
    chose it: where the rules are reliable the ranker learns to keep their choice.  ``text`` is
    ``doc.text`` when the caller has it: spaCy rebuilds that string from every token at each access, which
    was 85% of this function's time with ~30 cues per article.  ``tables`` (built once per article for the
    same ``quotes``) keeps the work per cue independent of the article's length; ``quote_reach`` bounds how
    far from the cue a quotation may be, even in a sentence that never ends (see ``QUOTE_REACH``)."""
    if tables is None:
        tables = CandidateTables(doc, quotes, text)
    text = tables.text
    gen = _Gen(doc, tables)
    cue = lex.cue_for(v.lemma_)
    cls = cue.cls if cue else "none"
    seen: dict[tuple[int, int], list[str]] = {}
    _, _, sent_lo, sent_hi = tables.sentence(doc, v)
    n = len(doc)
    lemma, vtag, vdep = v.lemma_, v.tag_, v.dep_
    words: dict[int, str] = {}

    def word(i: int) -> str:
        w = words.get(i)
        if w is None:
            w = words[i] = "BOS" if i < 0 else "EOS" if i >= n else _tok_word(doc[i])
        return w

    for name, lo, hi in gen.pieces(v):
        for cname, a, b in gen.cuts(name, lo, hi):
            if b < a:
                continue
            rel = cname.split("|")[0]
            first, last, nxt = word(a), word(b), word(b + 1)
            # what does not depend on the edge variant, built once per piece
            base = (f"rel={rel}", f"piece={cname}", f"rel={rel}|lemma={lemma}", f"rel={rel}|cls={cls}",
                    f"piece={cname}|cls={cls}", f"first={first}", f"last={last}", f"rel={rel}|first={first}",
                    f"rel={rel}|last={last}", f"prev={word(a - 1)}", f"next={nxt}", f"rel={rel}|next={nxt}",
                    f"len={_bucket(b - a + 1)}", f"rel={rel}|len={_bucket(b - a + 1)}",
                    f"vtag={vtag}|rel={rel}", f"vdep={vdep}|rel={rel}")
            for ename, s, e in gen.edges(doc[a].idx, doc[b].idx + len(doc[b].text)):
                feats = seen.setdefault((s, e), [])
                feats.extend(base)
                feats.append(f"piece={cname}|edge={ename}")
                feats.append(f"rel={rel}|edge={ename}")
    near_lo, near_hi = max(sent_lo, v.idx - quote_reach), min(sent_hi, v.idx + quote_reach)
    for qs, qe in tables.near_quotes(near_lo - _QUOTE_MARGIN, near_hi + _QUOTE_MARGIN):
        where = "in" if sent_lo <= qs < sent_hi else ("before" if qs < sent_lo else "after")
        for ename, s, e in (("q", qs, qe), ("qinner", qs + 1, qe - 1)):
            if s < e:
                seen.setdefault((s, e), []).extend([f"quote={where}|{ename}", f"quote={where}|cls={cls}",
                                                   f"quote={where}|lemma={v.lemma_}"])
    if incumbent is not None:
        seen.setdefault(incumbent, []).append("incumbent")
    out = []
    vpos = v.idx
    for (s, e), feats in seen.items():
        # the first and last characters, and prefix counts: no copy or scan of the candidate's body
        head, tail = text[s], text[e - 1]
        multiline = tables.has(tables.newlines, s, e)
        shape = (f"qs={head in _QUOTES}", f"qe={tail in _QUOTES}",
                 f"hasq={tables.has(tables.quote_chars, s, e)}",
                 f"end={tail if not tail.isalnum() else 'a'}",
                 f"after={text[e:e + 1] if e < len(text) and not text[e].isalnum() else 'a'}",
                 f"cross={multiline}|{s < sent_lo or e > sent_hi}", f"cover_cue={s <= vpos < e}",
                 f"side={'L' if e <= vpos else 'R'}", "bias", *_versus(s, e, incumbent, family))
        out.append(Candidate(s, e, tuple(dict.fromkeys((*feats, *shape)))))
    return out


def _versus(s: int, e: int, incumbent: tuple[int, int] | None, family: str) -> tuple[str, ...]:
    """How a candidate relates to the rules' own choice, alone and with the rule family."""
    if incumbent is None:
        rel = "noinc"
    elif (s, e) == incumbent:
        rel = "same"
    elif s <= incumbent[0] and incumbent[1] <= e:
        rel = "wider"
    elif incumbent[0] <= s and e <= incumbent[1]:
        rel = "inside"
    elif s < incumbent[1] and incumbent[0] < e:
        rel = "overlap"
    else:
        rel = "apart"
    return f"inc={rel}", f"inc={rel}|fam={family}"


def hash_features(features: Sequence[str]) -> numpy.ndarray:
    """The weight row of each feature: its spaCy hash modulo ``N_BUCKETS`` (int64)."""
    return (string_ids(features) % numpy.uint64(N_BUCKETS)).astype(numpy.int64)


class SpanRanker:
    """A linear scorer over hashed candidate features (weights from ``train_attribution_spans.py``)."""

    def __init__(self, weights: numpy.ndarray) -> None:
        if weights.shape != (N_BUCKETS,):
            raise ValueError(f"expected {N_BUCKETS} weights, got {weights.shape}")
        self.weights = weights.astype(numpy.float32, copy=False)

    @classmethod
    def load(cls, path: Path) -> SpanRanker:
        with numpy.load(path) as data:
            return cls(data["content"])

    def scores(self, candidates: Sequence[Candidate]) -> numpy.ndarray:
        if not candidates:
            return numpy.zeros(0, dtype=numpy.float32)
        # every candidate's features hashed in one pass, summed per candidate (one numpy call per cue, not
        # per candidate: ~16 candidates a cue)
        lengths = numpy.fromiter((len(c.features) for c in candidates), dtype=numpy.int64,
                                 count=len(candidates))
        ids = hash_features([f for c in candidates for f in c.features])
        starts = numpy.concatenate(([0], numpy.cumsum(lengths)[:-1]))
        return numpy.add.reduceat(self.weights[ids].astype(numpy.float64), starts).astype(numpy.float32)

    def best(self, candidates: Sequence[Candidate],
             bonus: numpy.ndarray | None = None) -> tuple[Candidate, float] | None:
        """The top candidate and its softmax probability among ``candidates``; ``bonus`` (one number per
        candidate) is added to the scores first: another model's evidence."""
        if not candidates:
            return None
        z = self.scores(candidates)
        if bonus is not None:
            z = z + bonus
        k = int(z.argmax())
        p = numpy.exp(z - z[k])
        return candidates[k], float(1.0 / p.sum())
