"""scripts/train_accurate.py: a base encoder shipped only as an ONNX graph is read back into BERT's
parameter names (the exporter renames the linear layers' weights: each is named by the bias it meets)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from train_accurate import _LAYER_PARAMS, BASES, onnx_bert_weights

_PREFIX = "model.0.auto_model."


def _graph(layers: int = 2, bias_first: bool = False,
           drop: str = "") -> tuple[list[tuple[str, list[str], list[str]]], dict[str, Any]]:
    """A graph shaped like sentence-transformers' export: named embeddings, biases and LayerNorms, anonymous
    ``[in, out]`` MatMul weights whose output an Add joins to the named bias."""
    rng = numpy.random.default_rng(0)
    arrays: dict[str, Any] = {
        f"{_PREFIX}embeddings.word_embeddings.weight": rng.normal(size=(30, 4)),
        f"{_PREFIX}embeddings.position_embeddings.weight": rng.normal(size=(16, 4)),
        f"{_PREFIX}embeddings.token_type_embeddings.weight": rng.normal(size=(2, 4)),
        f"{_PREFIX}embeddings.LayerNorm.weight": numpy.ones(4),
        f"{_PREFIX}embeddings.LayerNorm.bias": numpy.zeros(4),
        "pooler_unrelated.weight": numpy.ones((4, 4)),  # no BERT path: ignored
    }
    nodes: list[tuple[str, list[str], list[str]]] = []
    k = 470
    for n in range(layers):
        for part in _LAYER_PARAMS:
            out_dim = 8 if part == "intermediate.dense" else 4
            in_dim = 8 if part == "output.dense" else 4
            w, b = f"onnx::MatMul_{k}", f"{_PREFIX}encoder.layer.{n}.{part}.bias"
            k += 1
            arrays[w] = rng.normal(size=(in_dim, out_dim))
            arrays[b] = rng.normal(size=out_dim)
            mm = f"/layer.{n}/{part}/MatMul_output_0"
            nodes.append(("MatMul", [f"/layer.{n}/input", w], [mm]))
            nodes.append(("Add", [b, mm] if bias_first else [mm, b], [f"/layer.{n}/{part}/Add_output_0"]))
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            arrays[f"{_PREFIX}encoder.layer.{n}.{norm}.weight"] = numpy.ones(4)
            arrays[f"{_PREFIX}encoder.layer.{n}.{norm}.bias"] = numpy.zeros(4)
    if drop:
        del arrays[drop]
    return nodes, arrays


@pytest.mark.parametrize("bias_first", [False, True])
def test_weights_named_by_their_bias_and_transposed(bias_first: bool) -> None:
    nodes, arrays = _graph(bias_first=bias_first)
    out = onnx_bert_weights(nodes, arrays)
    assert numpy.array_equal(out["encoder.layer.1.attention.self.key.weight"], arrays["onnx::MatMul_477"].T)
    assert out["encoder.layer.0.intermediate.dense.weight"].shape == (8, 4)  # torch's [out, in]
    assert out["encoder.layer.0.output.dense.weight"].shape == (4, 8)
    assert numpy.array_equal(out["embeddings.word_embeddings.weight"],
                             arrays[f"{_PREFIX}embeddings.word_embeddings.weight"])
    assert "pooler_unrelated.weight" not in out and not any(k.startswith(_PREFIX) for k in out)
    # 5 embedding tensors + per layer 6 linear layers x (weight, bias) + 2 LayerNorms x 2
    assert len(out) == 5 + 2 * (12 + 4)


def test_a_graph_missing_a_linear_layer_is_refused() -> None:
    nodes, arrays = _graph(drop="onnx::MatMul_473")  # layer 0's attention.output.dense weight
    with pytest.raises(ValueError, match="lacks 1 BERT parameters"):
        onnx_bert_weights(nodes, arrays)


def test_a_graph_with_no_bert_layers_is_refused() -> None:
    with pytest.raises(ValueError, match="no BERT layers"):
        onnx_bert_weights([], {"embeddings.word_embeddings.weight": numpy.ones((3, 2))})


def test_every_base_names_its_registry_package_pinned() -> None:
    for spec in BASES.values():
        assert "==" in spec["package"] and ("module" in spec) != ("onnx" in spec)
        assert "onnx" not in spec or {"heads", "tokenizer_from"} <= spec.keys()
