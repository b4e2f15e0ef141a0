"""Work units: inputs cut into pieces with stable ids, each read where it runs (on a Dask worker).

* ``files``: up to ``files_per_unit`` files read whole (text, HTML, feeds, WARC, gzipped JSONL): one
  ``.txt`` article per task would leave spaCy batches of one, and per-task overhead per article;
* ``lines``: a range of lines of a plain JSONL file, found by one streaming pass over it (byte offsets
  at line ends; a 10 GB file is never held in memory, here or on a worker);
* ``records``: a range of records of a WARC file holding ``records_per_unit`` HTML responses, found by one
  pass of warcio over it (records are read past, never kept).  A gzipped WARC is cut only at gzip member
  boundaries (the usual record-per-member layout); one gzipped whole, or one that does not scan cleanly
  (cut short, not a WARC), is one unit read whole, so its reader reports the problem as a whole read does.

A unit's id hashes what it reads (paths, sizes, modification times, byte range), so the same inputs give
the same ids on a rerun; the Dask runner names its tasks by them.  Splitting follows ``read_paths``'s
order, and reading the units in order gives what ``read_paths`` gives, record sources included.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from eventwire import settings
from eventwire.model import ArticleInput, Skip
from eventwire.readers import input_files, read_paths, read_slice, reader_for
from eventwire.readers.jsonl import JsonlReader
from eventwire.readers.warc import WarcReader, is_html_response

__all__ = ["FILES_PER_UNIT", "LINES_PER_UNIT", "RECORDS_PER_UNIT", "WorkUnit", "split_units"]

# 32 records x ~0.1 s of analysis = ~3 s a task: Dask's ~1 ms per task is noise, a killed worker loses
# ~3 s of work, and the last unit of a run keeps one worker busy alone for ~3 s at most.
LINES_PER_UNIT = 32
# HTML responses of a WARC: the same ~32 articles a task (trafilatura adds ~10-30 ms each to the reading).
RECORDS_PER_UNIT = 32
# Files are usually one article each; 16 fills an nlp.pipe batch about as well as the local runner's
# chunks of 16 (runners/local.py).
FILES_PER_UNIT = 16

_SCAN = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True, slots=True)
class WorkUnit:
    """A piece of input read by one task: some whole files, or the lines (records) of one JSONL (WARC) file
    at bytes ``[start, stop)``, numbered from ``first`` as a whole read numbers them."""

    kind: Literal["files", "lines", "records"]
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
        return read_slice(self.paths[0], start=self.start, stop=self.stop, first=self.first,
                          part=self.kind == "records")

    def missing(self) -> list[str]:
        """Paths this machine cannot see (a worker without the driver's filesystem)."""
        return [p for p in self.paths if not os.path.exists(p)]


def _stamp(path: Path) -> str:
    try:
        st = path.stat()
    except OSError:
        return "?"
    return f"{st.st_size}:{st.st_mtime_ns}"


def _regular(path: Path) -> bool:
    """Whether ``path`` is (a link to) a regular file: opening a FIFO blocks until a writer comes, so
    anything else is left to the reader, which refuses it as a counted skip (readers/__init__.py)."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _plain_jsonl(path: Path) -> bool:
    if not isinstance(reader_for(path.name), JsonlReader) or not _regular(path):
        return False
    try:
        with path.open("rb") as f:
            return not f.read(2).startswith(_GZIP_MAGIC)
    except OSError:
        return False  # read whole, where the reader turns the error into a counted skip


def split_units(paths: Iterable[str | Path], *, files_per_unit: int = FILES_PER_UNIT,
                lines_per_unit: int = LINES_PER_UNIT,
                records_per_unit: int = RECORDS_PER_UNIT) -> Iterator[WorkUnit | Skip]:
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
        elif _is_warc(item) and (ranges := _record_ranges(item, records_per_unit)):
            yield from flush()
            yield from ranges
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


def _is_warc(path: Path) -> bool:
    return isinstance(reader_for(path.name), WarcReader) and _regular(path)


def _record_ranges(path: Path, per_unit: int) -> list[WorkUnit]:
    """Units of ``per_unit`` HTML responses each, or [] when the file is better read whole (see above)."""
    from warcio.archiveiterator import ArchiveIterator

    cuts: list[tuple[int, int, int]] = []  # (byte offset, record number, HTML responses before the next cut)
    html = 0
    try:
        with path.open("rb") as f:
            records = ArchiveIterator(f)
            for n, record in enumerate(records, start=1):
                if n == 1 or html == per_unit:
                    if cuts:
                        cuts[-1] = (*cuts[-1][:2], html)
                    cuts.append((records.get_record_offset(), n, 0))
                    html = 0
                html += is_html_response(record)
            cuts[-1] = (*cuts[-1][:2], html)
            size = f.seek(0, os.SEEK_END)
            starts = [offset for offset, _, _ in cuts]
            magic = _GZIP_MAGIC if path.name.lower().endswith(".gz") else b"WARC/"
            for offset in starts:
                f.seek(offset)
                if f.read(len(magic)) != magic:
                    return []  # offsets that are not record starts: a WARC gzipped whole
    except Exception:  # cut short, not a WARC...: the reader, reading it whole, says what is wrong
        return []
    if len(cuts) > 1 and cuts[-1][2] == 0:
        cuts.pop()  # a tail with no HTML: part of the unit before it
    if len(cuts) < 2:
        return []
    stamp = _stamp(path)
    stops = [offset for offset, _, _ in cuts[1:]] + [size]
    return [WorkUnit("records", (str(path),), stamp, count, start, stop, first)
            for (start, first, count), stop in zip(cuts, stops, strict=True)]
