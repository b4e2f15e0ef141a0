"""Which stored article an input is a new version of: its version key, and a fingerprint of its metadata.

An article's identity in the store is its text (``content_hash``); its *source identity* is the version key:

* ``id:<container>|<id>`` when the producer gave a record id (FORMAT.md ``id``), scoped to the file the record
  came from (``batch.jsonl`` of ``batch.jsonl:17``): two datasets both numbering records 1, 2, 3 are not
  versions of each other;
* ``source:<path>`` for a file read whole (``.txt``, ``.html``): an edited file is the same source;
* ``url:<url>`` for any other record with a URL (a feed item, a WARC response, an API post): a page fetched
  again is the same article;
* None otherwise (a record with neither, ``analyze()``): never a version of anything.

A record's position (``feed.xml#3``, ``batch.jsonl:17``) is not an identity: the third item of a feed is
another article at every fetch.  A file whose own name ends like one (``notes#3``) is therefore not
versioned by path, only deduplicated by text as before.

New text under a key that holds a stored article supersedes that article (moved to ``article_versions``);
the same text with other metadata (title, URL, dates, authors, site, captions) under the same key updates it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence

from ..model import Article, ArticleInput

__all__ = ["MAX_KEY_CHARS", "article_identity", "input_identity", "metadata_hash", "version_key"]

# The position suffixes readers give records inside a container (readers/jsonl.py ":<line>", readers/feed.py
# and readers/warc.py "#<n>") and the pseudo-source of pipeline.analyze() ("analyze()").
_RECORD_SOURCE = re.compile(r"(?::\d+|#\d+|\(\))$")

# Longest key stored as itself (4 bytes per character at worst: 2,048 bytes, under PostgreSQL's B-tree entry
# limit of ~2,700); real paths and URLs are far shorter.
MAX_KEY_CHARS = 512


def _container(source: str) -> str:
    return _RECORD_SOURCE.sub("", source)


def version_key(*, source: str, input_id: str | None, url: str | None) -> str | None:
    """The source identity an article is a version of (see the module doc), or None."""
    if input_id:
        return _bounded(f"id:{_container(source)}|{input_id}")
    if source and not _RECORD_SOURCE.search(source):
        return _bounded(f"source:{source}")
    if url:
        return _bounded(f"url:{url}")
    return None


def _bounded(key: str) -> str:
    """``key``, or its sha256 when longer than MAX_KEY_CHARS: PostgreSQL refuses a B-tree index entry over
    ~2,700 bytes, and a hostile 10 kB URL must not stop a run."""
    if len(key) <= MAX_KEY_CHARS:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def metadata_hash(*, title: str | None, url: str | None, site: str | None, authors: Sequence[str],
                  published: str | None, updated: str | None, captions: Sequence[str]) -> str:
    """sha256 of the metadata a reader gives and the analyzer passes through unchanged (language and the
    ``metadata`` dict are left out: the analyzer fills or extends them, so a rerun would never match)."""
    fields = [title, url, site, list(authors), published, updated, list(captions)]
    # ASCII JSON: \u escapes, so even a lone surrogate hashes instead of failing to encode.
    return hashlib.sha256(json.dumps(fields).encode("ascii")).hexdigest()


def input_identity(item: ArticleInput) -> tuple[str | None, str]:
    """``(version key, metadata hash)`` of a reader's input: the same as its article's will be."""
    return (version_key(source=item.source, input_id=item.id, url=item.url),
            metadata_hash(title=item.title, url=item.url, site=item.site, authors=item.authors,
                          published=item.published, updated=item.updated, captions=item.captions))


def article_identity(a: Article) -> tuple[str | None, str]:
    """``(version key, metadata hash)`` of an analysed article."""
    return (version_key(source=a.source, input_id=a.input_id, url=a.url),
            metadata_hash(title=a.title, url=a.url, site=a.site, authors=a.authors, published=a.published,
                          updated=a.updated, captions=a.captions))
