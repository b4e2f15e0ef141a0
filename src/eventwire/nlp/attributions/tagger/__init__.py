"""The trained attribution role tagger: finds cue, source and content spans (the linker is elsewhere).

``add_to(nlp)`` adds the spaCy component "eventwire_attribution_roles" after "ner". It reads the small
pipeline's tok2vec output (``doc.tensor``) plus parse features and writes three span groups:
``doc.spans["attr_cue"]``, ``doc.spans["attr_source"]``, ``doc.spans["attr_content"]`` (labels CUE, SOURCE,
CONTENT; a discontinuous content is one span per piece).  Weights ship in this folder (``model.bin`` +
``model.json``); MODEL_CARD.md says how they were trained and how well they do.
"""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path
from typing import Any

import numpy
from spacy.attrs import LEMMA, LOWER, ORTH
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from threadpoolctl import ThreadpoolController

from eventwire.nlp.attributions import lexicon as lex
from eventwire.nlp.attributions.tagger.features import sentence_lengths, token_features, token_vectors
from eventwire.nlp.attributions.tagger.network import ROLES, bio_spans, build_network, role_scores
from eventwire.nlp.fastops import use_matmul

__all__ = ["FACTORY", "GROUPS", "MODEL_DIR", "AttributionRoles", "add_to", "candidate_sentences",
           "load_model", "merge_fragments", "receptive_field", "save_model"]

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).resolve().parent
FACTORY = "eventwire_attribution_roles"
GROUPS: dict[str, str] = {role: f"attr_{role}" for role in ROLES}
_WEIGHTS = "model.bin"
_META = "model.json"
_warned: list[bool] = []


def save_model(model: Any, meta: dict[str, Any], directory: Path) -> None:
    """Write the weights and their description (network config, scores) to ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / _WEIGHTS).write_bytes(model.to_bytes())
    (directory / _META).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def load_model(directory: Path = MODEL_DIR) -> tuple[Any, dict[str, Any]] | None:
    """The trained network and its metadata from ``directory``, or None when no weights are there."""
    weights, meta_path = directory / _WEIGHTS, directory / _META
    if not weights.is_file() or not meta_path.is_file():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    model = build_network(**meta["network"])
    model.from_bytes(weights.read_bytes())
    return model, meta


class AttributionRoles:
    """Tags every token with a BIO tag per role and writes the three role span groups.

    With ``gate`` on, the network runs only on the sentences :func:`candidate_sentences` keeps (plus a few
    context tokens each side, so the kept tokens see exactly the neighbours they see in a whole-doc pass);
    the other sentences get no role spans.  Off by default: on the bench corpus the gate keeps 87% of the
    tokens (99% with the adjacent sentences), saving ~1 of ~15 ms per article, and on the PolNeAR dev
    compartment it costs strict F1 source .677 -> .668, cue .654 -> .647, relation .595 -> .583: the tagger
    earns its keep on exactly the cues the lexicon lacks.
    """

    def __init__(self, name: str, model: Any, meta: dict[str, Any], merge_gap: int = 6,
                 o_weight: float = 0.6, gate: bool = False) -> None:
        self.name = name
        self.model = model
        self.meta = meta
        self.merge_gap = merge_gap
        # < 1 trades precision for recall: at 1.0 role spans have P > R (source .75/.53, cue .71/.57);
        # 0.6 gives source F1 .620 -> .629, cue .629 -> .633, content .342 -> .339 on the dev compartment
        self.o_weight = o_weight
        self.vec_width = int(meta["network"].get("vec_width", 96))
        self.features = int(meta.get("features", 1))
        self.gate = gate
        self.context = receptive_field(meta["network"])
        use_matmul(model)
        self._threads = ThreadpoolController()

    def __call__(self, doc: Doc) -> Doc:
        found: dict[str, list[Span]] = {role: [] for role in ROLES}
        if len(doc):
            tags = self.tags(doc)
            spans = {role: bio_spans(tags[:, r]) for r, role in enumerate(ROLES)}
            if self.merge_gap:
                spans["content"] = merge_fragments(doc, spans["content"], tags, self.merge_gap)
            for role in ROLES:
                label = role.upper()
                found[role] = [Span(doc, s, e, label=label) for s, e in spans[role]]
        for role in ROLES:
            doc.spans[GROUPS[role]] = found[role]
        return doc

    def tags(self, doc: Doc) -> Any:
        """``[len(doc), 3]`` BIO tags (0=O, 1=B, 2=I), a column per role; O outside the gated sentences."""
        n = len(doc)
        lengths = sentence_lengths(doc)
        keep = candidate_sentences(doc, lengths) if self.gate else numpy.ones(len(lengths), dtype=bool)
        tags = numpy.zeros((n, len(ROLES)), dtype="int64")
        if not keep.any():
            return tags
        vecs = token_vectors(doc, self.vec_width)
        feats = token_features(doc, self.features)
        if keep.all():
            rows, seg_lengths, kept = None, lengths, slice(None)
        else:
            rows, seg_lengths, kept = _gated_rows(lengths, keep, self.context)
            vecs, feats = vecs[rows], feats[rows]
        # one BLAS thread: every worker process has a core of its own, and OpenBLAS's idle threads spin
        with self._threads.limit(limits=1, user_api="blas"):
            logits = self.model.predict((vecs, feats, seg_lengths))
        probs = role_scores(logits)
        probs[:, :, 0] *= self.o_weight
        part = probs.argmax(axis=2)
        if rows is None:
            return part
        tags[rows[kept]] = part[kept]
        return tags


def receptive_field(network: dict[str, Any]) -> int:
    """Tokens each side a token's output depends on across sentence boundaries: the window layers'
    ``depth * window`` ("cnn", "hybrid"); the BiLSTM of "lstm"/"hybrid" stays inside its sentence."""
    if network.get("arch", "cnn") == "lstm":
        return 0
    return int(network.get("depth", 3)) * int(network.get("window", 1))


def _gated_rows(lengths: Any, keep: Any, context: int) -> tuple[Any, Any, Any]:
    """Rows of the doc to feed the network when only the ``keep`` sentences matter.

    Returns ``(rows, segment_lengths, kept)``: the token indexes to feed (each run of kept sentences with
    ``context`` tokens of its neighbours each side, runs merged where they touch), the lengths of the
    sequences the BiLSTM sees (every original sentence piece is its own sequence, as in a whole-doc pass)
    and a boolean mask over ``rows`` of the tokens whose outputs are exact (those in kept sentences).
    """
    n = int(lengths.sum())
    starts = numpy.concatenate([[0], numpy.cumsum(lengths)[:-1]])
    sent_kept = numpy.repeat(keep, lengths)
    wanted = sent_kept.copy()
    if context:
        # a token within ``context`` of a kept token is needed as context: dilate the mask both ways
        idx = numpy.flatnonzero(sent_kept)
        near = numpy.zeros(n + 1, dtype="int64")
        numpy.add.at(near, numpy.maximum(idx - context, 0), 1)
        numpy.add.at(near, numpy.minimum(idx + context + 1, n), -1)
        wanted = numpy.cumsum(near[:n]) > 0
    rows = numpy.flatnonzero(wanted)
    # a new sequence starts at an original sentence start or where the fed rows jump over skipped tokens
    is_start = numpy.zeros(n, dtype=bool)
    is_start[starts] = True
    seg_start = is_start[rows]
    seg_start[0] = True
    seg_start[1:] |= numpy.diff(rows) > 1
    seg_idx = numpy.flatnonzero(seg_start)
    seg_lengths = numpy.diff(numpy.append(seg_idx, len(rows))).astype("int32")
    return rows, seg_lengths, sent_kept[rows]


def merge_fragments(doc: Doc, spans: list[tuple[int, int]], tags: Any, max_gap: int) -> list[tuple[int, int]]:
    """Join content pieces split by a short gap of untagged tokens: a real discontinuous content is split by
    its cue or source ("The plan," he said, "is dead."), so a gap with neither, within one paragraph, is a
    tagging slip inside one content."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out:
            ps, pe = out[-1]
            gap = doc[pe:s]
            if (0 <= s - pe <= max_gap and not (tags[pe:s, 0] > 0).any() and not (tags[pe:s, 1] > 0).any()
                    and "\n" not in gap.text_with_ws):
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out


# Marks of reported speech besides a cue verb: quotation marks, "according (to)", a colon ("He added: ...").
_MARKS: tuple[str, ...] = ("\"", "'", "“", "”", "‘", "’", "«", "»", "‹", "›", "„", "‚", "according", ":")


@cache
def _gate_ids() -> tuple[Any, Any]:
    """Hashes of the cue lexicon's lemmas and of the marks (spaCy string hashes do not depend on a vocab)."""
    lemmas = numpy.array(sorted(get_string_id(w) for w in lex.cues()), dtype="uint64")
    marks = numpy.array(sorted(get_string_id(w) for w in _MARKS), dtype="uint64")
    return lemmas, marks


def candidate_sentences(doc: Doc, lengths: Any | None = None, adjacent: int = 0) -> Any:
    """A boolean per sentence: can it hold an attribution role?  Yes when it has a cue-lexicon lemma, a
    quotation mark, "according" or a colon, or lies within ``adjacent`` sentences of one that has."""
    if lengths is None:
        lengths = sentence_lengths(doc)
    if not len(doc):
        return numpy.zeros(len(lengths), dtype=bool)
    arr = doc.to_array([LEMMA, ORTH, LOWER])
    lemmas, marks = _gate_ids()
    hit = numpy.isin(arr[:, 0], lemmas) | numpy.isin(arr[:, 1], marks) | numpy.isin(arr[:, 2], marks)
    sent_id = numpy.repeat(numpy.arange(len(lengths)), lengths)
    keep = numpy.bincount(sent_id[hit], minlength=len(lengths)) > 0
    for _ in range(adjacent):
        keep = keep | numpy.concatenate([[False], keep[:-1]]) | numpy.concatenate([keep[1:], [False]])
    return keep


# merge_gap 6: on the dev compartment content strict F1 0.24 (no merging) -> 0.32 (3) -> 0.33 (6).
@Language.factory(FACTORY, default_config={"model_dir": "", "merge_gap": 6, "o_weight": 0.6, "gate": False},
                  assigns=["doc.spans"], requires=["doc.tensor", "token.dep", "token.lemma", "doc.sents"])
def make_attribution_roles(nlp: Language, name: str, model_dir: str, merge_gap: int,
                           o_weight: float, gate: bool) -> AttributionRoles:
    loaded = load_model(Path(model_dir) if model_dir else MODEL_DIR)
    if loaded is None:
        raise FileNotFoundError(f"no attribution role model in {model_dir or MODEL_DIR}: run "
                                "`make train-attributions` (needs the shared PolNeAR data)")
    return AttributionRoles(name, *loaded, merge_gap=merge_gap, o_weight=o_weight, gate=gate)


def add_to(nlp: Language) -> None:
    """Add the role tagger after "ner" (or last); log once and do nothing when no weights are shipped."""
    if FACTORY in nlp.pipe_names:
        return
    if not (MODEL_DIR / _WEIGHTS).is_file() or not (MODEL_DIR / _META).is_file():
        if not _warned:
            _warned.append(True)
            log.warning("attribution role model not found in %s: attributions are skipped", MODEL_DIR)
        return
    if "ner" in nlp.pipe_names:
        nlp.add_pipe(FACTORY, after="ner")
    else:
        nlp.add_pipe(FACTORY, last=True)
