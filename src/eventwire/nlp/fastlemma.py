"""The lemmatizer's lemmas, each worked out once per word form, part of speech and morphology.

spaCy's rule lemmatizer walks every token in Python: ``is_base_form`` reads the token's morphology as a dict,
then the rules run, and only the rule results are cached: 3.3-3.7 ms CPU per 731-word article, as much as our
entities layer; 1.2-1.4 ms this way (``bench/cpu_profile.py --articles 200``, two runs of each in turn, Intel
Xeon, 2 cores). A lemma in "rule" or "lookup" mode is a function of the word form, its part of speech and its
morphology alone (spaCy's own cache key), so :func:`accelerate_lemmatizer` gives a loaded pipeline's
lemmatizers a ``pipe`` that reads those three columns with one ``to_array``, asks the lemmatizer itself once
for each combination it has not seen, and writes the lemmas back with one ``from_array``: the same lemma on
every token (``tests/nlp/test_fastlemma.py`` compares them token by token), set only where the stock component
would set one (``overwrite``).
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Iterator
from typing import Any

import numpy
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

__all__ = ["MAX_REMEMBERED", "accelerate_lemmatizer", "lemmatize"]

# the modes whose lemma depends on the token's form, part of speech and morphology only
_PURE_MODES = frozenset({"rule", "lookup"})
# combinations kept before the memory starts again (a day of news has a few hundred thousand)
MAX_REMEMBERED = 500_000


def lemmatize(lemmatizer: Any, doc: Doc) -> Doc:
    """What ``lemmatizer(doc)`` does, each (form, part of speech, morphology) lemmatised once per process."""
    if not len(doc):
        return doc
    if not lemmatizer._validated:
        return lemmatizer(doc)  # type: ignore[no-any-return]  # the stock call validates its tables first
    arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
    rows = numpy.arange(len(doc)) if lemmatizer.overwrite else numpy.flatnonzero(arr[:, 3] == 0)
    if not len(rows):
        return doc
    keys, first, inverse = numpy.unique(arr[rows, :3], axis=0, return_index=True, return_inverse=True)
    memo: dict[tuple[int, int, int], str] = lemmatizer._ew_lemmas
    if len(memo) > MAX_REMEMBERED:
        memo.clear()
    strings = doc.vocab.strings
    ids = numpy.empty(len(keys), dtype=numpy.uint64)
    for k, (key, at) in enumerate(zip(map(tuple, keys.tolist()), first.tolist(), strict=True)):
        lemma = memo.get(key)
        if lemma is None:
            # the lemmatizer's own answer for the first token of this combination
            lemma = memo[key] = lemmatizer.lemmatize(doc[int(rows[at])])[0]
        ids[k] = strings.add(lemma)
    column: Any = arr[:, 3].copy()
    column[rows] = ids[inverse.reshape(-1)]
    doc.from_array([LEMMA], column.reshape(-1, 1))
    return doc


def _pipe(lemmatizer: Any, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
    error_handler = lemmatizer.get_error_handler()
    for doc in stream:
        try:
            yield lemmatize(lemmatizer, doc)
        except Exception as e:  # spaCy's own handling: raise unless the pipeline says not to
            error_handler(lemmatizer.name, lemmatizer, [doc], e)


def accelerate_lemmatizer(nlp: Language) -> bool:
    """Give the pipeline's rule and lookup lemmatizers the remembering ``pipe``; whether every lemmatizer took
    it (another mode keeps spaCy's own)."""
    took = True
    for _name, proc in nlp.pipeline:
        if not isinstance(proc, Lemmatizer):
            continue
        if proc.mode not in _PURE_MODES:
            took = False
            continue
        proc._ew_lemmas = {}  # type: ignore[attr-defined]
        proc.pipe = types.MethodType(_pipe, proc)  # type: ignore[method-assign]
    return took
