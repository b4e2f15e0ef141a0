"""Attribution tables: cue verbs by class and the words that decide factuality (spaCy-free).

Read once from ``eventwire/data/attribution_cues.tsv`` and ``attribution_markers.json``.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache

from eventwire.model import AttributionKind, Factuality
from eventwire.nlp import tables

__all__ = ["Cue", "Markers", "cue_for", "cues", "markers"]


@dataclass(frozen=True, slots=True)
class Cue:
    lemma: str
    cls: str  # speech, allege, deny, confirm, belief, emotion, intention, cite
    kind: AttributionKind
    factuality: Factuality


@dataclass(frozen=True, slots=True)
class Markers:
    alleged: frozenset[str]
    speculated: frozenset[str]
    negation: frozenset[str]
    conditional: frozenset[str]
    passive_alleged: frozenset[str]
    passive_speculated: frozenset[str]
    # light verbs the role tagger marks as cues ("made the remarks", "took aim at"): on PolNeAR train such
    # cues were right 0-10% of the time (make 68, take 13, use 12, have 12 predictions)
    not_cue_verbs: frozenset[str]
    according_to: tuple[tuple[str, ...], ...]
    anonymous_heads: frozenset[str]
    anonymous_phrases: tuple[str, ...]
    addressee_verbs: frozenset[str]  # their object is who is spoken to, not what is said
    object_content_classes: frozenset[str]  # cue classes whose direct object may be the content
    not_sources: frozenset[str]  # "Image: ...", "Update: ..." are labels, not speakers
    credit_dashes: frozenset[str]  # “...” ― Name
    content_preps: frozenset[str]  # "described X as Y", "called for Y": prepositions whose object is said


@cache
def cues() -> dict[str, Cue]:
    """Cue verbs by lemma."""
    lines = tables.lines("attribution_cues.tsv")
    out: dict[str, Cue] = {}
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        out[row["lemma"]] = Cue(row["lemma"], row["class"], AttributionKind(row["kind"]),
                                Factuality(row["factuality"]))
    return out


def cue_for(lemma: str) -> Cue | None:
    return cues().get(lemma.lower())


@cache
def markers() -> Markers:
    raw = json.loads(tables.text("attribution_markers.json"))

    def words(key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in raw[key])

    return Markers(
        alleged=words("alleged"), speculated=words("speculated"), negation=words("negation"),
        conditional=words("conditional"), passive_alleged=words("passive_alleged"),
        passive_speculated=words("passive_speculated"), not_cue_verbs=words("not_cue_verbs"),
        according_to=tuple(tuple(p) for p in raw["according_to"]),
        anonymous_heads=words("anonymous_heads"),
        anonymous_phrases=tuple(p.lower() for p in raw["anonymous_phrases"]),
        addressee_verbs=words("addressee_verbs"), object_content_classes=words("object_content_classes"),
        not_sources=words("not_sources"), credit_dashes=frozenset(raw["credit_dashes"]),
        content_preps=words("content_preps"),
    )
