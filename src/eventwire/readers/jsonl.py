"""JSON Lines batches (``.jsonl``): one FORMAT.md input record per line, read as a stream.

A line that is not JSON, or not an object, or a record that fails in any way, is a skip for that line only;
the rest of the file goes on.  Sources are ``file.jsonl:17`` (1-based line numbers, as editors show them).
A line that is not UTF-8 (a batch concatenated from files of two code pages) is decoded on its own, and its
article says so in ``metadata["encoding"]``.  A file is read up to the ``max_lines`` setting.
"""

from __future__ import annotations

import codecs
import io
import json
import logging
from collections.abc import Iterator
from dataclasses import replace
from typing import IO, Any

from eventwire import settings
from eventwire.errors import InputError
from eventwire.model import ArticleInput, Skip
from eventwire.readers.decode import decode_bytes
from eventwire.readers.record import read_record

__all__ = ["JsonlReader"]

log = logging.getLogger(__name__)

_CHUNK = 1 << 20


def _lines(stream: IO[bytes], max_bytes: int | None) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, line)``; ``None`` for a line over ``max_bytes``, which is read past, never held."""
    n = 0
    while True:
        line = stream.readline(max_bytes + 1 if max_bytes is not None else -1)
        if not line:
            return
        n += 1
        if max_bytes is not None and len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := stream.readline(_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield n, None
            continue
        yield n, line


def _parse(line: bytes) -> tuple[Any, str | None]:
    """``(JSON value, encoding)``: encoding is None for UTF-8, else the code page the line was read in."""
    try:
        return json.loads(line), None
    except UnicodeDecodeError:
        text, encoding = decode_bytes(line)  # InputError("binary") when no encoding fits
        return json.loads(text), encoding


class JsonlReader:
    """FORMAT.md input records, one JSON object a line."""

    name = "jsonl"
    suffixes: tuple[str, ...] = (".jsonl", ".ndjson")

    def read(self, data: bytes, *, source: str) -> Iterator[ArticleInput | Skip]:
        return self.read_stream(io.BytesIO(data), source=source, max_bytes=None)

    def read_stream(self, stream: IO[bytes], *, source: str,
                    max_bytes: int | None) -> Iterator[ArticleInput | Skip]:
        max_lines = int(settings.get("max_lines"))
        for n, line in _lines(stream, max_bytes):
            where = f"{source}:{n}"
            if n > max_lines:
                yield Skip(where, "too-many-lines",
                           f"over max_lines {max_lines}; the rest of the file is not read")
                return
            if line is None:
                yield Skip(where, "too-large", f"line over {max_bytes} bytes")
                continue
            if n == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8):]
            if not line.strip():
                continue
            try:
                obj, encoding = _parse(line)
            except InputError as e:
                yield Skip(where, e.reason, e.detail)
                continue
            except ValueError as e:  # JSONDecodeError
                yield Skip(where, "not-json", str(e)[:200])
                continue
            except RecursionError:  # valid JSON nested deeper than Python's stack ([[[[...]]]] 100k deep)
                yield Skip(where, "too-deep", "JSON nested deeper than the parser's recursion limit")
                continue
            if not isinstance(obj, dict):
                yield Skip(where, "not-object", f"a JSON {type(obj).__name__}, not an object")
                continue
            yield _record(obj, where, encoding)


def _record(obj: dict[str, Any], where: str, encoding: str | None) -> ArticleInput | Skip:
    """One line's article; a failure here costs this record only, never the lines after it."""
    try:
        item = read_record(obj, source=where)
    except RecursionError:  # a record holding a value too deep to walk
        return Skip(where, "too-deep", "a value nested deeper than the recursion limit")
    except Exception as e:
        log.warning("record %s failed", where, exc_info=True)
        return Skip(where, "reader-error", f"{type(e).__name__}: {e}"[:200])
    if encoding is None or isinstance(item, Skip):
        return item
    return replace(item, metadata={**item.metadata, "encoding": f"{encoding} (this line is not UTF-8)"})
