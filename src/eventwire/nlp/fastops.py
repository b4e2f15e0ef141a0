"""thinc ops that do their matrix products with numpy (OpenBLAS) instead of blis.

On this project's machines blis is 3-5x slower than numpy's OpenBLAS for the shapes spaCy's small English
pipeline and our role tagger multiply (see :class:`MatmulOps`).  :func:`accelerate` gives every thinc layer
of a loaded pipeline these ops: on 284 articles (200 bench, 84 PolNeAR dev; 254k tokens) every tag, parse,
lemma, entity and role tag came out the same, and en_core_web_sm took 34.0 instead of 55.1 CPU seconds.
Matrix products then run in OpenBLAS's thread pool: :func:`one_blas_thread` keeps it to the calling thread
(a worker process has a core of its own, and idle OpenBLAS threads spin).
"""

from __future__ import annotations

from typing import Any

import numpy
from spacy.language import Language
from thinc.api import NumpyOps
from threadpoolctl import threadpool_limits

__all__ = ["MatmulOps", "accelerate", "one_blas_thread", "use_matmul"]


class MatmulOps(NumpyOps):  # type: ignore[misc]
    """thinc's NumpyOps with ``gemm`` done by numpy's matmul (OpenBLAS) instead of blis, and
    ``gather_add`` by numpy's ``take`` instead of a blis call per row.

    For the shapes of a 750-word article (~850 tokens x 304 -> 128, 192 -> 128, 128 -> 128) OpenBLAS took
    0.6-1.2 ms where blis took 2.2-3.6 ms on this project's machines (2-core AMD EPYC).  The BiLSTM's own
    kernel calls blis from Cython, so :meth:`lstm_forward_inference` is done here in numpy too.
    """

    def gemm(self, x: Any, y: Any, out: Any = None, trans1: bool = False, trans2: bool = False) -> Any:
        a = x.T if trans1 else x
        b = y.T if trans2 else y
        if out is None:
            return numpy.matmul(a, b)
        numpy.matmul(a, b, out=out)
        return out

    def gather_add(self, table: Any, indices: Any) -> Any:
        """Each row of ``indices`` sums its rows of ``table`` (a HashEmbed's four hashed keys per token).

        thinc calls blis's ``saxpy`` once per token and key; one numpy ``take`` per key column adds the same
        values in the same order, from zeros (``x + 1.0 * y`` and ``x + y`` round alike): equal output,
        checked by tests.  For the role tagger's 13 width-16 tables 177 -> 48 us per 900-token article each,
        for spaCy's width-96 tables 205-220 -> 117-192 us (Intel Xeon, 2 cores, ``timeit``)."""
        if (table.dtype != numpy.float32 or getattr(indices, "ndim", 0) != 2 or indices.dtype.kind != "u"
                or len(table) == 0):
            return super().gather_add(table, indices)
        if len(indices) and int(indices.max()) >= len(table):
            # thinc raises only past the row after the last one (its check is "> rows")
            raise IndexError("Embedding index out-of-bounds")
        out = numpy.zeros((indices.shape[0], table.shape[1]), dtype=numpy.float32)
        for column in numpy.ascontiguousarray(indices.T):
            out += numpy.take(table, column, axis=0)
        return out

    def lstm_forward_inference(self, params: Any, H0: Any, C0: Any, X: Any, size_at_t: Any) -> Any:
        """thinc's LSTM inference (``numpy_ops.lstm_forward_training`` without the training state), with
        the input projection of every time step done as one matmul: 3.4 -> 1.9 ms per bench article.

        ``X`` is packed time-major (``size_at_t[t]`` rows for step t, sequences longest first); parameters
        are laid out per layer and direction as thinc's ``_split_weights`` reads them, and, as there, the
        first initial state is used for the cells and the second for the hidden state.
        """
        c_init, h_init = H0, C0
        depth, dirs, n_out = c_init.shape
        lengths = [int(b) for b in size_at_t]
        starts = numpy.concatenate([[0], numpy.cumsum(lengths)]).tolist()
        at = 0
        for i in range(depth):
            n_in = X.shape[1]
            layer = []
            for d in range(dirs):
                wx = params[at:at + 4 * n_out * n_in].reshape((4 * n_out, n_in))
                at += 4 * n_out * n_in
                bx = params[at:at + 4 * n_out]
                at += 4 * n_out
                wh = params[at:at + 4 * n_out * n_out].reshape((4 * n_out, n_out))
                at += 4 * n_out * n_out
                bh = params[at:at + 4 * n_out]
                at += 4 * n_out
                layer.append(_lstm_direction(X, wx, bx, wh, bh, h_init[i, d], c_init[i, d], lengths, starts,
                                             backward=d == 1))
            X = numpy.ascontiguousarray(numpy.concatenate(layer, axis=1)) if dirs == 2 else layer[0]
        return X


def _lstm_direction(X: Any, wx: Any, bx: Any, wh: Any, bh: Any, h0: Any, c0: Any, lengths: list[int],
                    starts: list[int], backward: bool) -> Any:
    """One direction of one LSTM layer over packed time-major ``X``; gates in thinc's order per unit
    (forget, input, output: sigmoid; candidate: tanh)."""
    n_out = wh.shape[1]
    # thinc interleaves the four gates unit by unit; keep them as four blocks instead (same sums)
    gx = numpy.matmul(X, wx.T) + (bx + bh)
    gx = gx.reshape((X.shape[0], 4, n_out))
    wh_t = numpy.ascontiguousarray(wh.T)
    out = numpy.empty((X.shape[0], n_out), dtype="float32")
    h = numpy.repeat(h0.reshape((1, n_out)), lengths[0] if lengths else 0, axis=0).astype("float32")
    c = numpy.repeat(c0.reshape((1, n_out)), lengths[0] if lengths else 0, axis=0).astype("float32")
    steps = range(len(lengths) - 1, -1, -1) if backward else range(len(lengths))
    for t in steps:
        b = lengths[t]
        g = gx[starts[t]:starts[t] + b] + numpy.matmul(h[:b], wh_t).reshape((b, 4, n_out))
        sig = 1.0 / (1.0 + numpy.exp(-g[:, :3]))
        cell = sig[:, 0] * c[:b] + sig[:, 1] * numpy.tanh(g[:, 3])
        hidden = numpy.tanh(cell) * sig[:, 2]
        out[starts[t]:starts[t] + b] = hidden
        h[:b] = hidden
        c[:b] = cell
    return out


def use_matmul(model: Any) -> None:
    """Give every layer of a thinc ``model`` that runs on plain NumpyOps the ops of :class:`MatmulOps`."""
    ops = MatmulOps()
    for node in model.walk():
        if type(node.ops) is NumpyOps:
            node.ops = ops


def accelerate(nlp: Language) -> None:
    """:func:`use_matmul` on the model of every pipeline component that has a thinc model."""
    for _name, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is not None and hasattr(model, "walk"):
            use_matmul(model)


def one_blas_thread() -> None:
    """Keep numpy's BLAS to one thread in this process (call it in a worker process, once)."""
    threadpool_limits(limits=1, user_api="blas")
