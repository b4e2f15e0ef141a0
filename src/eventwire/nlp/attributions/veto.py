"""The accurate profile's cue veto: attributions whose cue the encoder's role head does not believe in go.

The rules find cues from a lexicon and the parse, and the BiLSTM tagger fills their gaps; both also take
cue words that report nothing in their context.  The encoder's role head (``doc._.ew_index.role_p``,
nlp/attributions/tagger/encoded.py) scores every token's probability of being inside a cue; an
attribution is dropped when no token of its cue reaches ``cue_veto_p`` (``state.AttributionConfig`` gives
the numbers).  Without the head (the fast profile) nothing is dropped.
"""

from __future__ import annotations

from eventwire.nlp.attributions.state import ArticleState, Draft
from eventwire.nlp.docindex import index_of

__all__ = ["vetoed"]

_CUE = 1  # the cue's column in role_p (source, cue, content)


def vetoed(st: ArticleState) -> set[int]:
    """Indexes into ``st.attrs`` of the attributions to drop."""
    role_p = index_of(st.doc).role_p
    limit = st.config.cue_veto_p
    if role_p is None or limit <= 0 or len(role_p) != len(st.doc):
        return set()
    return {k for k, a in enumerate(st.attrs) if _doubted(st, a, role_p, limit)}


def _doubted(st: ArticleState, a: Draft, role_p: object, limit: float) -> bool:
    if a.cue is None:  # a quotation with no cue: nothing for the head to judge
        return False
    span = st.doc.char_span(a.cue[0], a.cue[1], alignment_mode="expand")
    if span is None or not len(span):
        return False
    return bool(role_p[span.start:span.end, _CUE].max() < limit)  # type: ignore[index]
