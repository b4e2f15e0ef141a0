"""What an analyst counting our events would notice, on a whole-article set (events-news):

    python scripts/events_report.py SHARED_EVAL_DIR [--part tune|check] [--pred PRED.jsonl]

Prints, beside score.py's figures: events predicted per article that has none (non-political stories),
events per article that has some, and the repeat rate (events whose type, actor and target repeat an
earlier event of the same article: one happening coded twice).  Runs ``eventwire extract`` unless --pred.

And where the predictions are: score.py matches a predicted event to a gold one by type (and actor, target)
anywhere in the article, so an event found in the wrong sentence still counts when the article holds an
unmatched gold event of its type.  ``located_precision`` is the share of predicted events whose trigger lies
inside the evidence of a gold event of the same type, ``located_recall`` the share of gold events with such
a prediction.  Both are lower bounds: a gold event has one evidence span, and the same happening told again
elsewhere, or a speech act whose evidence is the quotation beside its "said", counts as a miss.  What they
are for is a change's difference: a rule for "vote for X" as support raised events-heldout's type F1 .466 ->
.482, yet only 6 of its 25 new events lay in the evidence of a gold event of their type (located precision
.383 -> .375): most of the gain was score.py pairing them with support told elsewhere in their articles.

    python scripts/events_report.py SHARED_EVAL_DIR --gold training/events/unused/*.jsonl --pred P.jsonl
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


def _evidence(text: str, gold_events: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
    """(start, end, type) of each gold event's evidence: its ``evidence_span`` (our own annotations), else
    its ``evidence`` text found in ``text`` (events-news)."""
    out = []
    for g in gold_events:
        if g.get("evidence_span"):
            start, end = g["evidence_span"]
            out.append((int(start), int(end), g["type"]))
            continue
        evidence = g.get("evidence") or ""
        start = text.find(evidence) if evidence else -1
        if start >= 0:
            out.append((start, start + len(evidence), g["type"]))
    return out


def located(gold: list[dict[str, Any]], pred: dict[str, dict[str, Any]]) -> dict[str, float]:
    """Located precision and recall (see the module's docstring)."""
    n_pred = n_pred_in = n_gold = n_gold_hit = 0
    for g in gold:
        article = pred.get(g["id"])
        if article is None:
            continue
        spans = _evidence(article.get("text") or g.get("text") or "", g["events"])
        n_gold += len(g["events"])
        hits: set[int] = set()
        for e in article.get("events", []):
            n_pred += 1
            start = e["trigger"]["span"][0]
            inside = [i for i, (a, b, kind) in enumerate(spans) if a <= start < b and kind == e["type"]]
            n_pred_in += bool(inside)
            hits.update(inside)
        n_gold_hit += len(hits)
    return {"located_precision": round(n_pred_in / max(1, n_pred), 3),
            "located_recall": round(n_gold_hit / max(1, n_gold), 3)}


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
            "repeat_rate": round(repeats / max(1, n_pred), 3), **located(gold, pred)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("eval_dir", type=Path)
    ap.add_argument("--part", choices=("tune", "check", "all"), default="all")
    ap.add_argument("--pred", type=Path)
    ap.add_argument("--gold", type=Path, nargs="+",
                    help="other gold (training/events/unused/*.jsonl: events-heldout); needs --pred")
    args = ap.parse_args(argv)
    folder = args.eval_dir / "data" / "events-news"
    if args.gold:
        if args.pred is None:
            ap.error("--gold needs --pred")
        lines = [x for path in args.gold for x in path.read_text(encoding="utf-8").splitlines()]
    else:
        lines = (folder / "events-news-dev.gold.jsonl").read_text(encoding="utf-8").splitlines()
    gold = [json.loads(x) for x in lines if x.strip()]
    gold = [g for g in gold if args.gold or args.part == "all" or part_of(g["id"]) == args.part]
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
