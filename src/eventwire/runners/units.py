"""Work units: inputs cut into pieces with stable ids, each read where it runs (on a Dask worker).

* ``files``: up to ``files_per_unit`` files read whole (text, HTML, feeds, WARC, gzipped JSONL): one
  ``.txt`` article per task would leave spaCy batches of one, and per-task overhead per article;
* ``lines``: a range of lines of a plain JSONL file, found by one streaming pass over it (byte offsets
  at line ends; a 10 GB file is never held in memory, here or on a worker).

A unit's id hashes what it reads (paths, sizes, modification times, byte range), so the same inputs give
the same ids on a rerun; the Dask runner names its tasks by them.  Splitting follows ``read_paths``'s
order, and reading the units in order gives what ``read_paths`` gives, record sources included.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from eventwire import settings
from eventwire.model import ArticleInput, Skip
from eventwire.readers import input_files, read_paths, read_slice, reader_for
from eventwire.readers.jsonl import JsonlReader

__all__ = ["FILES_PER_UNIT", "LINES_PER_UNIT", "WorkUnit", "split_units"]

# 32 records x ~0.1 s of analysis = ~3 s a task: Dask's ~1 ms per task is noise, a killed worker loses
# ~3 s of work, and the last unit of a run keeps one worker busy alone for ~3 s at most.
LINES_PER_UNIT = 32
# Files are usually one article each; 16 fills an nlp.pipe batch about as well as the local runner's
# chunks of 16 (runners/local.py).
FILES_PER_UNIT = 16

_SCAN = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True, slots=True)
class WorkUnit:
    """A piece of input read by one task: some whole files, or lines ``[first, first + count)`` of one
    JSONL file at bytes ``[start, stop)``."""

    kind: Literal["files", "lines"]
    paths: tuple[str, ...]
    stamp: str  # sizes and modification times of ``paths``: a changed file is a new unit
    count: int  # inputs it holds (files, or lines): for progress, an estimate for feeds and WARCs
    start: int = 0
    stop: int = 0
    first: int = 1

    @property
    def id(self) -> str:
        """Stable across runs over the same, unchanged inputs."""
        raw = "\0".join((self.kind, *self.paths, self.stamp, str(self.start), str(self.stop)))
        return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:16]

    def read(self) -> Iterator[ArticleInput | Skip]:
        """The unit's articles and skips (bad input never raises)."""
        if self.kind == "files":
            return read_paths(self.paths)
        return read_slice(self.paths[0], start=self.start, stop=self.stop, first=self.first)

    def missing(self) -> list[str]:
        """Paths this machine cannot see (a worker without the driver's filesystem)."""
        return [p for p in self.paths if not os.path.exists(p)]


def _stamp(path: Path) -> str:
    try:
        st = path.stat()
    except OSError:
        return "?"
    return f"{st.st_size}:{st.st_mtime_ns}"


def _plain_jsonl(path: Path) -> bool:
    if not isinstance(reader_for(path.name), JsonlReader):
        return False
    try:
        with path.open("rb") as f:
            return path.is_file() and not f.read(2).startswith(_GZIP_MAGIC)
    except OSError:
        return False  # read whole, where the reader turns the error into a counted skip


def split_units(paths: Iterable[str | Path], *, files_per_unit: int = FILES_PER_UNIT,
                lines_per_unit: int = LINES_PER_UNIT) -> Iterator[WorkUnit | Skip]:
    """Units (and not-found skips) for ``paths``, in ``read_paths`` order, streaming."""
    batch: list[Path] = []

    def flush() -> Iterator[WorkUnit]:
        if batch:
            yield WorkUnit("files", tuple(str(p) for p in batch), "|".join(_stamp(p) for p in batch),
                           len(batch))
            batch.clear()

    for item in input_files(paths):
        if isinstance(item, Skip):
            yield from flush()
            yield item
        elif _plain_jsonl(item):
            yield from flush()
            yield from _line_units(item, lines_per_unit)
        else:
            batch.append(item)
            if len(batch) >= files_per_unit:
                yield from flush()
    yield from flush()


def _line_length(f: IO[bytes]) -> int:
    """Bytes of the next line (0 at the end), read in bounded pieces: a 1 GB line never sits in memory."""
    total = 0
    while piece := f.readline(_SCAN):
        total += len(piece)
        if piece.endswith(b"\n"):
            break
    return total


def _line_units(path: Path, lines_per_unit: int) -> Iterator[WorkUnit | Skip]:
    """Ranges of ``lines_per_unit`` lines; past the ``max_lines`` setting, one skip (as the reader does)."""
    max_lines = int(settings.get("max_lines"))
    stamp = _stamp(path)
    try:
        f = path.open("rb")
    except OSError as e:
        yield Skip(str(path), "unreadable", e.strerror or str(e))
        return
    with f:
        start = offset = n = 0
        first = 1
        over = False
        while length := _line_length(f):
            if n == max_lines:
                over = True
                break
            n += 1
            offset += length
            if n - first + 1 == lines_per_unit:
                yield WorkUnit("lines", (str(path),), stamp, n - first + 1, start, offset, first)
                start, first = offset, n + 1
        if n >= first:
            yield WorkUnit("lines", (str(path),), stamp, n - first + 1, start, offset, first)
        if over:
            yield Skip(f"{path}:{max_lines + 1}", "too-many-lines",
                       f"over max_lines {max_lines}; the rest of the file is not read")
