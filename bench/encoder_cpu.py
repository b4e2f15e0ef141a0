"""CPU seconds of the accurate profile's encoder pass alone, per article and per window, for one or more
encoder folders (the shipped one, or a candidate ``scripts/train_accurate.py --out DIR`` wrote).

    python bench/encoder_cpu.py [DIR ...] [--articles 50] [--seed 0] [--repeat 2]

Runs ``eventwire.nlp.encoder.encode`` (the runtime's own windowing and batching, 1 onnxruntime thread) over
the benchmark's invented articles (``bench/corpus.py``, 600-900 words), sentences cut at ". " so no spaCy
model is needed: every folder sees the same windows.  ``time.process_time`` (this process's CPU, not wall
time), so other work sharing the cores hardly moves the numbers; the best of ``--repeat`` passes is kept
(the first also pays onnxruntime's warm-up).  Prints one JSON line per folder.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

from eventwire.nlp.encoder import MODEL_DIR, encode, load_encoder, windows


def sentence_starts(text: str) -> list[int]:
    """Offsets where a sentence starts: 0 and after every ". " (the corpus writes no abbreviations)."""
    return [0, *(m.end() for m in re.finditer(r"[.!?]\"? ", text))]


def measure(directory: Path, texts: list[str], repeat: int = 2, window: int = 256,
            batch: int = 8) -> dict[str, Any]:
    """CPU seconds per article and per window of ``encode`` with the encoder in ``directory``."""
    model = load_encoder(directory, 1)
    starts = [sentence_starts(t) for t in texts]
    n_windows = 0
    for text, s in zip(texts, starts, strict=True):
        enc = model.tokenizer.encode(text, add_special_tokens=False)
        # the runtime's own sentence numbering of the pieces (``encode``)
        sent = numpy.searchsorted(numpy.asarray(s), numpy.asarray([o[0] for o in enc.offsets]), side="right")
        n_windows += len(windows(sent, window - 2))
    best = float("inf")
    for _ in range(max(1, repeat)):
        t0 = time.process_time()
        for text, s in zip(texts, starts, strict=True):
            encode(model, text, s, window, batch)
        best = min(best, time.process_time() - t0)
    onnx = directory / "encoder.onnx"
    return {"dir": str(directory), "base": model.meta.get("base", "?"), "articles": len(texts),
            "windows": n_windows, "cpu_s_per_article": round(best / max(1, len(texts)), 4),
            "cpu_ms_per_window": round(1000 * best / max(1, n_windows), 2),
            "int8_mb": round(onnx.stat().st_size / 1e6, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("dirs", nargs="*", type=Path, help="encoder folders (default: the shipped one)")
    ap.add_argument("--articles", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args(argv)
    texts = [a["text"] for a in corpus.generate(args.articles, seed=args.seed)]
    for directory in args.dirs or [MODEL_DIR]:
        print(json.dumps(measure(directory, texts, args.repeat)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
