"""The role tagger network (thinc, CPU) and the BIO decoding of its output.

Input per article: the frozen tok2vec vectors (96 floats per token) and the hashed features of
:mod:`.features`.  A hash embedding per feature column is concatenated to the vectors, mixed by a Maxout
layer, refined by ``depth`` residual Maxout window layers (each widens the context by ``window`` tokens per
side) and projected to 3 BIO scores for each role: three independent heads, so a cue may sit inside a
content and a source inside another attribution's content.
"""

from __future__ import annotations

from typing import Any

import numpy
from thinc.api import (
    HashEmbed,
    LayerNorm,
    Linear,
    Maxout,
    Model,
    chain,
    clone,
    concatenate,
    expand_window,
    residual,
)

__all__ = ["N_TAGS", "ROLES", "bio_spans", "build_network", "role_scores"]

ROLES: tuple[str, ...] = ("cue", "source", "content")
N_TAGS = 3  # O, B, I per role


def _with_vectors(embed: Any, width: int, embed_out: int) -> Any:
    """(vectors, ids) -> vectors ++ embed(ids); the vectors are frozen inputs (no gradient flows back)."""

    def forward(model: Any, X: Any, is_train: bool) -> Any:
        vecs, ids = X
        emb, bp_emb = model.layers[0](ids, is_train)
        out = model.ops.xp.hstack([vecs, emb])

        def backprop(dY: Any) -> Any:
            bp_emb(dY[:, vecs.shape[1]:])
            return X

        return out, backprop

    def init(model: Any, X: Any = None, Y: Any = None) -> None:
        model.layers[0].initialize(X=None if X is None else X[1])

    return Model("with_vectors", forward, init=init, layers=[embed], dims={"nO": width + embed_out})


def build_network(n_features: int, vec_width: int = 96, width: int = 96, depth: int = 3, window: int = 1,
                  embed_width: int = 16, rows: int = 2000, seed: int = 0, pieces: int = 3) -> Any:
    """A thinc model mapping ``(vectors[n, vec_width], ids[n, n_features])`` to ``[n, 3 * N_TAGS]`` logits."""
    embeds = [HashEmbed(embed_width, rows, column=k, seed=seed + k) for k in range(n_features)]
    embed = concatenate(*embeds)
    n_in = vec_width + embed_width * n_features
    mix = Maxout(width, n_in, nP=pieces, normalize=True, dropout=0.1)
    block = residual(chain(expand_window(window), Maxout(width, width * (2 * window + 1), nP=pieces),
                           LayerNorm(width)))
    return chain(_with_vectors(embed, vec_width, embed_width * n_features), mix, clone(block, depth),
                 Linear(len(ROLES) * N_TAGS, width))


def role_scores(logits: Any) -> Any:
    """Per-role softmax of ``[n, 3 * N_TAGS]`` logits, shaped ``[n, 3, N_TAGS]``."""
    z = logits.reshape((logits.shape[0], len(ROLES), N_TAGS))
    z = z - z.max(axis=2, keepdims=True)
    e = numpy.exp(z)
    return e / e.sum(axis=2, keepdims=True)


def bio_spans(tags: Any) -> list[tuple[int, int]]:
    """Token spans ``[start, end)`` from one role's tags (0=O, 1=B, 2=I); an I with no span open starts one
    (the repair that keeps a content whose first token the model scored as O)."""
    spans: list[tuple[int, int]] = []
    start = -1
    for i, t in enumerate(tags.tolist()):
        if t == 1 or (t == 2 and start < 0):
            if start >= 0:
                spans.append((start, i))
            start = i
        elif t == 0 and start >= 0:
            spans.append((start, i))
            start = -1
    if start >= 0:
        spans.append((start, len(tags)))
    return spans
