"""One FORMAT.md input record (``id``, ``text`` | ``html``, ``url``, ``title``, ``published``) → an article.

A ``text`` record's text is kept exactly as given: every output offset indexes into it.  Debris in it
(a timestamp line, a byline) is only *read* for metadata the record does not give, never removed.  The one
change: lone surrogates (valid JSON escapes, not Unicode) become U+FFFD, one code point for one.
A field of the wrong type or a URL that does not parse makes the record a skip; a ``published`` that is
not ISO 8601 is dropped, with the reason in ``metadata["published_rejected"]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from eventwire.model import ArticleInput, Skip
from eventwire.readers.clean import clean_text
from eventwire.readers.html import article_from_html
from eventwire.readers.text import guess_title, language_fields, time_zone_of
from eventwire.readers.validate import iso_published, scrub_surrogates, url_problem

__all__ = ["read_record"]


class _BadField(Exception):
    pass


def _str(record: Mapping[str, Any], key: str, *, numbers: bool = True) -> str | None:
    """The field as a stripped string; a number is taken as its digits (an ``id`` of 17), a list, object
    or boolean never (a ``url`` given as a list once cost the rest of its file)."""
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str) and (
            not numbers or isinstance(value, bool) or not isinstance(value, int | float)):
        raise _BadField(f"`{key}` is a {type(value).__name__}, not a string")
    text = scrub_surrogates(str(value).strip())
    return text or None


def read_record(record: Mapping[str, Any], *, source: str) -> ArticleInput | Skip:
    """An article from one input record (``id`` echoed); without text or html it is Skip("no-text")."""
    try:
        record_id, title, published = _str(record, "id"), _str(record, "title"), _str(record, "published")
        url = _str(record, "url", numbers=False)
    except _BadField as e:
        return Skip(source, "bad-record", str(e))
    if url is not None and (problem := url_problem(url)):
        return Skip(source, "bad-url", problem)
    rejected = None
    if published is not None:
        published, rejected = iso_published(published)
    text, html = record.get("text"), record.get("html")
    if text is not None:
        if not isinstance(text, str):
            return Skip(source, "bad-record", f"`text` is a {type(text).__name__}, not a string")
        if not text.strip():
            return Skip(source, "empty", "`text` is empty")
        item = _exact(scrub_surrogates(text), source=source, record_id=record_id, url=url, title=title,
                      published=published)
    elif html is not None:
        if not isinstance(html, str):
            return Skip(source, "bad-record", f"`html` is a {type(html).__name__}, not a string")
        found = article_from_html(scrub_surrogates(html), source=source, url=url, title=title,
                                  published=published)
        if isinstance(found, Skip):
            return found
        item = replace(found, id=record_id)
    else:
        return Skip(source, "no-text", "the record has neither `text` nor `html`")
    if rejected:
        item = replace(item, metadata={**item.metadata, "published_rejected": rejected})
    return item


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
        text=text, source=source, id=record_id, url=url,
        # From the text without debris: a first line "Caption.Image: keystone" is a caption, not a headline.
        title=title or guess_title(found.body),
        authors=found.authors, published=published or found.published,
        updated=found.updated if published is None or found.published == published else None,
        language=language, captions=found.captions, metadata=metadata,
    )
