"""eventwire: news articles in; an evidence-linked record of entities, times, quotes, claims and events out.

    >>> from eventwire import analyze
    >>> article = analyze(text="...", published="2025-12-01")
    >>> article.entities[0].mentions[0].span   # CharSpan(start, end, text), text == article.text[start:end]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventwire.errors import ConfigError, EventwireError, InputError, ModelError, StoreError
from eventwire.model import (
    AnalysisStatus,
    Article,
    ArticleInput,
    CharSpan,
    Entity,
    Mention,
    MentionKind,
    Sentence,
    Skip,
    TimeExpr,
)

if TYPE_CHECKING:
    from eventwire.pipeline import analyze

__all__ = [
    "AnalysisStatus",
    "Article",
    "ArticleInput",
    "CharSpan",
    "ConfigError",
    "Entity",
    "EventwireError",
    "InputError",
    "Mention",
    "MentionKind",
    "ModelError",
    "Sentence",
    "Skip",
    "StoreError",
    "TimeExpr",
    "analyze",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # spaCy takes ~1.4 s to import: `import eventwire.store` (API, workers, scripts) should not pay for it.
    if name == "analyze":
        from eventwire.pipeline import analyze

        return analyze
    raise AttributeError(f"module 'eventwire' has no attribute {name!r}")
