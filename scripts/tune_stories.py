"""Re-cluster the stories sets' kept predictions under other story options, in seconds (no NLP rerun).

    python scripts/evaluate.py SHARED_EVAL_DIR --tasks stories-news-tune,stories-ecb-tune --keep KEEP
    python scripts/tune_stories.py SHARED_EVAL_DIR KEEP [--set threshold=0.14,0.16 --set text_share=0.8]
                                   [--parts tune|tune,check] [--show]

``evaluate.py --keep`` leaves each part's analysed articles (``KEEP/{set}.{part}.pred.jsonl``, written by
``eventwire extract --stories``); this script reads them back, clusters each part as one collection the way
aggregate/collection.py does (copies first, then ``cluster_collection``) under every combination of the
``--set`` values, and prints each part's B-cubed F1, P and R (the shared scorer's formula, over the gold
records that have a story; at the defaults, the figures ``evaluate.py`` gives for the same code: checked at
news / ECB tune 0.923 / 0.948 and 0.923 / 0.967).  What takes ~70 s per setting through ``evaluate.py``
takes ~2 s.

Tune on the tune parts only (scripts/splits.py): ``--parts`` defaults to them, and ``--show`` (the mixed and
split stories, to look at errors) refuses the check parts.  The texts stay in KEEP (outside the repo).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

from eventwire.aggregate.duplicates import find_duplicates
from eventwire.aggregate.stories import StoryOptions, cluster_collection
from eventwire.model import Article, article_from_dict

SETS = ("stories-news", "stories-ecb")


def b_cubed(gold: Mapping[str, str], pred: Mapping[str, str]) -> tuple[float, float, float]:
    """(F1, P, R) over the records of ``gold``; one without a prediction is a singleton (score.py's rule)."""
    ids = sorted(gold)
    if not ids:
        return 1.0, 1.0, 1.0
    story = {i: pred.get(i) or "\x00singleton:" + i for i in ids}
    by_gold: defaultdict[str, set[str]] = defaultdict(set)
    by_pred: defaultdict[str, set[str]] = defaultdict(set)
    for i in ids:
        by_gold[gold[i]].add(i)
        by_pred[story[i]].add(i)
    p = sum(len(by_gold[gold[i]] & by_pred[story[i]]) / len(by_pred[story[i]]) for i in ids) / len(ids)
    r = sum(len(by_gold[gold[i]] & by_pred[story[i]]) / len(by_gold[gold[i]]) for i in ids) / len(ids)
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


def read_gold(path: Path) -> dict[str, str]:
    """Record id -> gold story, for the records that have one."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            if record.get("story") not in (None, ""):
                out[str(record["id"])] = str(record["story"])
    return out


def read_articles(path: Path) -> list[Article]:
    """The analysed articles of a kept prediction file (their record id is ``input_id``)."""
    return [article_from_dict(json.loads(line))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def cluster(articles: Sequence[Article], options: StoryOptions) -> dict[str, str]:
    """Record id -> story id, as ``eventwire extract --stories`` gives them for one collection."""
    stories = cluster_collection(articles, options, copies=find_duplicates(articles))
    return {a.input_id or a.id: stories[a.id] for a in articles}


def mistakes(gold: Mapping[str, str], pred: Mapping[str, str]) -> list[str]:
    """One line per predicted story that mixes gold stories and per gold story split over several."""
    lines = []
    members: defaultdict[str, list[str]] = defaultdict(list)
    for i, sid in pred.items():
        if i in gold:
            members[sid].append(i)
    for sid, ids in sorted(members.items()):
        mixed = Counter(gold[i] for i in ids)
        if len(mixed) > 1:
            lines.append(f"  mixed {sid}: {dict(mixed)}")
    split: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for i, label in gold.items():
        split[label][pred.get(i, i)] += 1
    lines.extend(f"  split {label!r}: {dict(c)}" for label, c in sorted(split.items()) if len(c) > 1)
    return lines


def grid(settings: Sequence[str]) -> list[dict[str, float]]:
    """Every combination of ``name=v1,v2`` settings, as StoryOptions overrides (typed like the field)."""
    fields = {f.name: f for f in dataclasses.fields(StoryOptions)}
    axes: list[list[tuple[str, float]]] = []
    for item in settings:
        name, _, values = item.partition("=")
        if name not in fields or not values:
            raise SystemExit(f"--set {item!r}: expected NAME=V1[,V2...] with NAME one of {', '.join(fields)}")
        kind = int if fields[name].type in ("int", int) else float
        axes.append([(name, kind(v)) for v in values.split(",")])
    return [dict(combo) for combo in itertools.product(*axes)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("eval_dir", type=Path, help="the shared eval folder (its data/ holds the gold)")
    ap.add_argument("keep", type=Path, help="the folder evaluate.py --keep wrote the predictions to")
    ap.add_argument("--set", action="append", default=[], dest="settings", metavar="NAME=V1[,V2...]")
    ap.add_argument("--parts", default="tune", help="comma-separated: tune (default), check")
    ap.add_argument("--show", action="store_true", help="list mixed and split stories (tune parts only)")
    args = ap.parse_args(argv)
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    if args.show and parts != ["tune"]:
        raise SystemExit("--show looks at errors: tune parts only (scripts/splits.py)")
    loaded = []
    for name in SETS:
        gold = read_gold(args.eval_dir / "data" / name / f"{name}-dev.gold.jsonl")
        for part in parts:
            path = args.keep / f"{name}.{part}.pred.jsonl"
            if not path.exists():
                print(f"{path}: missing (run evaluate.py --tasks {name}-{part} --keep {args.keep})",
                      file=sys.stderr)
                continue
            articles = read_articles(path)
            ids = {a.input_id or a.id for a in articles}
            loaded.append((f"{name}-{part}", articles, {i: g for i, g in gold.items() if i in ids}))
    for overrides in grid(args.settings):
        options = dataclasses.replace(StoryOptions(), **overrides)  # type: ignore[arg-type]
        label = " ".join(f"{k}={v}" for k, v in overrides.items()) or "defaults"
        for task, articles, gold in loaded:
            pred = cluster(articles, options)
            f1, p, r = b_cubed(gold, pred)
            print(f"{label:<40} {task:<20} b3_f1 {f1:.4f}  p {p:.4f}  r {r:.4f}")
            if args.show:
                print("\n".join(mistakes(gold, pred)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
