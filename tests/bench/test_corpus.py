"""The benchmark's corpus generator: lengths in band, deterministic per seed, unique ids, valid JSONL."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from eventwire.testing import load_script

_CORPUS_PY = Path(__file__).resolve().parents[2] / "bench" / "corpus.py"


@pytest.fixture(scope="module")
def corpus() -> ModuleType:
    return load_script(_CORPUS_PY, "eventwire_bench_corpus")


def test_word_counts_in_band(corpus: ModuleType) -> None:
    for article in corpus.generate(5, seed=3):
        words = len(article["text"].split())
        assert corpus.MIN_WORDS <= words <= corpus.MAX_WORDS, (article["id"], words)
        assert article["text"].count("\n\n") >= 3  # several paragraphs


def test_same_seed_same_articles_other_seed_differs(corpus: ModuleType) -> None:
    first = list(corpus.generate(5, seed=11))
    assert first == list(corpus.generate(5, seed=11))
    assert [a["text"] for a in first] != [a["text"] for a in corpus.generate(5, seed=12)]
    # Article i depends only on (seed, i): a shorter corpus is a prefix of a longer one.
    assert list(corpus.generate(3, seed=11)) == first[:3]


def test_ids_unique_and_texts_varied(corpus: ModuleType) -> None:
    articles = list(corpus.generate(5, seed=0))
    assert len({a["id"] for a in articles}) == 5
    assert len({a["text"] for a in articles}) == 5
    sentences = [s for a in articles for s in a["text"].replace("\n\n", " ").split(". ")]
    # Templates are filled with fresh choices; most sentences must be distinct, not one line repeated.
    assert len(set(sentences)) > 0.9 * len(sentences)


def test_writes_format_md_input_jsonl(corpus: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    words = corpus.write_jsonl(path, 5, seed=2)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 5
    assert all(set(r) == {"id", "text", "published"} for r in records)
    assert words == sum(len(r["text"].split()) for r in records)
    assert all(len(r["published"]) == 10 and r["published"][4] == "-" for r in records)
