"""The library entry point: ``analyze()`` one article from Python."""

from __future__ import annotations

import threading
from typing import Any

from eventwire.errors import InputError
from eventwire.model import Article, Skip
from eventwire.nlp.analyzer import Analyzer, AnalyzerOptions
from eventwire.readers import read_record

__all__ = ["analyze", "default_analyzer"]

_lock = threading.Lock()
_default: Analyzer | None = None


def default_analyzer() -> Analyzer:
    """The process-wide Analyzer (the spaCy pipeline loads on first use, ~1 s)."""
    global _default
    with _lock:
        if _default is None:
            _default = Analyzer(AnalyzerOptions())
        return _default


def analyze(*, text: str | None = None, html: str | None = None, url: str | None = None,
            title: str | None = None, published: str | None = None,
            analyzer: Analyzer | None = None) -> Article:
    """Analyse one article given as ``text`` (kept exactly; spans index into it) or as an ``html`` page.

    Raises InputError (with ``.reason``) when the input cannot be read as an article.
    """
    record: dict[str, Any] = {"text": text, "html": html, "url": url, "title": title, "published": published}
    item = read_record({k: v for k, v in record.items() if v is not None}, source="analyze()")
    if isinstance(item, Skip):
        raise InputError(item.reason, item.detail or "the input is not an article")
    result = (analyzer or default_analyzer()).analyze([item])[0]
    if isinstance(result, Skip):
        raise InputError(result.reason, result.detail)
    return result
