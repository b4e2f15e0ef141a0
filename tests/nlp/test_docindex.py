"""The per-article index: built once per Doc, kept where ``doc._.ew_index`` reads it."""

from __future__ import annotations

import spacy

from eventwire.model import CharSpan, Entity, Mention, MentionKind
from eventwire.nlp.docindex import EntityLookup, index_of
from eventwire.nlp.extensions import register_extensions


def test_the_index_is_built_once_and_is_doc_ew_index() -> None:
    register_extensions()
    doc = spacy.blank("en")("Ruiz said the ferry would run. It did not.")
    first = index_of(doc)
    assert index_of(doc) is first
    assert doc._.ew_index is first  # the fast look-up reads and writes spaCy's own extension slot
    assert first.text == doc.text


def test_an_index_set_through_the_extension_is_the_one_returned() -> None:
    register_extensions()
    nlp = spacy.blank("en")
    doc = nlp("A short text.")
    mine = index_of(nlp("Another text entirely."))
    doc._.ew_index = mine
    assert index_of(doc) is mine
    doc._.ew_index = None  # cleared: built again, from this Doc
    assert index_of(doc).text == "A short text."


def test_the_entity_lookup_finds_each_entitys_mentions_starting_in_a_range_in_its_own_order() -> None:
    text = "Ana Brel met Tomas Vey. Vey thanked Brel. Then I left."

    def at(word: str, nth: int = 0) -> CharSpan:
        i = -1
        for _ in range(nth + 1):
            i = text.index(word, i + 1)
        return CharSpan.of(text, i, i + len(word))

    brel = Entity(id="E1", type="PERSON", name="Ana Brel",
                  mentions=(Mention(at("Ana Brel")), Mention(at("Brel", 1))))
    vey = Entity(id="E2", type="PERSON", name="Tomas Vey",
                 mentions=(Mention(at("Tomas Vey")), Mention(at("Vey", 1)),
                           Mention(at("I"), kind=MentionKind.PRONOUN)))
    lookup = EntityLookup((brel, vey))
    second = text.index("Vey thanked")
    assert lookup.starting_in(second, text.index("Then")) == {"E2": [1], "E1": [1]}  # "Vey", "Brel"
    assert lookup.starting_in(second, len(text)) == {"E2": [1, 2], "E1": [1]}
    assert lookup.starting_in(len(text), len(text) + 9) == {}


def test_the_entity_lookup_lists_the_mentions_overlapping_a_range_as_a_scan_of_all_would() -> None:
    text = "Ana Brel met Tomas Vey. Vey thanked Brel. Then I left."
    spans = [(0, 8), (4, 8), (13, 22), (19, 22), (24, 27), (36, 40), (47, 48)]
    brel = Entity(id="E1", type="PERSON", name="Ana Brel",
                  mentions=tuple(Mention(CharSpan.of(text, s, e)) for s, e in spans[:2] + spans[5:6]))
    vey = Entity(id="E2", type="PERSON", name="Tomas Vey",
                 mentions=tuple(Mention(CharSpan.of(text, s, e)) for s, e in spans[2:5] + spans[6:]))
    lookup = EntityLookup((brel, vey))
    for lo in range(len(text) + 1):
        for hi in range(lo, len(text) + 2):
            scan = sorted((s, e) for s, e in spans if s < hi and lo < e)
            assert lookup.overlapping(lo, hi) == scan, (lo, hi)
