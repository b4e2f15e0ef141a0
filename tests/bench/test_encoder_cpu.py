"""bench/encoder_cpu.py: the encoder's CPU per article and per window, on the runtime's own windows."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import pytest

from eventwire.nlp.encoder import MODEL_DIR, load_encoder, weights_present
from eventwire.testing import load_script

_BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    sys.path.insert(0, str(_BENCH))  # encoder_cpu.py imports its bench/ neighbours
    return load_script(_BENCH / "encoder_cpu.py", "eventwire_bench_encoder_cpu")


def test_sentence_starts(bench: ModuleType) -> None:
    text = 'Talks ended. "We agreed," Mira Solen said. Was it late? No.'
    assert bench.sentence_starts(text) == [0, 13, 43, 56]


@pytest.mark.skipif(not weights_present(), reason="no encoder weights in the package")
def test_windows_cover_every_piece_and_the_rate_is_per_window(bench: ModuleType) -> None:
    texts = ["The minister said the talks would resume. " * 60, "Rain fell on Osterby on Monday. " * 10]
    out = bench.measure(MODEL_DIR, texts, repeat=1)
    tok = load_encoder(MODEL_DIR, 1).tokenizer
    pieces = [len(tok.encode(t, add_special_tokens=False).ids) for t in texts]
    # at most 254 pieces a window (256 with [CLS] and [SEP]); 8-piece sentences pack them nearly full
    assert out["windows"] == sum(-(-n // 254) for n in pieces) and out["articles"] == 2
    assert out["cpu_ms_per_window"] == pytest.approx(1000 * 2 * out["cpu_s_per_article"] / out["windows"],
                                                     rel=0.05)
