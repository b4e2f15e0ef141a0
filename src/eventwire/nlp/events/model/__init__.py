"""The trained event-type classifier: a softmax regression over hashed sentence features.

Cheap by design (the pipeline must keep >= 0.75 of bare spaCy's throughput): a sentence is only scored when
the trigger lexicon nominates it, and scoring is one sum over ~100 rows of the weight matrix.  Weights ship in
this folder (``model.npz`` + ``model.json``, float16, ~4 MB); MODEL_CARD.md says how they were trained and how
well they do.  ``scripts/train_events.py`` re-makes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy

from eventwire.nlp.events.model.features import FEATURE_VERSION, feature_ids, sentence_features

__all__ = ["MODEL_DIR", "EventClassifier", "load_classifier", "save_classifier"]

MODEL_DIR = Path(__file__).resolve().parent
_WEIGHTS = "model.npz"
_META = "model.json"


@dataclass(frozen=True)
class EventClassifier:
    labels: tuple[str, ...]
    weights: Any  # (n_buckets, len(labels)) float32
    bias: Any  # (len(labels),) float32
    meta: dict[str, Any]

    @property
    def n_buckets(self) -> int:
        return int(self.weights.shape[0])

    @property
    def temperature(self) -> float:
        """Logits are divided by this: L2-shrunk weights give near-uniform softmax outputs (max ~0.1), so the
        trainer fits a temperature on the training examples to make probabilities mean what they say."""
        return float(self.meta.get("temperature", 1.0))

    def logits(self, ids: Any) -> Any:
        if len(ids) == 0:
            return self.bias
        return self.weights[ids].sum(axis=0) / numpy.sqrt(len(ids)) + self.bias

    def scores(self, ids: Any) -> Any:
        """Class probabilities for one example given its feature bucket ids."""
        logits = self.logits(ids) / self.temperature
        z = numpy.exp(logits - logits.max())
        return z / z.sum()

    def classify(self, sent: Any) -> Any:
        """Probabilities for a spaCy sentence Span (in ``labels`` order)."""
        return self.scores(feature_ids(sentence_features(sent), self.n_buckets))


def save_classifier(clf: EventClassifier, directory: Path = MODEL_DIR) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / _WEIGHTS).open("wb") as fh:
        numpy.savez_compressed(fh, weights=clf.weights.astype("float16"), bias=clf.bias.astype("float32"))
    meta = dict(clf.meta, labels=list(clf.labels), feature_version=FEATURE_VERSION)
    (directory / _META).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def load_classifier(directory: Path = MODEL_DIR) -> EventClassifier | None:
    """The shipped classifier, or None when no weights are there (or they were made for other features)."""
    weights, meta_path = directory / _WEIGHTS, directory / _META
    if not weights.is_file() or not meta_path.is_file():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if int(meta.get("feature_version", 0)) != FEATURE_VERSION:
        return None
    with numpy.load(weights) as arrays:
        w = arrays["weights"].astype("float32")
        b = arrays["bias"].astype("float32")
    return EventClassifier(labels=tuple(meta["labels"]), weights=w, bias=b, meta=meta)
