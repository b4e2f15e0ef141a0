"""What an analyst counting our events would notice, on a whole-article set (events-news):

    python scripts/events_report.py SHARED_EVAL_DIR [--part tune|check] [--pred PRED.jsonl]

Prints, beside score.py's figures: events predicted per article that has none (non-political stories),
events per article that has some, and the repeat rate (events whose type, actor and target repeat an
earlier event of the same article: one happening coded twice).  Runs ``eventwire extract`` unless --pred.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from splits import part_of


def _key(arg: dict[str, Any] | None) -> str:
    if not arg:
        return ""
    return str(arg.get("entity") or (arg.get("text") or "").lower())


def report(gold: list[dict[str, Any]], pred: dict[str, dict[str, Any]]) -> dict[str, float]:
    none_articles = [g for g in gold if not g["events"]]
    some_articles = [g for g in gold if g["events"]]
    n_pred = repeats = 0
    for g in gold:
        seen: set[tuple[str, str, str]] = set()
        for e in pred.get(g["id"], {}).get("events", []):
            n_pred += 1
            key = (e["type"], _key(e.get("actor")), _key(e.get("target")))
            repeats += key in seen
            seen.add(key)
    def mean(articles: list[dict[str, Any]]) -> float:
        return sum(len(pred.get(g["id"], {}).get("events", [])) for g in articles) / max(1, len(articles))
    return {"articles": len(gold), "articles_without_events": len(none_articles),
            "events_per_article_without_any": round(mean(none_articles), 3),
            "events_per_article_with_some": round(mean(some_articles), 3),
            "gold_events_per_article_with_some": round(
                sum(len(g["events"]) for g in some_articles) / max(1, len(some_articles)), 3),
            "repeat_rate": round(repeats / max(1, n_pred), 3)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("eval_dir", type=Path)
    ap.add_argument("--part", choices=("tune", "check", "all"), default="all")
    ap.add_argument("--pred", type=Path)
    args = ap.parse_args(argv)
    folder = args.eval_dir / "data" / "events-news"
    lines = (folder / "events-news-dev.gold.jsonl").read_text(encoding="utf-8").splitlines()
    gold = [json.loads(x) for x in lines if x.strip()]
    gold = [g for g in gold if args.part == "all" or part_of(g["id"]) == args.part]
    pred_path = args.pred
    if pred_path is None:
        pred_path = Path(tempfile.mkdtemp()) / "events-news.pred.jsonl"
        source = folder / "events-news-dev.input.jsonl"
        subprocess.run([sys.executable, "-m", "eventwire", "extract", str(source), "-o", str(pred_path)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pred = {}
    for line in pred_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            pred[d["id"]] = d
    for name, value in report(gold, pred).items():
        print(f"{name:<36} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
