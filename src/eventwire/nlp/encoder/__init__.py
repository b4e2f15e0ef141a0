"""The accurate profile's shared encoder: one transformer pass per article, token vectors for every layer.

``eventwire_encoder`` runs a fine-tuned all-MiniLM-L6-v2 (int8 ONNX, ``encoder.onnx``, with the
``tokenizer.json`` it was trained with; both ship in this folder, nothing downloads at run time) over the
article in sentence windows: whole sentences packed into windows of at most ``window`` wordpieces, run in
batches.  Each spaCy token gets the mean of its wordpieces' last hidden states; the ``[n_tokens, width]``
float32 array goes into the per-article index (``doc._.ew_index.vectors``), where any layer reads it
(the attribution role head, ``nlp/attributions/tagger/encoded.py``, first).  MODEL_CARD.md says how the
weights were trained (``make train-accurate``) and how well and how fast they do.

The ONNX session runs on ``threads`` intra-op threads (1: each worker process owns a core, so 2 workers use
2 cores) and is shared by every thread of the process (onnxruntime's ``run`` is thread-safe); the component
keeps no per-article state.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from eventwire.errors import ModelError
from eventwire.nlp.docindex import index_of

__all__ = ["FACTORY", "MODEL_DIR", "Encoder", "EncoderModel", "encode", "load_encoder", "token_vectors",
           "weights_present", "windows"]

FACTORY = "eventwire_encoder"
MODEL_DIR = Path(__file__).resolve().parent
_ONNX, _TOKENIZER, _META = "encoder.onnx", "tokenizer.json", "encoder.json"


@dataclass(frozen=True, slots=True)
class EncoderModel:
    """A loaded encoder: the onnxruntime session, the tokenizer and the training metadata."""

    session: Any
    tokenizer: Any
    meta: dict[str, Any]
    cls_id: int
    sep_id: int
    width: int


def weights_present(directory: Path = MODEL_DIR) -> bool:
    """Whether ``directory`` holds the encoder's files (the package ships them)."""
    return all((directory / name).is_file() for name in (_ONNX, _TOKENIZER, _META))


@cache
def load_encoder(directory: Path = MODEL_DIR, threads: int = 1) -> EncoderModel:
    """Load the ONNX session and tokenizer once per process (and per ``threads``)."""
    try:
        import onnxruntime
        from tokenizers import Tokenizer
    except ImportError as e:  # both are dependencies; a trimmed install gets a message that says what to do
        raise ModelError(f"the accurate profile needs onnxruntime and tokenizers ({e}): "
                         "pip install onnxruntime tokenizers, or set EVENTWIRE_PROFILE=fast") from e
    if not weights_present(directory):
        raise ModelError(f"no encoder in {directory}: run `make train-accurate SHARED=../shared`, "
                         "or set EVENTWIRE_PROFILE=fast")
    opts = onnxruntime.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(directory / _ONNX), opts, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(directory / _TOKENIZER))
    # the saved tokenizer truncates at 128 pieces and may pad: windows are cut here, not there
    tokenizer.no_truncation()
    tokenizer.no_padding()
    meta = json.loads((directory / _META).read_text(encoding="utf-8"))
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    if cls_id is None or sep_id is None:
        raise ModelError(f"{directory / _TOKENIZER} has no [CLS]/[SEP]: not the encoder's tokenizer")
    return EncoderModel(session, tokenizer, meta, int(cls_id), int(sep_id), int(meta["width"]))


def windows(piece_sentence: Any, limit: int) -> list[tuple[int, int]]:
    """Piece ranges ``[start, end)`` of at most ``limit`` pieces: whole sentences packed greedily, a longer
    sentence cut into pieces of ``limit`` (``piece_sentence`` is each piece's sentence number, ascending)."""
    n = len(piece_sentence)
    if n == 0:
        return []
    # boundaries where a new sentence starts
    starts = numpy.flatnonzero(numpy.diff(piece_sentence)) + 1
    bounds = [0, *starts.tolist(), n]
    out: list[tuple[int, int]] = []
    cur = 0
    for k in range(1, len(bounds)):
        s, e = bounds[k - 1], bounds[k]
        if e - cur <= limit:
            continue
        if s > cur:  # close the window before this sentence
            out.append((cur, s))
            cur = s
        while e - cur > limit:  # a sentence longer than a window
            out.append((cur, cur + limit))
            cur += limit
    out.append((cur, n))
    return [w for w in out if w[1] > w[0]]


def encode(model: EncoderModel, text: str, sentence_starts: list[int], window: int = 256,
           batch: int = 8) -> tuple[Any, Any, Any]:
    """Run the encoder over ``text``: ``(piece vectors [n, width], piece starts, piece ends)``."""
    enc = model.tokenizer.encode(text, add_special_tokens=False)
    ids = numpy.asarray(enc.ids, dtype=numpy.int64)
    offsets = numpy.asarray(enc.offsets, dtype=numpy.int64).reshape(-1, 2)
    out = numpy.zeros((len(ids), model.width), dtype=numpy.float32)
    if not len(ids):
        return out, offsets[:, 0], offsets[:, 1]
    sent = numpy.searchsorted(numpy.asarray(sentence_starts or [0]), offsets[:, 0], side="right")
    spans = windows(sent, window - 2)  # [CLS] and [SEP] take two places
    # similar lengths in one batch pad less: a batch of 8 costs its longest window 8 times
    spans.sort(key=lambda w: w[1] - w[0])
    for k in range(0, len(spans), batch):
        group = spans[k:k + batch]
        width = max(e - s for s, e in group) + 2
        x = numpy.zeros((len(group), width), dtype=numpy.int64)
        mask = numpy.zeros_like(x)
        for i, (s, e) in enumerate(group):
            x[i, 0], x[i, 1:e - s + 1], x[i, e - s + 1] = model.cls_id, ids[s:e], model.sep_id
            mask[i, :e - s + 2] = 1
        hidden = model.session.run(["hidden"], {"input_ids": x, "attention_mask": mask})[0]
        for i, (s, e) in enumerate(group):
            out[s:e] = hidden[i, 1:e - s + 1]
    return out, offsets[:, 0], offsets[:, 1]


def token_vectors(pieces: Any, piece_starts: Any, piece_ends: Any, token_starts: Any,
                  token_ends: Any) -> Any:
    """``[n_tokens, width]``: the mean of the pieces that start in each token; a token no piece starts in
    (inside a longer piece) takes the piece that covers its start; a whitespace token stays zero."""
    n = len(token_starts)
    vecs = numpy.zeros((n, pieces.shape[1]), dtype=numpy.float32)
    if not n or not len(pieces):
        return vecs
    owner = numpy.searchsorted(token_starts, piece_starts, side="right") - 1
    owner = numpy.clip(owner, 0, n - 1)
    numpy.add.at(vecs, owner, pieces)
    counts = numpy.bincount(owner, minlength=n).astype(numpy.float32)
    has = counts > 0
    vecs[has] /= counts[has, None]
    missing = numpy.flatnonzero(~has)
    if len(missing):
        j = numpy.searchsorted(piece_starts, token_starts[missing], side="right") - 1
        ok = (j >= 0) & (piece_ends[numpy.clip(j, 0, None)] > token_starts[missing])
        vecs[missing[ok]] = pieces[j[ok]]
    return vecs


class Encoder:
    """Fills ``doc._.ew_index.vectors`` (see the module docstring)."""

    def __init__(self, name: str, model: EncoderModel, window: int, batch: int) -> None:
        self.name = name
        self.model = model
        self.window = window
        self.batch = batch

    def __call__(self, doc: Doc) -> Doc:
        index = index_of(doc)
        pieces, p_start, p_end = encode(self.model, index.text, index.sentence_starts, self.window,
                                        self.batch)
        starts = numpy.asarray(index.starts, dtype=numpy.int64)
        ends = starts + numpy.fromiter((len(t) for t in doc), dtype=numpy.int64, count=len(doc))
        index.vectors = token_vectors(pieces, p_start, p_end, starts, ends)
        return doc


# window 256: the length the model was fine-tuned at (scripts/train_accurate.py); batch 8 windows.
@Language.factory(FACTORY, default_config={"model_dir": "", "window": 256, "batch": 8, "threads": 1},
                  assigns=["doc._.ew_index"], requires=["doc.sents"])
def make_encoder(nlp: Language, name: str, model_dir: str, window: int, batch: int, threads: int) -> Encoder:
    return Encoder(name, load_encoder(Path(model_dir) if model_dir else MODEL_DIR, threads), window, batch)
