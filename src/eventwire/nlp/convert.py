"""Doc → model objects: the only place spaCy types are turned into eventwire's own."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from eventwire.model import Attribution, Entity, Event, Sentence, TimeExpr
from eventwire.nlp.docindex import index_of

__all__ = ["DocParts", "doc_parts"]


@dataclass(frozen=True, slots=True)
class DocParts:
    sentences: tuple[Sentence, ...]
    entities: tuple[Entity, ...]
    times: tuple[TimeExpr, ...]
    attributions: tuple[Attribution, ...] = ()
    events: tuple[Event, ...] = ()


def doc_parts(doc: Doc) -> DocParts:
    """The sentences, entities, times, attributions and events of an analysed Doc, as spaCy-free objects."""
    sentences = tuple(Sentence(span) for span in index_of(doc).sentence_spans)
    return DocParts(sentences=sentences, entities=tuple(doc._.ew_entities), times=tuple(doc._.ew_times),
                    attributions=tuple(doc._.ew_attributions), events=tuple(doc._.ew_events))
