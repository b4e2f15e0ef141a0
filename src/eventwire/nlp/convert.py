"""Doc → model objects: the only place spaCy types are turned into eventwire's own."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from eventwire.model import Attribution, CharSpan, Entity, Event, Sentence, TimeExpr
from eventwire.nlp.docindex import sentence_bounds

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
    text = doc.text
    sentences = tuple(Sentence(CharSpan.of(text, *_trim(text, s, e))) for s, e in sentence_bounds(doc))
    return DocParts(sentences=sentences, entities=tuple(doc._.ew_entities), times=tuple(doc._.ew_times),
                    attributions=tuple(doc._.ew_attributions), events=tuple(doc._.ew_events))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Sentence spans without surrounding white space (spaCy keeps trailing newlines in sentences).

    White-space-only "sentences" stay as empty spans so that the sentence indexes components use line up.
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
