"""spaCy's 64-bit hash of feature strings, remembered: the hashed-feature models hash the same strings again
and again.

The content-span ranker (``attributions/spans``) hashes ~8,500 feature strings per 731-word article and the
event-type classifier (``events/model``) ~100 per nominated sentence; most recur (``rel=c:dobj:R``,
``first=DT``, ``u:say``), across an article's cues and across articles.  ``get_string_id`` encodes and
hashes each one every time (~240 ns); a dictionary look-up of a string whose own hash Python keeps is ~5x
cheaper: the ranker's hashing went from ~2.0 to ~0.4 ms per article (bench corpus, 2-core AMD EPYC).
The ids are ``get_string_id``'s, so every bucket and every score stays the same.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy
from spacy.strings import get_string_id

__all__ = ["MAX_REMEMBERED", "string_ids"]

# Distinct strings kept before the memory is emptied and starts again: the bench corpus's 200 articles
# produce ~60k distinct feature strings; 200k strings of ~30 characters hold ~30 MB at most.
MAX_REMEMBERED = 200_000

_ids: dict[str, int] = {}


def string_ids(strings: Sequence[str]) -> numpy.ndarray:
    """``get_string_id`` of every string, as a uint64 array in the same order."""
    known = _ids
    try:  # once the frequent strings are known, one C loop of look-ups (~2x a Python loop's speed)
        return numpy.fromiter(map(known.__getitem__, strings), dtype=numpy.uint64, count=len(strings))
    except KeyError:
        pass
    if len(known) > MAX_REMEMBERED:
        known.clear()  # a long run's rare strings go; the frequent ones come straight back
    # each id is taken as it is found or made, never read back: another thread may empty the memory
    # (the API analyses from a thread pool) between filling it and reading it
    ids = []
    for s in strings:
        h = known.get(s)
        if h is None:
            h = known[s] = get_string_id(s)
        ids.append(h)
    return numpy.array(ids, dtype=numpy.uint64)
