"""Run eventwire on the shared evaluation sets and score it with the shared scorer.

    python scripts/evaluate.py SHARED_EVAL_DIR [--tasks times,meantime-times,...] [--json-out FILE]
                               [--workers N] [--keep DIR] [--profiles fast,accurate]

Each task runs ``eventwire extract INPUT -o PRED`` (the product's own batch path, nothing special for
evaluation) and then ``SHARED_EVAL_DIR/score.py TASK --gold GOLD --pred PRED --json``.  The texts are read,
never copied.  Prints one line per metric and, with ``--json-out``, writes ``{task: {metric: value}}`` — the
shape that tests/eval/floors.json pins.  ``--profiles fast,accurate`` runs every task once per profile (the
``profile`` setting, passed to ``eventwire extract`` as ``EVENTWIRE_PROFILE``) and prints them side by side;
``--json-out`` then holds ``{profile: {task: {metric: value}}}``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from splits import part_of


@dataclass(frozen=True)
class Task:
    name: str
    data: str  # folder under data/
    score: str  # score.py subcommand
    metrics: tuple[tuple[str, tuple[str, ...]], ...]  # (metric name, path into score.py's JSON)
    compartment: str | None = None  # keep only gold records of this compartment (PolNeAR: train/dev)
    part: str | None = None  # keep only records of this part of the set (scripts/splits.py: tune/check)
    extract_args: tuple[str, ...] = ()  # more options of `eventwire extract` (--stories: one collection)
    gold_from: str | None = None  # gold: our own annotation files (a glob under the repo); texts from data/


# on whole articles, the counts behind the figures: a small set's F1 moves by about .01 per event, and a
# change that finds more right arguments while keeping a few more events shows as counts up, ratios down
_COUNTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("n_predicted", ("event_type", "pred")), ("n_type", ("event_type", "tp")),
    ("n_type_actor", ("type_actor", "tp")), ("n_type_actor_target", ("type_actor_target", "tp")),
    ("n_dated_right", ("date", "ok")), ("n_dated", ("date", "n")))


def _shown(metric: str, value: float) -> str:
    """A metric as printed: a count whole, a ratio to three decimals."""
    return f"{value:.0f}" if metric.startswith("n_") else f"{value:.3f}"


TASKS: tuple[Task, ...] = (
    Task("times", "times", "times", (("value_f1", ("value_f1",)),
                                     ("extent_lenient_f1", ("extent_lenient", "f1")))),
    Task("meantime-times", "meantime", "times", (("value_f1", ("value_f1",)),)),
    Task("meantime-entities", "meantime", "entities", (("strict_typed_f1", ("strict_typed", "f1")),
                                                       ("strict_untyped_f1", ("strict_untyped", "f1")))),
    Task("aeb-body", "aeb", "body", (("f1", ("aeb", "f1")),)),
    # web pages (mostly German): the readers' body, title, date and authors, each part extracted once
    *(Task(f"trafilatura-{part}", "trafilatura", "metadata",
           (("title", ("title_accuracy",)), ("published", ("published_accuracy",)),
            ("authors_f1", ("authors_f1",))), part=part) for part in ("tune", "check")),
    *(Task(f"trafilatura-body-{part}", "trafilatura", "body", (("f1", ("chunks", "f1")),), part=part)
      for part in ("tune", "check")),
    # PolNeAR's train compartment is what the role tagger learns from: score the dev compartment only.
    Task("polnear-attribution", "polnear", "attribution",
         (("source_strict_f1", ("roles", "source", "strict", "f1")),
          ("cue_strict_f1", ("roles", "cue", "strict", "f1")),
          ("content_strict_f1", ("roles", "content", "strict", "f1")),
          ("relation_f1", ("relation", "f1"))), compartment="dev"),
    # plover and petrarch are never trained on (plv is: scripts/train_events.py; report it, no floor)
    Task("plover-events", "plover", "events", (("type_f1", ("type", "f1")),
                                               ("type_actor_f1", ("type_actor", "f1")),
                                               ("type_actor_target_f1", ("type_actor_target", "f1")))),
    Task("petrarch-events", "petrarch", "events", (("type_f1", ("type", "f1")),)),
    # whole real articles, once per happening: the tuning part may be looked at and tuned on (with the
    # vetting model trained on it); the check part is only ever reported (scripts/splits.py)
    *(Task(f"events-news-{part}", "events-news", "events",
           (("type_p", ("event_type", "p")), ("type_f1", ("event_type", "f1")),
            ("type_actor_f1", ("type_actor", "f1")), ("type_actor_target_f1", ("type_actor_target", "f1")),
            ("date_accuracy", ("date", "accuracy")), *_COUNTS), part=part) for part in ("tune", "check")),
    # our own annotations of 140 PolNeAR train-compartment articles that nothing is trained on
    # (training/events/unused/README.md): 921 events, coded more liberally than events-news (lower precision
    # expected); a held-out set six times the check part's size for decisions the check part is too small for
    Task("events-heldout", "polnear", "events",
         (("type_p", ("event_type", "p")), ("type_f1", ("event_type", "f1")),
          ("type_actor_f1", ("type_actor", "f1")), ("type_actor_target_f1", ("type_actor_target", "f1")),
          ("date_accuracy", ("date", "accuracy")), *_COUNTS), gold_from="training/events/unused/*.jsonl"),
    Task("plv-events", "plv", "events", (("type_f1", ("type", "f1")),
                                         ("type_actor_f1", ("type_actor", "f1")),
                                         ("type_actor_target_f1", ("type_actor_target", "f1")))),
    # stories: each part is extracted as a collection of its own (scripts/splits.py says which half is which)
    *(Task(f"{data}-{part}", data, "stories", (("b3_f1", ("b3", "f1")), ("b3_p", ("b3", "p")),
                                               ("b3_r", ("b3", "r"))), part=part, extract_args=("--stories",))
      for data in ("stories-news", "stories-ecb") for part in ("tune", "check")),
)
DEFAULT_TASKS = ("times,meantime-times,meantime-entities,aeb-body,trafilatura-tune,trafilatura-check,"
                 "trafilatura-body-tune,trafilatura-body-check,polnear-attribution")


def _dig(obj: object, path: tuple[str, ...]) -> float:
    for key in path:
        if not isinstance(obj, dict):
            raise KeyError(path)
        obj = obj[key]
    return float(obj)  # type: ignore[arg-type]


def _input_file(folder: Path) -> Path:
    found = sorted(folder.glob("*-dev.input.jsonl*"))
    if not found:
        raise FileNotFoundError(f"no *-dev.input.jsonl in {folder}")
    return found[0]


def _filtered(gold: Path, source: Path, task: Task, prefix: Path) -> tuple[Path, Path]:
    """Gold and input files holding only the records of one compartment or part (temporary, outside the
    repo)."""
    keep: set[str] = set()
    gold_out, input_out = prefix.with_suffix(".gold.jsonl"), prefix.with_suffix(".input.jsonl")
    with gold.open(encoding="utf-8") as f, gold_out.open("w", encoding="utf-8") as out:
        for line in f:
            if not line.strip():
                continue
            record = json.loads(line)
            if task.compartment and record.get("compartment") != task.compartment:
                continue
            if task.part and part_of(str(record["id"])) != task.part:
                continue
            keep.add(str(record["id"]))
            out.write(line)
    gzipped = source.suffix == ".gz"
    with (gzip.open(source, "rt", encoding="utf-8") if gzipped else source.open(encoding="utf-8")) as f, \
            input_out.open("w", encoding="utf-8") as out:
        out.writelines(line for line in f if line.strip() and str(json.loads(line)["id"]) in keep)
    return gold_out, input_out


def _annotated(pattern: str, source: Path, prefix: Path) -> tuple[Path, Path]:
    """Gold and input files for our own annotations (ids, types, names, evidence offsets; no text) joined
    with the shared input's texts (temporary, outside the repo)."""
    root = Path(__file__).resolve().parent.parent
    wanted: dict[str, dict[str, Any]] = {}
    for path in sorted(root.glob(pattern)):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                wanted[str(record["id"])] = record
    gold_out, input_out = prefix.with_suffix(".gold.jsonl"), prefix.with_suffix(".input.jsonl")
    with source.open(encoding="utf-8") as f, gold_out.open("w", encoding="utf-8") as g, \
            input_out.open("w", encoding="utf-8") as out:
        for line in f:
            if not line.strip():
                continue
            src = json.loads(line)
            ann = wanted.get(str(src["id"]))
            if ann is None:
                continue
            text = str(src["text"])
            out.write(json.dumps({k: src[k] for k in ("id", "text", "published") if k in src}) + "\n")
            events = []
            for e in ann.get("events") or []:
                s, t = e.get("evidence_span") or (0, 0)
                events.append({k: e.get(k) for k in ("type", "mode", "actor_texts", "target_texts", "date")}
                              | {"evidence": text[s:t]})
            g.write(json.dumps({"id": src["id"], "text": text, "events": events}) + "\n")
    return gold_out, input_out


def run_task(task: Task, eval_dir: Path, out_dir: Path, workers: int,
             cache: dict[str, Path], profile: str | None = None) -> dict[str, float]:
    """Extract (once per data folder) and score one task."""
    folder = eval_dir / "data" / task.data
    gold = sorted(folder.glob("*-dev.gold.jsonl*"))[0]
    source = _input_file(folder)
    subset = task.compartment or task.part
    if task.gold_from:
        subset = task.name
        gold, source = _annotated(task.gold_from, source, out_dir / task.name)
    elif subset:
        gold, source = _filtered(gold, source, task, out_dir / f"{task.data}.{subset}")
    key = f"{task.data}:{subset}:{' '.join(task.extract_args)}:{profile}"
    pred = cache.get(key)
    if pred is None:
        pred = out_dir / f"{task.data}.{subset or 'all'}{'.' + profile if profile else ''}.pred.jsonl"
        cmd = [sys.executable, "-m", "eventwire", "extract", str(source), "-o", str(pred),
               "--workers", str(workers), *task.extract_args]
        env = {**os.environ, "EVENTWIRE_PROFILE": profile} if profile else None
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        cache[key] = pred
    scored = subprocess.run([sys.executable, str(eval_dir / "score.py"), task.score, "--gold", str(gold),
                             "--pred", str(pred), "--json"], check=True, capture_output=True, text=True)
    result = json.loads(scored.stdout)
    return {name: round(_dig(result, path), 4) for name, path in task.metrics}


def evaluate(eval_dir: Path, names: list[str], *, workers: int = 1, keep: Path | None = None,
             profile: str | None = None) -> dict[str, dict[str, float]]:
    """Scores of every task in ``names``, as ``{task: {metric: value}}``."""
    by_name = {t.name: t for t in TASKS}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise SystemExit(f"unknown task(s) {unknown}; known: {', '.join(by_name)}")
    with tempfile.TemporaryDirectory() as tmp:
        out_dir = keep or Path(tmp)
        out_dir.mkdir(parents=True, exist_ok=True)
        cache: dict[str, Path] = {}
        return {n: run_task(by_name[n], eval_dir, out_dir, workers, cache, profile) for n in names}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("eval_dir", type=Path, help="the shared eval folder (holds score.py and data/)")
    ap.add_argument("--tasks", default=DEFAULT_TASKS, help=f"comma-separated (default {DEFAULT_TASKS})")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--json-out", type=Path)
    ap.add_argument("--keep", type=Path, help="keep the predictions in this folder")
    ap.add_argument("--profiles", default="",
                    help="comma-separated profiles to compare, e.g. fast,accurate (default: the setting's)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    names = [n.strip() for n in args.tasks.split(",") if n.strip()]
    profiles = [p.strip() for p in args.profiles.split(",") if p.strip()]
    if not profiles:
        scores = evaluate(args.eval_dir, names, workers=args.workers, keep=args.keep)
        for task, metrics in scores.items():
            for metric, value in metrics.items():
                print(f"{task:<20} {metric:<20} {_shown(metric, value)}")
        report: object = scores
    else:
        by_profile = {p: evaluate(args.eval_dir, names, workers=args.workers, keep=args.keep, profile=p)
                      for p in profiles}
        print(f"{'task':<20} {'metric':<20} " + " ".join(f"{p:>9}" for p in profiles))
        for task in names:
            for metric in by_profile[profiles[0]][task]:
                print(f"{task:<20} {metric:<20} "
                      + " ".join(f"{_shown(metric, by_profile[p][task][metric]):>9}" for p in profiles))
        report = by_profile
    print(f"({time.perf_counter() - t0:.0f} s)")
    if args.json_out:
        args.json_out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
