"""The role tagger's sentence gate: which sentences it keeps, and that gating never changes a kept tag."""

from __future__ import annotations

import itertools

import numpy
import pytest
import spacy

from eventwire.nlp.attributions import tagger as attributions
from eventwire.nlp.attributions.tagger import _gated_rows, candidate_sentences, receptive_field

ARTICLE = (
    "The bridge over the Varn river reopened on Monday after three weeks of repairs. "
    "Traffic was light in the morning. "
    "\"We are relieved,\" said Mira Tolk, who runs a bakery on the east bank. "
    "Trucks heavier than 20 tonnes still need a permit. "
    "According to the city, the last inspection found no cracks. "
    "The council believes the works cost less than planned. "
    "Rain is expected later in the week."
)


def _sentences(text: str) -> spacy.tokens.Doc:
    """A blank-pipeline Doc whose sentences start after every full stop."""
    doc = spacy.blank("en")(text)
    for tok in doc:
        tok.is_sent_start = tok.i == 0 or doc[tok.i - 1].text == "."
    return doc


def test_gate_keeps_cue_quote_and_according_sentences() -> None:
    doc = _sentences(ARTICLE)
    for tok in doc:  # a blank pipeline has no lemmatizer: the lower-case form stands in for the lemma
        tok.lemma_ = {"said": "say", "believes": "believe"}.get(tok.lower_, tok.lower_)
    keep = candidate_sentences(doc).tolist()
    assert keep == [False, False, True, False, True, True, False]
    assert candidate_sentences(doc, adjacent=1).tolist() == [False, True, True, True, True, True, True]
    assert candidate_sentences(_sentences("")).tolist() == []


@pytest.mark.parametrize("context", [0, 1, 2])
def test_gated_rows_keep_sentences_apart_and_add_context(context: int) -> None:
    lengths = numpy.array([3, 4, 2, 5, 3], dtype="int32")
    keep = numpy.array([False, True, False, False, True])
    rows, seg_lengths, kept = _gated_rows(lengths, keep, context)
    starts = numpy.concatenate([[0], numpy.cumsum(lengths)[:-1]])
    kept_tokens = [i for s, n, k in zip(starts, lengths, keep, strict=True) if k for i in range(s, s + n)]
    assert rows[kept].tolist() == kept_tokens
    assert int(seg_lengths.sum()) == len(rows)
    # every kept sentence is one whole sequence of its own, as in a pass over the whole doc
    bounds = numpy.concatenate([[0], numpy.cumsum(seg_lengths)])
    pieces = [rows[a:b].tolist() for a, b in itertools.pairwise(bounds)]
    assert [3, 4, 5, 6] in pieces and [14, 15, 16] in pieces
    # each kept token has ``context`` real neighbours each side in the fed rows (or the doc's edge)
    for i in kept_tokens:
        at = rows.tolist().index(i)
        for d in range(1, context + 1):
            if i - d >= 0:
                assert rows[at - d] == i - d
            if i + d < int(lengths.sum()):
                assert rows[at + d] == i + d


def test_receptive_field_follows_the_architecture() -> None:
    assert receptive_field({"arch": "hybrid", "depth": 2, "window": 1}) == 2
    assert receptive_field({"arch": "cnn", "depth": 3, "window": 2}) == 6
    assert receptive_field({"arch": "lstm", "depth": 2, "window": 1}) == 0


@pytest.mark.model
def test_gating_leaves_kept_sentences_tags_unchanged() -> None:
    from eventwire.nlp.build import model_name

    nlp = spacy.load(model_name())
    attributions.add_to(nlp)
    if attributions.FACTORY not in nlp.pipe_names:
        pytest.skip("no role tagger weights shipped")
    tagger = nlp.get_pipe(attributions.FACTORY)
    doc = nlp(ARTICLE)
    tagger.gate = False
    whole = tagger.tags(doc)
    tagger.gate = True
    gated = tagger.tags(doc)
    keep = candidate_sentences(doc)
    mask = numpy.repeat(keep, [len(s) for s in doc.sents])
    assert 0 < mask.sum() < len(doc)
    assert (gated[mask] == whole[mask]).all()
    assert (gated[~mask] == 0).all()
