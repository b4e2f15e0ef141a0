"""spaCy's greedy entity recogniser, its transition loop run as numpy array steps.

en_core_web_sm's ``ner`` is a transition-based tagger: for every token of a batch it sums three
precomputed feature vectors (the buffer's first word, the open entity's first word, the word before),
takes a maxout, scores the 74 BILUO moves with one small matrix product and takes the best valid move.
spaCy runs that loop in Cython, but each validity test of each move at each token reads the state
through an accessor that takes and releases the interpreter lock: on this project's machines 40 % of the
recogniser's time went to ``pthread_mutex_lock``/``unlock`` (``perf record``), and the recogniser was
~62 of the small pipeline's ~107 ms CPU per 731-word bench article, more than tok2vec and parser together.

Here the same loop runs over the whole batch at once: one step per token position, each a few numpy
operations on (documents x features) arrays, the validity of each move a handful of boolean columns.
Everything the moves depend on comes from spaCy's own layers (the recogniser's tok2vec, its
precomputed lower layer, its upper layer's weights), called as spaCy calls them, on sub-batches formed as
:meth:`Parser.pipe` forms them (sorted by length, a quarter of the batch each).  The feature sums, the bias
and the maxout are done in the same float32 order as spaCy's; only the upper layer's 64-wide dot products
go through numpy's BLAS instead of blis, as :mod:`fastops` already does for every other layer.  The
validity rules are those of spaCy's BILUO system (``ner.pyx``) for a document without preset entities; a
sub-batch with any preset entity annotation, or a recogniser of another shape (beam search, other feature
count, no upper layer, moves marked unseen), is left to spaCy.

On 1,950 documents (1.45M tokens: events-news, events-heldout, PolNeAR, stories-news, PLOVER and PETRARCH
dev, 600 bench articles) every entity came out the same, token by token; the recogniser took 22 instead of
64 ms CPU per bench article (``bench/cpu_profile.py --articles 200``, Intel Xeon, 2 cores), and ``eventwire
extract`` went from 0.73 to 1.00-1.12 of bare spaCy's articles/s (``bench/throughput.py``).

:func:`accelerate_ner` puts the wrapped recogniser in the pipeline under the same name; every other
attribute is the original's.  ``tests/nlp/test_fastner.py`` compares the entities, token by token
(``ENT_IOB``, ``ENT_TYPE``, ``ENT_KB_ID``), with spaCy's own on invented articles.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy
from spacy.attrs import ENT_IOB, IS_SPACE, SENT_START
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc, Span
from spacy.util import minibatch
from thinc.api import NumpyOps

__all__ = ["DECODE_TOKENS", "FastEntityRecognizer", "accelerate_ner"]

log = logging.getLogger(__name__)

# Tokens decoded in one pass: the feature table is ~1.5 KB per token (3 features x 64 x 2 pieces, float32),
# so ~50 MB here; a batch of 32 bench articles is ~27k tokens (one pass), a batch of very long documents
# is decoded a sub-batch or a few at a time, as spaCy holds them.
DECODE_TOKENS = 32_768

# move kinds, in spaCy's BILUO names ("B-ORG", "U-", "O")
_BEGIN, _IN, _LAST, _UNIT, _OUT, _OTHER = range(6)
_KINDS = {"B": _BEGIN, "I": _IN, "L": _LAST, "U": _UNIT, "O": _OUT}


class _Moves:
    """Each move's kind and label (an index into the labels; 0 for none) as arrays."""

    def __init__(self, names: Sequence[str]) -> None:
        kinds, labels, names_of = [], [], {"": 0}
        for name in names:
            kind, _, label = name.partition("-")
            kinds.append(_KINDS.get(kind, _OTHER))
            labels.append(names_of.setdefault(label, len(names_of)))
        self.kind = numpy.array(kinds, dtype=numpy.int8)
        self.label = numpy.array(labels, dtype=numpy.int32)
        self.label_names = {v: k for k, v in names_of.items()}
        labelled = self.label != 0
        self.begin = (self.kind == _BEGIN) & labelled
        self.inside = (self.kind == _IN) & labelled
        self.last = (self.kind == _LAST) & labelled
        self.unit = (self.kind == _UNIT) & labelled
        self.out = self.kind == _OUT


def _supported(ner: Any) -> _Moves | None:
    """The moves of a recogniser this module decodes exactly as spaCy does, else None."""
    if not isinstance(ner, EntityRecognizer) or ner.cfg.get("beam_width", 1) != 1:
        return None
    model = ner.model
    if not model.attrs.get("has_upper") or len(model.layers) != 3 or model.attrs.get("unseen_classes"):
        return None
    lower = model.layers[1]
    if not isinstance(model.ops, NumpyOps) or lower.maybe_get_dim("nF") != 3:
        return None
    moves = _Moves([ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)])
    if (moves.kind == _OTHER).any() or not moves.out.any():
        return None
    return moves


class FastEntityRecognizer:
    """A loaded ``ner`` component whose greedy decoding runs in numpy (see the module docstring)."""

    def __init__(self, ner: EntityRecognizer, moves: _Moves) -> None:
        self._ner = ner
        self._moves = moves

    def __getattr__(self, name: str) -> Any:
        if name in ("_ner", "_moves"):  # not set yet (a copy or an unpickling in progress): no recursion
            raise AttributeError(name)
        return getattr(self._ner, name)

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 256) -> Iterator[Doc]:
        """As spaCy's ``Parser.pipe``: batches of ``batch_size``, each sorted by length into sub-batches
        of a quarter of it.  The layers see spaCy's sub-batches (the same arrays); the decoding then steps
        through the whole batch at once (a document's moves read only its own rows)."""
        error_handler = self._ner.get_error_handler()
        for batch in minibatch(docs, size=batch_size):  # type: ignore[no-untyped-call]
            batch_in_order = list(batch)
            try:
                by_length = sorted(batch_in_order, key=len)
                subs = minibatch(by_length, size=max(batch_size // 4, 2))  # type: ignore[no-untyped-call]
                self._annotate([list(sub) for sub in subs])
                yield from batch_in_order
            except Exception as e:
                error_handler(self._ner.name, self._ner, batch_in_order, e)

    def __call__(self, doc: Doc) -> Doc:
        error_handler = self._ner.get_error_handler()
        try:
            self._annotate([[doc]])
        except Exception as e:
            error_handler(self._ner.name, self._ner, [doc], e)
        return doc

    def _annotate(self, subs: list[list[Doc]]) -> None:
        """Entities for the sub-batches: decoded here in groups of at most ``DECODE_TOKENS`` tokens, or by
        spaCy for a sub-batch with preset entities (its rules for those) and for a group whose decoding
        fails (the documents still get spaCy's entities; nothing is lost)."""
        group: list[list[Doc]] = []
        size = 0
        for sub in subs:
            if not any(len(doc) for doc in sub) or any(
                    (doc.to_array(ENT_IOB) != 0).any() for doc in sub if len(doc)):
                self._by_spacy([sub])
                continue
            n = sum(len(doc) for doc in sub)
            if group and size + n > DECODE_TOKENS:
                self._decode_group(group)
                group, size = [], 0
            group.append(sub)
            size += n
        if group:
            self._decode_group(group)

    def _by_spacy(self, subs: list[list[Doc]]) -> None:
        for sub in subs:
            self._ner.set_annotations(sub, self._ner.predict(sub))

    def _decode_group(self, subs: list[list[Doc]]) -> None:
        try:
            found = self._decode(subs)
        except Exception as e:  # spaCy's own loop is the fallback, whatever went wrong
            log.warning("numpy entity decoding failed (%s: %s); spaCy's decoding instead",
                        type(e).__name__, e)
            self._by_spacy(subs)
            return
        labels = self._moves.label_names
        for doc, ents in zip([doc for sub in subs for doc in sub], found, strict=True):
            doc.set_ents([Span(doc, s, e, label=labels[k]) for s, e, k in ents], default="outside")

    def _features(self, subs: list[list[Doc]]) -> numpy.ndarray:
        """The lower layer's precomputed features of every token, sub-batch by sub-batch as spaCy computes
        them, as one (1 + tokens, nF, nO * nP) table whose row 0 is the padding."""
        tok2vec, lower, _ = self._ner.model.layers
        parts = []
        for k, sub in enumerate(subs):
            cached = lower.predict(tok2vec.predict(sub))  # (1 + tokens, nF, nO, nP)
            parts.append(cached if k == 0 else cached[1:])
        table = numpy.concatenate(parts) if len(parts) > 1 else parts[0]
        return numpy.asarray(table).reshape(table.shape[0], table.shape[1], -1)

    def _decode(self, subs: list[list[Doc]]) -> list[list[tuple[int, int, int]]]:
        """Each document's entities as (start, end, label index), by spaCy's greedy BILUO decoding."""
        model, moves = self._ner.model, self._moves
        _, lower, upper = model.layers
        table = self._features(subs)
        docs = [doc for sub in subs for doc in sub]
        n_p = lower.get_dim("nP")
        bias = lower.get_param("b").reshape(-1)
        n_o = bias.shape[0] // n_p
        weights, upper_bias = upper.get_param("W"), upper.get_param("b")
        lengths = numpy.array([len(doc) for doc in docs], dtype=numpy.int64)
        offsets = numpy.concatenate(([0], numpy.cumsum(lengths)[:-1])).astype(numpy.int64)
        total = int(lengths.sum())
        # per token of the batch: a space, and whether the document's *next* token starts a sentence
        # (spaCy's ``B_(1).sent_start == 1``; past a document's end the empty token, which does not)
        space = numpy.zeros(total, dtype=bool)
        next_starts = numpy.zeros(total, dtype=bool)
        for doc, off in zip(docs, offsets, strict=True):
            if len(doc):
                arr = doc.to_array([IS_SPACE, SENT_START]).astype(numpy.int64)
                space[off:off + len(doc)] = arr[:, 0] != 0
                next_starts[off:off + len(doc) - 1] = arr[1:, 1] == 1
        n_docs = len(docs)
        pos = numpy.zeros(n_docs, dtype=numpy.int64)  # the buffer's first word, per document
        is_open = numpy.zeros(n_docs, dtype=bool)
        ent_start = numpy.zeros(n_docs, dtype=numpy.int64)
        ent_label = numpy.zeros(n_docs, dtype=numpy.int32)
        taken = numpy.zeros(total, dtype=numpy.int64)  # the move taken at each token
        active = numpy.flatnonzero(lengths > 0)
        while len(active):
            b = pos[active]
            tok = offsets[active] + b  # the token's index in the batch; its table row is one more
            opened = is_open[active]
            # spaCy's three features: the buffer's first word, the open entity's first word and the word
            # before the buffer (both only inside an open entity; else the padding row)
            unmaxed = table[tok + 1, 0] + table[numpy.where(opened, offsets[active] + ent_start[active] + 1,
                                                           0), 1]
            unmaxed += table[numpy.where(opened, tok, 0), 2]
            unmaxed += bias
            hidden = unmaxed.reshape(len(active), n_o, n_p).max(axis=2)
            scores = hidden @ weights.T
            scores += upper_bias
            valid = _valid(moves, opened, ent_label[active], b == lengths[active] - 1, next_starts[tok],
                           space[tok])
            if not valid.any(axis=1).all():
                raise RuntimeError("no valid entity move")  # cannot happen without presets
            guess = numpy.where(valid, scores, -numpy.inf).argmax(axis=1)
            kind = moves.kind[guess]
            begins = kind == _BEGIN
            is_open[active] = begins | (opened & (kind == _IN))
            ent_start[active] = numpy.where(begins, b, ent_start[active])
            ent_label[active] = numpy.where(begins, moves.label[guess], ent_label[active])
            taken[tok] = guess
            pos[active] = b + 1
            active = active[b + 1 < lengths[active]]
        return [_entities(moves, taken[off:off + n]) for off, n in zip(offsets, lengths, strict=True)]


def _valid(moves: _Moves, opened: numpy.ndarray, label: numpy.ndarray, last_token: numpy.ndarray,
           next_start: numpy.ndarray, on_space: numpy.ndarray) -> numpy.ndarray:
    """Which moves are valid (states x moves), by spaCy's BILUO rules for a document without preset
    entities, from each state's open entity (and its label index), whether the buffer's first word is the
    document's last, whether the next word starts a sentence and whether this one is a space: an entity
    begins only where it can continue, never on a space nor across a sentence start; it goes on and ends
    with its own label; a one-word entity is never a space; nothing is outside while an entity is open."""
    closed = ~opened
    same = moves.label[None, :] == label[:, None]
    valid: numpy.ndarray = (
        (moves.begin[None, :] & (closed & ~last_token & ~next_start & ~on_space)[:, None])
        | (moves.inside[None, :] & same & (opened & ~last_token & ~next_start)[:, None])
        | (moves.last[None, :] & same & opened[:, None])
        | (moves.unit[None, :] & (closed & ~on_space)[:, None])
        | (moves.out[None, :] & closed[:, None])
    )
    return valid


def _entities(moves: _Moves, taken: numpy.ndarray) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    start = 0
    for i in numpy.flatnonzero(moves.kind[taken] != _OUT):
        kind, label = moves.kind[taken[i]], int(moves.label[taken[i]])
        if kind == _BEGIN:
            start = int(i)
        elif kind == _LAST:
            out.append((start, int(i) + 1, label))
        elif kind == _UNIT:
            out.append((int(i), int(i) + 1, label))
    return out


def accelerate_ner(nlp: Language) -> bool:
    """Put :class:`FastEntityRecognizer` in place of each entity recogniser it decodes exactly; whether
    any was replaced."""
    components = getattr(nlp, "_components", None)
    if not isinstance(components, list):
        return False
    replaced = False
    for i, (name, proc) in enumerate(components):
        moves = _supported(proc)
        if moves is not None:
            components[i] = (name, FastEntityRecognizer(proc, moves))
            replaced = True
    return replaced
