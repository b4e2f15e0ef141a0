"""The accurate profile's attribution role head: a linear BIO head per role on the shared encoder's vectors.

``eventwire_encoder_roles`` runs after the BiLSTM tagger (``eventwire_attribution_roles``) in the accurate
profile.  It writes the span groups of the roles in ``groups`` (``doc.spans["attr_<role>"]``; by default
only ``content``, which the content ranker reads) over the tagger's, and every token's probability of
being inside a source / cue / content into the per-article index (``doc._.ew_index.role_p``), which the
attribution layer uses to drop the attributions whose cue, and the sources, the head does not believe in
(attributions/veto.py).

Why the split, on PolNeAR dev strict F1 (source / cue / content / relation; 2-epoch head, see
nlp/encoder/MODEL_CARD.md): the head's spans for all three roles .655 / .629 / .545 / .589; the BiLSTM's
spans (= the fast profile) .703 / .658 / .541 / .611: the BiLSTM's cues fill the rules' gaps better; the
BiLSTM's cue and source spans, the head's content spans and the head's cue veto: .729 / .683 / .574 / .637;
with its source veto too .738 / .683 / .574 / .637.
The head (``heads.npz``) was trained with the encoder (scripts/train_accurate.py) and ships beside it in
nlp/encoder/; it reads ``doc._.ew_index.vectors``, which ``eventwire_encoder`` fills.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import numpy
from spacy.language import Language
from spacy.tokens import Doc, Span

from eventwire.errors import ModelError
from eventwire.nlp.attributions.tagger import GROUPS, merge_fragments
from eventwire.nlp.attributions.tagger.network import ROLES, bio_spans
from eventwire.nlp.docindex import index_of
from eventwire.nlp.encoder import MODEL_DIR

__all__ = ["FACTORY", "EncodedRoles", "load_head", "role_probabilities", "role_tags"]

FACTORY = "eventwire_encoder_roles"
_HEADS = "heads.npz"


@cache
def load_head(directory: Path = MODEL_DIR) -> tuple[Any, Any]:
    """The role head's ``(W [width, 9], b [9])``: logits for (role, O/B/I) in role-major order."""
    path = directory / _HEADS
    if not path.is_file():
        raise ModelError(f"no role head in {path}: run `make train-accurate SHARED=../shared`, "
                         "or set EVENTWIRE_PROFILE=fast")
    with numpy.load(path) as z:
        return z["roles_w"].astype(numpy.float32), z["roles_b"].astype(numpy.float32)


def role_probabilities(vectors: Any, head: tuple[Any, Any]) -> Any:
    """``[n, 3]`` float32: each token's probability of being inside a span (B or I), a column per role."""
    w, b = head
    logits = (vectors @ w + b).reshape(len(vectors), len(ROLES), 3)
    z = numpy.exp(logits - logits.max(axis=2, keepdims=True))
    return (1.0 - z[:, :, 0] / z.sum(axis=2)).astype(numpy.float32)


def role_tags(vectors: Any, head: tuple[Any, Any], joined: Any, o_weight: float = 1.0) -> Any:
    """``[n, 3]`` BIO tags (0=O, 1=B, 2=I), a column per role, from token vectors.

    ``joined[i]`` is true when token ``i`` follows token ``i-1`` with no space between: the encoder labelled
    every piece of a span's first *word* B, and one word can be two spaCy tokens ("gonna" -> "gon" "na"),
    so a B glued to a B continues the span instead of starting another.
    """
    w, b = head
    logits = (vectors @ w + b).reshape(len(vectors), len(ROLES), 3)
    if o_weight != 1.0:  # < 1 trades precision for recall (a softmax scale on O only)
        z = numpy.exp(logits - logits.max(axis=2, keepdims=True))
        z[:, :, 0] *= o_weight
        tags = z.argmax(axis=2)
    else:
        tags = logits.argmax(axis=2)
    glued = joined[1:, None] & (tags[1:] == 1) & (tags[:-1] > 0)
    tags[1:][glued] = 2
    return tags


class EncodedRoles:
    """Writes the span groups of ``groups`` from the encoder head's tags and the head's role probabilities
    into the index (see the module docstring)."""

    def __init__(self, name: str, head: tuple[Any, Any], merge_gap: int, o_weight: float,
                 groups: tuple[str, ...] = ROLES) -> None:
        unknown = set(groups) - set(ROLES)
        if unknown:
            raise ModelError(f"{name}: unknown role groups {sorted(unknown)} (known: {', '.join(ROLES)})")
        self.name = name
        self.head = head
        self.merge_gap = merge_gap
        self.o_weight = o_weight
        self.groups = groups

    def __call__(self, doc: Doc) -> Doc:
        index = index_of(doc)
        vectors = index.vectors
        found: dict[str, list[Span]] = {role: [] for role in ROLES}
        index.role_p = None
        if len(doc) and vectors is not None and len(vectors) == len(doc):
            index.role_p = role_probabilities(vectors, self.head)
            joined = numpy.fromiter((i > 0 and not doc[i - 1].whitespace_ for i in range(len(doc))),
                                    dtype=bool, count=len(doc))
            tags = role_tags(vectors, self.head, joined, self.o_weight)
            spans = {role: bio_spans(tags[:, r]) for r, role in enumerate(ROLES)}
            if self.merge_gap:
                spans["content"] = merge_fragments(doc, spans["content"], tags, self.merge_gap)
            for role in ROLES:
                label = role.upper()
                found[role] = [Span(doc, s, e, label=label) for s, e in spans[role]]
        for role in self.groups:
            doc.spans[GROUPS[role]] = found[role]
        return doc


# merge_gap 6 as the BiLSTM tagger's (a content split by a short untagged gap is one content); groups:
# only content (the module docstring gives the numbers)
@Language.factory(FACTORY, default_config={"model_dir": "", "merge_gap": 6, "o_weight": 1.0,
                                           "groups": ["content"]},
                  assigns=["doc.spans", "doc._.ew_index"], requires=["doc._.ew_index", "doc.sents"])
def make_encoded_roles(nlp: Language, name: str, model_dir: str, merge_gap: int,
                       o_weight: float, groups: list[str]) -> EncodedRoles:
    return EncodedRoles(name, load_head(Path(model_dir) if model_dir else MODEL_DIR), merge_gap, o_weight,
                        tuple(groups))
