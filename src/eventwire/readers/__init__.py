"""Readers: files and records in, ``ArticleInput`` (clean body + metadata) or ``Skip(reason)`` out.

    read_paths(["articles/", "feed.xml", "batch.jsonl.gz"])   # files and folders, recursively
    read_bytes(data, name="page.html")                        # bytes in memory, dispatched by name
    read_record({"id": "a1", "text": "..."}, source="x")       # one FORMAT.md input record

Dispatch is by file name suffix through the registry in :mod:`eventwire.readers.base`; ``.gz`` is
gunzipped on the fly.  Bad input never raises: every problem is a ``Skip`` with a stable reason code
(empty, binary, too-large, too-many-lines, bad-gzip, not-json, too-deep, bad-record, bad-url, no-text,
no-article, truncated, unsupported-format, not-a-file, unreadable, ...) and reading goes on with the next
input, or the next record of a many-record file.  Only regular files (or links to them) are opened.
"""

from __future__ import annotations

import gzip
import io
import logging
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, Any, cast

from eventwire import settings
from eventwire.errors import InputError
from eventwire.model import ArticleInput, Skip
from eventwire.readers.base import (
    Reader,
    StreamReader,
    reader_for,
    register_reader,
    registered_readers,
    unregister_reader,
)
from eventwire.readers.feed import FeedReader
from eventwire.readers.html import HtmlReader
from eventwire.readers.jsonl import JsonlReader
from eventwire.readers.language import detect_language
from eventwire.readers.record import read_record
from eventwire.readers.text import TextReader
from eventwire.readers.validate import scrub_surrogates
from eventwire.readers.warc import WarcReader

__all__ = [
    "Reader",
    "StreamReader",
    "detect_language",
    "input_files",
    "read_bytes",
    "read_paths",
    "read_record",
    "read_slice",
    "reader_for",
    "register_reader",
    "registered_readers",
    "unregister_reader",
]

log = logging.getLogger(__name__)

for _reader in (TextReader(), HtmlReader(), JsonlReader(), FeedReader(), WarcReader()):
    register_reader(_reader)

_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 16
_GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)


class _TooLarge(Exception):
    pass


def _limit(max_bytes: int | None) -> int:
    return int(settings.get("max_bytes")) if max_bytes is None else max_bytes


def _read_capped(stream: IO[bytes], limit: int) -> bytes:
    """All of ``stream`` if it is at most ``limit`` bytes; reads at most ``limit + 1`` bytes to find out."""
    buf = bytearray()
    while chunk := stream.read(min(_CHUNK, limit + 1 - len(buf))):
        buf += chunk
        if len(buf) > limit:
            raise _TooLarge
    return bytes(buf)


def _dispatch(name: str, head: bytes) -> tuple[Reader | None, bool]:
    """The reader for a file called ``name`` whose first bytes are ``head``, and whether to gunzip."""
    reader = reader_for(name)
    if reader is not None and any(s.endswith(".gz") for s in reader.suffixes):
        return reader, False  # a reader claiming a .gz suffix reads gzip itself (WARC: record by record)
    if name.lower().endswith(".gz"):
        return reader_for(name[:-3]), True
    return reader, reader is not None and head.startswith(_GZIP_MAGIC)


def _valid(item: ArticleInput | Skip) -> ArticleInput | Skip:
    """``item`` with lone surrogates replaced in its text and title, whichever reader (plugin) made it."""
    if isinstance(item, Skip):
        return item
    text, title = scrub_surrogates(item.text), item.title and scrub_surrogates(item.title)
    return item if (text, title) == (item.text, item.title) else replace(item, text=text, title=title)


def _guarded(items: Iterator[ArticleInput | Skip], source: str) -> Iterator[ArticleInput | Skip]:
    """Pass items through; turn a reader's exception into a Skip so one file never stops a batch."""
    try:
        for item in items:
            yield _valid(item)
    except _GZIP_ERRORS as e:
        yield Skip(source, "bad-gzip", f"{type(e).__name__}: {e}"[:200])
    except InputError as e:
        yield Skip(source, e.reason, e.detail)
    except OSError as e:
        yield Skip(source, "unreadable", str(e)[:200])
    except Exception as e:
        log.warning("reader failed on %s", source, exc_info=True)
        yield Skip(source, "reader-error", f"{type(e).__name__}: {e}"[:200])


def _read_stream(stream: IO[bytes], *, name: str, source: str, size: int | None,
                 limit: int) -> Iterator[ArticleInput | Skip]:
    try:
        head = stream.read(2)
        stream.seek(0)
    except OSError as e:
        yield Skip(source, "unreadable", str(e)[:200])
        return
    reader, gunzip = _dispatch(name, head)
    if reader is None:
        suffix = "".join(Path(name).suffixes[-2:]) or "(none)"
        yield Skip(source, "unsupported-format", f"no reader for {suffix}")
        return
    raw = cast(IO[bytes], gzip.GzipFile(fileobj=stream, mode="rb")) if gunzip else stream
    if isinstance(reader, StreamReader):
        # Containers: the limit applies per record, so a large batch streams through in constant memory.
        yield from _guarded(reader.read_stream(raw, source=source, max_bytes=limit), source)
        return
    if size is not None and size > limit:
        yield Skip(source, "too-large", f"{size} bytes > max_bytes {limit}")
        return
    try:
        data = _read_capped(raw, limit)
    except _TooLarge:
        yield Skip(source, "too-large", f"over max_bytes {limit} after gunzip")
        return
    except _GZIP_ERRORS as e:
        yield Skip(source, "bad-gzip", f"{type(e).__name__}: {e}"[:200])
        return
    except OSError as e:
        yield Skip(source, "unreadable", str(e)[:200])
        return
    yield from _guarded(reader.read(data, source=source), source)


def input_files(paths: Iterable[str | Path]) -> Iterator[Path | Skip]:
    """The files ``read_paths`` reads, in its order: folders walked recursively (hidden entries left out)."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found: list[Path] = []
            for root, dirs, files in os.walk(path):
                # Hidden files and folders (.DS_Store, .git) are not inputs.
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found += [Path(root) / f for f in files if not f.startswith(".")]
            # Sorted by path components, as `find | sort` lists them: the same order on every machine.
            yield from sorted(found, key=lambda f: f.relative_to(path).parts)
        elif path.exists():
            yield path
        else:
            yield Skip(str(p), "not-found", "no such file or folder")


def _open_regular(path: Path) -> IO[bytes] | Skip:
    """``path`` opened for reading if it is (a link to) a regular file, else Skip("not-a-file").

    A FIFO, device or socket is never opened: opening a FIFO for reading blocks until a writer comes (a run
    hung on one), /dev/zero linked as "x.jsonl" has no end, and opening some devices acts (a tape rewinds).
    The check is made on the link's target before opening, and again on the open descriptor (opened
    non-blocking), in case the path was swapped in between.
    """
    if (skip := _not_regular(path, os.stat(path).st_mode)) is not None:
        return skip
    nonblock = getattr(os, "O_NONBLOCK", 0)  # POSIX only; Windows has no FIFOs to open by path
    fd = os.open(path, os.O_RDONLY | nonblock | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISREG(mode):
            if nonblock:
                os.set_blocking(fd, True)
            return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    os.close(fd)
    return _not_regular(path, mode) or Skip(str(path), "not-a-file", "changed while it was opened")


def _not_regular(path: Path, mode: int) -> Skip | None:
    if stat.S_ISREG(mode):
        return None
    kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    return Skip(str(path), "not-a-file", f"{kind}; only regular files are read")


def read_paths(paths: Iterable[str | Path], *, max_bytes: int | None = None) -> Iterator[ArticleInput | Skip]:
    """Articles from files and folders (recursive, sorted), by suffix; ``.gz`` is gunzipped on the fly.

    ``max_bytes`` (default: the ``max_bytes`` setting) caps a file's size and its size after gunzip; a
    JSONL or WARC file is read as a stream and the cap applies to each record.
    """
    limit = _limit(max_bytes)
    for item in input_files(paths):
        if isinstance(item, Skip):
            yield item
            continue
        source = str(item)
        try:
            stream = _open_regular(item)
        except OSError as e:
            yield Skip(source, "unreadable", e.strerror or str(e))
            continue
        if isinstance(stream, Skip):
            yield stream
            continue
        size = os.fstat(stream.fileno()).st_size
        with stream:
            yield from _read_stream(stream, name=item.name, source=source, size=size, limit=limit)


def read_bytes(data: bytes, *, name: str, max_bytes: int | None = None) -> Iterator[ArticleInput | Skip]:
    """Articles from ``data`` as if it were a file called ``name`` (the suffix picks the reader)."""
    yield from _read_stream(io.BytesIO(data), name=name, source=name, size=len(data), limit=_limit(max_bytes))



class _Slice(io.RawIOBase):
    """Bytes ``[start, stop)`` of an open file as a stream of its own (position 0 = ``start``)."""

    def __init__(self, stream: IO[bytes], start: int, stop: int) -> None:
        super().__init__()
        self.stream, self.start, self.length, self.pos = stream, start, max(0, stop - start), 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.length}[whence]
        self.pos = min(max(0, base + offset), self.length)
        return self.pos

    def tell(self) -> int:
        return self.pos

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), self.length - self.pos)
        if n <= 0:
            return 0
        self.stream.seek(self.start + self.pos)
        data = self.stream.read(n)
        buffer[:len(data)] = data
        self.pos += len(data)
        return len(data)


_POSITION = re.compile(r"([:#])(\d+)$")


def _renumbered(item: ArticleInput | Skip, source: str, offset: int) -> ArticleInput | Skip:
    """``item`` with the record number in its source (``x.jsonl:3``) moved on by ``offset``."""
    if not offset or not item.source.startswith(source):
        return item
    tail = item.source[len(source):]
    match = _POSITION.fullmatch(tail)
    if match is None:
        return item
    return replace(item, source=f"{source}{match[1]}{int(match[2]) + offset}")


def read_slice(path: str | Path, *, start: int, stop: int, first: int = 1, part: bool = False,
               max_bytes: int | None = None) -> Iterator[ArticleInput | Skip]:
    """The records of a JSONL or WARC file between byte offsets ``start`` and ``stop`` (a work unit's
    range, cut at line ends or record starts), numbered as a whole read numbers them: ``first`` is the line
    (record) number at ``start``.  ``part``: the range is one of several, so a skip about the file as a whole
    ("no-article": no HTML in the file) is left to the whole file's reading, not said once per range."""
    source = str(path)
    try:
        stream = _open_regular(Path(path))
    except OSError as e:
        yield Skip(source, "unreadable", e.strerror or str(e))
        return
    if isinstance(stream, Skip):
        yield stream
        return
    with stream:
        sliced = io.BufferedReader(_Slice(stream, start, stop), _CHUNK)
        for item in _read_stream(sliced, name=Path(path).name, source=source, size=None,
                                 limit=_limit(max_bytes)):
            if part and isinstance(item, Skip) and item.source == source and item.reason == "no-article":
                continue
            yield _renumbered(item, source, first - 1)
