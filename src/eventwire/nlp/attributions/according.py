"""Stage 2: "according to X": X is the source, the clause around it the content.
"""

from __future__ import annotations

from eventwire.model import AttributionKind
from eventwire.nlp.attributions.state import ArticleState, Draft

__all__ = ["according_to"]


def according_to(st: ArticleState) -> None:
    """Add an attribution for each "according to X" phrase."""
    toks, n = st.toks, len(st.toks)
    lower = st.text.lower()
    # only tokens where a phrase's first word occurs in the text (a str.find, not a property per token)
    starts: set[int] = set()
    for first in {p[0] for p in st.markers.according_to}:
        at = lower.find(first)
        while at >= 0:
            starts.add(st.tok_at(at))
            at = lower.find(first, at + 1)
    for i in sorted(starts):
        t = toks[i]
        for phrase in st.markers.according_to:
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
            src = st.source_span(pobj)
            phrase_lo, phrase_hi = i, max(pobj.right_edge.i, i + k - 1)
            # the clause around the phrase: the head of "according", up to its sentence
            h = t.head if st.parsed else t
            while h.dep_ not in ("ROOT", "ccomp", "conj", "advcl") and h.head.i != h.i:
                h = h.head
            if h.i == t.i or phrase_lo <= h.i <= phrase_hi:
                sent = st.sent(t.idx)
                lo = st.tok_at(st.sent_starts[sent])
                nxt = st.sent_starts[sent + 1] if sent + 1 < len(st.sent_starts) else len(st.text)
                hi = st.tok_at(nxt - 1)
            else:
                lo, hi = h.left_edge.i, h.right_edge.i
            sent = st.sent(t.idx)
            lo = max(lo, st.tok_at(st.sent_starts[sent]))
            if sent + 1 < len(st.sent_starts):
                hi = min(hi, st.tok_at(st.sent_starts[sent + 1] - 1))
            spans = [x for x in (st.chars(lo, phrase_lo - 1), st.chars(phrase_hi + 1, hi)) if x]
            if not spans:
                continue
            spans = [x for x in (st.paragraph(st.snap(*x), t.idx) for x in spans) if x]
            if not spans:
                continue
            st.attrs.append(Draft(kind=AttributionKind.ACCORDING_TO, content=spans, source=src,
                                    source_head=pobj.i, cue=(t.idx, st.end(i + k - 1)), cue_tok=t.i,
                                    cls="according"))
