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
        # A mask reads the starts in C: tolist() of the whole (n, 2) array and a Python loop over it took
        # ~0.75 ms for a 750-word article (13x this).
        arr = doc.to_array([SENT_START, IDX])
        is_start = arr[:, 0] == 1
        is_start[0] = True
        starts = arr[is_start, 1].astype("int64").tolist()
        last = doc[-1]
        ends = [*starts[1:], last.idx + len(last.text_with_ws)]
        bounds = list(zip(starts, ends, strict=True))
    doc.user_data[_KEY] = bounds
    return bounds
