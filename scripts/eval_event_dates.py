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
extract`` over those articles (~1 minute on 2 cores) unless --pred names a prediction file of them (ids as
scripts/train_event_vetting.py's gold loader gives them: ``<annotation file stem>:<id>`` for ours).
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_event_vetting as vetting

ROOT = Path(__file__).resolve().parent.parent
_SLACK = 5  # characters a trigger may stick out of the evidence (annotators cut a word's edge)


def aligned_dates(golds: list[dict[str, Any]], pred: dict[str, dict[str, Any]], which: dict[str, str],
                  accepts: Callable[[str, str], bool], examples: int = 0
                  ) -> tuple[collections.Counter[tuple[str, str]], list[str]]:
    """Counts ``(key, "n" | "ok" | "unmatched")`` per set name, per date source and "all", and up to
    ``examples`` wrong dates: each dated gold event with evidence (train_event_vetting's gold records) against
    the first predicted event of an accepted type whose trigger lies inside that evidence."""
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    wrong: list[str] = []
    for g in golds:
        gid = g["id"]
        events = pred.get(gid, {}).get("events", [])
        published = str(g.get("published") or "")[:10]
        for ge, evidence in zip(g["events"], vetting._gold_spans(g), strict=True):
            if not ge.get("date") or evidence is None:
                continue
            lo, hi = evidence
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
    score = vetting._scorer(args.shared)
    events_dir = ROOT / "training" / "events"
    unused = sorted((events_dir / "unused").glob("*.jsonl"))
    trained = sorted(events_dir.glob("polnear_train_events_*.jsonl"))
    # events-news' tuning part keeps its ids; our annotations' are "<file stem>:<id>"
    golds = vetting._load_gold(args.shared, trained + unused, 0)
    unused_stems = {p.stem for p in unused}
    which = {g["id"]: "events-news-tune" if ":" not in g["id"] else
             "ours-unused" if g["id"].split(":")[0] in unused_stems else "ours-trained" for g in golds}
    with tempfile.TemporaryDirectory() as tmp:
        pred_path = args.pred
        if pred_path is None:
            source = Path(tmp) / "input.jsonl"
            records = ({k: g[k] for k in ("id", "text", "published") if g.get(k)} for g in golds)
            source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
            pred_path = Path(tmp) / "pred.jsonl"
            subprocess.run([sys.executable, "-m", "eventwire", "extract", str(source), "-o", str(pred_path)],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pred = {json.loads(x)["id"]: json.loads(x) for x in pred_path.read_text(encoding="utf-8").splitlines()
                if x.strip()}
    counts, wrong = aligned_dates(golds, pred, which, score.accepts, args.examples)
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
