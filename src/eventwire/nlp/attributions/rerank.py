"""Content boundaries re-chosen by the trained ranker (``spans``, weights ``attributions/tagger/spans.npz``).

On PolNeAR dev: exact 0.693 -> 0.724 of the contents it may move.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy

from eventwire.model import AttributionKind
from eventwire.nlp.attributions.spans import CandidateTables, SpanRanker, content_candidates
from eventwire.nlp.attributions.state import ArticleState

__all__ = ["load_ranker", "rerank"]

# A span without its edge whitespace (how the ranker's candidates are trimmed).
_NONSPACE = re.compile(r"\S(?:.*\S)?", re.DOTALL)
# The ranker's weights (``scripts/train_attribution_spans.py``); the probability its top candidate needs is
# AttributionConfig.rerank_p.
_RANKER = Path(__file__).resolve().parent / "tagger" / "spans.npz"


@cache
def load_ranker() -> SpanRanker | None:
    """The content-span ranker shipped with the package, or None when its weights are absent."""
    return SpanRanker.load(_RANKER) if _RANKER.exists() else None


def rerank(st: ArticleState) -> None:
    """Re-choose the boundaries of one-piece contents the rules found (``attributions.spans``).

    Direct quotes keep the rules' span (the quotation itself: reranking them lost 0.2 points on dev)."""
    if st.ranker is None or not st.parsed:
        return
    # a content never holds its own source, nor the source and cue of a "citing X" chained to it
    forbidden: list[list[tuple[int, int]]] = [[r for r in (a.source,) if r] for a in st.attrs]
    for a in st.attrs:
        if a.via is not None:
            forbidden[a.via].extend(r for r in (a.source, a.cue) if r)
    # whitespace-trimmed like the candidates (``_trim`` would also drop edge punctuation)
    tagged = {(m.start(), m.end()) for sp in st.doc.spans.get("attr_content", ()) if len(sp)
              for m in (_NONSPACE.search(st.text, sp.start_char, sp.end_char),) if m is not None}
    tag_starts, tag_ends = {s for s, _ in tagged}, {e for _, e in tagged}
    tables = CandidateTables(st.doc, st.quotes, st.text)  # once per article, read by every cue
    for k, a in enumerate(st.attrs):
        if a.via is not None or a.cue is None or len(a.content) != 1 or a.kind == AttributionKind.DIRECT:
            continue
        span = st.doc.char_span(a.cue[0], a.cue[1], alignment_mode="expand")
        if span is None or not len(span):
            continue
        cands = [c for c in content_candidates(st.doc, span.root, st.quotes, a.content[0],
                                               f"{a.confidence}|{a.kind.value}", tables=tables,
                                                   quote_reach=st.config.quote_reach)
                 if not any(c.start < e and s < c.end for s, e in forbidden[k])]
        bonus = numpy.array([st.config.tagger_span_bonus * ((c.start, c.end) in tagged)
                             + st.config.tagger_edge_bonus * ((c.start in tag_starts) + (c.end in tag_ends))
                             for c in cands], dtype=numpy.float32) if tagged else None
        best = st.ranker.best(cands, bonus)
        if best is not None and best[1] >= st.config.rerank_p:
            a.content = [(best[0].start, best[0].end)]
    for a in st.attrs:  # "citing X": the chained attribution shares its parent's content
        if a.via is not None:
            a.content = list(st.attrs[a.via].content)
