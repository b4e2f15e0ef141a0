"""Where an attribution's content starts and ends, given its cue: candidate spans from the parse, ranked.

The rules of ``components/attributions.py`` find a cue and take one fixed piece of the parse as content
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

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from eventwire.nlp import attribution_lexicon as lex

__all__ = ["N_BUCKETS", "Candidate", "SpanRanker", "content_candidates", "hash_features"]

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
_CONTENT_PREPS = frozenset({"of", "for", "to", "on", "about", "as"})  # "accused X of [Y]", "called for [Y]"
_FUNCTION_TAGS = frozenset({"IN", "DT", "CC", "TO", "WDT", "WP", "WRB", "PRP", "PRP$", "MD", "RB", "``",
                            "''", ",", ":", "-LRB-", "HYPH", "NFP"})


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int  # characters, whitespace-trimmed
    end: int
    features: tuple[str, ...]


def _bucket(n: int) -> int:
    return min(8, int(math.log2(n + 1)))


def _tok_word(t: Token) -> str:
    return t.lower_ if t.tag_ in _FUNCTION_TAGS or t.is_punct else t.tag_


class _Gen:
    def __init__(self, doc: Doc, quotes: Sequence[tuple[int, int]], text: str) -> None:
        self.doc = doc
        self.text = text
        self.quotes = quotes
        self.opens = {s for s, _ in quotes}
        self.closes = {e - 1 for _, e in quotes}

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
        sent = v.sent
        if v.head.i != v.i:
            h = v.head
            if h.left_edge.i < v.left_edge.i:
                out.append((f"h:L:{v.dep_}", h.left_edge.i, v.left_edge.i - 1))
            if v.right_edge.i < h.right_edge.i:
                out.append((f"h:R:{v.dep_}", v.right_edge.i + 1, h.right_edge.i))
        if sent.start < v.left_edge.i:
            out.append(("s:L", sent.start, v.left_edge.i - 1))
        if v.i + 1 < sent.end:
            out.append(("s:R", v.i + 1, sent.end - 1))
            if v.right_edge.i + 1 < sent.end:
                out.append(("s:R2", v.right_edge.i + 1, sent.end - 1))
        return out

    def cuts(self, name: str, lo: int, hi: int) -> list[tuple[str, int, int]]:
        """The piece, the piece without a leading "that", and its prefixes ending before a separator."""
        doc = self.doc
        out = [(name, lo, hi)]
        if doc[lo].dep_ == "mark" and lo < hi:
            out.append((name + "|nomark", lo + 1, hi))
        n = 0
        for k in range(lo + 1, hi + 1):
            if doc[k].text in _CUTS and k - 1 >= lo:
                nxt = doc[k + 1].dep_ if k + 1 < len(doc) else "END"
                out.append((f"{name}|cut{doc[k].text}>{nxt}", lo, k - 1))
                n += 1
                if n >= _MAX_CUTS:
                    break
        return out


def content_candidates(doc: Doc, v: Token, quotes: Sequence[tuple[int, int]],
                       incumbent: tuple[int, int] | None = None, family: str = "none",
                       text: str | None = None) -> list[Candidate]:
    """Candidate contents for the cue whose head token is ``v``, each with its hashed-feature strings.

    ``quotes`` are the article's quotations as character ranges, marks included (``find_quotes``).
    ``incumbent`` is the content the rules chose (always a candidate) and ``family`` names the rule that
    chose it: where the rules are reliable the ranker learns to keep their choice.  ``text`` is
    ``doc.text`` when the caller has it: spaCy rebuilds that string from every token at each access, which
    was 85% of this function's time with ~30 cues per article."""
    if text is None:
        text = doc.text
    gen = _Gen(doc, quotes, text)
    cue = lex.cue_for(v.lemma_)
    cls = cue.cls if cue else "none"
    seen: dict[tuple[int, int], list[str]] = {}
    sent = v.sent
    sent_lo, sent_hi = sent.start_char, sent.end_char
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
    for qs, qe in quotes:
        if qe <= sent_lo - 400 or qs >= sent_hi + 400:
            continue
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
        body = text[s:e]
        multiline = "\n" in body
        shape = (f"qs={body[:1] in _QUOTES}", f"qe={body[-1:] in _QUOTES}",
                 f"hasq={any(ch in _QUOTES for ch in body)}",
                 f"end={body[-1:] if not body[-1:].isalnum() else 'a'}",
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
    return numpy.fromiter((get_string_id(f) % N_BUCKETS for f in features), dtype=numpy.int64,
                          count=len(features))


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
