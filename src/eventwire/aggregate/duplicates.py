"""Near-duplicates: syndicated copies and light rewrites of one text, found with MinHash/LSH (datasketch).

Each article is the set of its word 5-shingles (lower-cased words, punctuation dropped); datasketch's LSH
finds candidates whose estimated Jaccard similarity reaches ``threshold`` and the exact Jaccard of the two
shingle sets confirms them, so a false LSH candidate never marks a copy. A copy points at the earliest copy
(publication date, then the order seen): ``duplicate_of``. 0.5 keeps a wire story with a new first paragraph
and a cut ending (the invented fixtures in tests/aggregate: Jaccard 0.6-0.8) and leaves apart two reports of
one happening written separately (below 0.1 there, as across the stories-news outlets).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from datasketch import MinHash, MinHashLSH

from ..model import Article

__all__ = ["DuplicateIndex", "DuplicateOptions", "find_duplicates", "jaccard", "minhash_bands", "shingles"]

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class DuplicateOptions:
    threshold: float = 0.5  # Jaccard of word 5-shingles (module docstring: why 0.5)
    shingle: int = 5
    num_perm: int = 64  # 64 permutations: the Jaccard estimate's error ~0.06, confirmed exactly anyway
    min_shingles: int = 8  # texts shorter than this (a headline) are never called copies


def shingles(text: str, size: int = 5) -> set[str]:
    """The word ``size``-shingles of ``text`` (lower-cased words)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _minhash(grams: set[str], options: DuplicateOptions) -> MinHash:
    mh = MinHash(num_perm=options.num_perm)
    mh.update_batch([g.encode() for g in grams])
    return mh


def minhash_bands(text: str, options: DuplicateOptions | None = None) -> list[tuple[int, str]]:
    """The LSH bands of ``text``'s MinHash, as (band number, hex digest): two texts sharing one are candidate
    copies.  The band count and width are datasketch's optimum for ``threshold`` and ``num_perm`` (the
    in-memory index's own), so the store finds what :class:`DuplicateIndex` finds; [] for a short text."""
    opts = options or DuplicateOptions()
    grams = shingles(text, opts.shingle)
    if len(grams) < opts.min_shingles:
        return []
    lsh = _lsh_shape(opts)
    values = _minhash(grams, opts).hashvalues
    return [(i, hashlib.blake2b(values[i * lsh[1]:(i + 1) * lsh[1]].tobytes(), digest_size=8).hexdigest())
            for i in range(lsh[0])]


@cache
def _lsh_shape(options: DuplicateOptions) -> tuple[int, int]:
    """(bands, rows per band) datasketch picks for these options."""
    lsh = MinHashLSH(threshold=options.threshold, num_perm=options.num_perm)
    return int(lsh.b), int(lsh.r)


class DuplicateIndex:
    """Online: :meth:`add` answers the earliest stored copy of an article's text, or None."""

    def __init__(self, options: DuplicateOptions | None = None) -> None:
        self.options = options or DuplicateOptions()
        self._lsh = MinHashLSH(threshold=self.options.threshold, num_perm=self.options.num_perm)
        self._shingles: dict[str, set[str]] = {}
        self._original: dict[str, str] = {}

    def add(self, article_id: str, text: str) -> str | None:
        """Index one text; the id of the original it copies (itself never a copy), or None."""
        if article_id in self._shingles:
            return self._original.get(article_id)
        grams = shingles(text, self.options.shingle)
        self._shingles[article_id] = grams
        if len(grams) < self.options.min_shingles:
            return None
        mh = _minhash(grams, self.options)
        best, best_j = None, 0.0
        found: list[str] = self._lsh.query(mh)
        for other in found:
            theirs = self._shingles[other]
            similarity = jaccard(grams, theirs)
            if similarity >= self.options.threshold and similarity > best_j:
                best, best_j = other, similarity
        self._lsh.insert(article_id, mh)
        if best is None:
            return None
        original = self._original.get(best, best)
        self._original[article_id] = original
        return original


def find_duplicates(articles: Iterable[Article], options: DuplicateOptions | None = None) -> dict[str, str]:
    """``{article id: id of the earliest copy}`` for every copy among ``articles`` (originals absent)."""
    index = DuplicateIndex(options)
    ordered = sorted(articles, key=lambda a: (a.published or "9999", a.input_id or a.id))
    out: dict[str, str] = {}
    for article in ordered:
        original = index.add(article.id, article.text)
        if original is not None and original != article.id:
            out[article.id] = original
    return out
