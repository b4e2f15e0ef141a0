"""The ``eventwire_attributions`` component: who said (or believed) what, according to whom, how surely.

Runs after "eventwire_entities" and "eventwire_times" and writes ``doc._.ew_attributions`` (a tuple of
:class:`model.Attribution`).  Rules over the dependency parse, each linear in the number of tokens:

1. cue verbs from the lexicon (``data/attribution_cues.tsv``) with a clause complement: the subject is the
   source, the complement the content ("Ruiz told reporters that ..."); "X, he said, Y" (parataxis) takes
   the head clause around the cue; "described X as “…”" takes the object when it holds a quotation;
   "is said to have demanded" (passive + infinitive) has no source and is alleged;
2. "according to X": X is the source, the clause around it the content;
3. "citing X" under another cue: X is a second source of the same content, reported *via* the first;
4. quotations (``attribution_quotes``) not inside any content: the nearest cue verb of their sentence, the
   sentence before when it ends in a colon, or a short next sentence ("…,” he said.);
5. role spans from a trained tagger, when one wrote ``doc.spans["attr_cue" / "attr_source" /
   "attr_content"]``: a predicted cue that no rule found becomes an attribution with the nearest predicted
   source and content of its sentence.

Then a trained ranker (``attribution_spans``, weights ``models/attributions/spans.npz``) re-chooses the
boundaries of one-piece, non-quotation contents among candidate pieces of the parse around the cue (on
PolNeAR dev: exact 0.693 -> 0.724 of the contents it may move).

A content that is all quotation is *direct*, one that holds a quotation *mixed*.  Factuality starts from
the cue's class and is overridden by negation (denied), "reportedly"/passive reporting (alleged), hedges
and belief verbs (speculated) and "if" (conditional); the deciding words are kept.  Sources resolve to
the entity whose mention covers their head word (pronouns and role nominals included, through the
entities component), else a pronoun to the nearest person named before it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from eventwire import settings
from eventwire.model import Attribution, AttributionKind, CharSpan, Entity, Factuality
from eventwire.nlp import attribution_lexicon as lex
from eventwire.nlp.attribution_quotes import find_quotes
from eventwire.nlp.attribution_spans import CandidateTables, SpanRanker, content_candidates
from eventwire.nlp.docutil import sentence_bounds
from eventwire.nlp.extensions import register_extensions

__all__ = ["AttributionFinder", "find_attributions", "make_attribution_finder"]

_SUBJ = frozenset({"nsubj", "csubj"})
_COMP = frozenset({"ccomp"})
# Trimmed from both ends of a content or source: separators that the parse leaves at clause edges.
_EDGE = frozenset(" \t\r\n,;:.—–-")
# A span without its edge whitespace (how the ranker's candidates are trimmed).
_NONSPACE = re.compile(r"\S(?:.*\S)?", re.DOTALL)
_QUOTE_MARKS = frozenset("\"“”„«»‘’'")
_PRONOUNS = frozenset({"he", "she", "they", "him", "her", "them", "i", "we", "you", "it"})
_RELATIVE = frozenset({"who", "which", "that"})
# A quotation of at most this many words outside any attribution is a scare quote ("so-called"), not speech.
_MIN_QUOTE_WORDS = 4
# At most this many characters between a speaker tag and the second half of its quotation: ", he said, “"
# is 12; "told reporters on board the plane on Friday, “" is 47.
_PAIR_GAP = 50
# “…” ― Name (an epigraph's credit line): the dash and a name up to the end of the line.
_CREDIT = re.compile(r"[ \t\u00a0]*([―—–-])[ \t\u00a0]*([A-Z][^\n]{0,60}?)[ \t\u00a0.]*(?=\n|$)")
_CREDIT_CHARS = 80
# "Name: words" opening a line: 1-4 capitalised words (transcript speakers, "Poll: ..." headlines).
_NAME_WORD = r"[A-Z][\w.’'-]*"
_LABEL = re.compile(rf"^[ \t\u00a0]*((?:{_NAME_WORD}[ \u00a0]){{0,3}}{_NAME_WORD})[ \t]*(:)[ \t\u00a0]+"
                    r"(\S[^\n]*)", re.MULTILINE)
# Complements of a cue that may hold a quoted fragment: 'called Y “a disgrace”', 'urged X to “act now”'.
_QUOTE_HOLDERS = frozenset({"ccomp", "dobj", "xcomp", "prep", "oprd", "attr", "dative"})
# Non-restrictive modifiers that may end a content after a comma.
_TAILS = frozenset({"relcl", "acl", "appos"})
# "Even China", "and the mayor": words before a source's name that are not part of the source.
_NOT_SOURCE_LEFT = frozenset({"advmod", "cc", "preconj"})
# Left dependents of a noun that belong to its phrase as a source: "the", "Mr.", "federal", "Obama's".
_NP_LEFT = frozenset({"det", "compound", "amod", "poss", "nummod", "nmod", "quantmod", "predet"})
# Left neighbours of a cue verb that belong to the cue.
_CUE_LEFT = frozenset({"aux", "auxpass", "neg", "advmod"})
# "BRUSSELS - European leaders said": the dash after an upper-case dateline ends it.
_DATELINE_DASHES = frozenset({"-", "—", "–", "--"})
# "called for X", "pointed to X", "called on X": the preposition is part of the cue.
_CUE_PREPS = frozenset({"for", "on", "to"})
_CUE_PARTICLES = frozenset({"out"})  # "pointed out"
# An object content ends where the cue's clause goes on: "described X as “Y” [and, with ...]".
_CLAUSE_BREAK = frozenset({"cc", "punct", "conj", "advcl", "ccomp", "parataxis"})
# A next sentence this short after a quotation can only be its speaker tag: "…,” Ruiz said.
_TAG_SENTENCE_TOKENS = 8
# A pronoun source looks this many sentences back for a person named before it.
_PRONOUN_WINDOW = 3
# Confidence given to the rule families: measured share of matched relations on PolNeAR dev (rounded).
_CONF_VERB = 0.8
_CONF_QUOTE = 0.7
_CONF_MODEL = 0.5
# The ranker's weights (``scripts/train_attribution_spans.py``) and the probability its top candidate needs
# to replace the rules' content (chosen on PolNeAR dev).
_RANKER = Path(__file__).resolve().parent.parent / "models" / "attributions" / "spans.npz"
_RERANK_P = 0.5
# Score added to a candidate that the role tagger marked as a content too (the whole span / one of its two
# ends): the two models err differently, and on PolNeAR dev these two numbers took the ranker from 959 to 981
# exact contents of the 1,334 it re-chose (flat within +-0.5 of either).
_TAGGER_SPAN_BONUS = 1.0
_TAGGER_EDGE_BONUS = 0.25


@cache
def _cue_ids() -> frozenset[int]:
    return frozenset(get_string_id(lemma) for lemma in lex.cues())


@cache
def _ranker() -> SpanRanker | None:
    """The content-span ranker shipped with the package, or None when its weights are absent."""
    return SpanRanker.load(_RANKER) if _RANKER.exists() else None


@dataclass(slots=True)
class _Attr:
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


def _prefix_solid(text: str) -> list[int]:
    """``out[i]``: the non-space characters of ``text[:i]`` (``len("".join(text[s:e].split()))`` is
    ``out[e] - out[s]``)."""
    out = [0] * (len(text) + 1)
    n = 0
    for i, ch in enumerate(text):
        if not ch.isspace():
            n += 1
        out[i + 1] = n
    return out


class _MentionIndex:
    """The article's entity mentions sorted by start, for lookups that do not scan every mention."""

    def __init__(self, entities: tuple[Entity, ...]) -> None:
        # (start, end, order, entity id): ``order`` keeps the first entity in the entities' own order on ties
        rows = sorted((m.span.start, m.span.end, k, e.id) for k, (e, m) in enumerate(
            (e, m) for e in entities for m in e.mentions))
        self.rows = rows
        self.starts = [r[0] for r in rows]
        self.longest = max((r[1] - r[0] for r in rows), default=0)
        types = {e.id: e.type for e in entities}
        people = [(s, k, eid) for s, _, k, eid in rows if types.get(eid) == "PERSON"]
        self.people = people
        self.people_starts = [r[0] for r in people]

    def covering(self, hs: int, he: int) -> str | None:
        """The entity of the shortest mention holding characters ``hs..he`` (first in order on ties)."""
        best: tuple[int, int, str] | None = None
        # only mentions that start at most ``longest`` characters before ``hs`` can reach it
        lo = bisect.bisect_left(self.starts, hs - self.longest)
        for ms, me, k, eid in self.rows[lo:bisect.bisect_right(self.starts, hs)]:
            if he <= me and (best is None or (me - ms, k) < best[:2]):
                best = (me - ms, k, eid)
        return best[2] if best else None

    def last_person(self, lo: int, hi: int) -> str | None:
        """The entity of the last PERSON mention starting in ``lo..hi`` (first in order on ties)."""
        j = bisect.bisect_left(self.people_starts, hi)
        if j == 0 or self.people_starts[j - 1] < lo:
            return None
        start = self.people_starts[j - 1]
        return min((r for r in self.people[bisect.bisect_left(self.people_starts, start):j]),
                   key=lambda r: r[1])[2]


def find_attributions(doc: Doc, ranker: SpanRanker | None = None) -> tuple[Attribution, ...]:
    """Attributions of a parsed Doc whose entities are already resolved (see the module docstring);
    with ``ranker``, rule-found contents get their boundaries re-chosen."""
    if not len(doc):
        return ()
    return _Finder(doc, ranker).run()


class AttributionFinder:
    """The pipeline component; reads the lexicons and the ranker when built, not on the first article."""

    def __init__(self, rerank: bool | None = None) -> None:
        register_extensions()
        lex.cues()
        lex.markers()
        if rerank is None:
            rerank = bool(settings.get("attribution_rerank"))
        self.ranker = _ranker() if rerank else None

    def __call__(self, doc: Doc) -> Doc:
        doc._.ew_attributions = find_attributions(doc, self.ranker)
        return doc


@Language.factory("eventwire_attributions")
def make_attribution_finder(nlp: Language, name: str) -> AttributionFinder:
    return AttributionFinder()


class _Finder:
    def __init__(self, doc: Doc, ranker: SpanRanker | None = None) -> None:
        self.doc = doc
        self.ranker = ranker
        self.toks: list[Token] = list(doc)
        self.text: str = "".join(t.text_with_ws for t in self.toks)
        self.starts = [t.idx for t in self.toks]
        self.parsed = doc.has_annotation("DEP")
        self.tagged = doc.has_annotation("TAG") or doc.has_annotation("POS")
        self.sent_starts = [s for s, _ in sentence_bounds(doc)] or [0]
        self.quotes = find_quotes(self.text)
        self.quote_starts = [s for s, _ in self.quotes]
        self.markers = lex.markers()
        self.attrs: list[_Attr] = []
        self.orphans: list[tuple[int, int]] = []
        self.entities: tuple[Entity, ...] = tuple(doc._.ew_entities)
        # Per-article indexes, so that each attribution's work does not grow with the article (a quote-dense
        # page has one attribution every ~50 characters: scans per attribution made it quadratic).
        self._solid = _prefix_solid(self.text)
        factual = self.markers.speculated | self.markers.alleged | self.markers.conditional
        self._fact_toks = [t.i for t in self.toks if t.lower_ in factual]
        self._fact_idx = [self.toks[i].idx for i in self._fact_toks]
        self._mentions = _MentionIndex(self.entities)

    # ------------------------------------------------------------ helpers

    def _end(self, i: int) -> int:
        t = self.toks[i]
        return t.idx + len(t.text)

    def _tok_at(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.starts, char) - 1)

    def _sent(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, char) - 1)

    def _trim(self, s: int, e: int, quotes: bool = False) -> tuple[int, int] | None:
        text = self.text
        strip = _EDGE | _QUOTE_MARKS if quotes else _EDGE
        while s < e and text[s] in strip:
            s += 1
        while e > s and text[e - 1] in strip:
            e -= 1
        return (s, e) if s < e else None

    def _chars(self, lo: int, hi: int, quotes: bool = False) -> tuple[int, int] | None:
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
        return self._trim(toks[lo].idx, self._end(hi), quotes)

    def _quote_of(self, char: int) -> int | None:
        k = bisect.bisect_right(self.quote_starts, char) - 1
        if k >= 0 and self.quotes[k][0] <= char < self.quotes[k][1]:
            return k
        return None

    def _snap(self, s: int, e: int) -> tuple[int, int]:
        """Widen a range cut inside a quotation to the whole quotation (marks included)."""
        q = self._quote_of(s)
        if q is not None:
            s = min(s, self.quotes[q][0])
            e = max(e, self.quotes[q][1]) if self.quotes[q][1] - e <= 2 else e
        q = self._quote_of(e - 1) if e > s else None
        if q is None and e < len(self.text):
            # "… call.” — the parse leaves the closing mark (and a final stop) outside the clause
            k = e
            while k < len(self.text) and k - e < 2 and self.text[k] in ".,!?":
                k += 1
            q = self._quote_of(k) if k < len(self.text) and self.text[k] in _QUOTE_MARKS else None
        if q is not None and self.quotes[q][1] - e <= 3:
            e = max(e, self.quotes[q][1])
            s = min(s, self.quotes[q][0]) if self.quotes[q][0] >= s - 1 else s
        return s, e

    def _paragraph(self, span: tuple[int, int], anchor: int) -> tuple[int, int] | None:
        """The part of a content range in the cue's paragraph (line): the parse joins a headline or a
        caption to the next line when no full stop separates them.  Quotations may run across lines."""
        s, e = span
        q = self._quote_of(s)
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
        return self._trim(max(s, lo), min(e, hi)) if max(s, lo) < min(e, hi) else None

    @staticmethod
    def _minus(spans: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
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

    def _pair_quotes(self) -> None:
        """"X,” he said, “Y.”: the quotation on the other side of a direct quote's cue clause is its rest.

        The gap between the cue clause (source and cue) and the quotation may hold only a few words without
        quotation marks ("told reporters on Friday,"), at most ``_PAIR_GAP`` characters."""
        used = {c for a in self.attrs for c in a.content}
        for a in self.attrs:
            if a.kind != AttributionKind.DIRECT or a.cue is None or len(a.content) != 1:
                continue
            clause = [r for r in (a.source, a.cue) if r is not None]
            lo, hi = min(r[0] for r in clause), max(r[1] for r in clause)
            (qs, qe), = a.content
            k = bisect.bisect_left(self.quote_starts, qs)
            if qe <= lo and k + 1 < len(self.quotes):
                other = self.quotes[k + 1]
                gap = self.text[hi:other[0]]
            elif qs >= hi and k >= 1:
                other = self.quotes[k - 1]
                gap = self.text[other[1]:lo]
            else:
                continue
            if other in used or len(gap) > _PAIR_GAP or any(ch in _QUOTE_MARKS for ch in gap):
                continue
            if self._sent(other[0]) - self._sent(a.cue[0]) not in (-1, 0, 1) or "\n" in gap:
                continue
            a.content = sorted([*a.content, other])
            used.add(other)

    def _quoted_share(self, spans: Iterable[tuple[int, int]]) -> float:
        spans = list(spans)
        solid = self._solid
        total = sum(solid[e] - solid[s] for s, e in spans)
        inside = 0
        for k in self._quotes_in(spans):
            qs, qe = self.quotes[k]
            for s, e in spans:
                lo, hi = max(s, qs), min(e, qe)
                if lo < hi:
                    inside += solid[hi] - solid[lo]
        return inside / total if total else 0.0

    def _quotes_in(self, spans: Iterable[tuple[int, int]]) -> list[int]:
        out = []
        for s, e in spans:
            k = bisect.bisect_left(self.quote_starts, s)
            while k < len(self.quotes) and self.quotes[k][0] < e:
                out.append(k)
                k += 1
        return out

    def _is_verb(self, t: Token) -> bool:
        return not self.tagged or t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VB")

    # ------------------------------------------------------------ sources

    def _subject(self, v: Token) -> Token | None:
        """The subject of a cue verb, borrowed from the verb it is coordinated with or modifies."""
        if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN", "PRON") and v.tag_ == "VBG":
            return v.head  # "footage of Trump saying ...", "a posting saying that ..."
        seen = 0
        while seen < 4:
            for c in v.children:
                if c.dep_ in _SUBJ:
                    return self._same_line(c, v)  # "the mayor, who said": the source is "who" (_named)
            if v.dep_ in ("conj", "xcomp", "advcl") and v.head.i != v.i:
                v = v.head
                seen += 1
                continue
            return None
        return None

    def _nominal(self, span: tuple[int, int]) -> bool:
        """Whether a tagger's source is headed by a noun or pronoun (not "a", "Super", "actively")."""
        found = self.doc.char_span(span[0], span[1], alignment_mode="expand")
        if found is None or not len(found) or not self.parsed:
            return True
        return found.root.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "X")

    def _noun_phrase(self, span: tuple[int, int]) -> tuple[int, int]:
        """A tagger's source widened to the left edge of its noun phrase: the tagger often drops the
        determiner or title ("[the] Times", "[Mr.] Trump"; 50 of 109 partly right sources on dev)."""
        found = self.doc.char_span(span[0], span[1], alignment_mode="expand")
        if found is None or not len(found) or not self.parsed:
            return span
        h = found.root
        if h.pos_ not in ("NOUN", "PROPN"):
            return span
        lo = min(found.start, min((c.left_edge.i for c in h.lefts if c.dep_ in _NP_LEFT), default=h.i))
        if self._quote_of(self.toks[lo].idx) is not None or any("\n" in t.text for t in self.toks[lo:h.i]):
            return span
        return (min(span[0], self.toks[lo].idx), max(span[1], self._end(h.i)))

    def _same_line(self, subj: Token, v: Token) -> Token:
        """A subject on an earlier line than its verb is a heading the parse ran into the sentence ("7 p.m.
        [new line] Mayor Ruiz says"): the name on the verb's own line, before it, is the subject."""
        if subj.i > v.i or "\n" not in self.text[subj.idx:v.idx]:
            return subj
        line = self._tok_at(self.text.rfind("\n", 0, v.idx) + 1)
        names = [t for t in self.toks[line:v.i] if t.pos_ in ("PROPN", "NOUN", "PRON")
                 and not line <= t.head.i < v.i]
        return names[-1] if names else subj

    @staticmethod
    def _named(subj: Token) -> Token:
        """The word a source resolves through: a relative pronoun stands for the noun its clause modifies."""
        if subj.lower_ in _RELATIVE and subj.head.dep_ == "relcl" and subj.head.head.i != subj.head.i:
            return subj.head.head
        return subj

    def _source_span(self, head: Token) -> tuple[int, int] | None:
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
        end = self._end(hi)
        inner_comma = any(t.text == "," for t in toks[head.i:hi + 1])
        if inner_comma and hi + 1 < len(toks) and toks[hi + 1].text == ",":
            end = self._end(hi + 1)
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

    # ------------------------------------------------------------ 1. cue verbs

    def _verb_cues(self) -> None:
        # lemma hashes in one array read, then a set test: no Token object for the ~95% that are no cue
        ids = _cue_ids()
        lemmas = self.doc.to_array("LEMMA").tolist() if len(self.doc) else []
        for i in [k for k, h in enumerate(lemmas) if h in ids]:
            t = self.toks[i]
            cue = lex.cue_for(t.lemma_)
            if cue is None or not self._is_verb(t):
                continue
            if cue.cls == "cite" and t.dep_ in ("advcl", "xcomp"):
                continue  # "reports, citing X, that": a chain, see _citing
            if t.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children):
                continue  # "to find", "to tell": an infinitive is a plan, rarely an attribution (25% on dev)
            a = self._from_verb(t, cue)
            if a is not None:
                self.attrs.append(a)
                # "X, Trump told reporters: “Y”": a clause on each side of the cue, two attributions
                b = self._from_verb(t, cue, other_side=True)
                if b is not None:
                    self.attrs.append(b)

    def _from_verb(self, v: Token, cue: lex.Cue, other_side: bool = False) -> _Attr | None:
        children = list(v.children)
        if any(c.dep_ == "prt" and c.lower_ not in _CUE_PARTICLES for c in children):
            return None  # "call off", "think up": another verb
        comps = [c for c in children if c.dep_ in _COMP]
        if not comps:  # "reports, citing X, that ...": the parse hangs the clause on "citing"
            comps = [g for c in children if c.dep_ == "advcl" and c.lemma_ == "cite"
                     for g in c.children if g.dep_ in _COMP]
        # "he is ambivalent; he had said that ...": the clause with "that" (or after the cue) is the content
        comps.sort(key=lambda c: (not any(g.dep_ == "mark" for g in c.children), c.i < v.i))
        if other_side:
            comps = [c for c in comps[1:] if (c.i < v.i) != (comps[0].i < v.i) and not any(
                t.text == ";" for t in self.toks[min(c.right_edge.i, v.i):max(c.left_edge.i, v.i)])]
            if not comps:
                return None
        passive_subj = next((c for c in children if c.dep_ == "nsubjpass"), None)
        xcomp = next((c for c in children if c.dep_ == "xcomp"), None)
        spans: list[tuple[int, int]] = []
        passive = False
        prep_cue = -1
        if passive_subj is not None and xcomp is not None and (
                cue.lemma in self.markers.passive_alleged or cue.lemma in self.markers.passive_speculated):
            spans = [x for x in (self._chars(passive_subj.left_edge.i, passive_subj.right_edge.i),
                                 self._chars(xcomp.left_edge.i, xcomp.right_edge.i)) if x]
            passive = True
        elif comps:
            c = comps[0]
            lo, hi = c.left_edge.i, c.right_edge.i
            if lo < v.i < hi:  # the cue sits inside: "The plan, he said, is dead" mis-attached
                spans = [x for x in (self._chars(lo, v.left_edge.i - 1), self._chars(v.right_edge.i + 1, hi))
                         if x]
            else:
                spans = [x for x in (self._chars(lo, hi),) if x]
        elif v.head.i != v.i and (v.dep_ == "parataxis" or (
                v.dep_ == "ccomp" and v.head.i < v.i and xcomp is None and lex.cue_for(v.head.lemma_) is None
                and all(c.is_punct or c.is_space for c in self.toks[v.i + 1:v.right_edge.i + 1]))):
            # "X, he said, Y" and "Maduro appeared on television CNN reported": the head clause around
            h = v.head
            while h.dep_ == "conj" and h.head.i != h.i:
                h = h.head
            lo, hi = h.left_edge.i, h.right_edge.i
            spans = [x for x in (self._chars(lo, v.left_edge.i - 1), self._chars(v.right_edge.i + 1, hi))
                     if x]
        elif (v.dep_ == "ccomp" and v.head.i > v.right_edge.i and (mark := next(
                (c for c in v.head.children if c.dep_ == "mark" and c.lower_ == "that" and c.i > v.i),
                None))):
            # "The Gazette reports, citing X, that Y offered": the parse makes the cue a clause of Y
            spans = [x for x in (self._chars(mark.i, v.head.right_edge.i),) if x]
        elif xcomp is not None and cue.cls in ("intention", "speech", "deny", "allege", "emotion"):
            spans = [x for x in (self._chars(xcomp.left_edge.i, xcomp.right_edge.i),) if x]
        else:
            # "described X as “…”", "called for X", "cited X": the object is the content
            stop = min((c.i for c in children if c.i > v.i and c.dep_ in _CLAUSE_BREAK),
                       default=len(self.toks))
            objs = [c for c in children if c.i < stop and (c.dep_ in ("dobj", "oprd") or (
                c.dep_ == "prep" and c.i > v.i and c.lower_ in self.markers.content_preps))]
            if cue.lemma in self.markers.addressee_verbs:
                objs = [c for c in objs if c.dep_ == "prep"]
            if objs:
                lo = min(c.left_edge.i for c in objs)
                hi = max(c.right_edge.i for c in objs)
                particle = objs[0] if objs[0].dep_ == "prep" and objs[0].lower_ in _CUE_PREPS else None
                if particle is not None and particle.i == lo:
                    lo = particle.i + 1  # "called for [X]": the preposition belongs to the cue
                    prep_cue = particle.i
                rng = self._chars(lo, hi)
                if rng and (self._quotes_in([rng]) or (
                        cue.cls in self.markers.object_content_classes
                        and (particle is not None or any(c.dep_ in ("dobj", "oprd") for c in objs))
                        and not all(c.pos_ == "PRON" for c in objs))):
                    spans = [rng]
        if not passive:
            spans = [self._cut_tail(*x) for x in spans]
        # "reports, citing X, that ...": the citing phrase is a second source, never content
        # (the phrase only: the parse may hang the content clause itself on "citing")
        holes = [(c.left_edge.idx, self._end(max([c.i] + [g.right_edge.i for g in c.children
                                                         if g.dep_ not in _COMP and g.i > c.i])))
                 for h in (v, *comps[:1]) for c in h.children
                 if c.lemma_ == "cite" and c.dep_ in ("advcl", "xcomp")]
        if holes:
            spans = [x for x in (self._trim(*x) for x in self._minus(spans, holes)) if x]
        spans = [self._snap(*x) for x in spans]
        spans = [x for x in (self._paragraph(x, v.idx) for x in spans) if x]
        if not spans:
            return None
        subj = None if passive else self._subject(v)
        if passive:
            agent = next((c for c in children if c.dep_ == "agent"), None)
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            subj = pobj
        if subj is None and not passive:
            return None
        source = self._source_span(subj) if subj is not None else None
        if source is not None and source[0] < v.idx < source[1]:
            source = self._trim(source[0], v.idx)  # "tweets criticizing X": the noun before the cue
        if source is not None and any(s <= source[0] < e for s, e in spans):
            return None  # the subject is inside the content: a mis-parse
        cue_lo, cue_hi = v.i, v.i
        for c in children:  # "pointed out", "called for"
            if (c.dep_ == "prt" or c.i == prep_cue) and c.i == cue_hi + 1:
                cue_hi = c.i
        # PolNeAR's cues take the auxiliaries and adverbs glued to the verb ("has also said", "didn't
        # expect") and a colon right after it ("said:")
        left = {c.i for c in children if c.dep_ in _CUE_LEFT and c.i < v.i}
        while cue_lo - 1 in left:
            cue_lo -= 1
        if cue_hi + 1 < len(self.toks) and self.toks[cue_hi + 1].text == ":":
            cue_hi += 1
        return _Attr(kind=cue.kind, content=spans, source=source,
                     source_head=self._named(subj).i if subj is not None else None,
                     cue=(self.toks[cue_lo].idx, self._end(cue_hi)), cue_tok=v.i, cls=cue.cls,
                     factuality=cue.factuality, passive=passive)

    # ------------------------------------------------------------ 2. according to

    def _according_to(self) -> None:
        toks, n = self.toks, len(self.toks)
        lower = self.text.lower()
        # only tokens where a phrase's first word occurs in the text (a str.find, not a property per token)
        starts: set[int] = set()
        for first in {p[0] for p in self.markers.according_to}:
            at = lower.find(first)
            while at >= 0:
                starts.add(self._tok_at(at))
                at = lower.find(first, at + 1)
        for i in sorted(starts):
            t = toks[i]
            for phrase in self.markers.according_to:
                k = len(phrase)
                if t.lower_ != phrase[0] or i + k > n or any(toks[i + j].lower_ != phrase[j]
                                                                for j in range(k)):
                    continue
                last = toks[i + k - 1]
                pobj = next((c for c in last.children if c.dep_ == "pobj"), None)
                if pobj is None and i + k < n:
                    pobj = toks[i + k]
                    while pobj.head.i > pobj.i and pobj.dep_ != "pobj" and pobj.head.i - i < 12:
                        pobj = pobj.head
                if pobj is None:
                    continue
                src = self._source_span(pobj)
                phrase_lo, phrase_hi = i, max(pobj.right_edge.i, i + k - 1)
                # the clause around the phrase: the head of "according", up to its sentence
                h = t.head if self.parsed else t
                while h.dep_ not in ("ROOT", "ccomp", "conj", "advcl") and h.head.i != h.i:
                    h = h.head
                if h.i == t.i or phrase_lo <= h.i <= phrase_hi:
                    sent = self._sent(t.idx)
                    lo = self._tok_at(self.sent_starts[sent])
                    nxt = self.sent_starts[sent + 1] if sent + 1 < len(self.sent_starts) else len(self.text)
                    hi = self._tok_at(nxt - 1)
                else:
                    lo, hi = h.left_edge.i, h.right_edge.i
                sent = self._sent(t.idx)
                lo = max(lo, self._tok_at(self.sent_starts[sent]))
                if sent + 1 < len(self.sent_starts):
                    hi = min(hi, self._tok_at(self.sent_starts[sent + 1] - 1))
                spans = [x for x in (self._chars(lo, phrase_lo - 1), self._chars(phrase_hi + 1, hi)) if x]
                if not spans:
                    continue
                spans = [x for x in (self._paragraph(self._snap(*x), t.idx) for x in spans) if x]
                if not spans:
                    continue
                self.attrs.append(_Attr(kind=AttributionKind.ACCORDING_TO, content=spans, source=src,
                                        source_head=pobj.i, cue=(t.idx, self._end(i + k - 1)), cue_tok=t.i,
                                        cls="according"))

    # ------------------------------------------------------------ 3. citing

    def _citing(self) -> None:
        by_tok = {a.cue_tok: k for k, a in enumerate(self.attrs) if a.cue_tok is not None}
        for t in self.toks:
            if t.lemma_ not in ("cite",) or not self._is_verb(t):
                continue
            obj = next((c for c in t.children if c.dep_ == "dobj"), None)
            if obj is None:
                continue
            h = t.head
            parent = by_tok.get(h.i)
            if parent is None:  # "reports, citing X, that Y offered": the parse hangs "citing" on "offered"
                sent = self._sent(t.idx)
                parent = next((k for k, a in enumerate(self.attrs) if a.cue is not None
                               and self._sent(a.cue[0]) == sent and a.cue[1] <= t.idx
                               and any(cs <= h.idx < ce for cs, ce in a.content)), None)
            if parent is None:
                continue
            base = self.attrs[parent]
            src = self._source_span(obj)
            self.attrs.append(_Attr(kind=base.kind, content=list(base.content), source=src, source_head=obj.i,
                                    cue=(t.idx, self._end(t.i)), cue_tok=t.i, cls="cite", via=parent,
                                    factuality=base.factuality))

    # ------------------------------------------------------------ 4. quotations

    def _covered(self, s: int, e: int) -> bool:
        for a in self.attrs:
            for cs, ce in a.content:
                if cs <= s and e <= ce:
                    return True
            for r in (a.source, a.cue):
                if r is not None and r[0] < e and s < r[1]:
                    return True
        return False

    def _cue_near(self, lo_char: int, hi_char: int, quote: tuple[int, int]) -> Token | None:
        """The nearest cue verb with a subject between two character offsets, outside quotations."""
        best: tuple[int, Token] | None = None
        for i in range(self._tok_at(lo_char), len(self.toks)):
            t = self.toks[i]
            if t.idx >= hi_char:
                break
            if t.idx < lo_char or self._quote_of(t.idx) is not None or not self._is_verb(t):
                continue
            cue = lex.cue_for(t.lemma_) if t.lemma_ else None
            if cue is None or cue.cls in ("intention", "cite") or self._subject(t) is None:
                continue
            dist = quote[0] - t.idx if t.idx < quote[0] else t.idx - quote[1]
            if best is None or dist < best[0]:
                best = (dist, t)
        return best[1] if best else None

    def _quotations(self) -> None:
        by_cue: dict[int, int] = {}
        n_sent = len(self.sent_starts)
        for q in self.quotes:
            s, e = q
            if self._covered(s, e):
                continue
            words = len(self.text[s:e].split())
            credit = _CREDIT.match(self.text, e, min(len(self.text), e + _CREDIT_CHARS))
            if credit is not None and credit.group(1) in self.markers.credit_dashes:
                src = (credit.start(2), credit.end(2))
                self.attrs.append(_Attr(kind=AttributionKind.DIRECT, content=[q], source=src,
                                        source_head=self._tok_at(src[1] - 1),
                                        cue=(credit.start(1), credit.end(1)), confidence=_CONF_QUOTE))
                continue
            s0, s1 = self._sent(s), self._sent(e - 1)
            lo = self.sent_starts[s0]
            hi = self.sent_starts[s1 + 1] if s1 + 1 < n_sent else len(self.text)
            # the parse may run a sentence over a paragraph break: the speaker is in the quote's paragraph
            para_lo, para_hi = self.text.rfind("\n", 0, s) + 1, self.text.find("\n", e)
            v = self._cue_near(max(lo, para_lo), min(hi, para_hi) if para_hi >= 0 else hi, q)
            if v is None and s1 + 1 < n_sent:
                nxt_hi = self.sent_starts[s1 + 2] if s1 + 2 < n_sent else len(self.text)
                if self._tok_at(nxt_hi - 1) - self._tok_at(hi) < _TAG_SENTENCE_TOKENS:
                    v = self._cue_near(hi, nxt_hi, q)
                    if v is not None and "\n" in self.text[e:v.idx]:
                        v = None  # a speaker tag never opens the next paragraph
            if v is None and s0 > 0:
                before = self.text[:s].rstrip()
                if before.endswith(":"):
                    v = self._cue_near(self.sent_starts[self._sent(len(before) - 1)], len(before), q)
            if v is None:
                if words >= _MIN_QUOTE_WORDS:
                    self.orphans.append(q)
                continue
            if v.i in by_cue and self.attrs[by_cue[v.i]].kind == AttributionKind.DIRECT:
                a = self.attrs[by_cue[v.i]]
                if self._sent(a.content[-1][0]) >= s0 - 1:
                    a.content.append(q)
                    continue
            if words < _MIN_QUOTE_WORDS and self._sent(v.idx) != s0:
                continue
            cue = lex.cue_for(v.lemma_)
            subj = self._subject(v)
            if cue is None or subj is None:
                continue
            found = self._source_span(subj)
            if found is not None and found[0] < e and s < found[1]:
                continue
            content = [q]
            kind = AttributionKind.DIRECT
            wider = self._phrase_with_quote(v, q)
            if wider is not None:  # 'claimed that X was a “cure”': the cue's phrase holding the quotation
                content, kind = [wider], AttributionKind.MIXED
            by_cue[v.i] = len(self.attrs)
            self.attrs.append(_Attr(kind=kind, content=content, source=found,
                                    source_head=self._named(subj).i, cue=(v.idx, self._end(v.i)), cue_tok=v.i,
                                    cls=cue.cls,
                                    factuality=cue.factuality, confidence=_CONF_QUOTE))

    def _cut_tail(self, s: int, e: int) -> tuple[int, int]:
        """Drop a trailing ", which ..." / ", known as ..." / ", the ..." modifier from a content: PolNeAR
        leaves non-restrictive tails out (3 of 4 on dev)."""
        if e <= s or self._quote_of(e - 1) is not None:
            return s, e
        first, last = self._tok_at(s), self._tok_at(e - 1)
        for i in range(first + 1, last + 1):
            t = self.toks[i]
            lo = t.left_edge.i
            if (t.dep_ in _TAILS and t.right_edge.i >= last and lo > first + 1
                    and self.toks[lo - 1].text == "," and self.toks[t.head.i].i < lo):
                cut = self._trim(s, self.toks[lo - 1].idx)
                return cut if cut is not None else (s, e)
        return s, e

    def _phrase_with_quote(self, v: Token, q: tuple[int, int]) -> tuple[int, int] | None:
        """The complement of ``v`` after it that holds quotation ``q`` and more words than the quotation."""
        qtok = self._tok_at(q[0] + 1)
        for c in v.children:
            if c.i <= v.i or c.dep_ not in _QUOTE_HOLDERS or not c.left_edge.i <= qtok <= c.right_edge.i:
                continue
            rng = self._chars(c.left_edge.i, c.right_edge.i)
            if rng is None:
                return None
            rng = self._snap(*rng)
            outside = self.text[rng[0]:q[0]] + self.text[q[1]:rng[1]]
            if rng[0] <= q[0] and q[1] <= rng[1] and any(ch.isalnum() for ch in outside):
                return rng
            return None
        return None

    def _labelled_lines(self) -> None:
        """"Name: words" at the start of a line (transcripts, headlines "Poll: ..."): speaker, colon, rest."""
        for m in _LABEL.finditer(self.text):
            label = " ".join(m.group(1).lower().split())
            if label in self.markers.not_sources or self._quote_of(m.start(1)) is not None:
                continue
            content = self._trim(m.start(3), m.end(3))
            if content is None or len(self.text[content[0]:content[1]].split()) < _MIN_QUOTE_WORDS:
                continue
            src = (m.start(1), m.end(1))
            self.attrs.append(_Attr(kind=AttributionKind.INDIRECT, content=[content], source=src,
                                    source_head=self._tok_at(src[1] - 1), cue=(m.start(2), m.end(2)),
                                    confidence=_CONF_QUOTE))

    def _orphan(self, q: tuple[int, int]) -> _Attr:
        """A quotation no cue claims: the speaker of the sentence before it ("Ruiz said the talks failed.
        “We tried everything.”"), else unknown."""
        s0 = self._sent(q[0])
        v = self._cue_near(self.sent_starts[s0 - 1], q[0], q) if s0 > 0 else None
        subj = self._subject(v) if v is not None else None
        src = self._source_span(subj) if subj is not None else None
        if v is None or subj is None or src is None:
            return _Attr(kind=AttributionKind.DIRECT, content=[q], confidence=_CONF_QUOTE / 2)
        cue = lex.cue_for(v.lemma_)
        return _Attr(kind=AttributionKind.DIRECT, content=[q], source=src, source_head=self._named(subj).i,
                     cue=(v.idx, self._end(v.i)), cue_tok=v.i, cls=cue.cls if cue else "speech",
                     factuality=cue.factuality if cue else Factuality.REPORTED, confidence=_CONF_QUOTE / 2)

    # ------------------------------------------------------------ 5. trained role spans

    def _model_spans(self) -> None:
        groups = self.doc.spans
        if "attr_cue" not in groups:
            return
        # characters already claimed, as a byte mask: an any() over a list of ranges per test was 60% of
        # this component's time with the tagger on
        mask = bytearray(len(self.text))

        def claim(ranges: Iterable[tuple[int, int] | None]) -> None:
            for r in ranges:
                if r is not None:
                    mask[r[0]:r[1]] = b"\x01" * (r[1] - r[0])

        def free(s: int, e: int) -> bool:
            return mask.find(1, s, e) < 0

        claim(r for a in self.attrs for r in (a.cue, a.source, *a.content))

        def ranges(key: str) -> list[tuple[int, int]]:
            if key not in groups:
                return []
            out = []
            for sp in groups[key]:
                r = self._trim(sp.start_char, sp.end_char) if len(sp) else None
                if r is not None:
                    out.append(r)
            return out

        sources, contents = ranges("attr_source"), ranges("attr_content")
        for cs, ce in ranges("attr_cue"):
            if not free(cs, ce):
                continue
            # a verb cue the lexicon lacks: the parse gives source and content as for a known cue
            # (on dev, parse-derived contents were exact twice as often as the tagger's own spans)
            verb = next((t for t in reversed(self.toks[self._tok_at(cs):self._tok_at(ce - 1) + 1])
                         if self.parsed and t.pos_ == "VERB"), None)
            if verb is not None and verb.lemma_ in self.markers.not_cue_verbs:
                continue
            if verb is not None:
                known = lex.cue_for(verb.lemma_) or lex.Cue(verb.lemma_, "speech", AttributionKind.INDIRECT,
                                                            Factuality.REPORTED)
                a = self._from_verb(verb, known)
                if a is not None and a.cue is not None and free(*a.cue) and all(free(*c) for c in a.content):
                    a.confidence = _CONF_MODEL
                    self.attrs.append(a)
                    claim((a.source, a.cue, *a.content))
                    continue
            sent = self._sent(cs)
            near_c = [c for c in contents if free(*c) and abs(self._sent(c[0]) - sent) <= 1]
            if not near_c:
                continue
            content = min(near_c, key=lambda c: abs(c[0] - cs))
            near_s = [x for x in sources if free(*x) and self._sent(x[0]) == sent and not
                      (content[0] <= x[0] < content[1])]
            if not near_s:
                continue  # tagger spans without a source were right a third of the time on dev
            source = self._noun_phrase(min(near_s, key=lambda x: abs(x[0] - cs)))
            subj = self._subject(verb) if verb is not None else None
            whole = self._source_span(subj) if subj is not None else None
            if subj is not None and whole is not None and whole[0] <= source[0] and source[1] <= whole[1]:
                # the tagger marked part of the cue verb's subject ("[Tom] Clarke, a nursing home owner,"):
                # the parse gives the whole phrase, as for a rule-found cue
                source = whole
            if not free(*source) or not self._nominal(source):
                continue
            named = self._named(subj) if source is whole and subj is not None else None
            head = named.i if named is not None else self._tok_at(source[1] - 1)
            cue_tok = self._tok_at(cs)
            cue = lex.cue_for(self.toks[cue_tok].lemma_) if self.toks[cue_tok].lemma_ else None
            spans = [self._snap(*content)]
            self.attrs.append(_Attr(kind=cue.kind if cue else AttributionKind.INDIRECT, content=spans,
                                    source=source, source_head=head, cue=(cs, ce), cue_tok=cue_tok,
                                    cls=cue.cls if cue else "speech",
                                    factuality=cue.factuality if cue else Factuality.REPORTED,
                                    confidence=_CONF_MODEL))
            claim((source, (cs, ce), content))

    # ------------------------------------------------------------ kinds, factuality, sources

    def _kind(self, a: _Attr) -> None:
        if a.kind == AttributionKind.DIRECT and a.cue is None:
            return
        share = self._quoted_share(a.content)
        if share >= 0.9:
            a.kind = AttributionKind.DIRECT
            quotes = self._quotes_in(a.content)
            inside = [self.quotes[k] for k in quotes]
            outside = "".join(self.text[s:e] for s, e in self._minus(a.content, inside))
            if quotes and not any(ch.isalnum() for ch in outside):
                a.content = [self.quotes[k] for k in quotes]
        elif self._quotes_in(a.content) and a.kind != AttributionKind.ACCORDING_TO:
            a.kind = AttributionKind.MIXED

    def _factuality(self, a: _Attr) -> None:
        m = self.markers
        if a.passive:
            v = self.toks[a.cue_tok] if a.cue_tok is not None else None
            if v is not None:
                a.factuality = (Factuality.SPECULATED if v.lemma_ in m.passive_speculated
                                else Factuality.ALLEGED)
                a.fact_cues.append(a.cue or (v.idx, self._end(v.i)))
        v = self.toks[a.cue_tok] if a.cue_tok is not None and self.parsed else None
        if v is not None:
            if a.cls == "belief":
                a.fact_cues.append((v.idx, self._end(v.i)))
            # negation of the cue, or of a verb that governs it: "did not want to comment"
            w: Token | None = v
            for _ in range(3):
                if w is None:
                    break
                neg = next((c for c in w.children if c.dep_ == "neg" and c.lower_ in m.negation), None)
                if neg is not None:
                    a.factuality = Factuality.DENIED
                    a.fact_cues.append((neg.idx, self._end(neg.i)))
                    return
                w = w.head if w.dep_ in ("xcomp", "conj") and w.head.i != w.i else None
            if a.cls == "deny":
                a.fact_cues.append((v.idx, self._end(v.i)))
                return
            if a.cls == "allege":
                a.fact_cues.append((v.idx, self._end(v.i)))
            adv = next((c for c in v.children if c.lower_ in m.alleged), None)
            if adv is not None:
                a.factuality = Factuality.ALLEGED
                a.fact_cues.append((adv.idx, self._end(adv.i)))
                return
        if a.factuality == Factuality.ALLEGED:
            return
        found: list[tuple[int, int]] = []
        cond: tuple[int, int] | None = None
        alleged: tuple[int, int] | None = None
        for s, e in a.content:
            # only the article's marker words inside the content (a walk over every token of every
            # content was quadratic on quote-dense pages)
            lo = bisect.bisect_left(self._fact_toks, self._tok_at(s))
            for i in self._fact_toks[lo:bisect.bisect_left(self._fact_idx, e, lo=lo)]:
                t = self.toks[i]
                if t.idx < s or self._quote_of(t.idx) is not None:
                    continue
                low = t.lower_
                if low in m.speculated and (not self.parsed or t.dep_ in ("aux", "advmod", "acomp", "amod")):
                    found.append((t.idx, self._end(i)))
                elif low in m.alleged and alleged is None:
                    alleged = (t.idx, self._end(i))
                elif low in m.conditional and cond is None and (not self.parsed or t.dep_ == "mark"):
                    cond = (t.idx, self._end(i))
        if alleged is not None:
            a.factuality = Factuality.ALLEGED
            a.fact_cues.append(alleged)
        elif found:
            a.factuality = Factuality.SPECULATED
            a.fact_cues.extend(found)
        elif cond is not None:
            a.factuality = Factuality.CONDITIONAL
            a.fact_cues.append(cond)

    def _entity_of(self, a: _Attr) -> str | None:
        if a.source is None or a.source_head is None:
            return None
        head = self.toks[a.source_head]
        hs, he = head.idx, self._end(head.i)
        best = self._mentions.covering(hs, he)
        if best is not None:
            return best
        if head.text[:1].isupper() and head.lower_ not in _PRONOUNS:
            # a bare surname the entities component left untagged: the one person whose name ends with it
            people = {e.id for e in self.entities
                      if e.type == "PERSON" and e.name.split()[-1:] == [head.text]}
            if len(people) == 1:
                return people.pop()
        if head.lower_ in ("he", "she", "him", "her"):
            limit = self.sent_starts[max(0, self._sent(hs) - _PRONOUN_WINDOW)]
            return self._mentions.last_person(limit, hs)
        return None

    def _anonymous(self, a: _Attr, entity: str | None) -> bool:
        if a.source is None or a.source_head is None or entity is not None:
            return False
        head = self.toks[a.source_head]
        if head.lower_ not in self.markers.anonymous_heads:
            return False
        words = " ".join(self.text[a.source[0]:a.source[1]].lower().split())
        if any(p in words for p in self.markers.anonymous_phrases):
            return True
        det = next((c.lower_ for c in head.children if c.dep_ == "det"), None)
        return det != "the"  # "sources", "an official": unnamed; "the source" may be named before

    # ------------------------------------------------------------ output

    def _dedupe(self) -> None:
        seen: set[tuple[int | None, tuple[tuple[int, int], ...]]] = set()
        keep: list[_Attr] = []
        remap: dict[int, int] = {}
        # two quotations one cue found separately ('"X," Holt told the crowd, "but Y."') are one attribution
        direct: dict[tuple[tuple[int, int], tuple[int, int] | None], int] = {}
        for k, a in enumerate(self.attrs):
            key = (a.cue[0] if a.cue else None, tuple(a.content))
            if key in seen:
                continue
            seen.add(key)
            if a.kind == AttributionKind.DIRECT and a.cue is not None:
                other = direct.get((a.cue, a.source))
                if other is not None and all(abs(self._sent(c[0]) - self._sent(a.cue[0])) <= 1
                                             for c in (*keep[other].content, *a.content)):
                    keep[other].content = sorted({*keep[other].content, *a.content})
                    remap[k] = other
                    continue
                direct[(a.cue, a.source)] = len(keep)
            remap[k] = len(keep)
            keep.append(a)
        for a in keep:
            a.via = remap.get(a.via) if a.via is not None else None
        self.attrs = keep

    def _rerank(self) -> None:
        """Re-choose the boundaries of one-piece contents the rules found (``attribution_spans``).

        Direct quotes keep the rules' span (the quotation itself: reranking them lost 0.2 points on dev)."""
        if self.ranker is None or not self.parsed:
            return
        # a content never holds its own source, nor the source and cue of a "citing X" chained to it
        forbidden: list[list[tuple[int, int]]] = [[r for r in (a.source,) if r] for a in self.attrs]
        for a in self.attrs:
            if a.via is not None:
                forbidden[a.via].extend(r for r in (a.source, a.cue) if r)
        # whitespace-trimmed like the candidates (``_trim`` would also drop edge punctuation)
        tagged = {(m.start(), m.end()) for sp in self.doc.spans.get("attr_content", ()) if len(sp)
                  for m in (_NONSPACE.search(self.text, sp.start_char, sp.end_char),) if m is not None}
        tag_starts, tag_ends = {s for s, _ in tagged}, {e for _, e in tagged}
        tables = CandidateTables(self.doc, self.quotes, self.text)  # once per article, read by every cue
        for k, a in enumerate(self.attrs):
            if a.via is not None or a.cue is None or len(a.content) != 1 or a.kind == AttributionKind.DIRECT:
                continue
            span = self.doc.char_span(a.cue[0], a.cue[1], alignment_mode="expand")
            if span is None or not len(span):
                continue
            cands = [c for c in content_candidates(self.doc, span.root, self.quotes, a.content[0],
                                                   f"{a.confidence}|{a.kind.value}", tables=tables)
                     if not any(c.start < e and s < c.end for s, e in forbidden[k])]
            bonus = numpy.array([_TAGGER_SPAN_BONUS * ((c.start, c.end) in tagged)
                                 + _TAGGER_EDGE_BONUS * ((c.start in tag_starts) + (c.end in tag_ends))
                                 for c in cands], dtype=numpy.float32) if tagged else None
            best = self.ranker.best(cands, bonus)
            if best is not None and best[1] >= _RERANK_P:
                a.content = [(best[0].start, best[0].end)]
        for a in self.attrs:  # "citing X": the chained attribution shares its parent's content
            if a.via is not None:
                a.content = list(self.attrs[a.via].content)

    def run(self) -> tuple[Attribution, ...]:
        if self.parsed:
            self._verb_cues()
            self._according_to()
            self._citing()
        self._labelled_lines()
        self._quotations()
        for a in self.attrs:
            a.content = sorted({c for c in a.content if c[0] < c[1]})
            self._kind(a)
        self._pair_quotes()
        used = {c for a in self.attrs for c in a.content}
        for q in self.orphans:
            if q not in used:
                o = self._orphan(q)
                # "“A,” Ruiz said. “B.”": a quotation whose speaker tag is the previous sentence's goes on
                # the attribution that tag already has
                prev = next((a for a in self.attrs if o.cue_tok is not None and a.cue_tok == o.cue_tok
                             and a.kind == AttributionKind.DIRECT
                             and a.content and a.content[-1][1] <= q[0]), None)
                if prev is not None:
                    prev.content = sorted([*prev.content, q])
                    continue
                self.attrs.append(o)
        # the tagger only fills gaps the rules left: its spans were exact less often on dev
        n = len(self.attrs)
        self._model_spans()
        for a in self.attrs[n:]:
            a.content = sorted({c for c in a.content if c[0] < c[1]})
            self._kind(a)
        self._dedupe()
        self._rerank()
        for a in self.attrs:
            self._factuality(a)
        order = sorted(range(len(self.attrs)), key=lambda k: (self.attrs[k].content[0][0],
                                                               self.attrs[k].cue or (0, 0)))
        ids = {k: f"A{n}" for n, k in enumerate(order, start=1)}
        text = self.text
        out = []
        for k in order:
            a = self.attrs[k]
            entity = self._entity_of(a)
            anonymous = self._anonymous(a, entity)
            source = CharSpan.of(text, *a.source) if a.source else None
            out.append(Attribution(
                id=ids[k], kind=a.kind, content=tuple(CharSpan.of(text, s, e) for s, e in a.content),
                source=source, cue=CharSpan.of(text, *a.cue) if a.cue else None, source_entity=entity,
                anonymous=anonymous, anonymous_description=source.text if anonymous and source else None,
                factuality=a.factuality,
                factuality_cues=tuple(CharSpan.of(text, s, e) for s, e in sorted(set(a.fact_cues))),
                via=ids.get(a.via) if a.via is not None else None, sentence=self._sent(a.content[0][0]),
                confidence=a.confidence,
            ))
        return tuple(out)
