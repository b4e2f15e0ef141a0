"""Stage 4: quotations (``quotes``) not inside any content, and "Name: words" lines.

A quotation takes the nearest cue verb of its sentence, of the sentence before when that ends in a colon,
or of a short next sentence ("…,” he said."); an epigraph's credit line ("― Name") is its source; the
quotation on the other side of a direct quote's cue clause is its rest; a quotation nobody claims takes
the speaker of the sentence before (``orphan``), else it has no source.
"""

from __future__ import annotations

import bisect
import re

from eventwire.model import AttributionKind, Factuality
from eventwire.nlp.attributions import lexicon as lex
from eventwire.nlp.attributions.state import ArticleState, Draft

__all__ = ["labelled_lines", "orphan", "pair_quotes", "quotations"]

_QUOTE_MARKS = frozenset("\"“”„«»‘’'")
# “…” ― Name (an epigraph's credit line): the dash and a name up to the end of the line.
_CREDIT = re.compile(r"[ \t\u00a0]*([―—–-])[ \t\u00a0]*([A-Z][^\n]{0,60}?)[ \t\u00a0.]*(?=\n|$)")
_CREDIT_CHARS = 80
# "Name: words" opening a line: 1-4 capitalised words (transcript speakers, "Poll: ..." headlines).
_NAME_WORD = r"[A-Z][\w.’'-]*"
_LABEL = re.compile(rf"^[ \t\u00a0]*((?:{_NAME_WORD}[ \u00a0]){{0,3}}{_NAME_WORD})[ \t]*(:)[ \t\u00a0]+"
                    r"(\S[^\n]*)", re.MULTILINE)
_CONF_QUOTE = 0.7


def labelled_lines(st: ArticleState) -> None:
    """"Name: words" at the start of a line (transcripts, headlines "Poll: ..."): speaker, colon, rest."""
    for m in _LABEL.finditer(st.text):
        label = " ".join(m.group(1).lower().split())
        if label in st.markers.not_sources or st.quote_of(m.start(1)) is not None:
            continue
        content = st.trim(m.start(3), m.end(3))
        if content is None or len(st.text[content[0]:content[1]].split()) < st.config.min_quote_words:
            continue
        src = (m.start(1), m.end(1))
        st.attrs.append(Draft(kind=AttributionKind.INDIRECT, content=[content], source=src,
                                source_head=st.tok_at(src[1] - 1), cue=(m.start(2), m.end(2)),
                                confidence=_CONF_QUOTE))


def quotations(st: ArticleState) -> None:
    """Attribute each quotation outside any content to the nearest cue verb (or its credit line)."""
    by_cue: dict[int, int] = {}
    n_sent = len(st.sent_starts)
    for q in st.quotes:
        s, e = q
        if st.covered(s, e):
            continue
        words = len(st.text[s:e].split())
        credit = _CREDIT.match(st.text, e, min(len(st.text), e + _CREDIT_CHARS))
        if credit is not None and credit.group(1) in st.markers.credit_dashes:
            src = (credit.start(2), credit.end(2))
            st.attrs.append(Draft(kind=AttributionKind.DIRECT, content=[q], source=src,
                                    source_head=st.tok_at(src[1] - 1),
                                    cue=(credit.start(1), credit.end(1)), confidence=_CONF_QUOTE))
            continue
        s0, s1 = st.sent(s), st.sent(e - 1)
        lo = st.sent_starts[s0]
        hi = st.sent_starts[s1 + 1] if s1 + 1 < n_sent else len(st.text)
        # the parse may run a sentence over a paragraph break: the speaker is in the quote's paragraph
        para_lo, para_hi = st.text.rfind("\n", 0, s) + 1, st.text.find("\n", e)
        v = st.cue_near(max(lo, para_lo), min(hi, para_hi) if para_hi >= 0 else hi, q)
        if v is None and s1 + 1 < n_sent:
            nxt_hi = st.sent_starts[s1 + 2] if s1 + 2 < n_sent else len(st.text)
            if st.tok_at(nxt_hi - 1) - st.tok_at(hi) < st.config.tag_sentence_tokens:
                v = st.cue_near(hi, nxt_hi, q)
                if v is not None and "\n" in st.text[e:v.idx]:
                    v = None  # a speaker tag never opens the next paragraph
        if v is None and s0 > 0:
            before = st.text[:s].rstrip()
            if before.endswith(":"):
                v = st.cue_near(st.sent_starts[st.sent(len(before) - 1)], len(before), q)
        if v is None:
            if words >= st.config.min_quote_words:
                st.orphans.append(q)
            continue
        if v.i in by_cue and st.attrs[by_cue[v.i]].kind == AttributionKind.DIRECT:
            a = st.attrs[by_cue[v.i]]
            if st.sent(a.content[-1][0]) >= s0 - 1:
                a.content.append(q)
                continue
        if words < st.config.min_quote_words and st.sent(v.idx) != s0:
            continue
        cue = lex.cue_for(v.lemma_)
        subj = st.subject(v)
        if cue is None or subj is None:
            continue
        found = st.source_span(subj)
        if found is not None and found[0] < e and s < found[1]:
            continue
        content = [q]
        kind = AttributionKind.DIRECT
        wider = st.phrase_with_quote(v, q)
        if wider is not None:  # 'claimed that X was a “cure”': the cue's phrase holding the quotation
            content, kind = [wider], AttributionKind.MIXED
        by_cue[v.i] = len(st.attrs)
        st.attrs.append(Draft(kind=kind, content=content, source=found,
                                source_head=st.named(subj).i, cue=(v.idx, st.end(v.i)), cue_tok=v.i,
                                cls=cue.cls,
                                factuality=cue.factuality, confidence=_CONF_QUOTE))


def pair_quotes(st: ArticleState) -> None:
    """"X,” he said, “Y.”: the quotation on the other side of a direct quote's cue clause is its rest.

    The gap between the cue clause (source and cue) and the quotation may hold only a few words without
    quotation marks ("told reporters on Friday,"), at most ``st.config.pair_gap`` characters."""
    used = {c for a in st.attrs for c in a.content}
    for a in st.attrs:
        if a.kind != AttributionKind.DIRECT or a.cue is None or len(a.content) != 1:
            continue
        clause = [r for r in (a.source, a.cue) if r is not None]
        lo, hi = min(r[0] for r in clause), max(r[1] for r in clause)
        (qs, qe), = a.content
        k = bisect.bisect_left(st.quote_starts, qs)
        if qe <= lo and k + 1 < len(st.quotes):
            other = st.quotes[k + 1]
            gap = st.text[hi:other[0]]
        elif qs >= hi and k >= 1:
            other = st.quotes[k - 1]
            gap = st.text[other[1]:lo]
        else:
            continue
        if other in used or len(gap) > st.config.pair_gap or any(ch in _QUOTE_MARKS for ch in gap):
            continue
        if st.sent(other[0]) - st.sent(a.cue[0]) not in (-1, 0, 1) or "\n" in gap:
            continue
        a.content = sorted([*a.content, other])
        used.add(other)


def orphan(st: ArticleState, q: tuple[int, int]) -> Draft:
    """A quotation no cue claims: the speaker of the sentence before it ("Ruiz said the talks failed.
    “We tried everything.”"), else unknown."""
    s0 = st.sent(q[0])
    v = st.cue_near(st.sent_starts[s0 - 1], q[0], q) if s0 > 0 else None
    subj = st.subject(v) if v is not None else None
    src = st.source_span(subj) if subj is not None else None
    if v is None or subj is None or src is None:
        return Draft(kind=AttributionKind.DIRECT, content=[q], confidence=_CONF_QUOTE / 2)
    cue = lex.cue_for(v.lemma_)
    return Draft(kind=AttributionKind.DIRECT, content=[q], source=src, source_head=st.named(subj).i,
                 cue=(v.idx, st.end(v.i)), cue_tok=v.i, cls=cue.cls if cue else "speech",
                 factuality=cue.factuality if cue else Factuality.REPORTED, confidence=_CONF_QUOTE / 2)
