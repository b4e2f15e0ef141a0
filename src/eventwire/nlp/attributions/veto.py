"""The accurate profile's cue veto: attributions whose cue the encoder's role head does not believe in go.

The rules find cues from a lexicon and the parse, and the BiLSTM tagger fills their gaps; both also take
cue words that report nothing in their context.  The encoder's role head (``doc._.ew_index.role_p``,
nlp/attributions/tagger/encoded.py) scores every token's probability of being inside a cue; an
attribution is dropped when no token of its cue reaches ``cue_veto_p`` (``state.AttributionConfig`` gives
the numbers).  The same way, a source none of whose tokens reaches ``source_veto_p`` is dropped from its
attribution, which stays, with no source.  Without the head (the fast profile) nothing is dropped.
"""

from __future__ import annotations

from typing import Any

from eventwire.nlp.attributions.state import ArticleState
from eventwire.nlp.docindex import index_of

__all__ = ["drop_doubted_sources", "vetoed"]

_SOURCE, _CUE = 0, 1  # columns of role_p (source, cue, content)


def vetoed(st: ArticleState) -> set[int]:
    """Indexes into ``st.attrs`` of the attributions to drop."""
    role_p = index_of(st.doc).role_p
    limit = st.config.cue_veto_p
    if role_p is None or limit <= 0 or len(role_p) != len(st.doc):
        return set()
    return {k for k, a in enumerate(st.attrs) if _doubted(st, a.cue, role_p, _CUE, limit)}


def drop_doubted_sources(st: ArticleState) -> None:
    """Clear the source of every attribution whose source the head doubts (``source_veto_p``)."""
    role_p = index_of(st.doc).role_p
    limit = st.config.source_veto_p
    if role_p is None or limit <= 0 or len(role_p) != len(st.doc):
        return
    for a in st.attrs:
        if _doubted(st, a.source, role_p, _SOURCE, limit):
            a.source, a.source_head = None, None


def _doubted(st: ArticleState, chars: tuple[int, int] | None, role_p: Any, column: int, limit: float) -> bool:
    """Whether no token of ``chars`` reaches ``limit`` in ``role_p[:, column]`` (no span: nothing to judge,
    e.g. a quotation with no cue)."""
    if chars is None:
        return False
    span = st.doc.char_span(chars[0], chars[1], alignment_mode="expand")
    if span is None or not len(span):
        return False
    return bool(role_p[span.start:span.end, column].max() < limit)
