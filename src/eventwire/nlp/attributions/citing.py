"""Stage 3: "citing X" under another cue: X is a second source of the same content, reported *via* the first.
"""

from __future__ import annotations

from eventwire.nlp.attributions.state import ArticleState, Draft

__all__ = ["citing"]


def citing(st: ArticleState) -> None:
    """Add a chained attribution (``via``) for each "citing X" under a cue already found."""
    by_tok = {a.cue_tok: k for k, a in enumerate(st.attrs) if a.cue_tok is not None}
    for t in st.toks:
        if t.lemma_ not in ("cite",) or not st.is_verb(t):
            continue
        obj = next((c for c in t.children if c.dep_ == "dobj"), None)
        if obj is None:
            continue
        h = t.head
        parent = by_tok.get(h.i)
        if parent is None:  # "reports, citing X, that Y offered": the parse hangs "citing" on "offered"
            sent = st.sent(t.idx)
            parent = next((k for k, a in enumerate(st.attrs) if a.cue is not None
                           and st.sent(a.cue[0]) == sent and a.cue[1] <= t.idx
                           and any(cs <= h.idx < ce for cs, ce in a.content)), None)
        if parent is None:
            continue
        base = st.attrs[parent]
        src = st.source_span(obj)
        st.attrs.append(Draft(kind=base.kind, content=list(base.content), source=src, source_head=obj.i,
                                cue=(t.idx, st.end(t.i)), cue_tok=t.i, cls="cite", via=parent,
                                factuality=base.factuality))
