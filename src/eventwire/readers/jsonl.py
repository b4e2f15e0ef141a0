"""JSON Lines batches (``.jsonl``): one FORMAT.md input record per line, read as a stream.

A line that is not JSON, or not an object, is a skip for that line only; the rest of the file goes on.
Sources are ``file.jsonl:17`` (1-based line numbers, as editors show them).
"""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Iterator
from typing import IO

from eventwire.model import ArticleInput, Skip
from eventwire.readers.record import read_record

__all__ = ["JsonlReader"]

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


class JsonlReader:
    """FORMAT.md input records, one JSON object a line."""

    name = "jsonl"
    suffixes: tuple[str, ...] = (".jsonl", ".ndjson")

    def read(self, data: bytes, *, source: str) -> Iterator[ArticleInput | Skip]:
        return self.read_stream(io.BytesIO(data), source=source, max_bytes=None)

    def read_stream(self, stream: IO[bytes], *, source: str,
                    max_bytes: int | None) -> Iterator[ArticleInput | Skip]:
        for n, line in _lines(stream, max_bytes):
            where = f"{source}:{n}"
            if line is None:
                yield Skip(where, "too-large", f"line over {max_bytes} bytes")
                continue
            if n == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8):]
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError as e:  # JSONDecodeError and UnicodeDecodeError
                yield Skip(where, "not-json", str(e)[:200])
                continue
            if not isinstance(obj, dict):
                yield Skip(where, "not-object", f"a JSON {type(obj).__name__}, not an object")
                continue
            yield read_record(obj, source=where)
