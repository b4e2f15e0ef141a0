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
    LSTM,
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
    with_padded,
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
                  embed_width: int = 16, rows: int = 2000, seed: int = 0, pieces: int = 3,
                  arch: str = "cnn", hidden: int = 32, dropout: float = 0.1) -> Any:
    """A thinc model mapping ``(vectors[n, vec_width], ids[n, n_features], sentence_lengths)`` to
    ``[n, 3 * N_TAGS]`` logits: "lstm" (a BiLSTM per sentence) or "cnn" (residual window layers)."""
    if arch in ("lstm", "hybrid"):
        return _build_lstm(n_features, vec_width, width, embed_width, rows, seed, pieces, hidden,
                           depth if arch == "hybrid" else 0, window, dropout)
    embeds: list[Any] = [HashEmbed(embed_width, rows, column=k, seed=seed + k) for k in range(n_features)]
    embed: Any = concatenate(*embeds)
    n_in = vec_width + embed_width * n_features
    mix = Maxout(width, n_in, nP=pieces, normalize=True, dropout=0.1)
    block: Any = residual(chain(expand_window(window), Maxout(width, width * (2 * window + 1), nP=pieces),
                                LayerNorm(width)))
    cnn: Any = chain(_with_vectors(embed, vec_width, embed_width * n_features), mix, clone(block, depth),
                Linear(len(ROLES) * N_TAGS, width))
    return chain(_drop_lengths(), cnn)


def _drop_lengths() -> Any:
    def forward(model: Any, X: Any, is_train: bool) -> Any:
        return (X[0], X[1]), lambda dY: dY

    return Model("drop_lengths", forward)


def _build_lstm(n_features: int, vec_width: int, width: int, embed_width: int, rows: int, seed: int,
                pieces: int, hidden: int, depth: int = 0, window: int = 1, dropout: float = 0.1) -> Any:
    """Embed + mix per token, a BiLSTM over each sentence (so a content's end is seen from its start:
    a window network fragmented 524 of 2,192 dev contents), then a Maxout + linear head per token."""
    embed: Any = concatenate(*[HashEmbed(embed_width, rows, column=k, seed=seed + k)
                               for k in range(n_features)])
    n_in = vec_width + embed_width * n_features
    mix: Any = Maxout(width, n_in, nP=pieces, normalize=True, dropout=dropout)
    if depth:  # "hybrid": residual window layers before the BiLSTM (local n-gram patterns, then the sentence)
        block: Any = residual(chain(expand_window(window), Maxout(width, width * (2 * window + 1), nP=pieces),
                                    LayerNorm(width)))
        mix = chain(mix, clone(block, depth))
    lstm: Any = with_padded(LSTM(2 * hidden, width, bi=True, depth=1))  # nO counts both directions
    head: Any = chain(Maxout(width, width + 2 * hidden, nP=pieces, normalize=True),
                 Linear(len(ROLES) * N_TAGS, width))

    def forward(model: Any, X: Any, is_train: bool) -> Any:
        vecs, ids, lengths = X
        ops = model.ops
        emb, bp_emb = embed(ids, is_train)
        h1, bp_mix = mix(ops.xp.hstack([vecs, emb]), is_train)
        seqs, bp_lstm = lstm(ops.unflatten(h1, lengths), is_train)
        h2 = ops.xp.hstack([h1, ops.flatten(seqs)])
        Y, bp_head = head(h2, is_train)

        def backprop(dY: Any) -> Any:
            d2 = bp_head(dY)
            d1 = d2[:, :width] + ops.flatten(bp_lstm(ops.unflatten(
                ops.xp.ascontiguousarray(d2[:, width:]), lengths)))
            d0 = bp_mix(d1)
            bp_emb(ops.xp.ascontiguousarray(d0[:, vec_width:]))
            return X

        return Y, backprop

    def init(model: Any, X: Any = None, Y: Any = None) -> None:
        if X is None:
            return
        vecs, ids, lengths = X
        embed.initialize(X=ids)
        h0 = model.ops.xp.hstack([vecs, embed.predict(ids)])
        mix.initialize(X=h0)
        h1 = mix.predict(h0)
        seqs = model.ops.unflatten(h1, lengths)
        lstm.initialize(X=seqs)
        h2 = model.ops.xp.hstack([h1, model.ops.flatten(lstm.predict(seqs))])
        head.initialize(X=h2)

    return Model("role_tagger_lstm", forward, init=init, layers=[embed, mix, lstm, head],
                 dims={"nO": len(ROLES) * N_TAGS})


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
