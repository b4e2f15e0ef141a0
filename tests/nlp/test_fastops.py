"""numpy-BLAS thinc ops: the same products and LSTM states as thinc's own, on every layer they are given."""

from __future__ import annotations

import numpy
import pytest

from eventwire.nlp import fastops


@pytest.mark.parametrize(("trans1", "trans2"), [(False, False), (False, True), (True, False), (True, True)])
def test_matmul_ops_gemm_agrees_with_thinc(trans1: bool, trans2: bool) -> None:
    from thinc.api import NumpyOps

    rng = numpy.random.default_rng(7)
    x = rng.standard_normal((5, 7) if not trans1 else (7, 5)).astype("float32")
    y = rng.standard_normal((7, 3) if not trans2 else (3, 7)).astype("float32")
    want = NumpyOps().gemm(x, y, trans1=trans1, trans2=trans2)
    ops = fastops.MatmulOps()
    assert numpy.allclose(ops.gemm(x, y, trans1=trans1, trans2=trans2), want, atol=1e-5)
    out = numpy.zeros((5, 3), dtype="float32")
    assert ops.gemm(x, y, out=out, trans1=trans1, trans2=trans2) is out
    assert numpy.allclose(out, want, atol=1e-5)


def test_use_matmul_reaches_every_layer() -> None:
    from thinc.api import Linear, NumpyOps, chain

    model = chain(Linear(4, 3), Linear(2, 4))
    fastops.use_matmul(model)
    assert all(isinstance(node.ops, fastops.MatmulOps) for node in model.walk())
    model.initialize(X=numpy.zeros((2, 3), dtype="float32"))
    assert model.predict(numpy.ones((2, 3), dtype="float32")).shape == (2, 2)
    assert not isinstance(NumpyOps(), fastops.MatmulOps)


@pytest.mark.parametrize(("rows", "width", "keys"), [(2000, 16, 4), (5000, 96, 4), (7, 3, 1)])
def test_matmul_ops_gather_add_equals_thinc_bit_for_bit(rows: int, width: int, keys: int) -> None:
    from thinc.api import NumpyOps

    rng = numpy.random.default_rng(rows)
    table = rng.standard_normal((rows, width)).astype("float32")
    indices = rng.integers(0, rows, (900, keys)).astype("uint32")
    want = NumpyOps().gather_add(table, indices)
    got = fastops.MatmulOps().gather_add(table, indices)
    assert got.dtype == want.dtype and got.shape == want.shape
    assert numpy.array_equal(got, want)  # the same sums in the same order, not merely close


def test_matmul_ops_hash_embed_equals_thinc() -> None:
    from thinc.api import HashEmbed

    ids = numpy.random.default_rng(3).integers(0, 2**40, (300, 2)).astype("uint64")
    embed = HashEmbed(16, 500, column=1, seed=11)
    embed.initialize(X=ids)
    want = embed.predict(ids)
    fastops.use_matmul(embed)
    assert numpy.array_equal(embed.predict(ids), want)


def test_matmul_ops_gather_add_refuses_an_index_past_the_table() -> None:
    table = numpy.zeros((4, 3), dtype="float32")
    with pytest.raises(IndexError):
        fastops.MatmulOps().gather_add(table, numpy.array([[0, 4]], dtype="uint32"))


def test_matmul_ops_gather_add_leaves_other_inputs_to_thinc() -> None:
    from thinc.api import NumpyOps

    table = numpy.arange(12, dtype="float64").reshape(4, 3)
    indices = numpy.array([[0, 3], [2, 2]], dtype="int32")  # float64 and signed keys: thinc's own path
    got = fastops.MatmulOps().gather_add(table, indices)
    assert numpy.array_equal(got, NumpyOps().gather_add(table, indices))


@pytest.mark.parametrize("depth", [1, 2])
def test_matmul_ops_lstm_agrees_with_thinc(depth: int) -> None:
    from thinc.api import LSTM, NumpyOps, with_padded

    rng = numpy.random.default_rng(depth)
    model = with_padded(LSTM(8, 5, bi=True, depth=depth))
    seqs = [rng.standard_normal((n, 5)).astype("float32") for n in (4, 1, 7, 3)]
    model.initialize(X=seqs)
    lstm = model.layers[0]
    # non-zero weights and initial states everywhere, so a swapped state or gate would show
    lstm.set_param("LSTM", rng.standard_normal(lstm.get_param("LSTM").shape).astype("float32") * 0.5)
    lstm.set_param("HC0", rng.standard_normal(lstm.get_param("HC0").shape).astype("float32"))
    want = model.predict(seqs)
    fastops.use_matmul(model)
    assert isinstance(lstm.ops, fastops.MatmulOps)
    got = model.predict(seqs)
    for w, g in zip(want, got, strict=True):
        assert w.shape == g.shape
        assert numpy.allclose(w, g, atol=1e-5)
    assert not all(isinstance(n.ops, NumpyOps) and not isinstance(n.ops, fastops.MatmulOps)
                   for n in model.walk())


@pytest.mark.model
def test_accelerate_keeps_the_small_pipeline_annotations() -> None:
    import spacy

    from eventwire.nlp.build import model_name

    text = ("The ferry company said on Monday that crossings to Kessling would resume. \"We expect no "
            "delays,\" its director, Ana Velt, told reporters in Varn. Unions called a strike for Friday.")
    nlp = spacy.load(model_name())

    def annotations() -> list[tuple[str, str, int, str, str]]:
        return [(t.tag_, t.dep_, t.head.i, t.ent_type_, t.lemma_) for t in nlp(text)]

    want = annotations()
    fastops.accelerate(nlp)
    assert any(isinstance(node.ops, fastops.MatmulOps) for node in nlp.get_pipe("tok2vec").model.walk())
    assert annotations() == want


@pytest.mark.model
def test_analyzer_setup_accelerates_its_pipeline() -> None:
    from threadpoolctl import threadpool_info

    from eventwire.nlp.analyzer import Analyzer

    nlp = Analyzer().setup()
    assert any(isinstance(node.ops, fastops.MatmulOps) for node in nlp.get_pipe("tok2vec").model.walk())
    assert all(pool["num_threads"] == 1 for pool in threadpool_info() if pool["user_api"] == "blas")
