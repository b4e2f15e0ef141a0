"""Load the readers' tables from ``eventwire/data/readers_*`` (read once, cached)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["load_json", "load_tsv"]


def _text(name: str) -> str:
    return resources.files("eventwire").joinpath("data", name).read_text(encoding="utf-8")


@cache
def load_json(name: str) -> Any:
    """The parsed JSON file ``eventwire/data/<name>``."""
    return json.loads(_text(name))


@cache
def load_tsv(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of ``eventwire/data/<name>``, tab-separated; ``#`` lines and blank lines are skipped."""
    rows = []
    for line in _text(name).splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(tuple(line.split("\t")))
    return tuple(rows)
