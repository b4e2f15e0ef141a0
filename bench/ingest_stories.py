"""What the stories layer costs a whole ``eventwire ingest``: the same corpus ingested with and without it.

    python bench/ingest_stories.py [--articles 150] [--rounds 2]

The corpus is bench/corpus.py's (invented ~740-word articles, seed 1).  One in-process runner (``LocalRunner``
with 1 worker) analyses and stores, so this process's CPU time is the whole ingest's: reading, analysis,
``SqlStore.put`` and, in the "with" runs, ``StoryKeeper`` (copies, online assignment, flags, and each touched
story's incidents at the end).  Each run ingests the corpus into a fresh SQLite file; the model is loaded
once, by an untimed warm-up run.  Runs alternate (without, with, with, without, ...) so that a drift in the
machine's load falls on both sides.  "Without" is ingest with no story keeper (``ingest._story_keeper``
answering None), which is what ingest did before issue 12.

Prints CPU ms and wall articles/s per run and the overhead (with / without - 1) of the medians; writes
bench/out/ingest_stories.json.  Asserts nothing (the target, within 10 % of ingest without stories, is read
by people).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402

from eventwire import ingest  # noqa: E402
from eventwire.runners.local import LocalRunner  # noqa: E402
from eventwire.store import SqlStore  # noqa: E402


def _run(runner: LocalRunner, path: Path, *, stories: bool) -> dict[str, float]:
    keeper = ingest._story_keeper
    if not stories:
        ingest._story_keeper = lambda store: None  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as tmp, SqlStore.from_url(f"sqlite:///{tmp}/bench.db") as store:
            cpu, wall = time.process_time(), time.perf_counter()
            tally = ingest.ingest_paths([str(path)], store, runner=runner)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        ingest._story_keeper = keeper
    return {"articles": tally.stored, "cpu_ms_per_article": 1000 * cpu / max(tally.stored, 1),
            "articles_per_second": tally.stored / wall if wall else 0.0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=150)
    ap.add_argument("--rounds", type=int, default=2, help="pairs of runs (each: one without, one with)")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    path, warm = OUT / "ingest_stories.jsonl", OUT / "ingest_stories_warmup.jsonl"
    corpus.write_jsonl(path, args.articles, seed=1)
    corpus.write_jsonl(warm, 8, seed=2)
    runner = LocalRunner(workers=1)
    _run(runner, warm, stories=True)  # loads the model, untimed
    runs: dict[str, list[dict[str, float]]] = {"without": [], "with": []}
    for i in range(args.rounds):
        for mode in (("without", "with") if i % 2 == 0 else ("with", "without")):
            result = _run(runner, path, stories=mode == "with")
            runs[mode].append(result)
            print(f"{mode:<8} {result['articles']:>5.0f} articles  {result['cpu_ms_per_article']:7.1f} ms "
                  f"CPU per article  {result['articles_per_second']:6.2f} articles/s", flush=True)
    summary: dict[str, Any] = {mode: {k: statistics.median(r[k] for r in rs) for k in rs[0]}
                               for mode, rs in runs.items()}
    cpu = summary["with"]["cpu_ms_per_article"] / summary["without"]["cpu_ms_per_article"] - 1
    rate = 1 - summary["with"]["articles_per_second"] / summary["without"]["articles_per_second"]
    summary.update(cpu_overhead=cpu, throughput_loss=rate, runs=runs)
    print(f"stories layer: CPU per article +{100 * cpu:.1f} %, articles/s -{100 * rate:.1f} % (medians)")
    (OUT / "ingest_stories.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
