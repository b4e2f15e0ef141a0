"""One FORMAT.md input record (``id``, ``text`` | ``html``, ``url``, ``title``, ``published``) → an article.

A ``text`` record's text is kept exactly as given: every output offset indexes into it.  Debris in it
(a timestamp line, a byline) is only *read* for metadata the record does not give, never removed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from eventwire.model import ArticleInput, Skip
from eventwire.readers.clean import clean_text
from eventwire.readers.html import article_from_html
from eventwire.readers.text import guess_title, language_fields, time_zone_of

__all__ = ["read_record"]


def _str(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def read_record(record: Mapping[str, Any], *, source: str) -> ArticleInput | Skip:
    """An article from one input record (``id`` echoed); without text or html it is Skip("no-text")."""
    record_id = None if record.get("id") is None else str(record["id"])
    url, title, published = _str(record, "url"), _str(record, "title"), _str(record, "published")
    text, html = record.get("text"), record.get("html")
    if text is not None:
        if not isinstance(text, str):
            return Skip(source, "bad-record", f"`text` is a {type(text).__name__}, not a string")
        if not text.strip():
            return Skip(source, "empty", "`text` is empty")
        return _exact(text, source=source, record_id=record_id, url=url, title=title, published=published)
    if html is not None:
        if not isinstance(html, str):
            return Skip(source, "bad-record", f"`html` is a {type(html).__name__}, not a string")
        item = article_from_html(html, source=source, url=url, title=title, published=published)
        return item if isinstance(item, Skip) else replace(item, id=record_id)
    return Skip(source, "no-text", "the record has neither `text` nor `html`")


def _exact(text: str, *, source: str, record_id: str | None, url: str | None, title: str | None,
           published: str | None) -> ArticleInput:
    language, metadata = language_fields(text)
    found = clean_text(text, url=url, language=language, remove=False)
    metadata.update(found.metadata())
    if published is None and found.published:
        metadata["published_source"] = "text"
    elif published is not None:
        metadata.pop("published_tz", None)
        if zone := time_zone_of(published):
            metadata["published_tz"] = zone
    return ArticleInput(
        text=text, source=source, id=record_id, url=url, title=title or guess_title(text),
        authors=found.authors, published=published or found.published,
        updated=found.updated if published is None or found.published == published else None,
        language=language, captions=found.captions, metadata=metadata,
    )
