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

from eventwire.nlp.models.attributions.features import sentence_lengths, token_features, token_vectors
from eventwire.nlp.models.attributions.network import ROLES, bio_spans, build_network, role_scores

__all__ = ["FACTORY", "GROUPS", "MODEL_DIR", "AttributionRoles", "add_to", "load_model", "merge_fragments",
           "save_model"]

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

    def __init__(self, name: str, model: Any, meta: dict[str, Any], merge_gap: int = 6,
                 o_weight: float = 0.6) -> None:
        self.name = name
        self.model = model
        self.meta = meta
        self.merge_gap = merge_gap
        # < 1 trades precision for recall: at 1.0 role spans have P > R (source .75/.53, cue .71/.57);
        # 0.6 gives source F1 .620 -> .629, cue .629 -> .633, content .342 -> .339 on the dev compartment
        self.o_weight = o_weight
        self.vec_width = int(meta["network"].get("vec_width", 96))
        self.features = int(meta.get("features", 1))

    def __call__(self, doc: Doc) -> Doc:
        found: dict[str, list[Span]] = {role: [] for role in ROLES}
        if len(doc):
            vecs = token_vectors(doc, self.vec_width)
            logits = self.model.predict((vecs, token_features(doc, self.features), sentence_lengths(doc)))
            probs = role_scores(logits)
            probs[:, :, 0] *= self.o_weight
            tags = probs.argmax(axis=2)
            spans = {role: bio_spans(tags[:, r]) for r, role in enumerate(ROLES)}
            if self.merge_gap:
                spans["content"] = merge_fragments(doc, spans["content"], tags, self.merge_gap)
            for role in ROLES:
                found[role] = [Span(doc, s, e, label=role.upper()) for s, e in spans[role]]
        for role in ROLES:
            doc.spans[GROUPS[role]] = found[role]
        return doc


def merge_fragments(doc: Doc, spans: list[tuple[int, int]], tags: Any, max_gap: int) -> list[tuple[int, int]]:
    """Join content pieces split by a short gap of untagged tokens: a real discontinuous content is split by
    its cue or source ("The plan," he said, "is dead."), so a gap with neither, within one paragraph, is a
    tagging slip inside one content."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out:
            ps, pe = out[-1]
            gap = doc[pe:s]
            if (0 <= s - pe <= max_gap and not (tags[pe:s, 0] > 0).any() and not (tags[pe:s, 1] > 0).any()
                    and "\n" not in gap.text_with_ws):
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out


# merge_gap 6: on the dev compartment content strict F1 0.24 (no merging) -> 0.32 (3) -> 0.33 (6).
@Language.factory(FACTORY, default_config={"model_dir": "", "merge_gap": 6, "o_weight": 0.6})
def make_attribution_roles(nlp: Language, name: str, model_dir: str, merge_gap: int,
                           o_weight: float) -> AttributionRoles:
    loaded = load_model(Path(model_dir) if model_dir else MODEL_DIR)
    if loaded is None:
        raise FileNotFoundError(f"no attribution role model in {model_dir or MODEL_DIR}: run "
                                "`make train-attributions` (needs the shared PolNeAR data)")
    return AttributionRoles(name, *loaded, merge_gap=merge_gap, o_weight=o_weight)


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
