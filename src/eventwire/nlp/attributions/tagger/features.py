"""Per-token features of a parsed Doc for the attribution role tagger.

The tagger sees the small pipeline's own tok2vec output (``doc.tensor``, 96 floats, ±4 tokens of context)
plus hashed symbolic features that carry what the window cannot: the governing verb of the token's clause
("said" three tokens or thirty tokens up the tree), the sentence's root verb, quotation-mark state and the
position in the sentence.  All are computed with a few vectorised passes over the parse (~1 ms for a
1,000-token article), so no extra neural context is needed for long contents.
"""

from __future__ import annotations

from typing import Any

import numpy
from spacy.attrs import DEP, ENT_TYPE, HEAD, LEMMA, SENT_START, TAG
from spacy.tokens import Doc

__all__ = ["N_FEATURES", "N_FEATURES_BY_VERSION", "QUOTE_CLOSE", "QUOTE_OPEN", "QUOTE_TOGGLE",
           "sentence_lengths", "token_features", "token_vectors"]

# clause-introducing relations: a content is typically the ccomp of the cue ("said that ..."), a parataxis
# ("..., he said"), an xcomp ("wants to ...") or the object of "according to"
_CLAUSE_DEPS: tuple[str, ...] = ("ccomp", "xcomp", "parataxis", "advcl", "relcl", "acl", "csubj", "pcomp",
                                 "conj", "pobj", "dobj")
QUOTE_OPEN = frozenset("“‘«‹„‚")
QUOTE_CLOSE = frozenset("”’»›")
QUOTE_TOGGLE = frozenset("\"'")
N_FEATURES = 11
# version 2 adds the outermost clause's governor (the "said" above a content's relative clauses) and depth
N_FEATURES_BY_VERSION: dict[int, int] = {1: 11, 2: 13}
_MAX_CLIMB = 12  # parse trees of news sentences rarely exceed depth 12; deeper tokens fall back to "none"
_MIX = numpy.uint64(0x9E3779B97F4A7C15)


def _mix(a: Any, b: Any) -> Any:
    with numpy.errstate(over="ignore"):
        return (a * _MIX) ^ (b + numpy.uint64(0x632BE59BD9B4E019))


def _bucket(x: Any) -> Any:
    """0, 1, 2, 3-4, 5-8, 9-16, 17+: distances in a sentence, on a log scale."""
    return numpy.minimum(numpy.ceil(numpy.log2(numpy.maximum(x, 1) + 1)), 6).astype("uint64")


def _quote_state(doc: Doc) -> Any:
    """0 outside quotation marks, 1 inside, 2 an opening mark, 3 a closing mark. Straight marks toggle;
    a blank line closes an unbalanced quote so one stray mark never spreads over the whole article."""
    out = numpy.zeros(len(doc), dtype="uint64")
    inside = False
    for tok in doc:
        t = tok.text
        if "\n" in t or "\n" in tok.whitespace_:
            inside = False if "\n\n" in t + tok.whitespace_ else inside
        if len(t) == 1 and (t in QUOTE_OPEN or t in QUOTE_CLOSE or t in QUOTE_TOGGLE):
            opening = t in QUOTE_OPEN or (t in QUOTE_TOGGLE and not inside)
            if t == "'" and not inside and tok.i > 0 and not doc[tok.i - 1].whitespace_:
                opening = False  # an apostrophe after a word ("dogs'") is no opening mark
            if opening:
                inside = True
                out[tok.i] = 2
            elif inside:
                inside = False
                out[tok.i] = 3
            continue
        out[tok.i] = 1 if inside else 0
    return out


def token_features(doc: Doc, version: int = 1) -> Any:
    """A ``(len(doc), N_FEATURES_BY_VERSION[version])`` uint64 array of hashed features, a row per token."""
    n = len(doc)
    width = N_FEATURES_BY_VERSION[version]
    if n == 0:
        return numpy.zeros((0, width), dtype="uint64")
    arr = doc.to_array([DEP, TAG, ENT_TYPE, LEMMA, HEAD, SENT_START])
    dep, tag, ent, lemma = arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3]
    idx = numpy.arange(n, dtype="int64")
    head = idx + arr[:, 4].astype("int64")
    head = numpy.clip(head, 0, n - 1)
    sent_start = arr[:, 5].astype("int64") == 1
    sent_start[0] = True
    sent_id = numpy.cumsum(sent_start) - 1
    starts = idx[sent_start]
    ends = numpy.append(starts[1:], n)
    from_start = idx - starts[sent_id]
    to_end = ends[sent_id] - idx - 1
    clause_ids = numpy.array([doc.vocab.strings[d] for d in _CLAUSE_DEPS], dtype="uint64")
    # climb to the nearest clause-introducing ancestor (or self) and to the root, vectorised over tokens
    cur = idx.copy()
    clause = numpy.full(n, -1, dtype="int64")
    outer = numpy.full(n, -1, dtype="int64")
    depth = numpy.zeros(n, dtype="uint64")
    for _ in range(_MAX_CLIMB):
        is_clause = numpy.isin(dep[cur], clause_ids)
        hit = (clause < 0) & is_clause
        clause[hit] = cur[hit]
        outer[is_clause] = cur[is_clause]
        depth += (head[cur] != cur).astype("uint64")
        cur = head[cur]
    root = cur  # after 12 climbs almost every token sits at its root (a root is its own head)
    has_clause = clause >= 0
    cl = numpy.where(has_clause, clause, 0)
    clause_feat = numpy.where(has_clause, _mix(dep[cl], lemma[head[cl]]), numpy.uint64(1))
    # the clause's own head word also counts: the cue is often the word the content's clause hangs on
    out = numpy.empty((n, width), dtype="uint64")
    out[:, 0] = dep
    out[:, 1] = tag
    out[:, 2] = ent
    out[:, 3] = lemma
    out[:, 4] = lemma[head]
    out[:, 5] = _mix(dep, dep[head])
    out[:, 6] = clause_feat
    out[:, 7] = lemma[root]
    out[:, 8] = _quote_state(doc)
    out[:, 9] = _bucket(from_start) * numpy.uint64(8) + _bucket(to_end)
    out[:, 10] = _mix(tag[head], dep[head])
    if version >= 2:
        has_outer = outer >= 0
        ou = numpy.where(has_outer, outer, 0)
        out[:, 11] = numpy.where(has_outer, _mix(dep[ou], lemma[head[ou]]), numpy.uint64(1))
        out[:, 12] = numpy.minimum(depth, 8)
    return out


def token_vectors(doc: Doc, width: int) -> Any:
    """The small pipeline's tok2vec output for ``doc`` (zeros when the tok2vec did not run)."""
    tensor = doc.tensor
    if tensor is None or getattr(tensor, "shape", (0,))[0] != len(doc) or tensor.shape[1] != width:
        return numpy.zeros((len(doc), width), dtype="float32")
    return numpy.ascontiguousarray(tensor, dtype="float32")


def sentence_lengths(doc: Doc) -> Any:
    """Token counts of the doc's sentences (one segment when the doc has no sentence boundaries), as int32."""
    n = len(doc)
    if n == 0:
        return numpy.zeros((0,), dtype="int32")
    starts = doc.to_array([SENT_START]).astype("int64") == 1
    starts[0] = True
    idx = numpy.flatnonzero(starts)
    return numpy.diff(numpy.append(idx, n)).astype("int32")
