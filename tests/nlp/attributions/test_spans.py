"""Candidate contents around a cue and the linear ranker, on Docs built by hand (no model needed)."""

from __future__ import annotations

from pathlib import Path

import numpy
import pytest
from hypothesis import given
from hypothesis import strategies as st
from spacy.tokens import Doc
from spacy.vocab import Vocab

from eventwire.nlp.attributions.spans import (
    N_BUCKETS,
    CandidateTables,
    SpanRanker,
    code_points,
    content_candidates,
    hash_features,
    prefix_counts,
)
from eventwire.nlp.attributions.state import prefix_solid
from eventwire.nlp.quotes import find_quotes

# "Officials said that the bridge would close, which angered residents."
WORDS = ["Officials", "said", "that", "the", "bridge", "would", "close", ",", "which", "angered",
         "residents", "."]
HEADS = [1, 1, 6, 4, 6, 6, 1, 6, 9, 6, 9, 1]
DEPS = ["nsubj", "ROOT", "mark", "det", "nsubj", "aux", "ccomp", "punct", "nsubj", "relcl", "dobj", "punct"]
TAGS = ["NNS", "VBD", "IN", "DT", "NN", "MD", "VB", ",", "WDT", "VBD", "NNS", "."]
LEMMAS = ["official", "say", "that", "the", "bridge", "would", "close", ",", "which", "anger", "resident",
          "."]


def bridge_doc() -> Doc:
    return Doc(Vocab(), words=WORDS, spaces=[True] * 6 + [False] + [True] * 3 + [False, False], heads=HEADS,
               deps=DEPS, tags=TAGS, lemmas=LEMMAS, sent_starts=[True] + [False] * 11)


def texts(doc: Doc, **kw: object) -> dict[str, tuple[str, ...]]:
    return {doc.text[c.start:c.end]: c.features for c in content_candidates(doc, doc[1], [], **kw)}  # type: ignore[arg-type]


def test_complement_with_and_without_that_and_cut_before_the_tail() -> None:
    found = texts(bridge_doc())
    assert "that the bridge would close, which angered residents" in found
    assert "the bridge would close, which angered residents" in found
    assert "that the bridge would close" in found  # cut at the comma
    assert "Officials" in found  # the subject is a candidate too: the model, not the generator, rules it out
    assert all(any(f.startswith("rel=") for f in feats) for feats in found.values())


def test_every_candidate_is_trimmed_and_inside_the_text() -> None:
    doc = bridge_doc()
    for c in content_candidates(doc, doc[1], []):
        assert 0 <= c.start < c.end <= len(doc.text)
        assert not doc.text[c.start].isspace() and not doc.text[c.end - 1].isspace()


def test_the_incumbent_is_always_a_candidate_and_marked() -> None:
    doc = bridge_doc()
    odd = (doc[3].idx, doc[4].idx + len("bridge"))  # "the bridge": no parse piece of its own
    cands = content_candidates(doc, doc[1], [], incumbent=odd, family="0.8|indirect")
    mine = [c for c in cands if (c.start, c.end) == odd]
    assert len(mine) == 1 and "incumbent" in mine[0].features
    assert "inc=same|fam=0.8|indirect" in mine[0].features
    assert all("inc=same" not in c.features for c in cands if c is not mine[0])


def test_nearby_quotations_are_candidates() -> None:
    words = ["He", "said", ":", "“", "We", "won", ".", "”"]
    doc = Doc(Vocab(), words=words, spaces=[True, False, True, False, True, False, False, False],
              heads=[1, 1, 1, 5, 5, 1, 5, 5],
              deps=["nsubj", "ROOT", "punct", "punct", "nsubj", "ccomp", "punct", "punct"],
              tags=["PRP", "VBD", ":", "``", "PRP", "VBD", ".", "''"],
              lemmas=["he", "say", ":", "“", "we", "win", ".", "”"])
    quotes = find_quotes(doc.text)
    assert quotes
    found = {doc.text[c.start:c.end] for c in content_candidates(doc, doc[1], quotes)}
    assert "“We won.”" in found and "We won." in found


def test_ranker_picks_the_highest_scoring_candidate(tmp_path: Path) -> None:
    doc = bridge_doc()
    cands = content_candidates(doc, doc[1], [])
    want = next(c for c in cands if doc.text[c.start:c.end] == "that the bridge would close")
    weights = numpy.zeros(N_BUCKETS, dtype=numpy.float32)
    # a weight on a feature only the wanted candidate has
    only = next(f for f in want.features if all(f not in c.features for c in cands if c is not want))
    weights[hash_features([only])] = 5.0
    numpy.savez_compressed(tmp_path / "w.npz", content=weights)
    ranker = SpanRanker.load(tmp_path / "w.npz")
    best = ranker.best(cands)
    assert best is not None and best[0] is want and 0.5 < best[1] <= 1.0
    assert ranker.best([]) is None


def test_a_bonus_from_another_model_can_overrule_the_ranker(tmp_path: Path) -> None:
    doc = bridge_doc()
    cands = content_candidates(doc, doc[1], [])
    weights = numpy.zeros(N_BUCKETS, dtype=numpy.float32)
    numpy.savez_compressed(tmp_path / "w.npz", content=weights)
    ranker = SpanRanker.load(tmp_path / "w.npz")
    other = len(cands) - 1
    bonus = numpy.zeros(len(cands), dtype=numpy.float32)
    bonus[other] = 3.0
    best = ranker.best(cands, bonus)
    assert best is not None and best[0] is cands[other] and best[1] > 0.5


def test_ranker_rejects_weights_of_the_wrong_shape() -> None:
    with pytest.raises(ValueError):
        SpanRanker(numpy.zeros(10, dtype=numpy.float32))


@given(st.lists(st.text(min_size=1, max_size=20), max_size=30))
def test_hashing_is_stable_and_in_range(features: list[str]) -> None:
    a, b = hash_features(features), hash_features(list(features))
    assert a.tolist() == b.tolist()
    assert all(0 <= x < N_BUCKETS for x in a.tolist())


def _run_on_doc(n_quotes: int) -> Doc:
    """ 'Officials said “a” “a” … ' as one sentence, each quotation hanging on the word before it (a page
    that never ends a sentence: the shape that made candidate generation quadratic)."""
    words = ["Officials", "said"] + ["“", "talks", "”"] * n_quotes
    heads = [1, 1, *range(1, len(words) - 1)]
    deps = ["nsubj", "ROOT"] + ["dep"] * (len(words) - 2)
    spaces = [True, True] + [False, False, True] * n_quotes
    return Doc(Vocab(), words=words, spaces=spaces, heads=heads, deps=deps,
               sent_starts=[True] + [False] * (len(words) - 1))


def test_a_cue_gets_as_many_candidates_however_long_its_run_on_sentence() -> None:
    counts = []
    for n in (500, 1000, 2000):
        doc = _run_on_doc(n)
        quotes = find_quotes(doc.text)
        assert len(quotes) == n
        counts.append(len(content_candidates(doc, doc[1], quotes)))
    # every quotation of the sentence was a candidate of every cue: 500 -> 1000 -> 2000 quotations gave
    # ~1000 -> 2000 -> 4000 candidates; now only those within QUOTE_REACH (+400) of the cue
    assert counts[0] == counts[1] == counts[2]


def test_tables_find_the_same_sentence_as_spacy() -> None:
    doc = Doc(Vocab(), words=["A", "said", "it", ".", "B", "said", "so", ".", "C", "left", "."],
              heads=[1, 1, 1, 1, 5, 5, 5, 5, 9, 9, 9],
              deps=["nsubj", "ROOT", "dobj", "punct", "nsubj", "ROOT", "advmod", "punct", "nsubj", "ROOT",
                    "punct"],
              sent_starts=[True, False, False, False, True, False, False, False, True, False, False])
    tables = CandidateTables(doc, [])
    for t in doc:
        assert tables.sentence(doc, t) == (t.sent.start, t.sent.end, t.sent.start_char, t.sent.end_char)


# quotation marks, line breaks, white space of every kind (NBSP, ideographic, \x1c-\x1f, NEL), a character
# beyond the BMP and a lone surrogate: what the array counts must count exactly as a loop over the string does
_TRICKY = st.text(
    alphabet=st.sampled_from(list("ab \n\t\"“”'’\u00a0\u2003\u3000\x1c\x1f\x85\U0001F600\ud800.")),
    max_size=60)


@given(_TRICKY)
def test_prefix_counts_count_like_a_loop(text: str) -> None:
    marks = "\"“”'’"
    want_marks = [sum(1 for ch in text[:i] if ch in marks) for i in range(len(text) + 1)]
    assert prefix_counts(code_points(text), [ord(c) for c in marks]) == want_marks
    assert prefix_solid(text) == [sum(1 for ch in text[:i] if not ch.isspace()) for i in range(len(text) + 1)]
