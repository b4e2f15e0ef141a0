"""Plain text files (``.txt``): decode, take out web-copy debris, label the language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from eventwire.errors import InputError
from eventwire.model import ArticleInput, Skip
from eventwire.readers.clean import clean_text
from eventwire.readers.decode import decode_bytes
from eventwire.readers.language import CONFIDENT, detect_language

__all__ = ["TextReader", "article_from_text", "guess_title", "language_fields", "time_zone_of"]

# A headline is one short line: news headlines run 40-110 characters; 150 leaves room, a lead is longer.
_MAX_TITLE = 150


def language_fields(text: str, declared: str | None = None) -> tuple[str | None, dict[str, Any]]:
    """``(language, metadata)``: the detected language when confident, else the declared one, else None."""
    language, probability = detect_language(text)
    metadata: dict[str, Any] = {}
    if language is not None:
        metadata["language_detected"] = language
        metadata["language_confidence"] = round(probability, 3)
    if declared:
        metadata["language_declared"] = declared
    if language is not None and probability >= CONFIDENT:
        return language, metadata
    return (declared.lower()[:2] if declared else None), metadata


_OFFSET = re.compile(r"(?:Z|[+-]\d\d:?\d\d)$")


def time_zone_of(value: str) -> str | None:
    """``metadata["published_tz"]`` of an ISO datetime: its offset, or "unknown"; None for a date."""
    if "T" not in value:
        return None
    m = _OFFSET.search(value)
    return ("+00:00" if m.group(0) == "Z" else m.group(0)) if m else "unknown"


def guess_title(text: str) -> str | None:
    """The first line when it reads as a headline: short, a few words, no closing punctuation, more below."""
    first, sep, rest = text.strip().partition("\n")
    first = first.strip()
    if (not sep or not rest.strip() or not first or len(first) > _MAX_TITLE or len(first.split()) < 2
            or first[-1] in ".,;:!?…\"”»)" or first.isdigit()):
        return None
    return first


def article_from_text(text: str, *, source: str, url: str | None = None, title: str | None = None,
                      site: str | None = None, authors: tuple[str, ...] = (), published: str | None = None,
                      updated: str | None = None, captions: tuple[str, ...] = (),
                      declared_language: str | None = None, extra: dict[str, Any] | None = None,
                      find_title: bool = True) -> ArticleInput | Skip:
    """An article from extracted or copied text: debris out (captions, timestamps, byline, sign-off).

    Metadata the caller knows from a structured source (a page's meta tags, a feed item) wins over what
    the debris says; captions from both are kept.
    """
    if not text.strip():
        return Skip(source, "empty", "no text")
    language, metadata = language_fields(text, declared_language)
    cleaned = clean_text(text, url=url, language=language)
    if not cleaned.text.strip():
        return Skip(source, "empty", "nothing left after removing captions and timestamps")
    if extra:
        metadata.update(extra)
    metadata.update(cleaned.metadata())
    if published:
        metadata.pop("published_tz", None)
        if zone := time_zone_of(published):
            metadata["published_tz"] = zone
    return ArticleInput(
        text=cleaned.text, source=source, url=url,
        title=title or (guess_title(cleaned.text) if find_title else None), site=site,
        authors=authors or cleaned.authors, published=published or cleaned.published,
        updated=updated or (cleaned.updated if not published else None), language=language,
        captions=tuple(dict.fromkeys((*captions, *cleaned.captions))), metadata=metadata,
    )


class TextReader:
    """``.txt``: one article per file."""

    name = "text"
    suffixes: tuple[str, ...] = (".txt",)

    def read(self, data: bytes, *, source: str) -> Iterator[ArticleInput | Skip]:
        try:
            text, encoding = decode_bytes(data)
        except InputError as e:
            yield Skip(source, e.reason, e.detail)
            return
        yield article_from_text(text, source=source, extra={"encoding": encoding})
