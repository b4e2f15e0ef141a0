"""WARC archives (``.warc``, ``.warc.gz``): the HTML ``response`` records, one article each.

A file cut short (a crawl still being written, a partial download) gives every complete record and one
"truncated" skip for the cut one.  Requests, metadata records and non-HTML responses (images, scripts,
stylesheets: most of a crawl) are passed over silently; they are not articles that failed.  The URL is the
record's WARC-Target-URI; the page's own date wins, WARC-Date (the crawl time) is the fallback.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import replace
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from eventwire.errors import InputError
from eventwire.model import ArticleInput, Skip
from eventwire.readers.decode import decode_bytes
from eventwire.readers.html import article_from_html
from eventwire.readers.validate import iso_published, url_problem

__all__ = ["WarcReader", "is_html_response"]

log = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def is_html_response(record: Any) -> bool:
    """Whether a warcio record is an HTML response: the records that are articles (or their skips)."""
    if record.rec_type != "response" or record.http_headers is None:
        return False
    content_type = record.http_headers.get_header("Content-Type") or ""
    return content_type.split(";")[0].strip().lower() in _HTML_TYPES


class _Counted(io.RawIOBase):
    """A read-only view of a stream that counts the bytes read through it."""

    def __init__(self, stream: IO[bytes]) -> None:
        super().__init__()
        self.stream = stream
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.stream.read(len(buffer))
        buffer[:len(data)] = data
        self.read_bytes += len(data)
        return len(data)


class WarcReader:
    """HTML responses of a WARC file (gzipped per record or whole)."""

    name = "warc"
    # ".warc.gz" is claimed so the dispatcher hands warcio the gzip stream: warcio reads it member by member
    # and so keeps every complete record of a truncated file, where a gunzipped stream lost them all.
    suffixes: tuple[str, ...] = (".warc", ".warc.gz")

    def read(self, data: bytes, *, source: str) -> Iterator[ArticleInput | Skip]:
        return self.read_stream(io.BytesIO(data), source=source, max_bytes=None)

    def read_stream(self, stream: IO[bytes], *, source: str,
                    max_bytes: int | None) -> Iterator[ArticleInput | Skip]:
        n = found = 0
        counted = _Counted(stream)
        records = ArchiveIterator(counted)
        try:
            for record in records:
                n += 1
                if record.format != "warc":
                    # warcio reads any line as an old-style ARC header; we take WARC files only.
                    yield Skip(source, "bad-warc", f"record {n} is not a WARC record")
                    return
                item = self._guarded_record(record, source=f"{source}#{n}", max_bytes=max_bytes)
                if item is not None:
                    found += 1
                    yield item
        except ArchiveLoadFailed as e:
            first_line = (str(e).strip().splitlines() or ["unreadable"])[0]
            yield Skip(f"{source}#{n + 1}", "bad-warc", first_line[:200])
            return
        except Exception as e:  # warcio on a cut record: AttributeError, ValueError ... on half a header
            at_end = not counted.stream.read(1)
            reason = "truncated" if at_end else "bad-warc"
            what = "the file ends inside" if at_end else f"cannot read ({type(e).__name__})"
            yield Skip(f"{source}#{n + 1}", reason,
                       f"{what} record {n + 1}; the {n} records before it were read")
            return
        # warcio ends quietly when the file stops inside a record's header or gzip member: bytes were read
        # past the end of the last whole record.  (A cut within a gzip member's first ~10 header bytes is
        # still taken for the end of the file.)
        if counted.read_bytes > records.offset:
            yield Skip(f"{source}#{n + 1}", "truncated",
                       f"the file ends inside record {n + 1}; the {n} records before it were read")
            return
        if not found:
            yield Skip(source, "no-article", f"no HTML response among {n} records")

    def _guarded_record(self, record: Any, *, source: str,
                        max_bytes: int | None) -> ArticleInput | Skip | None:
        """One record's article; a failure costs this record only, the archive goes on."""
        try:
            return self._record(record, source=source, max_bytes=max_bytes)
        except Exception as e:
            log.warning("WARC record %s failed", source, exc_info=True)
            return Skip(source, "reader-error", f"{type(e).__name__}: {e}"[:200])

    def _record(self, record: Any, *, source: str, max_bytes: int | None) -> ArticleInput | Skip | None:
        if not is_html_response(record):
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
        url = record.rec_headers.get_header("WARC-Target-URI")
        if url and (problem := url_problem(url)):
            return Skip(source, "bad-url", problem)
        status = record.http_headers.get_statuscode()
        if status and not str(status).startswith("2"):
            return Skip(source, "http-error", f"HTTP {status} for {url}")
        limit = max_bytes + 1 if max_bytes is not None else -1
        body = record.content_stream().read(limit)
        if max_bytes is not None and len(body) > max_bytes:
            return Skip(source, "too-large", f"record over {max_bytes} bytes")
        if getattr(record.raw_stream, "limit", 0) > 0:  # warcio's LimitReader: bytes the header promised
            return Skip(source, "truncated", "the file ends inside this record; its page is incomplete")
        try:
            markup, encoding = decode_bytes(body, declared=_charset(content_type))
        except InputError as e:
            return Skip(source, e.reason, e.detail)
        extra = {"encoding": encoding, "format": "warc"}
        item = article_from_html(markup, source=source, url=url, extra=extra)
        if isinstance(item, Skip) or item.published:
            return item
        crawled, _ = iso_published((record.rec_headers.get_header("WARC-Date") or "").replace("Z", "+00:00"))
        if not crawled:
            return item
        metadata = {**item.metadata, "published_source": "WARC-Date"}
        return replace(item, published=crawled, metadata=metadata)
