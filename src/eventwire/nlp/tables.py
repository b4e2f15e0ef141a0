"""The one loader for the tables in ``eventwire/data/`` that the nlp layers read (lexicons, gazetteers,
vocabularies): every layer reads its tables through here, each file read once per process.

Tables are data, not code (STYLE.md habit 2): a TSV has ``#`` comment lines and one header row; a word list
one entry per line; JSON is parsed by the caller's own typed reader.  Callers must not mutate what they get.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from functools import cache
from importlib import resources

__all__ = ["lines", "rows", "text", "words"]


@cache
def text(name: str) -> str:
    """The whole of ``data/<name>``, read once."""
    return resources.files("eventwire").joinpath("data", name).read_text(encoding="utf-8")


def lines(name: str) -> Iterator[str]:
    """The lines of ``data/<name>`` that are neither blank nor ``#`` comments (header row included)."""
    # split on "\n" only, as iterating the file did (str.splitlines also splits on U+2028 and friends)
    for line in io.StringIO(text(name)):
        if line.strip() and not line.startswith("#"):
            yield line


@cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of TSV ``data/<name>`` without comment lines and the header row, cells stripped."""
    reader = csv.reader(lines(name), delimiter="\t", quoting=csv.QUOTE_NONE)
    next(reader, None)  # header
    return tuple(tuple(cell.strip() for cell in row) for row in reader)


@cache
def words(name: str) -> tuple[str, ...]:
    """The entries of word list ``data/<name>``: one per line, stripped."""
    return tuple(line.strip() for line in lines(name))
