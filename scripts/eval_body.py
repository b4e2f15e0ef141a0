"""Article-body extraction against trafilatura's own, in one run: the readers' HTML path vs trafilatura.

    python scripts/eval_body.py SHARED_EVAL_DIR [--set aeb|trafilatura] [--keep DIR]

For every FORMAT.md input record of ``SHARED_EVAL_DIR/data/<set>/<set>-dev.input.jsonl[.gz]`` this writes
two prediction files: ours (``eventwire.readers.read_record``: the text ``eventwire extract`` would analyse,
without the NLP that does not change it) and trafilatura's (``trafilatura.extract(html, url=url)`` with its
defaults), scores both with ``score.py body`` and lists the pages we refuse while trafilatura extracts
something.  The evaluation texts are read, never copied.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import trafilatura

from eventwire.model import Skip
from eventwire.readers import read_record


def _records(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _score(eval_dir: Path, gold: Path, pred: Path) -> dict[str, Any]:
    out = subprocess.run([sys.executable, str(eval_dir / "score.py"), "body", "--gold", str(gold),
                          "--pred", str(pred), "--json"], check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("eval_dir", type=Path)
    ap.add_argument("--set", default="aeb", choices=["aeb", "trafilatura"])
    ap.add_argument("--keep", type=Path, help="keep the two prediction files in this folder")
    args = ap.parse_args()
    folder = args.eval_dir / "data" / args.set
    source = sorted(folder.glob(f"{args.set}-dev.input.jsonl*"))[0]
    gold = sorted(folder.glob(f"{args.set}-dev.gold.jsonl*"))[0]
    ours: list[dict[str, Any]] = []
    theirs: list[dict[str, Any]] = []
    refused: list[tuple[str, str, int]] = []
    seconds = {"ours": 0.0, "trafilatura": 0.0}
    for record in _records(source):
        t0 = time.perf_counter()
        item = read_record(record, source=str(record.get("id")))
        t1 = time.perf_counter()
        own = trafilatura.extract(record["html"], url=record.get("url")) if record.get("html") else None
        t2 = time.perf_counter()
        seconds["ours"] += t1 - t0
        seconds["trafilatura"] += t2 - t1
        text = "" if isinstance(item, Skip) else item.text
        ours.append({"id": record["id"], "text": text})
        theirs.append({"id": record["id"], "text": own or ""})
        if isinstance(item, Skip) and own:
            refused.append((str(record["id"])[:16], item.reason, len(own.split())))
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        scores = {}
        for name, rows in (("ours", ours), ("trafilatura", theirs)):
            pred = out / f"{args.set}.{name}.pred.jsonl"
            pred.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
            scores[name] = _score(args.eval_dir, gold, pred)
    print(f"{args.set} dev, {len(ours)} pages, trafilatura {trafilatura.__version__}")
    for name, result in scores.items():
        metric = "aeb" if "aeb" in result else "chunks"  # aeb: token shingles; trafilatura: with/without
        m = result[metric]
        print(f"  {name:12s} {metric} P {m['p']:.4f}  R {m['r']:.4f}  F1 {m['f1']:.4f}  "
              f"({seconds[name]:.1f} s)")
    print(f"  refused by us, extracted by trafilatura: {len(refused)}")
    for page_id, reason, words in refused:
        print(f"    {page_id}  {reason}  (trafilatura: {words} words)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
