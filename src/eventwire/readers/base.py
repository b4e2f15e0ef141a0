"""The reader seam: what a reader is, and the registry that picks one by file name.

A reader turns the bytes of one file into articles (``ArticleInput``) or counted skips (``Skip``).  The
built-in readers (text, html, jsonl, feed, warc) register through :func:`register_reader` exactly as a
third-party one does, either by calling it or through the ``eventwire.readers`` entry-point group::

    # pyproject.toml of a plugin
    [project.entry-points."eventwire.readers"]
    docx = "my_plugin:DocxReader"   # a Reader class (instantiated without arguments) or instance

A reader of a container format (one file, many records: JSONL, WARC) may also implement
:class:`StreamReader`; the dispatcher then hands it the (gunzipped) stream, and the size limit applies per
record instead of to the whole file, so a 70 MB batch of 500 articles is read in constant memory.
A reader that claims a ``.gz`` suffix (``.warc.gz``) is handed the bytes as they are, gzipped or not: it
reads gzip itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from importlib.metadata import entry_points
from typing import IO, Protocol, runtime_checkable

from eventwire.model import ArticleInput, Skip

__all__ = [
    "ENTRY_POINT_GROUP",
    "Reader",
    "StreamReader",
    "reader_for",
    "register_reader",
    "registered_readers",
    "unregister_reader",
]

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "eventwire.readers"


@runtime_checkable
class Reader(Protocol):
    """Reads one file's bytes; ``suffixes`` are the lower-case file name endings it takes (".html")."""

    name: str
    suffixes: tuple[str, ...]

    def read(self, data: bytes, *, source: str) -> Iterator[ArticleInput | Skip]:
        """Articles and skips from ``data``; bad input is a Skip (or an InputError), never a crash."""
        ...


@runtime_checkable
class StreamReader(Reader, Protocol):
    """A reader of a many-record container that can read it as a stream, record by record."""

    def read_stream(self, stream: IO[bytes], *, source: str,
                    max_bytes: int | None) -> Iterator[ArticleInput | Skip]:
        """Like :meth:`Reader.read`; a record over ``max_bytes`` is a Skip("too-large"), the rest go on."""
        ...


_lock = threading.RLock()
_readers: dict[str, Reader] = {}  # by name, in registration order
_plugins_loaded = False


def register_reader(reader: Reader) -> Reader:
    """Add ``reader`` (replacing one of the same name); for a suffix, the last registered reader wins."""
    if not isinstance(reader, Reader):
        raise TypeError(f"{reader!r} is not a Reader: it needs name, suffixes and read(data, *, source)")
    bad = [s for s in reader.suffixes if not s.startswith(".") or s != s.lower()]
    if bad:
        raise ValueError(f"reader {reader.name!r}: suffixes must be lower case and start with '.': {bad}")
    with _lock:
        _readers.pop(reader.name, None)
        _readers[reader.name] = reader
    return reader


def unregister_reader(name: str) -> None:
    """Remove the reader called ``name`` (no error if there is none)."""
    with _lock:
        _readers.pop(name, None)


def registered_readers() -> tuple[Reader, ...]:
    """All readers, in registration order (entry-point plugins included)."""
    _load_plugins()
    with _lock:
        return tuple(_readers.values())


def reader_for(filename: str) -> Reader | None:
    """The reader for ``filename`` by its longest registered suffix ("x.warc.gz" before "x.gz"), or None."""
    lower = filename.lower()
    best: tuple[int, int] | None = None
    chosen: Reader | None = None
    for order, reader in enumerate(registered_readers()):
        for suffix in reader.suffixes:
            if lower.endswith(suffix) and (best is None or (len(suffix), order) >= best):
                best, chosen = (len(suffix), order), reader
    return chosen


def _load_plugins() -> None:
    global _plugins_loaded
    with _lock:
        if _plugins_loaded:
            return
        _plugins_loaded = True
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            try:
                obj = ep.load()
                register_reader(obj() if isinstance(obj, type) else obj)
            except Exception as e:
                log.warning("reader plugin %s could not be loaded: %s", ep.name, e)
