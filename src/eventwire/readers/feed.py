"""RSS and Atom feed files (``.rss``, ``.atom``, and ``.xml`` that is a feed): one article per item.

feedparser normalises every date to UTC and drops the zone the feed wrote; we parse the raw date string
ourselves so "Thu, 14 Mar 2024 09:05:00 +0100" stays 09:05+01:00 (and "-0000", which RFC 2822 defines as
"zone unknown", stays without an offset).
"""

from __future__ import annotations

import calendar
import io
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import feedparser

from eventwire.model import ArticleInput, Skip
from eventwire.readers.html import html_to_text
from eventwire.readers.text import article_from_text
from eventwire.readers.validate import url_problem

__all__ = ["FeedReader", "feed_date"]

log = logging.getLogger(__name__)


def feed_date(raw: str | None, parsed: Any = None) -> str | None:
    """ISO-8601 for a feed's date string (RFC 822 or RFC 3339), falling back to feedparser's UTC tuple."""
    if raw:
        value: datetime | None = None
        try:
            value = parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            try:
                value = datetime.fromisoformat(raw.strip())
            except ValueError:
                value = None
        if value is not None:
            if len(raw.strip()) == 10 and raw.strip()[4] == "-":
                return value.date().isoformat()
            spec = "minutes" if value.second == 0 else "seconds"
            return value.isoformat(timespec=spec)
    if parsed:
        value = datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
        return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")
    return None


def _item_html(entry: Any) -> str:
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    if contents:
        return str(max(contents, key=len))
    return str(entry.get("summary", "") or entry.get("description", "") or "")


# RSS <author> is "email (Name)"; feedparser mis-splits it for some domains ("ple (Mara Finch"), so we do.
_EMAIL_NAME = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^()]+)\)\s*$")


def _authors(entry: Any) -> tuple[str, ...]:
    raw = str(entry.get("author") or "")
    m = _EMAIL_NAME.match(raw)
    if m:
        return (m["name"].strip(),)
    names = tuple(str(a["name"]).strip() for a in entry.get("authors", []) if a.get("name"))
    if names:
        return names
    return (raw.strip(),) if raw.strip() and "@" not in raw else ()


def _plain(value: Any) -> str | None:
    if not value:
        return None
    text = str(value)
    return html_to_text(text) if "<" in text else " ".join(text.split())


# A character reference to a surrogate ("&#xD800;") is not XML; feedparser's loose parser, which takes over
# on a feed that is not well-formed, raised UnicodeEncodeError on it and the whole feed was lost.
_CHAR_REF = re.compile(rb"&#(?:[xX]0*([0-9a-fA-F]{1,6})|0*([0-9]{1,7}));")


def _no_surrogate(m: re.Match[bytes]) -> bytes:
    code = int(m[1], 16) if m[1] else int(m[2])
    return b"&#xFFFD;" if 0xD800 <= code <= 0xDFFF else m[0]


class FeedReader:
    """RSS 0.9x/1.0/2.0 and Atom feeds; an ``.xml`` file that is not a feed is an unsupported format."""

    name = "feed"
    suffixes: tuple[str, ...] = (".rss", ".atom", ".xml")

    def read(self, data: bytes, *, source: str) -> Iterator[ArticleInput | Skip]:
        if not data.strip():
            yield Skip(source, "empty", "no bytes")
            return
        if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            yield Skip(source, "binary", "contains NUL bytes")
            return
        data = _CHAR_REF.sub(_no_surrogate, data)
        # A file object, never bytes or str: feedparser treats a string that looks like a URL or path as one.
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
        if not parsed.get("version") and not parsed.entries:
            problem = parsed.get("bozo_exception")
            detail = "XML but not an RSS or Atom feed" if source.lower().endswith(".xml") else "not a feed"
            yield Skip(source, "unsupported-format" if source.lower().endswith(".xml") else "bad-feed",
                       detail + (f" ({problem})" if problem else ""))
            return
        if not parsed.entries:
            yield Skip(source, "empty", "the feed has no items")
            return
        channel = parsed.get("feed", {})
        site = _plain(channel.get("title"))
        language = channel.get("language") or None
        for n, entry in enumerate(parsed.entries, start=1):
            try:
                yield self._item(entry, source=f"{source}#{n}", site=site, language=language)
            except Exception as e:  # one item's failure costs that item, never the items after it
                log.warning("feed item %s#%d failed", source, n, exc_info=True)
                yield Skip(f"{source}#{n}", "reader-error", f"{type(e).__name__}: {e}"[:200])

    def _item(self, entry: Any, *, source: str, site: str | None,
              language: str | None) -> ArticleInput | Skip:
        link = str(entry.get("link") or "") or None
        if link and (problem := url_problem(link)):
            return Skip(source, "bad-url", problem)
        text = html_to_text(_item_html(entry))
        if not text.strip():
            return Skip(source, "no-text", "the item has neither content nor summary")
        published = feed_date(entry.get("published"), entry.get("published_parsed"))
        updated = feed_date(entry.get("updated"), entry.get("updated_parsed")) if "updated" in entry else None
        if published is None:
            published, updated = updated, None
        authors = _authors(entry)
        extra: dict[str, Any] = {"format": "feed"}
        if entry.get("id"):
            extra["guid"] = str(entry["id"])
        return article_from_text(
            text, source=source, url=link, title=_plain(entry.get("title")), site=site,
            authors=authors, published=published, updated=updated if updated != published else None,
            declared_language=language, extra=extra, find_title=False,
        )
