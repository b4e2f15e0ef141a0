"""The trained attribution role tagger: finds cue, source and content spans (the linker is elsewhere).

``add_to(nlp)`` adds the spaCy component "eventwire_attribution_roles" after "ner". It reads the small
pipeline's tok2vec output (``doc.tensor``) plus parse features and writes three span groups:
``doc.spans["attr_cue"]``, ``doc.spans["attr_source"]``, ``doc.spans["attr_content"]`` (labels CUE, SOURCE,
CONTENT; a discontinuous content is one span per piece).  Weights ship in this folder (``model.bin`` +
``model.json``); MODEL_CARD.md says how they were trained and how well they do.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from eventwire.nlp.models.attributions.features import token_features, token_vectors
from eventwire.nlp.models.attributions.network import ROLES, bio_spans, build_network, role_scores

__all__ = ["FACTORY", "GROUPS", "MODEL_DIR", "AttributionRoles", "add_to", "load_model", "save_model"]

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).resolve().parent
FACTORY = "eventwire_attribution_roles"
GROUPS: dict[str, str] = {role: f"attr_{role}" for role in ROLES}
_WEIGHTS = "model.bin"
_META = "model.json"
_warned: list[bool] = []


def save_model(model: Any, meta: dict[str, Any], directory: Path) -> None:
    """Write the weights and their description (network config, scores) to ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / _WEIGHTS).write_bytes(model.to_bytes())
    (directory / _META).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def load_model(directory: Path = MODEL_DIR) -> tuple[Any, dict[str, Any]] | None:
    """The trained network and its metadata from ``directory``, or None when no weights are there."""
    weights, meta_path = directory / _WEIGHTS, directory / _META
    if not weights.is_file() or not meta_path.is_file():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    model = build_network(**meta["network"])
    model.from_bytes(weights.read_bytes())
    return model, meta


class AttributionRoles:
    """Tags every token with a BIO tag per role and writes the three role span groups."""

    def __init__(self, name: str, model: Any, meta: dict[str, Any]) -> None:
        self.name = name
        self.model = model
        self.meta = meta
        self.vec_width = int(meta["network"].get("vec_width", 96))

    def __call__(self, doc: Doc) -> Doc:
        found: dict[str, list[Span]] = {role: [] for role in ROLES}
        if len(doc):
            logits = self.model.predict((token_vectors(doc, self.vec_width), token_features(doc)))
            tags = role_scores(logits).argmax(axis=2)
            for r, role in enumerate(ROLES):
                label = role.upper()
                found[role] = [Span(doc, s, e, label=label) for s, e in bio_spans(tags[:, r])]
        for role in ROLES:
            doc.spans[GROUPS[role]] = found[role]
        return doc


@Language.factory(FACTORY, default_config={"model_dir": ""})
def make_attribution_roles(nlp: Language, name: str, model_dir: str) -> AttributionRoles:
    loaded = load_model(Path(model_dir) if model_dir else MODEL_DIR)
    if loaded is None:
        raise FileNotFoundError(f"no attribution role model in {model_dir or MODEL_DIR}: run "
                                "`make train-attributions` (needs the shared PolNeAR data)")
    return AttributionRoles(name, *loaded)


def add_to(nlp: Language) -> None:
    """Add the role tagger after "ner" (or last); log once and do nothing when no weights are shipped."""
    if FACTORY in nlp.pipe_names:
        return
    if not (MODEL_DIR / _WEIGHTS).is_file() or not (MODEL_DIR / _META).is_file():
        if not _warned:
            _warned.append(True)
            log.warning("attribution role model not found in %s: attributions are skipped", MODEL_DIR)
        return
    if "ner" in nlp.pipe_names:
        nlp.add_pipe(FACTORY, after="ner")
    else:
        nlp.add_pipe(FACTORY, last=True)
