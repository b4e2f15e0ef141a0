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


def test_the_pipeline_passes_spacys_analysis(nlp) -> None:  # type: ignore[no-untyped-def]
    """Every layer's requirements are assigned by a component before it (spaCy's own check)."""
    analysis = nlp.analyze_pipes()
    assert analysis["problems"] == {name: [] for name in nlp.pipe_names}
    assert "doc._.ew_attributions" in analysis["summary"]["eventwire_attributions"]["assigns"]


def test_each_eventwire_factory_declares_what_it_assigns_and_requires(nlp) -> None:  # type: ignore[no-untyped-def]
    from eventwire.nlp.build import COMPONENTS

    ours = [name for name, _ in COMPONENTS if name in nlp.pipe_names]
    assert len(ours) == len(COMPONENTS)  # the shipped weights are there: every layer runs
    for name in ours:
        meta = nlp.get_pipe_meta(name)
        assert meta.assigns, name
        # the prompts component reads the text alone, before spaCy's parser: nothing to require
        assert meta.requires or name == "eventwire_prompts", name


def test_every_module_of_the_package_imports() -> None:
    """Moving modules between layers must leave no import behind (mypy ignores missing imports here)."""
    import importlib
    import pkgutil

    import eventwire
    from eventwire.nlp.events.component import STAGES

    names = [m.name for m in pkgutil.walk_packages(eventwire.__path__, "eventwire.")
             if not m.name.endswith("__main__")]  # runs the CLI
    assert "eventwire.nlp.docindex" in names and "eventwire.nlp.attributions.state" in names
    for name in [*names, *(module for _, module in STAGES)]:
        importlib.import_module(name)
