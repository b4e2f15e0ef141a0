"""The working state of the attributions layer for one article, and the parse helpers its stages share.

``ArticleState`` is built per article (never kept on the component: the API shares one pipeline between
threads); each stage module (``verbs``, ``according``, ``citing``, ``quotations``, ``tagged``, ``factuality``,
``rerank``, ``sources``, ``output``) is a function of it.  Thresholds come from ``AttributionConfig``, the
factory's ``default_config``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import numpy
from spacy.attrs import LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from eventwire.model import AttributionKind, Entity, Factuality
from eventwire.nlp.attributions import lexicon as lex
from eventwire.nlp.attributions.spans import QUOTE_REACH, SpanRanker, code_points, prefix_counts
from eventwire.nlp.docindex import index_of

__all__ = ["ArticleState", "AttributionConfig", "Draft", "prefix_solid"]

_SUBJ = frozenset({"nsubj", "csubj"})
# Trimmed from both ends of a content or source: separators that the parse leaves at clause edges.
_EDGE = frozenset(" \t\r\n,;:.—–-")
_QUOTE_MARKS = frozenset("\"“”„«»‘’'")
_RELATIVE = frozenset({"who", "which", "that"})
# Complements of a cue that may hold a quoted fragment: 'called Y “a disgrace”', 'urged X to “act now”'.
_QUOTE_HOLDERS = frozenset({"ccomp", "dobj", "xcomp", "prep", "oprd", "attr", "dative"})
# Non-restrictive modifiers that may end a content after a comma.
_TAILS = frozenset({"relcl", "acl", "appos"})
# "Even China", "and the mayor": words before a source's name that are not part of the source.
_NOT_SOURCE_LEFT = frozenset({"advmod", "cc", "preconj"})
# Left dependents of a noun that belong to its phrase as a source: "the", "Mr.", "federal", "Obama's".
_NP_LEFT = frozenset({"det", "compound", "amod", "poss", "nummod", "nmod", "quantmod", "predet"})
# "BRUSSELS - European leaders said": the dash after an upper-case dateline ends it.
_DATELINE_DASHES = frozenset({"-", "—", "–", "--"})
# Confidence given to the rule families: measured share of matched relations on PolNeAR dev (rounded).
_CONF_VERB = 0.8


@dataclass(frozen=True, slots=True)
class AttributionConfig:
    """The layer's thresholds (the factory's ``default_config``; each measured on PolNeAR dev)."""

    # the ranker's top candidate needs this probability to replace the rules' content
    rerank_p: float = 0.5
    # score added to a candidate that the role tagger marked as a content too (the whole span / one of its
    # two ends): the two models err differently, and on PolNeAR dev these two numbers took the ranker from
    # 959 to 981 exact contents of the 1,334 it re-chose (flat within +-0.5 of either)
    tagger_span_bonus: float = 1.0
    tagger_edge_bonus: float = 0.25
    # quotations farther than this from a cue are never its content candidates (see spans.QUOTE_REACH)
    quote_reach: int = QUOTE_REACH
    # a quotation of at most this many words outside any attribution is a scare quote ("so-called")
    min_quote_words: int = 4
    # at most this many characters between a speaker tag and the second half of its quotation: ", he said, “"
    # is 12; "told reporters on board the plane on Friday, “" is 47
    pair_gap: int = 50
    # a next sentence this short after a quotation can only be its speaker tag: "…,” Ruiz said.
    tag_sentence_tokens: int = 8
    # a pronoun source looks this many sentences back for a person named before it
    pronoun_window: int = 3
    # accurate profile: an attribution whose cue tokens all have an encoder-head cue probability below this
    # is dropped (PolNeAR dev, strict F1 source / cue / content / relation: off .703/.658/.541/.611,
    # 0.1 .728/.682/.558/.632, 0.3 .729/.683/.560/.634, 0.5 .731/.682/.559/.638: flat from 0.1 to 0.5);
    # 0 switches it off.  The fast profile has no head and never drops
    cue_veto_p: float = 0.3
    # accurate profile: a source none of whose tokens has an encoder-head source probability this high is
    # dropped (the attribution stays, sourceless): PolNeAR dev source strict F1 .729 -> .737 at 0.05, .738 at
    # 0.1, .739 at 0.2 (relation .638, .638, .635; cue and content unchanged); 0 switches it off
    source_veto_p: float = 0.1


@dataclass(slots=True)
class Draft:
    """An attribution while the stages build it (character ranges; ``via`` indexes ``ArticleState.attrs``)."""

    kind: AttributionKind
    content: list[tuple[int, int]]
    source: tuple[int, int] | None = None
    source_head: int | None = None  # token index
    cue: tuple[int, int] | None = None
    cue_tok: int | None = None
    cls: str = "speech"
    factuality: Factuality = Factuality.REPORTED
    fact_cues: list[tuple[int, int]] = field(default_factory=list)
    via: int | None = None  # index into the working list
    confidence: float = _CONF_VERB
    passive: bool = False


@cache
def _factual_ids() -> numpy.ndarray:
    """spaCy's hashes of the speculation, allegation and condition markers (``lex.markers``)."""
    markers = lex.markers()
    words = markers.speculated | markers.alleged | markers.conditional
    return numpy.array(sorted(get_string_id(w) for w in words), dtype=numpy.uint64)


def prefix_solid(text: str) -> list[int]:
    """``out[i]``: the non-space characters of ``text[:i]`` (``len("".join(text[s:e].split()))`` is
    ``out[e] - out[s]``)."""
    # the white-space characters this text holds (``str.isspace``'s own judgement), then one array count
    spaces = [ord(ch) for ch in set(text) if ch.isspace()]
    return prefix_counts(code_points(text), spaces, invert=True)



class ArticleState:
    """One article's tokens, quotations and attributions found so far, with the parse helpers."""

    def __init__(self, doc: Doc, config: AttributionConfig, ranker: SpanRanker | None = None) -> None:
        index = index_of(doc)
        self.doc = doc
        self.config = config
        self.ranker = ranker
        self.toks: list[Token] = list(doc)
        self.text: str = index.text
        self.starts = index.starts
        self.parsed = doc.has_annotation("DEP")
        self.tagged = doc.has_annotation("TAG") or doc.has_annotation("POS")
        self.sent_starts = index.sentence_starts
        self.quotes = index.quotes
        self.quote_starts = [s for s, _ in self.quotes]
        self.markers = lex.markers()
        self.attrs: list[Draft] = []
        self.orphans: list[tuple[int, int]] = []
        self.entities: tuple[Entity, ...] = tuple(doc._.ew_entities)
        self.mentions = index.entities(doc)
        # Per-article indexes, so that each attribution's work does not grow with the article (a quote-dense
        # page has one attribution every ~50 characters: scans per attribution made it quadratic).
        self.solid = prefix_solid(self.text)
        # tokens whose lower-case form is a factuality marker: one array test, not a Token per word
        self.fact_toks: list[int] = numpy.flatnonzero(
            numpy.isin(doc.to_array(LOWER), _factual_ids())).tolist()
        self.fact_idx = [self.toks[i].idx for i in self.fact_toks]

    def end(self, i: int) -> int:
        t = self.toks[i]
        return t.idx + len(t.text)

    def tok_at(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.starts, char) - 1)

    def sent(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, char) - 1)

    def trim(self, s: int, e: int, quotes: bool = False) -> tuple[int, int] | None:
        text = self.text
        strip = _EDGE | _QUOTE_MARKS if quotes else _EDGE
        while s < e and text[s] in strip:
            s += 1
        while e > s and text[e - 1] in strip:
            e -= 1
        return (s, e) if s < e else None

    def chars(self, lo: int, hi: int, quotes: bool = False) -> tuple[int, int] | None:
        """The trimmed characters of tokens ``lo..hi`` (inclusive)."""
        toks = self.toks
        # dangling conjunctions and separators at the edges: "“… invincible” and ,"
        while hi >= lo and (toks[hi].dep_ == "cc" or toks[hi].is_space
                            or (toks[hi].is_punct and toks[hi].text[0] not in _QUOTE_MARKS)):
            hi -= 1
        while lo <= hi and toks[lo].dep_ == "cc":
            lo += 1
        if hi < lo:
            return None
        return self.trim(toks[lo].idx, self.end(hi), quotes)

    def quote_of(self, char: int) -> int | None:
        k = bisect.bisect_right(self.quote_starts, char) - 1
        if k >= 0 and self.quotes[k][0] <= char < self.quotes[k][1]:
            return k
        return None

    def snap(self, s: int, e: int) -> tuple[int, int]:
        """Widen a range cut inside a quotation to the whole quotation (marks included)."""
        q = self.quote_of(s)
        if q is not None:
            s = min(s, self.quotes[q][0])
            e = max(e, self.quotes[q][1]) if self.quotes[q][1] - e <= 2 else e
        q = self.quote_of(e - 1) if e > s else None
        if q is None and e < len(self.text):
            # "… call.” — the parse leaves the closing mark (and a final stop) outside the clause
            k = e
            while k < len(self.text) and k - e < 2 and self.text[k] in ".,!?":
                k += 1
            q = self.quote_of(k) if k < len(self.text) and self.text[k] in _QUOTE_MARKS else None
        if q is not None and self.quotes[q][1] - e <= 3:
            e = max(e, self.quotes[q][1])
            s = min(s, self.quotes[q][0]) if self.quotes[q][0] >= s - 1 else s
        return s, e

    def paragraph(self, span: tuple[int, int], anchor: int) -> tuple[int, int] | None:
        """The part of a content range in the cue's paragraph (line): the parse joins a headline or a
        caption to the next line when no full stop separates them.  Quotations may run across lines."""
        s, e = span
        q = self.quote_of(s)
        if q is not None and self.quotes[q][1] >= e:
            # one quotation (it may run over paragraphs): it must open in the cue's paragraph, or in the
            # next one after a colon ("told reporters:\n“…”")
            qs = self.quotes[q][0]
            between = self.text[min(anchor, qs):max(anchor, qs)]
            if "\n" not in between or (anchor < qs and between.rstrip().endswith(":")):
                return span
            return None
        lo = self.text.rfind("\n", 0, anchor) + 1
        hi = self.text.find("\n", anchor)
        hi = len(self.text) if hi < 0 else hi
        return self.trim(max(s, lo), min(e, hi)) if max(s, lo) < min(e, hi) else None

    @staticmethod
    def minus(spans: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
        out = []
        for s, e in spans:
            for hs, he in sorted(holes):
                if he <= s or hs >= e:
                    continue
                if hs > s:
                    out.append((s, hs))
                s = max(s, he)
            if s < e:
                out.append((s, e))
        return out

    def quoted_share(self, spans: Iterable[tuple[int, int]]) -> float:
        spans = list(spans)
        solid = self.solid
        total = sum(solid[e] - solid[s] for s, e in spans)
        inside = 0
        for k in self.quotes_in(spans):
            qs, qe = self.quotes[k]
            for s, e in spans:
                lo, hi = max(s, qs), min(e, qe)
                if lo < hi:
                    inside += solid[hi] - solid[lo]
        return inside / total if total else 0.0

    def quotes_in(self, spans: Iterable[tuple[int, int]]) -> list[int]:
        out = []
        for s, e in spans:
            k = bisect.bisect_left(self.quote_starts, s)
            while k < len(self.quotes) and self.quotes[k][0] < e:
                out.append(k)
                k += 1
        return out

    def is_verb(self, t: Token) -> bool:
        return not self.tagged or t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VB")

    def subject(self, v: Token) -> Token | None:
        """The subject of a cue verb, borrowed from the verb it is coordinated with or modifies."""
        if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN", "PRON") and v.tag_ == "VBG":
            return v.head  # "footage of Trump saying ...", "a posting saying that ..."
        seen = 0
        while seen < 4:
            for c in v.children:
                if c.dep_ in _SUBJ:
                    return self.same_line(c, v)  # "the mayor, who said": the source is "who" (_named)
            if v.dep_ in ("conj", "xcomp", "advcl") and v.head.i != v.i:
                v = v.head
                seen += 1
                continue
            return None
        return None

    def nominal(self, span: tuple[int, int]) -> bool:
        """Whether a tagger's source is headed by a noun or pronoun (not "a", "Super", "actively")."""
        found = self.doc.char_span(span[0], span[1], alignment_mode="expand")
        if found is None or not len(found) or not self.parsed:
            return True
        return found.root.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "X")

    def noun_phrase(self, span: tuple[int, int]) -> tuple[int, int]:
        """A tagger's source widened to the left edge of its noun phrase: the tagger often drops the
        determiner or title ("[the] Times", "[Mr.] Trump"; 50 of 109 partly right sources on dev)."""
        found = self.doc.char_span(span[0], span[1], alignment_mode="expand")
        if found is None or not len(found) or not self.parsed:
            return span
        h = found.root
        if h.pos_ not in ("NOUN", "PROPN"):
            return span
        lo = min(found.start, min((c.left_edge.i for c in h.lefts if c.dep_ in _NP_LEFT), default=h.i))
        if self.quote_of(self.toks[lo].idx) is not None or any("\n" in t.text for t in self.toks[lo:h.i]):
            return span
        return (min(span[0], self.toks[lo].idx), max(span[1], self.end(h.i)))

    def same_line(self, subj: Token, v: Token) -> Token:
        """A subject on an earlier line than its verb is a heading the parse ran into the sentence ("7 p.m.
        [new line] Mayor Ruiz says"): the name on the verb's own line, before it, is the subject."""
        if subj.i > v.i or "\n" not in self.text[subj.idx:v.idx]:
            return subj
        line = self.tok_at(self.text.rfind("\n", 0, v.idx) + 1)
        names = [t for t in self.toks[line:v.i] if t.pos_ in ("PROPN", "NOUN", "PRON")
                 and not line <= t.head.i < v.i]
        return names[-1] if names else subj

    @staticmethod
    def named(subj: Token) -> Token:
        """The word a source resolves through: a relative pronoun stands for the noun its clause modifies."""
        if subj.lower_ in _RELATIVE and subj.head.dep_ == "relcl" and subj.head.head.i != subj.head.i:
            return subj.head.head
        return subj

    def source_span(self, head: Token) -> tuple[int, int] | None:
        """The whole subject phrase, appositions and relative clauses included ("Ana Ruiz, the mayor,"):
        PolNeAR's sources are full noun phrases, with the comma that closes an apposition."""
        toks = self.toks
        lo, hi = head.left_edge.i, head.right_edge.i
        if not (lo <= head.i <= hi):
            lo, hi = head.i, head.i
        # a dateline or a time stamp before a line break is not part of the subject
        for k in range(head.i - 1, lo - 1, -1):
            # "predictable - Donald J. Trump": a spaced dash ends whatever stood before the name
            spaced = bool(toks[k].whitespace_) and bool(toks[k - 1].whitespace_) if k > lo else False
            if "\n" in toks[k].text or (toks[k].text in _DATELINE_DASHES and k > lo and (
                    spaced or toks[k - 1].is_upper or toks[k - 1].text == ")")):
                lo = k + 1
                break
        # "Even China, ...", "Also the mayor": a focusing adverb before the name is not the source's
        while lo < head.i and (toks[lo].is_punct or toks[lo].is_space or toks[lo].text in _QUOTE_MARKS
                               or (toks[lo].dep_ in _NOT_SOURCE_LEFT and toks[lo].head.i == head.i)):
            lo += 1
        while hi > head.i and (toks[hi].is_space or (toks[hi].is_punct and toks[hi].text not in ")")):
            hi -= 1
        if hi < lo:
            return None
        end = self.end(hi)
        inner_comma = any(t.text == "," for t in toks[head.i:hi + 1])
        if inner_comma and hi + 1 < len(toks) and toks[hi + 1].text == ",":
            end = self.end(hi + 1)
        start = toks[lo].idx
        while end > start and self.text[end - 1].isspace():
            end -= 1
        # "Live updates (times local):\n\n9 a.m.\n\nThe mayor said": a live blog's headings parsed into
        # the subject; the source is its last line
        cut = self.text.rfind("\n", start, end)
        if cut >= 0 and self.text[cut:end].strip():
            start = cut + 1
            while start < end and self.text[start].isspace():
                start += 1
        return (start, end) if start < end else None

    def covered(self, s: int, e: int) -> bool:
        for a in self.attrs:
            for cs, ce in a.content:
                if cs <= s and e <= ce:
                    return True
            for r in (a.source, a.cue):
                if r is not None and r[0] < e and s < r[1]:
                    return True
        return False

    def cue_near(self, lo_char: int, hi_char: int, quote: tuple[int, int]) -> Token | None:
        """The nearest cue verb with a subject between two character offsets, outside quotations."""
        best: tuple[int, Token] | None = None
        for i in range(self.tok_at(lo_char), len(self.toks)):
            t = self.toks[i]
            if t.idx >= hi_char:
                break
            if t.idx < lo_char or self.quote_of(t.idx) is not None or not self.is_verb(t):
                continue
            cue = lex.cue_for(t.lemma_) if t.lemma_ else None
            if cue is None or cue.cls in ("intention", "cite") or self.subject(t) is None:
                continue
            dist = quote[0] - t.idx if t.idx < quote[0] else t.idx - quote[1]
            if best is None or dist < best[0]:
                best = (dist, t)
        return best[1] if best else None

    def cut_tail(self, s: int, e: int) -> tuple[int, int]:
        """Drop a trailing ", which ..." / ", known as ..." / ", the ..." modifier from a content: PolNeAR
        leaves non-restrictive tails out (3 of 4 on dev)."""
        if e <= s or self.quote_of(e - 1) is not None:
            return s, e
        first, last = self.tok_at(s), self.tok_at(e - 1)
        for i in range(first + 1, last + 1):
            t = self.toks[i]
            lo = t.left_edge.i
            if (t.dep_ in _TAILS and t.right_edge.i >= last and lo > first + 1
                    and self.toks[lo - 1].text == "," and self.toks[t.head.i].i < lo):
                cut = self.trim(s, self.toks[lo - 1].idx)
                return cut if cut is not None else (s, e)
        return s, e

    def phrase_with_quote(self, v: Token, q: tuple[int, int]) -> tuple[int, int] | None:
        """The complement of ``v`` after it that holds quotation ``q`` and more words than the quotation."""
        qtok = self.tok_at(q[0] + 1)
        for c in v.children:
            if c.i <= v.i or c.dep_ not in _QUOTE_HOLDERS or not c.left_edge.i <= qtok <= c.right_edge.i:
                continue
            rng = self.chars(c.left_edge.i, c.right_edge.i)
            if rng is None:
                return None
            rng = self.snap(*rng)
            outside = self.text[rng[0]:q[0]] + self.text[q[1]:rng[1]]
            if rng[0] <= q[0] and q[1] <= rng[1] and any(ch.isalnum() for ch in outside):
                return rng
            return None
        return None
