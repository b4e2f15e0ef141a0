"""Which language an article is in: py3langid (offline, ~1 ms per article) on its first 2000 characters.

Readers only label; they never skip an article for its language.  The pipeline decides what to analyse.
"""

from __future__ import annotations

import threading
from typing import Any

__all__ = ["CONFIDENT", "detect_language"]

# 2000 characters is ~300 words: py3langid's probability is > 0.99 long before that on news prose, and
# reading further only costs time on 100k-character dumps.
_PREFIX = 2000
# Below ~20 letters ("ok", "12/01/2025") the model answers at random with probability ~0.01-0.1.
_MIN_LETTERS = 20
# Normalised probability above which a reader sets ArticleInput.language; on one-paragraph news texts
# the right language scores > 0.95 and confusions (es/gl, no/da) 0.5-0.8.
CONFIDENT = 0.90

_lock = threading.Lock()
_identifier: Any = None


def _model() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)  # ~0.7 s, once
        return _identifier


def detect_language(text: str) -> tuple[str | None, float]:
    """``(ISO 639-1 code, probability 0..1)`` of ``text``; ``(None, 0.0)`` when it has too few letters."""
    sample = text[:_PREFIX]
    if sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return None, 0.0
    language, probability = _model().classify(sample)
    return str(language), float(probability)
