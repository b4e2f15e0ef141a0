"""Is one event run better than another on a whole-article set, or is the difference a few articles' luck?

    python scripts/compare_events.py SHARED_DIR GOLD.jsonl A.pred.jsonl B.pred.jsonl [--part tune|check]
                                     [--samples 5000] [--seed 0]

Both prediction files are ``eventwire extract`` outputs for the same articles (``evaluate.py --keep``
leaves them).  Each article is scored alone with the shared scorer's own ``score_events`` (the one-to-one
per-event matching: type, +actor, +actor+target, and date over the type+actor matches); the per-article
counts, summed, give exactly the figures ``score.py events`` prints for the whole set (checked at the
start).  Articles are then resampled with replacement, the same articles for both runs (a paired
bootstrap), and for each figure the script prints A, B, B - A, the 95 % interval of B - A and the share of
resamples in which B is worse than A.

Why: events-news' parts hold 25 articles and about 100 gold events, so one event moves a per-event F1 by
about .005-.01 and a date accuracy by .02-.03, while the floors in tests/eval/floors.json sit within an
event or two of the figures.  This tells a change that moves a figure by one event from one that moves it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_event_vetting as vetting
from splits import part_of

COUNTS = ("pred", "gold", "type", "actor", "target", "dated", "dated_right")
FIGURES = ("type P", "type F1", "+actor F1", "+actor+target F1", "date accuracy")


def article_counts(score: ModuleType, gold: Mapping[str, Any], pred: Mapping[str, Any]) -> dict[str, int]:
    """One article's counts under score.py's per-event matching."""
    events = pred.get("events") or []
    if not gold.get("events"):
        # an article with no gold event: what it predicts is all false (score.py counts it the same way)
        return {"pred": len(events), "gold": 0, "type": 0, "actor": 0, "target": 0, "dated": 0,
                "dated_right": 0}
    res, _, _ = score.score_events([(gold, {**pred, "events": events})], vetting.Quiet())
    date = res.get("date", {"ok": 0, "n": 0})
    return {"pred": res["event_type"]["pred"], "gold": res["event_type"]["gold"],
            "type": res["event_type"]["tp"], "actor": res["type_actor"]["tp"],
            "target": res["type_actor_target"]["tp"], "dated": date["n"], "dated_right": date["ok"]}


def _f1(tp: int, pred: int, gold: int) -> float:
    return 2 * tp / (pred + gold) if pred + gold else 1.0


def figures(rows: Sequence[Mapping[str, int]]) -> dict[str, float]:
    """The five per-event figures from summed article counts."""
    s = {k: sum(r[k] for r in rows) for k in COUNTS}
    return {"type P": s["type"] / s["pred"] if s["pred"] else 1.0,
            "type F1": _f1(s["type"], s["pred"], s["gold"]),
            "+actor F1": _f1(s["actor"], s["pred"], s["gold"]),
            "+actor+target F1": _f1(s["target"], s["pred"], s["gold"]),
            "date accuracy": s["dated_right"] / s["dated"] if s["dated"] else 1.0}


def paired_bootstrap(a: Sequence[Mapping[str, int]], b: Sequence[Mapping[str, int]], samples: int,
                     seed: int = 0) -> dict[str, tuple[float, float, float]]:
    """Per figure: (2.5th percentile of B - A, 97.5th, share of resamples where B < A)."""
    rng = random.Random(seed)
    n = len(a)
    diffs: dict[str, list[float]] = {f: [] for f in FIGURES}
    for _ in range(samples):
        idx = [rng.randrange(n) for _ in range(n)]
        fa = figures([a[i] for i in idx])
        fb = figures([b[i] for i in idx])
        for f in FIGURES:
            diffs[f].append(fb[f] - fa[f])
    out = {}
    for f, d in diffs.items():
        d.sort()
        out[f] = (d[int(0.025 * (len(d) - 1))], d[int(0.975 * (len(d) - 1))],
                  sum(1 for x in d if x < -1e-12) / len(d))
    return out


def _read(path: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            out[str(record["id"])] = record
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("shared", type=Path)
    ap.add_argument("gold", type=Path)
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    ap.add_argument("--part", choices=("tune", "check"), help="only this part of the set (scripts/splits.py)")
    ap.add_argument("--samples", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    score = vetting._scorer(args.shared)
    gold = _read(args.gold)
    pa, pb = _read(args.a), _read(args.b)
    ids = sorted(i for i in gold if i in pa and i in pb and (args.part is None or part_of(i) == args.part))
    if not ids:
        ap.error("no article is in the gold and both prediction files")
    rows_a = [article_counts(score, gold[i], pa[i]) for i in ids]
    rows_b = [article_counts(score, gold[i], pb[i]) for i in ids]
    # the per-article sums must be the scorer's whole-set figures, or this measures something else
    for rows, preds in ((rows_a, pa), (rows_b, pb)):
        res, _, _ = score.score_events([(gold[i], preds[i]) for i in ids], vetting.Quiet())
        whole = figures(rows)
        assert abs(whole["type F1"] - res["event_type"]["f1"]) < 1e-9, (whole, res["event_type"])
        assert abs(whole["+actor+target F1"] - res["type_actor_target"]["f1"]) < 1e-9
    fa, fb = figures(rows_a), figures(rows_b)
    boot = paired_bootstrap(rows_a, rows_b, args.samples, args.seed)
    print(f"{len(ids)} articles, {sum(r['gold'] for r in rows_a)} gold events; A predicts "
          f"{sum(r['pred'] for r in rows_a)}, B {sum(r['pred'] for r in rows_b)}; "
          f"paired bootstrap over articles, {args.samples} resamples")
    print(f"{'figure':<18} {'A':>6} {'B':>6} {'B-A':>7}   {'95% interval':>16}   {'P(B<A)':>6}")
    for f in FIGURES:
        lo, hi, worse = boot[f]
        print(f"{f:<18} {fa[f]:6.3f} {fb[f]:6.3f} {fb[f] - fa[f]:+7.3f}   [{lo:+.3f}, {hi:+.3f}]"
              f"   {worse:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
