"""Event dates measured where the gold says which words state the event, not through score.py's pairing:

    python scripts/eval_event_dates.py SHARED_DIR [--pred PRED.jsonl] [--examples N]

score.py's events-news date accuracy is over the type+actor matches (~37 per part), and a gold event may be
paired with any predicted one of its type and actor: a date fix can lose a point there by a change of pairs.
This script aligns instead: a gold event (with a date and its evidence) is matched to the first predicted
event of an accepted type whose trigger lies inside its evidence, and the date is right when the predicted
value starts with the gold one (score.py's rule).  Gold: our own annotations of 300 PolNeAR articles
(training/events/*.jsonl and training/events/unused/, evidence offsets; texts from
SHARED_DIR/eval/data/polnear) and events-news' tuning part (evidence located in the text); never its check
part.  Prints the accuracy per set and per date source (text / article / published).  Runs ``eventwire
extract`` over those articles (~1 minute on 2 cores) unless --pred names a prediction file of them.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from splits import part_of

ROOT = Path(__file__).resolve().parent.parent
_SLACK = 5  # characters a trigger may stick out of the evidence (annotators cut a word's edge)


def _scorer(shared: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", shared / "eval" / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gold(shared: Path) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], dict[str, str]]:
    """(gold by id, input record by id, set name by id)."""
    gold: dict[str, dict[str, Any]] = {}
    which: dict[str, str] = {}
    for path in sorted((ROOT / "training" / "events").glob("polnear_train_events_*.jsonl")) + sorted(
            (ROOT / "training" / "events" / "unused").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                g = json.loads(line)
                gold[g["id"]] = g
                which[g["id"]] = "ours-unused" if path.parent.name == "unused" else "ours-trained"
    inputs: dict[str, dict[str, Any]] = {}
    for line in (shared / "eval" / "data" / "polnear" / "polnear-dev.input.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        if record["id"] in gold:
            inputs[record["id"]] = {k: record[k] for k in ("id", "text", "published") if k in record}
    folder = shared / "eval" / "data" / "events-news"
    for line in (folder / "events-news-dev.input.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        if part_of(record["id"]) == "tune":
            inputs[record["id"]] = {k: record[k] for k in ("id", "text", "published") if k in record}
    for line in (folder / "events-news-dev.gold.jsonl").open(encoding="utf-8"):
        g = json.loads(line)
        if g["id"] not in inputs or g["id"] in gold:
            continue
        text = inputs[g["id"]]["text"]
        for e in g["events"]:
            at = text.find(e["evidence"])
            e["evidence_span"] = [at, at + len(e["evidence"])] if at >= 0 else None
        gold[g["id"]] = g
        which[g["id"]] = "events-news-tune"
    return gold, inputs, which


def aligned_dates(gold: dict[str, dict[str, Any]], pred: dict[str, dict[str, Any]], which: dict[str, str],
                  inputs: dict[str, dict[str, Any]], accepts: Callable[[str, str], bool], examples: int = 0
                  ) -> tuple[collections.Counter[tuple[str, str]], list[str]]:
    """Counts ``(key, "n" | "ok" | "unmatched")`` per set name, per date source and "all", and up to
    ``examples`` wrong dates: each dated gold event with evidence against the first predicted event of an
    accepted type whose trigger lies inside that evidence."""
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    wrong: list[str] = []
    for gid, g in gold.items():
        events = pred.get(gid, {}).get("events", [])
        published = str(inputs.get(gid, {}).get("published") or "")[:10]
        for ge in g["events"]:
            if not ge.get("date") or not ge.get("evidence_span"):
                continue
            lo, hi = ge["evidence_span"]
            found = [e for e in events if e["trigger"]["span"][0] >= lo - _SLACK
                     and e["trigger"]["span"][1] <= hi + _SLACK and accepts(ge["type"], e["type"])]
            name = which[gid]
            if not found:
                counts[(name, "unmatched")] += 1
                continue
            date = found[0].get("date") or {}
            value = str(date.get("value") or "")
            ok = value.startswith(str(ge["date"]))
            for key in (name, f"source={date.get('source')}", "all"):
                counts[(key, "n")] += 1
                counts[(key, "ok")] += ok
            if not ok and len(wrong) < examples:
                wrong.append(f"{gid[:40]} published {published} gold {ge['date']} pred {value} "
                             f"({date.get('source')}) {found[0]['trigger']['text']!r}")
    return counts, wrong


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("shared", type=Path)
    ap.add_argument("--pred", type=Path, help="predictions of these articles (default: extract them now)")
    ap.add_argument("--examples", type=int, default=0, help="print up to N wrong dates")
    args = ap.parse_args(argv)
    score = _scorer(args.shared)
    gold, inputs, which = _gold(args.shared)
    with tempfile.TemporaryDirectory() as tmp:
        pred_path = args.pred
        if pred_path is None:
            source = Path(tmp) / "input.jsonl"
            source.write_text("".join(json.dumps(inputs[i]) + "\n" for i in sorted(inputs)), encoding="utf-8")
            pred_path = Path(tmp) / "pred.jsonl"
            subprocess.run([sys.executable, "-m", "eventwire", "extract", str(source), "-o", str(pred_path)],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pred = {json.loads(x)["id"]: json.loads(x) for x in pred_path.read_text(encoding="utf-8").splitlines()
                if x.strip()}
    counts, wrong = aligned_dates(gold, pred, which, inputs, score.accepts, args.examples)
    for key in ("all", "ours-trained", "ours-unused", "events-news-tune", "source=text", "source=article",
                "source=published"):
        n = counts[(key, "n")]
        if n:
            print(f"{key:<20} {counts[(key, 'ok')] / n:.3f}  ({counts[(key, 'ok')]} of {n})")
    print(f"gold dated events with no predicted event in their evidence: "
          f"{sum(v for (k, m), v in counts.items() if m == 'unmatched')}")
    for line in wrong:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
