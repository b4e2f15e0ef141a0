from __future__ import annotations

import re
from pathlib import Path

import pytest

from eventwire.nlp.events import lexicon as events_lexicon
from eventwire.nlp.events import plover

SRC = Path(plover.__file__).resolve().parents[1]


def test_sixteen_types_with_quad_classes_and_definitions() -> None:
    types = plover.event_types()
    assert len(types) == 16
    assert len(set(plover.type_names())) == 16
    assert {t.quad for t in types} == {1, 2, 3, 4}
    assert all(t.definition.endswith(".") and len(t.definition) > 20 for t in types)
    assert all(m == m.upper() and " " not in m for t in types for m in t.modes)


def test_lookup_and_unknown_name() -> None:
    first = plover.event_types()[0]
    assert plover.event_type(first.name) is first
    assert plover.is_event_type(first.name)
    assert not plover.is_event_type(first.name.lower())
    with pytest.raises(KeyError, match="not a PLOVER event type"):
        plover.event_type("FIGHT")


def test_the_table_is_the_only_place_the_types_are_spelled() -> None:
    # Python sources and data files of the package; the plover*.tsv tables (the ontology and its trigger
    # lexicon, keyed by type) are where the names live.
    pattern = re.compile(r"\b(" + "|".join(plover.type_names()) + r")\b")
    offenders = []
    for path in sorted(SRC.rglob("*")):
        if (not path.is_file() or (path.name.startswith("plover") and path.suffix == ".tsv")
                or path.suffix not in {".py", ".tsv", ".json", ".txt"}):
            continue
        if path.name in {"model.json", "vetting.json", "speech.json"}:
            continue  # trained weights' metadata and feature names list the labels they were trained with
        hits = {m.group(1) for m in pattern.finditer(path.read_text(encoding="utf-8", errors="replace"))}
        if hits:
            offenders.append(f"{path.relative_to(SRC)}: {sorted(hits)}")
    assert not offenders, offenders


def test_constructions_name_known_types_and_match_on_children() -> None:
    table = events_lexicon.constructions()
    assert table and all(plover.is_event_type(c.type) or c.type == events_lexicon.NO_EVENT
                         for cs in table.values() for c in cs)
    call, *_ = table[("call", events_lexicon.VERB)]  # the demand first: "called on him to congratulate"
    assert call.type == "REQUEST" and call.matches([("prep", "on"), ("xcomp", "resign")])
    assert call.matches([("prep", "upon"), ("xcomp", "resign"), ("nsubj", "he")])
    assert not call.matches([("prep", "on"), ("pobj", "him")])  # "called on him": a visit, not a demand
    assert not call.matches([("prep", "for"), ("xcomp", "resign")])


def test_planned_as_maps_known_types_to_other_known_types() -> None:
    table = events_lexicon.planned_as()
    assert table
    assert all(plover.is_event_type(a) and plover.is_event_type(b) and a != b for a, b in table.items())


def test_a_word_in_its_other_sense_is_no_event() -> None:
    table = events_lexicon.constructions()
    (heart,) = table[("attack", events_lexicon.NOUN)]
    assert heart.type == events_lexicon.NO_EVENT and heart.matches([("compound", "heart")])
    assert not heart.matches([("amod", "terrorist")])
    (up,) = table[("shoot", events_lexicon.VERB)]
    assert up.type == events_lexicon.NO_EVENT and up.matches([("prt", "up")])
    assert not up.matches([("dobj", "him")])


def test_sharing_a_view_is_no_agreement_but_agreeing_to_act_is() -> None:
    # a "!" item: none of its alternatives may be among the word's children
    (view,) = events_lexicon.constructions()[("agree", events_lexicon.VERB)]
    assert view.type == events_lexicon.NO_EVENT
    assert view.matches([("prep", "with"), ("punct", ".")])  # "agreed with the analysis"
    assert not view.matches([("prep", "with"), ("xcomp", "hold")])  # "agreed with Gondor to hold talks"
    assert not view.matches([("prep", "with"), ("prep", "on")])  # "agreed with them on a ceasefire"
    assert not view.matches([("prep", "with"), ("ccomp", "be")])  # states' common position "... that ..."
    assert not view.matches([("xcomp", "meet")])


@pytest.mark.parametrize("verb", ["reject", "dismiss", "repudiate"])
def test_denying_what_someone_says_is_no_rejection_of_a_request(verb: str) -> None:
    (denial,) = events_lexicon.constructions()[(verb, events_lexicon.VERB)]
    assert denial.type == events_lexicon.NO_EVENT
    assert denial.matches([("dobj", "notion")]) and denial.matches([("dobj", "claims")])
    # a request, an offer or a proposal turned down is PLOVER's REJECT; an idea may be a proposal
    assert not denial.matches([("dobj", "offer")]) and not denial.matches([("dobj", "idea")])


def test_an_arrest_is_a_kept_construction_and_others_are_not() -> None:
    table = events_lexicon.constructions()
    (arrest,) = table[("arrest", events_lexicon.VERB)]
    assert arrest.type == "COERCE" and arrest.kept and arrest.matches([])
    custody = ("arrest", "detain", "hold", "release")
    assert not any(cx.kept for key, cxs in table.items() if key[0] not in custody for cx in cxs)
    # held or released only in custody's words: "held on suspicion", "released on bail", not "held on Friday"
    held = [cx for cx in table[("hold", events_lexicon.VERB)] if cx.kept]
    assert held and all(cx.type == "COERCE" for cx in held)
    assert any(cx.matches([("prep", "on"), ("prep", "on>suspicion")]) for cx in held)
    assert not any(cx.matches([("prep", "on"), ("prep", "on>friday")]) for cx in held)
    released = [cx for cx in table[("release", events_lexicon.VERB)] if cx.kept]
    assert released and any(cx.matches([("prep", "on"), ("prep", "on>bail")]) for cx in released)


def test_an_offer_is_an_agreement_only_of_something_to_agree_on() -> None:
    (offer,) = events_lexicon.constructions()[("offer", events_lexicon.VERB)]
    assert offer.matches([("dobj", "ceasefire")]) and offer.matches([("dobj", "concessions")])
    assert offer.matches([("dative", "counterpart"), ("dobj", "passage")])  # "offered him safe passage"
    assert offer.matches([("xcomp", "mediate")])  # "offered to mediate"
    # "offered his assessment", "offered advice": no agreement settled (the classifier and vetting decide)
    assert not offer.matches([("dobj", "assessment")]) and not offer.matches([("dobj", "advice")])


def test_announced_force_stands_and_an_announced_meeting_is_vetted() -> None:
    kept = events_lexicon.planned_kept()
    assert kept <= set(events_lexicon.planned_as())
    assert "ASSAULT" in kept and "CONSULT" not in kept


def test_a_construction_of_the_word_alone_always_matches() -> None:
    (warship,) = events_lexicon.constructions()[("warship", events_lexicon.NOUN)]
    assert warship.needs == () and warship.matches([])


def test_a_noun_construction_can_need_its_modifier() -> None:
    (operation,) = events_lexicon.constructions()[("operation", events_lexicon.NOUN)]
    assert operation.matches([("compound", "ground")]) and operation.matches([("amod", "military")])
    assert not operation.matches([("compound", "rescue")])


def test_a_call_to_congratulate_or_concede_is_a_phone_call() -> None:
    table = events_lexicon.constructions()[("call", events_lexicon.VERB)]

    def settled(children: list[tuple[str, str]]) -> str | None:
        return next((cx.type for cx in table if cx.matches(children)), None)

    assert settled([("nsubj", "he"), ("xcomp", "congratulate")]) == "CONSULT"
    assert settled([("dobj", "trump"), ("advcl", "concede")]) == "CONSULT"
    # "called on him to resign" asks, whatever else is in the sentence
    assert settled([("prep", "on"), ("xcomp", "resign")]) == "REQUEST"
    assert settled([("dobj", "meeting")]) is None
