"""The one pronoun resolver: gender and number agreement, seen the same way by every layer."""

from __future__ import annotations

import pytest
from spacy.language import Language

from eventwire.nlp.docindex import index_of
from eventwire.nlp.entities import pronouns

pytestmark = pytest.mark.model


def test_she_links_to_the_woman_and_the_attribution_and_lookup_agree(nlp: Language) -> None:
    doc = nlp("Tomas Berg met Ana Ruiz in Oslo on Monday. She said the talks had failed.")
    she = next(t for t in doc if t.text == "She")
    link = pronouns.linked_entity(index_of(doc).entities(doc), she)
    assert link is not None and link.entity.name == "Ana Ruiz"
    (said,) = [a for a in doc._.ew_attributions if a.cue is not None and a.cue.text == "said"]
    assert said.source_entity == link.entity.id


def test_an_unlinked_he_falls_back_to_the_last_person_named(nlp: Language) -> None:
    doc = nlp("Ana Ruiz met Tomas Berg on Monday.")
    lookup = index_of(doc).entities(doc)
    berg = next(e for e in doc._.ew_entities if e.name == "Tomas Berg")
    assert pronouns.nearest_person(lookup, len(doc.text), 0) == berg.id
    assert pronouns.nearest_person(lookup, 0, 0) is None  # nobody is named before the first character


def test_pronoun_table_gives_gender_and_number() -> None:
    from eventwire.nlp.entities import gazetteer as gz

    she, they = gz.pronoun("She"), gz.pronoun("they")
    assert she is not None and she.gender == "f"
    assert they is not None and they.gender == "p"  # plural: an ORG only, never a person


def test_a_mistyped_closing_quote_opens_no_quotation_the_next_sentence_is_in(nlp: Language) -> None:
    # “criminals“ typed with an opening mark for the closing one: the quotation ends there
    # (quotes.find_quotes, the article's own quotations), so the next sentence's "he" is outside any quote
    # and links to Vey
    doc = nlp("When Tomas Vey announced his candidacy in June, he called the migrants “criminals“ while "
              "calling for a wall. A month later, he paid a visit to the border.")
    he = [t for t in doc if t.text == "he"][-1]
    link = pronouns.linked_entity(index_of(doc).entities(doc), he)
    assert link is not None and link.entity.name == "Tomas Vey"


def test_he_stands_for_the_unnamed_driver_not_a_man_named_earlier(nlp: Language) -> None:
    # the subject just before is a person the report leaves unnamed: "He" is the driver, not Dov Irr, and a
    # second "he" that stands for the first passes the driver on
    doc = nlp("Dov Irr, 62, died in the crash. The tram's driver was arrested on Wednesday. He was later "
              "released on bail. Police said he had been driving too fast.")
    he, he2 = [t for t in doc if t.lower_ == "he"]
    nominal = index_of(doc).nominal_antecedents
    assert doc[nominal[he.i]].text == "driver" and doc[nominal[he2.i]].text == "driver"
    assert pronouns.linked_entity(index_of(doc).entities(doc), he) is None


def test_an_office_or_an_epithet_is_no_unnamed_antecedent(nlp: Language) -> None:
    # "the senator" and "the New York businessman" are someone named, not someone the report leaves unnamed
    doc = nlp("Ana Brel met Tomas Vey on Monday. The New York businessman said he wants a deal. The senator "
              "said she was hopeful.")
    assert index_of(doc).nominal_antecedents == {}
