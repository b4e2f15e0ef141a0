"""scripts/train_event_head.py's pieces: pooling over a sentence's words, the geometric mix, the fit, the
trigger word the head reads (invented vectors and one invented sentence)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from train_event_head import fit, head_trigger, mix, pool


def test_pooling_skips_white_space_and_reads_the_trigger_word() -> None:
    vectors = numpy.array([[1.0, 0.0], [9.0, 9.0], [3.0, 4.0]], dtype=numpy.float32)
    words = numpy.array([True, False, True])  # the middle token is a line break: not in the mean or max
    assert pool(vectors, words, 2, "mean_trigger").tolist() == [2.0, 2.0, 3.0, 4.0]
    assert pool(vectors, words, 0, "mean_max").tolist() == [2.0, 2.0, 3.0, 4.0]
    with pytest.raises(ValueError, match="unknown pooling"):
        pool(vectors, words, 0, "cls")


def test_mix_weight_zero_keeps_the_classifier_and_one_takes_the_head() -> None:
    clf = numpy.array([0.7, 0.2, 0.1])
    head = numpy.log(numpy.array([0.1, 0.1, 0.8]))
    assert numpy.allclose(mix(clf, head, 0.0), clf)
    assert numpy.allclose(mix(clf, head, 1.0), numpy.exp(head))
    half = mix(clf, head, 0.5)
    assert half.argmax() == 2 and numpy.isclose(half.sum(), 1.0)  # sqrt(.1*.8) > sqrt(.7*.1)


def test_fit_separates_two_classes_on_raw_inputs() -> None:
    rng = numpy.random.RandomState(0)
    x = numpy.concatenate([rng.normal(5.0, 1.0, (40, 3)), rng.normal(8.0, 1.0, (40, 3))])
    y = numpy.array([0] * 40 + [1] * 40)
    w, b = fit(x, y, numpy.ones(80), 2, 1e-3)
    # the standardisation is folded into (w, b): raw inputs score directly
    assert ((x @ w + b).argmax(axis=1) == y).mean() > 0.95


@pytest.mark.model
def test_head_reads_the_trigger_word_nearest_the_root(nlp: Any) -> None:
    doc = nlp("Rebels attacked the convoy after the talks collapsed.")
    attacked, talks = doc[1], doc[6]
    assert head_trigger(doc[:], [(talks, ("CONSULT",)), (attacked, ("ASSAULT",))]) == attacked.i
    assert head_trigger(doc[:], []) == attacked.i  # no lexicon word: the main verb
