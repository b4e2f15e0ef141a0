"""The analysis step's set-up: what it does to the worker process once the pipeline is loaded."""

from __future__ import annotations

import gc

import pytest
import spacy

from eventwire.nlp import analyzer


def test_setup_freezes_what_the_loaded_pipeline_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    # the cyclic collector must stop walking the pipeline's objects once they are loaded (worker-long)
    nlp = spacy.blank("en")
    monkeypatch.setattr(analyzer, "load_pipeline", lambda _model=None: nlp)
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        assert analyzer.Analyzer().setup() is nlp
        assert gc.get_freeze_count() > 0
        # frozen objects are in no collected generation
        assert not any(obj is nlp for obj in gc.get_objects())
    finally:
        gc.unfreeze()
