"""The ``disable`` setting leaves eventwire components out of the pipeline (and refuses unknown names)."""

from __future__ import annotations

import pytest

from eventwire.errors import ConfigError
from eventwire.nlp.build import load_pipeline

pytestmark = pytest.mark.model


def test_disabled_component_is_left_out_and_its_output_stays_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTWIRE_DISABLE", " eventwire_events ,")
    nlp = load_pipeline()
    assert "eventwire_events" not in nlp.pipe_names
    assert "eventwire_attributions" in nlp.pipe_names
    doc = nlp("The minister said on Monday that the army attacked the village.")
    assert doc._.ew_events == ()
    assert doc._.ew_attributions


def test_unknown_component_name_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTWIRE_DISABLE", "eventwire_event")
    # the settings table checks the name when it is read (settings.py), before anything is loaded
    with pytest.raises(ConfigError, match="EVENTWIRE_DISABLE: 'eventwire_event' is not an eventwire"):
        load_pipeline()
