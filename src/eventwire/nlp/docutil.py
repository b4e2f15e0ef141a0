"""Small Doc helpers shared by components, computed once per Doc."""

from __future__ import annotations

from spacy.attrs import IDX, SENT_START
from spacy.tokens import Doc

__all__ = ["sentence_bounds"]

_KEY = "ew_sentence_bounds"


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Character ``(start, end)`` of every sentence, in ``doc.sents`` order (end includes trailing space).

    ``doc.sents`` builds a Span per sentence by walking every token in Python (~2.5 ms for a 750-word article,
    ~2% of the small pipeline); two array reads do the same in C.  Cached in ``doc.user_data``.
    """
    cached: list[tuple[int, int]] | None = doc.user_data.get(_KEY)
    if cached is not None:
        return cached
    if len(doc) == 0:
        bounds: list[tuple[int, int]] = []
    elif not doc.has_annotation("SENT_START"):
        bounds = [(0, len(doc.text))]
    else:
        arr = doc.to_array([SENT_START, IDX])
        starts = [int(idx) for i, (flag, idx) in enumerate(arr.tolist()) if i == 0 or flag == 1]
        ends = [*starts[1:], len(doc.text)]
        bounds = list(zip(starts, ends, strict=True))
    doc.user_data[_KEY] = bounds
    return bounds
