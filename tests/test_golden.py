"""Golden files: whole-article outputs of invented articles under tests/data/golden/.

Regenerate after an intended change with ``EVENTWIRE_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and
review the diff like code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from eventwire.model import Article, ArticleInput
from eventwire.readers import read_paths

pytestmark = pytest.mark.model

GOLDEN = Path(__file__).parent / "data" / "golden"
CASES = sorted(p for p in GOLDEN.iterdir() if p.suffix in {".txt", ".html", ".rss", ".jsonl"})


def projection(article: Article) -> dict[str, Any]:
    """What a golden file pins: metadata, entities with their mentions, time values."""
    return {
        "title": article.title,
        "published": article.published,
        "updated": article.updated,
        "captions": list(article.captions),
        "authors": list(article.authors),
        "status": str(article.status),
        "body_starts": article.text[:60],
        "entities": [
            {"type": e.type, "name": e.name, "country": e.country,
             "mentions": [f"{m.span.text}|{m.kind}" for m in e.mentions]}
            for e in article.entities
        ],
        "times": [{"text": t.span.text, "type": t.type, "value": t.value} for t in article.times],
    }


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_golden(path: Path, analyzer: Any) -> None:
    inputs = [x for x in read_paths([path]) if isinstance(x, ArticleInput)]
    assert inputs, f"{path.name} was not read"
    got = [projection(a) for a in analyzer.analyze(inputs) if isinstance(a, Article)]
    expected_path = path.with_suffix(".expected.json")
    if os.environ.get("EVENTWIRE_UPDATE_GOLDEN") or not expected_path.exists():
        expected_path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if not os.environ.get("EVENTWIRE_UPDATE_GOLDEN"):
            pytest.fail(f"wrote new golden file {expected_path.name}; review it and rerun")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert got == expected
