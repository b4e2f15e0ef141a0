"""Kinds and factuality of the attributions found.

A content that is all quotation is *direct*, one that holds a quotation *mixed*.  Factuality starts from
the cue's class and is overridden by negation (denied), "reportedly"/passive reporting (alleged), hedges
and belief verbs (speculated) and "if" (conditional); the deciding words are kept.
"""

from __future__ import annotations

import bisect

from spacy.tokens import Token

from eventwire.model import AttributionKind, Factuality
from eventwire.nlp.attributions.state import ArticleState, Draft

__all__ = ["factuality", "kind"]


def kind(st: ArticleState, a: Draft) -> None:
    """Set direct / mixed from how much of the content is quotation."""
    if a.kind == AttributionKind.DIRECT and a.cue is None:
        return
    share = st.quoted_share(a.content)
    if share >= 0.9:
        a.kind = AttributionKind.DIRECT
        quotes = st.quotes_in(a.content)
        inside = [st.quotes[k] for k in quotes]
        outside = "".join(st.text[s:e] for s, e in st.minus(a.content, inside))
        if quotes and not any(ch.isalnum() for ch in outside):
            a.content = [st.quotes[k] for k in quotes]
    elif st.quotes_in(a.content) and a.kind != AttributionKind.ACCORDING_TO:
        a.kind = AttributionKind.MIXED


def factuality(st: ArticleState, a: Draft) -> None:
    """Set the factuality of ``a`` and keep the words that decided it."""
    m = st.markers
    if a.passive:
        v = st.toks[a.cue_tok] if a.cue_tok is not None else None
        if v is not None:
            a.factuality = (Factuality.SPECULATED if v.lemma_ in m.passive_speculated
                            else Factuality.ALLEGED)
            a.fact_cues.append(a.cue or (v.idx, st.end(v.i)))
    v = st.toks[a.cue_tok] if a.cue_tok is not None and st.parsed else None
    if v is not None:
        if a.cls == "belief":
            a.fact_cues.append((v.idx, st.end(v.i)))
        # negation of the cue, or of a verb that governs it: "did not want to comment"
        w: Token | None = v
        for _ in range(3):
            if w is None:
                break
            neg = next((c for c in w.children if c.dep_ == "neg" and c.lower_ in m.negation), None)
            if neg is not None:
                a.factuality = Factuality.DENIED
                a.fact_cues.append((neg.idx, st.end(neg.i)))
                return
            w = w.head if w.dep_ in ("xcomp", "conj") and w.head.i != w.i else None
        if a.cls == "deny":
            a.fact_cues.append((v.idx, st.end(v.i)))
            return
        if a.cls == "allege":
            a.fact_cues.append((v.idx, st.end(v.i)))
        adv = next((c for c in v.children if c.lower_ in m.alleged), None)
        if adv is not None:
            a.factuality = Factuality.ALLEGED
            a.fact_cues.append((adv.idx, st.end(adv.i)))
            return
    if a.factuality == Factuality.ALLEGED:
        return
    found: list[tuple[int, int]] = []
    cond: tuple[int, int] | None = None
    alleged: tuple[int, int] | None = None
    for s, e in a.content:
        # only the article's marker words inside the content (a walk over every token of every
        # content was quadratic on quote-dense pages)
        lo = bisect.bisect_left(st.fact_toks, st.tok_at(s))
        for i in st.fact_toks[lo:bisect.bisect_left(st.fact_idx, e, lo=lo)]:
            t = st.toks[i]
            if t.idx < s or st.quote_of(t.idx) is not None:
                continue
            low = t.lower_
            if low in m.speculated and (not st.parsed or t.dep_ in ("aux", "advmod", "acomp", "amod")):
                found.append((t.idx, st.end(i)))
            elif low in m.alleged and alleged is None:
                alleged = (t.idx, st.end(i))
            elif low in m.conditional and cond is None and (not st.parsed or t.dep_ == "mark"):
                cond = (t.idx, st.end(i))
    if alleged is not None:
        a.factuality = Factuality.ALLEGED
        a.fact_cues.append(alleged)
    elif found:
        a.factuality = Factuality.SPECULATED
        a.fact_cues.extend(found)
    elif cond is not None:
        a.factuality = Factuality.CONDITIONAL
        a.fact_cues.append(cond)
