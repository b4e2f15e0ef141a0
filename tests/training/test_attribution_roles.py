"""The shipped role tagger: add_to(), its span groups, BIO decoding and the quote-state feature."""

from __future__ import annotations

import logging

import numpy
import pytest
import spacy

from eventwire.nlp.attributions import tagger as attributions
from eventwire.nlp.attributions.tagger.features import N_FEATURES, token_features
from eventwire.nlp.attributions.tagger.network import bio_spans

ARTICLE = (
    "Harbour officials said on Tuesday that the northern ferry route would stay closed until the storm "
    "passed. \"We will not risk a single crossing,\" the port director, Ana Velt, told reporters. "
    "According to the shipping company, about 400 passengers are waiting in Kessling. Local traders fear "
    "the closure could last a week, and the mayor believes the town will lose money."
)


def test_bio_spans_repairs_and_splits() -> None:
    tags = numpy.array([0, 1, 2, 2, 0, 2, 2, 1, 1, 2])
    assert bio_spans(tags) == [(1, 4), (5, 7), (7, 8), (8, 10)]
    assert bio_spans(numpy.array([], dtype=int)) == []


def test_quote_state_feature_survives_unbalanced_marks() -> None:
    nlp = spacy.blank("en")
    doc = nlp('He said "yes today and then "no')
    state = token_features(doc)[:, 8].tolist()
    assert state[:2] == [0, 0]
    assert state[2:] == [2, 1, 1, 1, 1, 3, 0]
    assert token_features(nlp("")).shape == (0, N_FEATURES)


def test_add_to_without_weights_logs_once_and_adds_nothing(monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: object, caplog: pytest.LogCaptureFixture
                                                           ) -> None:
    monkeypatch.setattr(attributions, "MODEL_DIR", tmp_path)
    monkeypatch.setattr(attributions, "_warned", [])
    nlp = spacy.blank("en")
    with caplog.at_level(logging.WARNING, logger=attributions.__name__):
        attributions.add_to(nlp)
        attributions.add_to(nlp)
    assert nlp.pipe_names == []
    assert sum("not found" in r.getMessage() for r in caplog.records) == 1


@pytest.mark.model
def test_add_to_real_pipeline_writes_three_valid_span_groups() -> None:
    from eventwire.nlp.build import model_name

    nlp = spacy.load(model_name())
    attributions.add_to(nlp)
    attributions.add_to(nlp)  # idempotent
    assert nlp.pipe_names.count(attributions.FACTORY) == 1
    assert nlp.pipe_names.index(attributions.FACTORY) == nlp.pipe_names.index("ner") + 1
    doc = nlp(ARTICLE)
    for role in ("cue", "source", "content"):
        group = doc.spans[f"attr_{role}"]
        for span in group:
            assert span.label_ == role.upper()
            assert 0 <= span.start < span.end <= len(doc)
            assert ARTICLE[span.start_char:span.end_char] == span.text
    cues = {s.text for s in doc.spans["attr_cue"]}
    assert "said" in cues and "told" in cues
    assert any(s.text.startswith("Harbour officials") for s in doc.spans["attr_source"])
    assert any("ferry route" in s.text for s in doc.spans["attr_content"])
    assert nlp("").spans["attr_cue"] is not None
