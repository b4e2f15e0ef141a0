"""The "eventwire_events" component on invented sentences (real small English pipeline + shipped weights)."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.model import Article, ArticleInput, Event, EventArg, Factuality
from eventwire.nlp.build import COMPONENTS
from eventwire.nlp.events import lexicon as events_lexicon
from eventwire.nlp.events.component import EventFinder
from eventwire.nlp.events.model import load_classifier
from eventwire.nlp.events.plover import event_type, is_event_type, type_names

pytestmark = pytest.mark.model

GOLDEN = Path(__file__).parents[2] / "data" / "golden" / "border-river-clash.txt"
needs_weights = pytest.mark.skipif(load_classifier() is None, reason="no event classifier weights shipped")


def analyse(analyzer: Any, text: str, published: str = "2031-06-09") -> Article:
    (article,) = analyzer.analyze([ArticleInput(text=text, source="test", published=published)])
    assert isinstance(article, Article)
    return article


def the_event(article: Article, trigger: str) -> Event:
    found = [e for e in article.events if e.trigger.text == trigger]
    assert found, [(e.type, e.trigger.text) for e in article.events]
    return found[0]


def target_of(article: Article, trigger: str) -> tuple[str, EventArg]:
    """The words and the argument of the target of the event with this trigger, which must have one."""
    target = the_event(article, trigger).target
    assert target is not None and target.span is not None, trigger
    return target.span.text, target


def test_registered_after_attributions() -> None:
    names = [name for name, _ in COMPONENTS]
    assert names.index("eventwire_events") == names.index("eventwire_attributions") + 1


@needs_weights
def test_attack_with_actor_target_place_date_and_deaths(analyzer: Any) -> None:
    text = ("Rebel fighters attacked an army convoy near Mosul on Saturday, killing 14 soldiers, "
            "officials said.")
    article = analyse(analyzer, text)
    event = the_event(article, "attacked")
    assert event.type == "ASSAULT" and event_type(event.type).quad == 4
    assert event.actor is not None and event.actor.span is not None
    assert "fighters" in event.actor.span.text and event.actor.sector == "REB"
    assert event.target is not None and event.target.span is not None and "convoy" in event.target.span.text
    assert event.date is not None and (event.date.value, event.date.source) == ("2031-06-07", "text")
    assert event.place is not None and event.place.precision == "place" and event.place.country == "IRQ"
    assert [(q.kind, q.low, q.high) for q in event.quantities] == [("fatalities", 14.0, 14.0)]
    assert event.factuality == Factuality.REPORTED and event.attribution is not None
    assert all(article.text[s.start:s.end] == s.text for s in event.spans())


@pytest.mark.parametrize(("text", "words", "name", "precision", "country"), [
    # a country's first-level subdivision (ISO 3166-2), with the word that may follow its name
    ("Protesters blocked a highway in Sindh province on Monday, officials said.",
     "Sindh", "Sindh", "admin1", "PAK"),
    # a part of a country is somewhere in it
    ("Government troops shelled villages in Northern Mali on Sunday, officials said.",
     "Northern Mali", "Northern Mali", "country", "MLI"),
    ("Government troops shelled villages in southern Mali on Sunday, officials said.",
     "southern Mali", "southern Mali", "country", "MLI"),
    # a city's name read among the countries the article names ...
    ("Thousands of people protested in Colombo on Sunday against fuel prices, Sri Lanka's police said.",
     "Colombo", "Colombo", "place", "LKA"),
    # ... and a subdivision's, where the city of that name lies in a country it does not name (California)
    ("Canadian police arrested twelve protesters in Ontario on Monday.",
     "Ontario", "Ontario", "admin1", "CAN"),
    # a region the news names otherwise than ISO 3166-2 (data/places_regions.tsv)
    ("Sudanese troops attacked villages in Darfur on Friday, officials said.",
     "Darfur", "Darfur", "admin1", "SDN"),
], ids=["subdivision", "part-of-country", "part-word", "city-in-article-country",
        "subdivision-over-foreign-town", "region"])
def test_a_place_is_placed_in_the_country_the_article_means(analyzer: Any, text: str, words: str, name: str,
                                                             precision: str, country: str) -> None:
    article = analyse(analyzer, text)
    placed = [e.place for e in article.events if e.place is not None]
    assert placed, article.events
    place = placed[-1]
    assert (place.name, place.precision, place.country) == (name, precision, country), place
    assert place.span is not None and place.span.text == words


@needs_weights
def test_negated_and_speculated_force_is_no_event(analyzer: Any) -> None:
    article = analyse(analyzer, "The navy did not attack the fishing boats. Analysts think the navy could "
                                "strike the port soon.")
    assert not [e for e in article.events if event_type(e.type).quad == 4]


@needs_weights
def test_at_sea_and_publication_date_fallback(analyzer: Any) -> None:
    article = analyse(analyzer, "Zorland jets bombed a cargo ship off Yemen.")
    event = the_event(article, "bombed")
    assert event.place is not None and event.place.precision == "water" and event.place.country == "YEM"
    assert event.place.span is not None and event.place.span.text == "off Yemen"
    # a publication day with no time of day tells the day before's news; an afternoon report its own day's
    assert event.date is not None and (event.date.value, event.date.source) == ("2031-06-08", "published")
    later = the_event(analyse(analyzer, "Zorland jets bombed a cargo ship off Yemen.",
                              published="2031-06-09T14:30:00"), "bombed")
    assert later.date is not None and (later.date.value, later.date.source) == ("2031-06-09", "published")


@needs_weights
def test_conditional_withdrawal_and_alleged_demand(analyzer: Any) -> None:
    article = analyse(analyzer, "The army will withdraw its troops from the border if the rebels release "
                                "the hostages. The rebel leader is said to have demanded the release of 40 "
                                "prisoners.")
    assert any(e.factuality == Factuality.CONDITIONAL for e in article.events if e.sentence == 0)
    alleged = [e for e in article.events if e.sentence == 1 and e.factuality == Factuality.ALLEGED]
    assert alleged and alleged[0].actor is not None and alleged[0].actor.sector == "REB"
    assert alleged[0].factuality_cues and alleged[0].factuality_cues[0].text == "is said to"


def test_no_parse_no_events(nlp: Any) -> None:
    doc = nlp.get_pipe("eventwire_events")(nlp.make_doc("Troops attacked the town."))
    assert doc._.ew_events == ()


@needs_weights
def test_golden_article(analyzer: Any) -> None:
    text = GOLDEN.read_text(encoding="utf-8")
    article = analyse(analyzer, text, published="2031-09-15")
    got = [{"type": e.type, "mode": e.mode, "trigger": e.trigger.text,
            "actor": e.actor.span.text if e.actor and e.actor.span else None,
            "target": e.target.span.text if e.target and e.target.span else None,
            "date": [e.date.value, e.date.source] if e.date else None,
            "place": [e.place.name, e.place.precision] if e.place else None,
            "quantities": [[q.kind, q.low, q.high, q.unit] for q in e.quantities],
            "factuality": str(e.factuality)} for e in article.events]
    assert all(is_event_type(e["type"]) for e in got)
    expected_path = GOLDEN.with_suffix(".events.json")
    if os.environ.get("EVENTWIRE_UPDATE_GOLDEN") or not expected_path.exists():
        expected_path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if not os.environ.get("EVENTWIRE_UPDATE_GOLDEN"):
            pytest.fail(f"wrote new golden file {expected_path.name}; review it and rerun")
    assert got == json.loads(expected_path.read_text(encoding="utf-8"))


@needs_weights
def test_a_construction_settles_the_type_beside_the_classifiers_reading(analyzer: Any) -> None:
    # "call ON someone TO do something" asks, even in a sentence that is also about a phone call
    article = analyse(analyzer, "The Zorland premier called on the rebel commander to surrender over the "
                                "phone.")
    assert the_event(article, "called").type == "REQUEST"
    offer = analyse(analyzer, "The governor offered the strikers a pay rise if they return to work.")
    event = the_event(offer, "offered")
    assert event.type == "AGREE" and event.factuality == Factuality.CONDITIONAL


@needs_weights
def test_a_condition_leaves_an_offer_standing_but_no_request(analyzer: Any) -> None:
    # a settled word under "if" is an event only where the condition is its terms (an offer, a threat)
    text = ("Senator Ana Brel spoke to farmers in Lirra on Monday. She said that, if elected, she would ask "
            "President Tomas Vey to lead the farm council. President Vey offered the rebels safe passage if "
            "they lay down their arms. The police said nothing more.")
    article = analyse(analyzer, text)
    assert not [e for e in article.events if e.trigger.text == "ask"], article.events
    offer = the_event(article, "offered")
    assert offer.type == "AGREE" and offer.factuality == Factuality.CONDITIONAL


@needs_weights
def test_a_noun_modifier_is_no_trigger(analyzer: Any) -> None:
    article = analyse(analyzer, "The army bought forty attack helicopters from Zorland.")
    assert all(e.trigger.text != "attack" for e in article.events)


def test_a_caption_line_is_cut_from_the_next_sentence_a_wrapped_line_is_not(nlp: Any) -> None:
    from eventwire.nlp.events.detect import line_break as _line_break

    def cuts(text: str) -> list[bool]:
        doc = nlp.make_doc(text)
        return [_line_break(doc, t.i, 0) for t in doc if "\n" in t.text]

    assert cuts("Photo: archive\nThe premier called on the rebels to surrender.") == [True]
    assert cuts("The premier spoke.\nThe rebels surrendered.") == [True]
    assert cuts("Rebel fighters in the northern hills of the province attacked\nan army convoy.") == [False]
    assert cuts("Rebels attacked.\n\nThe army fled.") == [True]


@needs_weights
def test_a_planned_meeting_is_an_agreement_to_meet(analyzer: Any) -> None:
    held = analyse(analyzer, "The Zorland foreign minister visited the capital of Gondor on Monday.")
    visit = the_event(held, "visited")
    assert visit.mode == "VISIT" and visit.type in events_lexicon.planned_as()
    article = analyse(analyzer, "The Zorland foreign minister will visit the capital of Gondor next month.")
    event = the_event(article, "visit")
    assert event.factuality == Factuality.PLANNED
    assert event.type == events_lexicon.planned_as()[visit.type]


@needs_weights
def test_force_announced_for_the_future_is_a_threat(analyzer: Any) -> None:
    article = analyse(analyzer, "Rebel fighters attacked an army convoy near Mosul on Saturday. The rebel "
                                "commander said his fighters would attack the airport next week.")
    done = [e for e in article.events if e.sentence == 0]
    planned = [e for e in article.events if e.sentence == 1]
    assert done and event_type(done[0].type).quad == 4
    assert planned and planned[0].factuality == Factuality.PLANNED
    assert planned[0].type == events_lexicon.planned_as()[done[0].type]


class _FixedClassifier:
    """Stands in for the trained model: the same probabilities for every sentence."""

    def __init__(self, probs: dict[str, float]) -> None:
        self.labels = type_names()
        rest = (1.0 - sum(probs.values())) / (len(self.labels) - len(probs))
        self._p = numpy.array([probs.get(lab, rest) for lab in self.labels])

    def classify(self, sent: Any) -> Any:
        return self._p


def finder_actor(nlp: Any, kind: str, text: str, trigger: str) -> str | None:
    """The actor's words of the one event the finder (every sentence read as ``kind``) triggers with
    ``trigger`` in ``text``, or None where it names none."""
    finder = EventFinder(_FixedClassifier({kind: 0.9}))  # type: ignore[arg-type]
    (event,) = [e for e in finder(nlp(text))._.ew_events if e.trigger.text == trigger]
    return event.actor.span.text if event.actor is not None and event.actor.span is not None else None


def test_the_main_verb_keeps_its_own_event_beside_a_better_scored_word_below_it(nlp: Any) -> None:
    doc = nlp("Zorland demanded that its trading partners refuse to recognise the new government.")
    finder = EventFinder(_FixedClassifier({"REJECT": 0.7, "REQUEST": 0.25}))  # type: ignore[arg-type]
    got = {(e.type, e.trigger.text) for e in finder(doc)._.ew_events}
    assert got == {("REJECT", "refuse"), ("REQUEST", "demanded")}
    quiet = EventFinder(_FixedClassifier({"REJECT": 0.85, "REQUEST": 0.1}))  # type: ignore[arg-type]
    assert {e.type for e in quiet(doc)._.ew_events} == {"REJECT"}


def test_a_construction_picks_its_word_before_another_type_takes_it_as_a_fallback(nlp: Any) -> None:
    # the classifier prefers a meeting and the sentence has no meeting word: before, the meeting took the main
    # verb "called" as its fallback trigger (a phone call) and the request settled by "called on ... to" lost
    # its word
    doc = nlp("Senator Ana Brel called on the justice ministry to review its procedures.")
    finder = EventFinder(_FixedClassifier({"CONSULT": 0.6, "REQUEST": 0.2}))  # type: ignore[arg-type]
    found = [(e.type, e.trigger.text) for e in finder(doc)._.ew_events]
    assert ("REQUEST", "called") in found and ("CONSULT", "called") not in found, found


def test_a_verb_joined_to_a_reported_clause_takes_the_reporter_when_the_clause_subject_disagrees(
        nlp: Any) -> None:
    # the parser makes "are probing" a conjunct of "was travelling"; "the vehicle" (singular) cannot be the
    # subject of "are" (plural): the investigators probe
    doc = nlp("Investigators said the vehicle was travelling at a high speed, and are probing whether the "
              "driver may have fallen asleep.")
    finder = EventFinder(_FixedClassifier({"ACCUSE": 0.9}))  # type: ignore[arg-type]
    (probe,) = [e for e in finder(doc)._.ew_events if e.trigger.text in ("probing", "are probing")]
    assert probe.actor is not None and probe.actor.span is not None
    assert probe.actor.span.text == "Investigators"


@pytest.mark.parametrize("text", ["At least two people have died in a suicide attack on the consulate.",
                                  "The mayor survived an ambush near the port."])
def test_whoever_suffers_a_noun_event_is_not_its_actor(nlp: Any, text: str) -> None:
    finder = EventFinder(_FixedClassifier({"ASSAULT": 0.9}))  # type: ignore[arg-type]
    (attack,) = [e for e in finder(nlp(text))._.ew_events if e.type == "ASSAULT"]
    assert attack.actor is None, attack.actor


@needs_weights
def test_a_possessive_time_dates_its_noun_not_the_clause(analyzer: Any) -> None:
    article = analyse(analyzer, "Senator Ana Brel blamed the election board for her defeat in Tuesday's "
                      "vote.", published="2031-06-14T20:00:00")
    blame = the_event(article, "blamed")
    assert blame.date is not None and blame.date.value == "2031-06-14", blame.date  # not Tuesday the 10th
    # the possessive dates the trigger's own subject: the attack was on Sunday
    article = analyse(analyzer, "Sunday's attack on the port killed three sailors.",
                      published="2031-06-14T20:00:00")
    (hit,) = [e for e in article.events if e.type == "ASSAULT"]
    assert hit.date is not None and hit.date.value == "2031-06-08", hit.date


@needs_weights
@pytest.mark.parametrize(("text", "trigger", "expected"), [
    # a participial or relative clause dates its own verb's happening: the founding, the adding, the electing
    ("Brel Holdings, a firm founded in 2009, was investigated by a parliamentary panel in 2024 over its "
     "grants.", "investigated", ("2024", "text")),
    ("Kestria's pledge last month to add 7,000 soldiers to its army by 2040 was warmly welcomed by Morvanian "
     "leaders.", "welcomed", ("2031-05", "text")),
    ("Senator Ana Brel, who was elected in 2019, accused the Kestrian government of fraud on Tuesday.",
     "accused", ("2031-06-10", "text")),
    # and a year on a noun, its thing's: with no other time, the labelled fallback rather than 2025
    ("The Rell campaign sent out an email with an image of the couple at Mr. Tamm's 2025 wedding, and "
     "accused Tamm allies of betrayal.", "accused", ("2031-06-14", "published")),
    # a clause of what came earlier dates that ("since Vey took office in 2019")
    ("Thousands of farmers protested in Lirra, the largest protest since Tomas Vey took office in 2019.",
     "protested", ("2031-06-14", "published")),
    # and a gerund a preposition holds dates its own happening ("asked about his calling her ... last week")
    ("Asked about Vey's calling her a traitor last week, Senator Ana Brel blamed Vey for the unrest.",
     "blamed", ("2031-06-14", "published")),
])
def test_a_time_that_dates_another_happening_does_not_date_the_event(analyzer: Any, text: str, trigger: str,
                                                                     expected: tuple[str, str]) -> None:
    event = the_event(analyse(analyzer, text, published="2031-06-14T20:00:00"), trigger)
    assert event.date is not None and (event.date.value, event.date.source) == expected, event.date


@needs_weights
def test_what_something_is_said_in_dates_the_saying_wherever_the_parser_hangs_it(analyzer: Any) -> None:
    # the parser hangs "in an interview on Tuesday" on the gerund "lying": the interview is still where the
    # accusing was done, so its day is the accusing's (a gerund's own time stays its own, above)
    text = "Senator Ana Brel accused Tomas Vey of lying in an interview on Tuesday."
    event = the_event(analyse(analyzer, text, published="2031-06-14T20:00:00"), "accused")
    assert event.date is not None, event
    assert (event.date.value, event.date.source) == ("2031-06-10", "text"), event.date


@needs_weights
def test_the_toll_an_attack_noun_is_told_with_is_that_attack_and_its_day(analyzer: Any) -> None:
    # "the attacks [that killed] ... on Friday night": the killing is the attack, its day the attack's (a
    # clause of another verb on the noun stays that verb's: "an inquiry that had closed in May", above);
    # without the clause's day, the article's own Sunday
    text = ("Ministers met in Lirra on Sunday. The Varn militia claimed the coordinated attacks that killed "
            "31 people in the capital on Friday night. The city mourned its dead.")
    article = analyse(analyzer, text, published="2031-06-16T20:00:00")
    attacks = the_event(article, "attacks")
    assert attacks.date is not None and (attacks.date.value, attacks.date.source) == ("2031-06-13", "text")


@needs_weights
def test_a_time_the_grammar_gives_another_happening_does_not_date_a_saying(analyzer: Any) -> None:
    # the speech stage reads offsets only; the clause on "use" dates the loss, not the accusing
    text = ("Mara Lin's feud with the senator started last week when Ana Brel, in response to Lin's use of a "
            "crude word to describe her loss to Dov Irr in 2008, accused her of sexism. The senators were "
            "pleased. The talks went on for hours.")
    article = analyse(analyzer, text, published="2031-12-31T20:00:00")
    accused = [e for e in article.events if e.trigger.text == "accused"]
    assert accused and all(e.date is not None and not e.date.value.startswith("2008") for e in accused), \
        [e.date for e in accused]


@needs_weights
@pytest.mark.parametrize(("text", "trigger", "actor"), [
    ("Police in Lirra arrested two Varn gunmen for the attack on the border post.", "attack", "gunmen"),
    ("The foreign ministry condemned the Varn militia, which it blamed for the bombing of the market.",
     "bombing", "Varn militia"),
])
def test_who_is_blamed_or_arrested_for_a_noun_event_did_it(nlp: Any, text: str, trigger: str,
                                                            actor: str) -> None:
    from eventwire.nlp.docindex import index_of
    from eventwire.nlp.events.roles import responsible_actor

    doc = nlp(text)
    (tok,) = [t for t in doc if t.text == trigger]
    held = responsible_actor(tok, index_of(doc).entities(doc))
    assert held is not None and held.span is not None and actor in held.span.text, held
    # the clause's subject, who blames or arrests, is never returned; a noun no such verb holds gets nothing
    plain = nlp("The Varn militia carried out the bombing of the market.")
    (other,) = [t for t in plain if t.text == "bombing"]
    assert responsible_actor(other, index_of(plain).entities(plain)) is None


@needs_weights
@pytest.mark.parametrize(("span", "days"), [("a day", 1), ("two days", 2), ("hours", 0)])
def test_a_clause_of_what_came_a_span_earlier_is_dated_that_much_earlier(analyzer: Any, span: str,
                                                                         days: int) -> None:
    # "marched on Saturday, [a day after] police arrested ...": the arrest was on the Friday
    text = (f"Thousands of farmers marched through Lirra on Saturday, {span} after police arrested three "
            "union leaders. The Zorland interior ministry defended the arrests.")
    article = analyse(analyzer, text, published="2031-06-16T20:00:00")
    marched, arrested = the_event(article, "marched"), the_event(article, "arrested")
    assert marched.date is not None and arrested.date is not None
    gap = date.fromisoformat(marched.date.value) - date.fromisoformat(arrested.date.value)
    assert gap.days == days, (marched.date, arrested.date)


def test_a_noun_construction_yields_to_the_verb_it_belongs_to_and_to_a_sure_classifier(nlp: Any) -> None:
    posted = nlp("The Zorland navy has set up a base with warships off Gondor.")
    unsure = EventFinder(_FixedClassifier({"COOPERATE": 0.6, "MOBILIZE": 0.1}))  # type: ignore[arg-type]
    (mobilised,) = [e for e in unsure(posted)._.ew_events if e.trigger.text == "warships"]
    # "has set up" happened: a phrasal verb is no planned marker as "is set to attack" is
    assert mobilised.type == "MOBILIZE" and mobilised.factuality == Factuality.ASSERTED
    sure = EventFinder(_FixedClassifier({"COOPERATE": 0.9, "MOBILIZE": 0.01}))  # type: ignore[arg-type]
    assert "MOBILIZE" not in {e.type for e in sure(posted)._.ew_events}
    attacked = nlp("Rebel boats attacked two warships off Gondor.")
    finder = EventFinder(_FixedClassifier({"ASSAULT": 0.6, "MOBILIZE": 0.1}))  # type: ignore[arg-type]
    assert "MOBILIZE" not in {e.type for e in finder(attacked)._.ew_events}


@needs_weights
def test_announced_operations_are_a_threat_by_whoever_announces_them(analyzer: Any) -> None:
    text = ("Zorland's defence minister Ana Brell said that ground operations in the north would be "
            "imminent. These military operations are highly controversial.")
    article = analyse(analyzer, text)
    (threat,) = [e for e in article.events if e.trigger.text == "operations"]
    assert threat.sentence == 0 and threat.factuality == Factuality.PLANNED
    assert event_type(threat.type).quad == 3 and threat.attribution is not None
    assert threat.actor is not None and threat.actor.span is not None and "minister" in threat.actor.span.text


# announced acts are vetted like any candidate, not kept whatever vetting scores them: "will hold a news
# conference" is someone's own plans, no agreement to meet; "will seize on", "will block" are figures of
# speech, no threat
ANNOUNCED = [
    ("Senator Ana Brel will hold a news conference in Lirra on Tuesday. She will speak at the party "
     "convention next week. The convention opens on Monday with 2,000 delegates. Tickets sold out in "
     "an hour, the organisers said.", "AGREE"),
    ("Mayor Ana Brel said her rivals will seize on the budget figures. The opposition will block the "
     "new parking plan, she added. The council meets again on Monday. The budget runs to 40 pages.",
     "THREATEN"),
    # force announced in words no construction settles as force: a campaign promise, someone's known attacks
    ("Senator Ana Brel told the rally in Lirra that she will fight for every family in the city. Her aides "
     "are preparing for the governor's attack on the school budget. The rally drew 2,000 people on Monday. "
     "The budget runs to 40 pages.", "THREATEN"),
]


@needs_weights
@pytest.mark.parametrize(("text", "kind"), ANNOUNCED, ids=["schedule", "figure-of-speech", "force-in-words"])
def test_an_announced_act_is_vetted(analyzer: Any, text: str, kind: str) -> None:
    article = analyse(analyzer, text)
    found = [(e.type, e.trigger.text) for e in article.events]
    assert not [k for k, _ in found if k == kind], found


@needs_weights
def test_a_conjoined_clause_holds_no_target_of_the_first(analyzer: Any) -> None:
    # "praised the rescue teams and said [the national government] would send ...": the government is in a
    # clause of its own, not the one praised
    article = analyse(analyzer, "President Ana Brel praised the rescue teams and said the national "
                                "government would send 200 soldiers to the province.")
    praise = the_event(article, "praised")
    assert praise.target is None or praise.target.span is None or "government" not in praise.target.span.text


@needs_weights
def test_a_pronoun_target_is_named(analyzer: Any) -> None:
    # the analyst reads whom it was done to by name, as for a pronoun actor; the entity stays linked
    article = analyse(analyzer, "Minister Tomas Vey lost the vote on Monday. Police arrested him in the "
                                "capital on Tuesday.")
    words, target = target_of(article, "arrested")
    assert words == "Minister Tomas Vey" and target.name == "Tomas Vey"


@needs_weights
def test_taking_a_place_by_force_is_an_assault_and_seizing_goods_is_not(analyzer: Any) -> None:
    article = analyse(analyzer, "LIRRA, Kestria - Rebels captured the town of Irr on Tuesday after heavy "
                                "fighting, officials said. Police seized a laptop and cash from a house in "
                                "Dov. The United Nations called for an immediate ceasefire.")
    captured = the_event(article, "captured")
    assert captured.type == "ASSAULT" and captured.target is not None and captured.target.name == "Irr"
    assert not any(e.trigger.text == "seized" and e.type == "ASSAULT" for e in article.events)


@needs_weights
def test_recalling_an_envoy_cuts_ties_and_is_no_saying(analyzer: Any) -> None:
    # "recalled" read as remembering aloud made a rejection of it besides: one act, the sanction
    article = analyse(analyzer, "LIRRA, Kestria - Kestria recalled its ambassador from Varn on Monday in "
                                "protest at the shelling, the foreign ministry said. Varn withdrew its envoy "
                                "from Lirra a day later. The United Nations called for calm.")
    assert {e.type for e in article.events if e.trigger.text == "recalled"} == {"SANCTION"}
    assert the_event(article, "withdrew").type == "SANCTION"


@needs_weights
def test_a_pronoun_for_someone_the_report_leaves_unnamed_is_told_by_those_words(analyzer: Any) -> None:
    # "He" is the driver, not the victim named before him; "him" the gunman
    article = analyse(analyzer, "Dov Irr, 62, died in the crash. The tram's driver was arrested on "
                                "suspicion of manslaughter. He was later released on bail.")
    words, released = target_of(article, "released")
    assert words.endswith("driver") and released.entity is None
    article = analyse(analyzer, "Police said the gunman opened fire at a rally in Lirra on Sunday. "
                                "He attacked two guards before officers arrested him.")
    assert target_of(article, "arrested")[0].endswith("gunman")
    # guards are people an attack is aimed at (data/event_sectors.tsv), not the officers after them
    words, attacked = target_of(article, "attacked")
    assert words == "two guards" and attacked.sector == "COP"


@needs_weights
def test_someone_the_report_leaves_unnamed_is_whom_an_act_is_done_to(analyzer: Any) -> None:
    # no name and no sector: the gunman and the suspect are whom the arrests are aimed at
    article = analyse(analyzer, "Police in Lirra arrested the gunman on Tuesday after a chase. Officers also "
                                "detained a suspect who helped him. The minister praised the officers.")
    assert target_of(article, "arrested")[0].endswith("gunman")
    assert target_of(article, "detained")[0].endswith("suspect")
    # only as what the act is done to: a gunman who is where it happens is none
    article = analyse(analyzer, "Ana Brel met Tomas Vey on Tuesday near the spot where a gunman died.")
    met = the_event(article, "met")
    assert met.target is not None and met.target.span is not None and met.target.span.text == "Tomas Vey"


# the first sentence shares or denies a view (no event); the second is an act (its event, where given): the
# governments agree to act (test_plover.py shows the constructions), an offer is turned down
VIEWS = [
    ("Former President Tomas Vey agreed with the analysis of the election. Gondor agreed with Morvania to "
     "hold talks in Lirra next month.", None),
    ("Governor Tomas Vey rejected the notion that he was part of the establishment. Gondor rejected "
     "Morvania's offer of talks on Monday.", ("REJECT", "rejected", 1)),
]


@needs_weights
@pytest.mark.parametrize(("text", "act"), VIEWS, ids=["agreed-with", "rejected-the-notion"])
def test_sharing_or_denying_a_view_is_no_event(analyzer: Any, text: str, act: tuple[str, str, int] | None
                                               ) -> None:
    article = analyse(analyzer, text)
    found = [(e.type, e.trigger.text, e.sentence) for e in article.events]
    assert not [f for f in found if f[2] == 0], found
    assert [f for f in found if f[2] == 1], found
    assert act is None or act in found, found


# an arrest stands whoever makes it (the report often names nobody); a conditional one does not
ARRESTS = [
    ("The tram's driver was arrested on suspicion of manslaughter on Tuesday. The tram came off the rails on "
     "a sharp bend in Lirra. Seven passengers were taken to hospital. Services resumed on Wednesday.", True),
    ("If the driver is arrested, the union will strike. The tram came off the rails on a sharp bend in "
     "Lirra. Seven passengers were taken to hospital. Services resumed on Wednesday.", False),
]


@needs_weights
@pytest.mark.parametrize(("text", "found"), ARRESTS, ids=["arrested", "if-arrested"])
def test_an_arrest_stands_without_a_named_actor(analyzer: Any, text: str, found: bool) -> None:
    article = analyse(analyzer, text)
    arrests = [e for e in article.events if e.type == "COERCE" and e.trigger.text == "arrested"]
    assert bool(arrests) is found, [(e.type, e.trigger.text) for e in article.events]


CUSTODY = ("A tram came off the rails on a sharp bend in Lirra on Wednesday, killing seven passengers. "
           "The 42-year-old driver, from Vessa, is being held on suspicion of manslaughter, Lirra police "
           "said. The 42-year-old man from Vessa was released on bail on Thursday. Talks on the tram "
           "network's safety were held on Friday.")


@needs_weights
def test_a_suspect_held_and_released_is_the_states_act_on_him(analyzer: Any) -> None:
    # held on suspicion, released on bail: stand whatever vetting says (as an arrest does), done to the
    # suspect (a release's passive subject is whom it frees, data/event_passive_targets.txt); talks held
    # on a day detain nobody
    article = analyse(analyzer, CUSTODY)
    held = the_event(article, "held")
    assert held.type == "COERCE" and held.target is not None and held.target.span is not None
    assert "driver" in held.target.span.text
    # an arrest's mode (held on suspicion, in custody): the police who report it made it
    assert held.mode == "ARREST" and held.actor is not None and held.actor.span is not None
    assert held.actor.span.text.endswith("police")
    released = the_event(article, "released")
    assert released.type == "RETREAT" and released.target is not None and released.target.span is not None
    assert released.target.span.text.endswith("man")
    assert not [e for e in article.events if e.type == "COERCE" and e.trigger.start > CUSTODY.index("Talks")]


@needs_weights
@pytest.mark.parametrize(("text", "actor"), [
    # whoever tells of a protest, or is near it, did not protest
    ("Lirra police revealed on Wednesday that they are investigating a shooting close to the protest against "
     "Governor Tomas Vey.", None),
    ("Singer Ana Brel staged a protest against Governor Tomas Vey outside his office on Wednesday.",
     "Ana Brel"),
    ("The council ordered patrols in Lirra on Wednesday after violent protests by Kestrian groups against "
     "Governor Tomas Vey.", "Kestrian groups"),
], ids=["near-it", "staged", "by-groups"])
def test_a_protest_is_by_whoever_its_own_phrase_names(analyzer: Any, text: str, actor: str | None) -> None:
    protest = the_event(analyse(analyzer, text), "protest" if "protest " in text else "protests")
    assert protest.type == "PROTEST"
    got = protest.actor.span.text if protest.actor is not None and protest.actor.span is not None else None
    assert (got is None) if actor is None else (got is not None and got.endswith(actor)), got
    assert protest.target is None or protest.target.span is None or "police" not in protest.target.span.text


@needs_weights
def test_a_trigger_word_in_its_other_sense_is_no_event(analyzer: Any) -> None:
    # "held a lead", "shot up", "a heart attack": no meeting, no shooting, no assault
    text = ("Senator Ana Brel held a 26-delegate advantage going into the vote. The odds in her favour have "
            "shot up this week. Her father died of a heart attack in 1990.")
    article = analyse(analyzer, text)
    found = [(e.type, e.trigger.text) for e in article.events]
    assert not [t for _, t in found if t in ("held", "shot", "attack")], found


@pytest.mark.parametrize(("text", "kind", "words"), [
    ("Senator Ana Brel is holding an election night press conference in Lirra.", "CONSULT",
     ("holding", "conference")),
    ("Governor Tomas Vey closed out his northern tour with a rally in Lirra.", "COERCE", ("closed",)),
    ("Senator Ana Brel was beaten in the party primary in 2028 by Tomas Vey.", "ASSAULT", ("beaten",)),
    ("Governor Tomas Vey captured the nomination in Lirra on Monday.", "COERCE", ("captured",)),
    ("President Ana Brel expressed frustration that the allies did too little.", "SUPPORT", ("expressed",)),
    ("The crowd in Lirra cheered when Governor Tomas Vey arrived.", "PROTEST", ("cheered",)),
    ("The Kestrian embassy signed a lease for a new building in Lirra.", "AGREE", ("signed",)),
    ("At a rally in Lirra, Senator Ana Brel unveiled a plan for the bridges.", "REJECT", ("unveiled",)),
    ("Farmers in Lirra said they fear the premier will sign the trade deal.", "CONCEDE", ("fear",)),
    ("Senator Ana Brel refused to speak to reporters as she left the hall.", "REJECT", ("refused",)),
    ("During a press call with reporters on Monday, the Vey campaign said it would appeal.", "CONSULT",
     ("call",)),
    ("No plan is perfect, the minister said when asked about the northern bridges.", "REQUEST", ("asked",)),
    # in charge of something is responsible for it, no charge brought ("head:in" in the table)
    ("Ana Brel, the official in charge of the Kestrian port inquiry, resigned on Monday.", "ACCUSE",
     ("charge",)),
    # an election or a ceremony held meets no one
    ("The Zorland presidential election was held on Tuesday.", "CONSULT", ("held",)),
    ("Kestria held a referendum on the new constitution in May.", "CONSULT", ("held",)),
], ids=["press-conference", "closed-out", "beaten-in-primary", "captured-nomination", "frustration",
        "cheered", "lease", "unveiled", "fear", "refused-to-speak", "press-call", "when-asked",
        "in-charge-of", "election-held", "referendum-held"])
def test_a_trigger_word_in_a_construction_of_another_sense_is_no_event(nlp: Any, text: str, kind: str,
                                                              words: tuple[str, ...]) -> None:
    finder = EventFinder(_FixedClassifier({kind: 0.9}))  # type: ignore[arg-type]
    found = [(e.type, e.trigger.text) for e in finder(nlp(text))._.ew_events]
    assert not [t for _, t in found if t in words], found


def test_reneging_on_a_commitment_rejects_it(nlp: Any) -> None:
    # "renege" is a trigger word of its own: a sentence whose only other candidate is ruled out (an election
    # "held") still has its rejection
    finder = EventFinder(_FixedClassifier({"REJECT": 0.9}))  # type: ignore[arg-type]
    doc = nlp("President Tomas Vey has reneged on his commitment to the Zorland people for holding elections "
              "under a new constitution.")
    assert ("REJECT", "reneged") in [(e.type, e.trigger.text) for e in finder(doc)._.ew_events]


def test_joining_someone_onstage_backs_them(nlp: Any) -> None:
    # a surrogate who joins a candidate on a stage supports them; no cooperation, whatever the sentence reads
    finder = EventFinder(_FixedClassifier({"COOPERATE": 0.5, "SUPPORT": 0.4}))  # type: ignore[arg-type]
    for text in ("Senator Ana Brel joined Governor Tomas Vey onstage at a rally in Lirra on Monday.",
                 "Ana Brel joined Tomas Vey onstage for the first time at a Lirra rally."):
        found = [(e.type, e.trigger.text) for e in finder(nlp(text))._.ew_events]
        assert ("SUPPORT", "joined") in found and ("COOPERATE", "joined") not in found, found


def test_a_subject_outside_the_sentence_is_no_actor(nlp: Any) -> None:
    # a timestamp line run together with the next sentence, which the parser makes a second subject of its
    # verb: the sentence's own subject is the actor
    finder = EventFinder(_FixedClassifier({"CONSULT": 0.9}))  # type: ignore[arg-type]
    doc = nlp("According to a report, the envoy called on him to quit. But he had demands of his own.\n"
              "06/11/2031, 07:4506/11/2031, 07:52\n"
              "Tomas Vey recently spoke on the phone with Kestrian ruler Ana Brel.")
    (call,) = [e for e in finder(doc)._.ew_events if e.trigger.text in ("spoke", "phone")]
    assert call.actor is not None and call.actor.span is not None and "Vey" in call.actor.span.text


def test_a_dateline_the_parser_makes_a_second_subject_is_no_actor(nlp: Any) -> None:
    # "WASHINGTON (AP) — X and Y pledged ...": the parser makes the dateline's city one subject and the
    # sentence's own subject another; the one before the dash is the dateline, never the actor
    finder = EventFinder(_FixedClassifier({"AGREE": 0.9}))  # type: ignore[arg-type]
    doc = nlp("WASHINGTON (AP) — Governor Anna Lund and House Speaker Tom Marsh pledged to work together "
              "despite their differences after a meeting on Thursday.")
    assert [t.text for t in doc if t.dep_ == "nsubj"] == ["WASHINGTON", "Lund"]  # the misparse this is about
    (pledge,) = [e for e in finder(doc)._.ew_events if e.trigger.text == "pledged"]
    assert pledge.actor is not None and pledge.actor.span is not None, pledge
    assert "Lund" in pledge.actor.span.text and "WASHINGTON" not in pledge.actor.span.text


def test_a_meeting_between_two_parties_is_theirs_whoever_the_clause_subject(nlp: Any) -> None:
    # "that effort fell short after a [meeting] between X and Y": X met Y; the effort did nothing
    finder = EventFinder(_FixedClassifier({"CONSULT": 0.9}))  # type: ignore[arg-type]
    doc = nlp("But that effort fell short after a long meeting on Monday between Governor Ana Brel and "
              "President Tomas Vey of Kestria.")
    (meeting,) = [e for e in finder(doc)._.ew_events if e.trigger.text == "meeting"]
    assert meeting.actor is not None and meeting.actor.span is not None, meeting
    assert meeting.target is not None and meeting.target.span is not None, meeting
    assert "Brel" in meeting.actor.span.text and "Vey" not in meeting.actor.span.text, meeting.actor
    assert "Vey" in meeting.target.span.text, meeting.target


@pytest.mark.parametrize(("text", "trigger", "actor"), [
    ("More than fifty security experts issued an open letter denouncing Governor Tomas Vey's record.",
     "denouncing", "experts"),
    ("Senator Ana Brel's speech denouncing Governor Tomas Vey drew a large crowd.", "denouncing", "Ana Brel"),
    ("On Monday a letter denouncing Governor Tomas Vey reached the council.", "denouncing", None),
], ids=["issued-letter", "possessor", "nobody-named"])
def test_a_letter_or_a_speech_is_its_authors_act(nlp: Any, text: str, trigger: str,
                                                 actor: str | None) -> None:
    got = finder_actor(nlp, "ACCUSE", text, trigger)
    assert (actor in got if actor is not None and got is not None else got is actor), got


def test_clashes_that_broke_out_between_two_sides_are_their_assault(nlp: Any) -> None:
    # read as a protest, the sentence once took "broke" for its trigger and the clashes for its actor; the
    # "between" phrase hangs on the verb, and its sides are a plural noun and a word for a body
    finder = EventFinder(_FixedClassifier({"PROTEST": 0.9, "ASSAULT": 0.5}))  # type: ignore[arg-type]
    doc = nlp("Violent clashes broke out between anti-war campaigners and police across Kestria on Monday.")
    (clashes,) = [e for e in finder(doc)._.ew_events if e.trigger.text == "clashes"]
    assert clashes.type == "ASSAULT"
    assert clashes.actor is not None and clashes.actor.span is not None, clashes
    assert clashes.target is not None and clashes.target.span is not None, clashes
    assert (clashes.actor.span.text, clashes.target.span.text) == ("anti-war campaigners", "police")


def test_ramming_a_vehicle_into_something_is_an_attack(nlp: Any) -> None:
    # "ram" is no trigger word alone ("rammed the bill through"); ramming into something attacks it
    finder = EventFinder(_FixedClassifier({"ASSAULT": 0.9}))  # type: ignore[arg-type]
    doc = nlp("A suicide bomber rammed a truck into the Kestrian consulate in Lirra on Thursday.")
    (rammed,) = [e for e in finder(doc)._.ew_events if e.trigger.text == "rammed"]
    assert rammed.type == "ASSAULT"
    assert rammed.target is not None and rammed.target.span is not None
    assert "consulate" in rammed.target.span.text


@pytest.mark.parametrize(("text", "target"), [
    # what the attack answers is no target: "a revenge attack [for] Kestrian airstrikes"
    ("The Varnak Front called it a revenge attack for Kestrian airstrikes in the province.", None),
    ("Varnak rebels attacked the army post in retaliation for the arrest of Tomas Vey.", "army post"),
    # where the verb that tells of a noun event did it: "carried out the attack last week [in] Lirra"
    ("The Varnak Front said it carried out the attack last week in Lirra province.", None),
    # a place the act itself was aimed at, with nothing else named, stays its target
    ("Zorland troops fired at targets in Lirra.", "Lirra"),
], ids=["revenge-for", "retaliation-for", "carried-out-in", "fired-at-targets-in"])
def test_a_motive_or_the_telling_verbs_place_is_no_target(nlp: Any, text: str, target: str | None) -> None:
    finder = EventFinder(_FixedClassifier({"ASSAULT": 0.9}))  # type: ignore[arg-type]
    (event,) = [e for e in finder(nlp(text))._.ew_events if e.type == "ASSAULT"]
    found = event.target.span.text if event.target is not None and event.target.span is not None else None
    assert (found is None) if target is None else (found is not None and target in found), found


def test_a_body_whose_noun_event_it_is_acts_whoever_the_clause_subject(nlp: Any) -> None:
    # "Brel defended [the FBI]'s probe ...": the probe is the bureau's, not the one speaking of it
    finder = EventFinder(_FixedClassifier({"ACCUSE": 0.9}))  # type: ignore[arg-type]
    doc = nlp("Ana Brel defended the FBI's probe into Senator Tomas Vey's emails on Monday.")
    (probe,) = [e for e in finder(doc)._.ew_events if e.trigger.text == "probe"]
    assert probe.actor is not None and probe.actor.span is not None and probe.actor.span.text == "FBI", probe


@pytest.mark.parametrize(("text", "actor"), [
    ("The opposition parties agree that the tax should go. They denounced the Kestrian finance ministry on "
     "Monday.", "opposition parties"),
    ("Take Senators Ana Brel and Tomas Vey. Last week, they denounced the Kestrian finance ministry.",
     "Ana Brel and Tomas Vey"),
], ids=["plural-subject", "coordination"])
def test_they_is_the_plural_subject_of_the_sentence_before(nlp: Any, text: str, actor: str) -> None:
    # a "they" the entities layer links to nobody (it links names one by one): the sentence before's plural
    # subject, or its coordinated names
    finder = EventFinder(_FixedClassifier({"ACCUSE": 0.9}))  # type: ignore[arg-type]
    (event,) = [e for e in finder(nlp(text))._.ew_events if e.trigger.text == "denounced"]
    assert event.actor is not None and event.actor.span is not None, event
    assert actor in event.actor.span.text, event.actor.span.text


@needs_weights
def test_a_call_with_someone_is_a_meeting_with_them(analyzer: Any) -> None:
    # "a conference call WITH top donors": a conversation (never a demand), and whoever it is with is the
    # other party, though "donors" names no sector
    text = ("Governor Tomas Vey blamed the electoral commission for his defeat in the regional election. "
            "During a conference call with top donors on Saturday, Mr Vey said the commission's late "
            "announcement had stopped his momentum. \"We were winning until then,\" he said.")
    call = the_event(analyse(analyzer, text), "call")
    assert call.type == "CONSULT"
    assert call.actor is not None and call.actor.name == "Tomas Vey"
    assert call.target is not None and call.target.span is not None and call.target.span.text == "top donors"


@pytest.mark.parametrize(("text", "kind", "word", "found"), [
    # speaking or talking is a conversation only with (to, by phone with) someone
    ("Speaking at a press conference on Monday, Governor Tomas Vey said the border would stay open.",
     "CONSULT", "Speaking", False),
    ("Governor Tomas Vey spoke about the border at length on Monday.", "CONSULT", "spoke", False),
    ("Governor Tomas Vey spoke with President Lora Brel on Monday.", "CONSULT", "spoke", True),
    ("Governor Tomas Vey spoke to President Lora Brel by phone on Monday.", "CONSULT", "spoke", True),
    ("Governor Tomas Vey talks about his years as a prosecutor in every speech.", "CONSULT", "talks", False),
    # a show hosted, a rally held or a cause held dear meets nobody
    ("Governor Tomas Vey is hosting a new radio show on Sundays.", "CONSULT", "hosting", False),
    ("Governor Tomas Vey held rallies across the province last week.", "CONSULT", "held", False),
    ("Governor Tomas Vey held talks with President Lora Brel last week.", "CONSULT", "held", True),
    # a relative clause's object is the noun it qualifies: "the office he has held" is "held office"
    ("The highest office Governor Tomas Vey has held was a seat on the Lirra council.", "CONSULT", "held",
     False),
    ("Ana Brel hosted the Lirra film awards in 2007.", "CONSULT", "hosted", False),
    # speaking to an audience addresses it; speaking to relatives or a minister meets them
    ("Governor Tomas Vey spoke to voters in Lirra on Monday.", "CONSULT", "spoke", False),
    ("Governor Tomas Vey talked to reporters outside the palace.", "CONSULT", "talked", False),
    ("Governor Tomas Vey spoke to relatives of the victims on Monday.", "CONSULT", "spoke", True),
    # nor does another word of its sentence stand in for the word ruled out
    ("Pressed about the border, Governor Tomas Vey just starts talking about football.", "CONSULT", "starts",
     False),
    # walking is a protest only out or off ("a man [walked] into the party with a firearm")
    ("Dock workers walked out on Monday over unpaid wages.", "PROTEST", "walked", True),
    ("A man walked into the office party with a shotgun on Friday.", "PROTEST", "walked", False),
    ("The gunman then walked down the hall toward the partner's office.", "PROTEST", "walked", False),
], ids=["speaking-at", "spoke-about", "spoke-with", "spoke-to", "talks-about", "hosting-show", "held-rallies",
        "held-talks", "office-held", "hosted-awards", "spoke-to-voters", "talked-to-reporters",
        "spoke-to-relatives", "starts-talking-about",
        "walked-out", "walked-into", "walked-down"])
def test_a_meeting_or_protest_word_in_its_other_sense_is_none(
        nlp: Any, text: str, kind: str, word: str, found: bool) -> None:
    finder = EventFinder(_FixedClassifier({kind: 0.9}))  # type: ignore[arg-type]
    events = finder(nlp(text))._.ew_events
    assert any(e.trigger.text == word for e in events) is found, [(e.type, e.trigger.text) for e in events]


@pytest.mark.parametrize(("text", "conditional"), [
    ("Ana Brel said it would have been fair had Tomas Vey congratulated her on the vote.", True),
    ("Should Morvania attack the port, Kestria will respond.", True),
    ("Tomas Vey had congratulated Ana Brel on the vote before the count ended.", False),
], ids=["had-inverted", "should-inverted", "had-perfect"])
def test_a_condition_without_if_is_conditional(nlp: Any, text: str, conditional: bool) -> None:
    finder = EventFinder(_FixedClassifier({"SUPPORT": 0.5, "ASSAULT": 0.5}))  # type: ignore[arg-type]
    events = [e for e in finder(nlp(text))._.ew_events if e.trigger.text in ("congratulated", "attack")]
    assert events, text
    assert (events[0].factuality == Factuality.CONDITIONAL) is conditional, events[0].factuality


class _WordClassifier:
    """Stands in for the trained model: a protest wherever "protests" is read without "killed", else an
    attack, so that a clause read alone differs from its sentence."""

    def __init__(self) -> None:
        self.labels = type_names()

    def classify(self, span: Any) -> Any:
        words = {t.lower_ for t in span}
        kind = "PROTEST" if "protests" in words and "killed" not in words else "ASSAULT"
        return numpy.array([0.9 if lab == kind else 0.1 / (len(self.labels) - 1) for lab in self.labels])


_AFTER = " The army said nothing more. The city was quiet on Sunday."


@pytest.mark.parametrize(("text", "found"), [
    ("The strikes killed several children and triggered impassioned protests in the city." + _AFTER, True),
    # a lone sentence keeps the finder's sentence reading (its thresholds were tuned on such sentences)
    ("The strikes killed several children and triggered impassioned protests in the city.", False),
    # a happening named by its date is one the article recalls
    ("The strikes killed several children and revived the 2029 protests in the city." + _AFTER, False),
], ids=["whole-article", "lone-sentence", "named-by-its-date"])
def test_another_clause_of_a_sentence_is_read_alone(nlp: Any, text: str, found: bool) -> None:
    finder = EventFinder(_WordClassifier(), clause=0.5)  # type: ignore[arg-type]
    got = {(e.type, e.trigger.text) for e in finder(nlp(text))._.ew_events}
    assert ("ASSAULT", "killed") in got
    assert (("PROTEST", "protests") in got) is found, got
    # off by default outside the factory, and only for the types data/event_clause_types.txt lists
    assert ("PROTEST", "protests") not in {(e.type, e.trigger.text)
                                           for e in EventFinder(_WordClassifier())(nlp(text))._.ew_events}
    assert "PROTEST" in events_lexicon.clause_types() and "CONSULT" not in events_lexicon.clause_types()


@pytest.mark.parametrize(("text", "kind", "word"), [
    ("Progressive groups that have endorsed Senator Ana Brel are worried about the vote.", "SUPPORT",
     "endorsed"),
    ("On Sunday Ana Brel won the endorsement of Governor Tomas Vey.", "SUPPORT", "endorsement"),
    ("Leaders who denounced Governor Tomas Vey's views are worried about the vote.", "ACCUSE", "denounced"),
    ("Farmers who asked Governor Tomas Vey to reopen the bridge are worried about the vote.", "REQUEST",
     "asked"),
    ("Delegates who booed Governor Tomas Vey are worried about the vote.", "PROTEST", "booed"),
], ids=["relative-clause", "noun", "denounce", "ask-to", "boo"])
def test_a_word_of_one_sense_is_its_type_whatever_the_sentence_is_read_as(nlp: Any, text: str, kind: str,
                                                                          word: str) -> None:
    # the classifier reads the sentence as another type and the clause alone under its threshold: the word
    # settles its own type
    finder = EventFinder(_FixedClassifier({"COERCE": 0.6, kind: 0.1}))  # type: ignore[arg-type]
    got = {(e.type, e.trigger.text) for e in finder(nlp(text))._.ew_events}
    assert (kind, word) in got, got


class _EndorsingClassifier:
    """A meeting for any sentence with "met" in it; support for a clause with "endorsed" and no "met"."""

    def __init__(self) -> None:
        self.labels = type_names()

    def classify(self, span: Any) -> Any:
        words = {t.lower_ for t in span}
        kind = "SUPPORT" if "endorsed" in words and "met" not in words else "CONSULT"
        return numpy.array([0.9 if lab == kind else 0.1 / (len(self.labels) - 1) for lab in self.labels])


def test_an_endorsement_in_a_relative_clause_is_read_on_its_own(nlp: Any) -> None:
    # the sentence is read as the meeting; the endorsement its relative clause tells is an event too
    text = "In Lirra, Ana Brel met a popular governor who had endorsed Tomas Vey." + _AFTER
    got = {(e.type, e.trigger.text) for e in EventFinder(_EndorsingClassifier(), clause=0.5)(  # type: ignore[arg-type]
        nlp(text))._.ew_events}
    assert ("CONSULT", "met") in got and ("SUPPORT", "endorsed") in got, got


@pytest.mark.parametrize(("text", "main", "kind", "word"), [
    ("Later Ana Brel met Tomas Vey in Lirra, where Brel pledged to work closely with the council.",
     "CONSULT", "AGREE", "pledged"),
    ("Ana Brel has pledged her government's full cooperation with the council.", "SUPPORT", "AGREE",
     "pledged"),
    ("Ana Brel hit out at Tomas Vey over the budget.", "ASSAULT", "ACCUSE", "hit"),
    ("Ana Brel pleaded with the council to reopen the bridge.", "SUPPORT", "REQUEST", "pleaded"),
    ("Kestria opened the border crossing to let grain through.", "AID", "RETREAT", "opened"),
], ids=["in-a-clause-of-another-type", "the-sentence-read-as-another-type", "hit-out-at", "plead-with",
        "open-a-crossing"])
def test_a_word_its_construction_settles_is_an_event_of_that_type_only(nlp: Any, text: str, main: str,
                                                                       kind: str, word: str) -> None:
    # a pledge to work together is an agreement whatever the sentence was read as; the word is never the
    # sentence's other type as a stand-in trigger ("pledged her full cooperation" is no support)
    finder = EventFinder(_FixedClassifier({main: 0.9}), clause=0.5)  # type: ignore[arg-type]
    got = {(e.type, e.trigger.text) for e in finder(nlp(text + _AFTER))._.ew_events}
    assert (kind, word) in got and (main, word) not in got, got
    # a lone sentence keeps its sentence reading
    lone = {(e.type, e.trigger.text) for e in finder(nlp(text))._.ew_events}
    assert (kind, word) not in lone, lone


@pytest.mark.parametrize("text", [
    "Ana Brel called Tomas Vey a liar at the rally.",
    "Ana Brel called Tomas Vey's budget a disgrace.",  # what someone did, named harshly
    "Ana Brel called Tomas Vey a \u201csleepwalker\u201d at the rally.",  # an epithet VADER has no score for
], ids=["named-harshly", "what-someone-did-named-harshly", "a-quoted-epithet"])
def test_naming_someone_harshly_is_an_accusation_besides_the_words_other_reading(nlp: Any, text: str) -> None:
    # the classifier reads "called" as a phone call; the naming is an accusation whatever it says, in a
    # whole article (a lone sentence keeps its sentence reading)
    finder = EventFinder(_FixedClassifier({"CONSULT": 0.9}), clause=0.5)  # type: ignore[arg-type]
    got = {(e.type, e.trigger.text) for e in finder(nlp(text + _AFTER))._.ew_events}
    assert ("ACCUSE", "called") in got, got
    lone = {(e.type, e.trigger.text) for e in finder(nlp(text))._.ew_events}
    assert ("ACCUSE", "called") not in lone, lone


def test_a_naming_the_sentence_already_read_as_an_accusation_is_one_candidate(nlp: Any) -> None:
    finder = EventFinder(_FixedClassifier({"ACCUSE": 0.9}), clause=0.5)  # type: ignore[arg-type]
    doc = finder(nlp("Ana Brel called Tomas Vey a liar." + _AFTER))
    got = [(e.type, e.trigger.text) for e in doc._.ew_events]
    assert got.count(("ACCUSE", "called")) == 1, got


def test_a_naming_the_speech_stage_found_too_is_told_once(nlp: Any, monkeypatch: Any) -> None:
    # the speech act ("had called", with its attribution) stands for the finder's naming reading of "called"
    from dataclasses import replace

    from eventwire.model import CharSpan
    from eventwire.nlp.events import component

    doc = nlp("Ana Brel had called Tomas Vey a liar at the rally." + _AFTER)
    finder = EventFinder(_FixedClassifier({"CONSULT": 0.9}), clause=0.5)  # type: ignore[arg-type]
    events = list(finder(doc)._.ew_events)
    naming = next(e for e in events if (e.type, e.trigger.text) == ("ACCUSE", "called"))
    start = doc.text.index("had called")
    act = replace(naming, trigger=CharSpan.of(doc.text, start, start + len("had called")))
    monkeypatch.setattr(component, "speech_events", lambda *args: [act])
    monkeypatch.setattr(finder, "speech", object())
    named = frozenset({naming.trigger.start})
    told = [(e.type, e.trigger.text) for e in finder._speech(doc, events, frozenset(), named)]
    assert told.count(("ACCUSE", "had called")) == 1 and ("ACCUSE", "called") not in told, told
    kept = [(e.type, e.trigger.text) for e in finder._speech(doc, events, frozenset())]
    assert ("ACCUSE", "called") in kept, kept  # only a naming gives way


@pytest.mark.parametrize("text", [
    "Ana Brel called the meeting a disgrace.",  # a thing of nobody's: no one is accused
    "Ana Brel called it a \u201cgrim turning point\u201d on Monday.",
    "Ana Brel called Tomas Vey a good friend.",  # warm, not harsh
    "Ana Brel called Tomas Vey on Monday.",  # no name given: the classifier's call
], ids=["a-thing", "it", "warm", "no-name"])
def test_naming_is_an_accusation_only_when_harsh_and_given_to_someone(nlp: Any, text: str) -> None:
    finder = EventFinder(_FixedClassifier({"CONSULT": 0.9}), clause=0.5)  # type: ignore[arg-type]
    got = {(e.type, e.trigger.text) for e in finder(nlp(text + _AFTER))._.ew_events}
    assert ("ACCUSE", "called") not in got, got


@needs_weights
def test_welcoming_a_visitor_hosts_them(analyzer: Any) -> None:
    # a meeting; welcoming a decision is not one
    hosted = analyse(analyzer, "President Ana Brel welcomed a delegation of Kestrian ministers to the palace "
                               "in Lirra on Monday." + _AFTER)
    assert "CONSULT" in {e.type for e in hosted.events if e.trigger.text == "welcomed"}, hosted.events
    approved = analyse(analyzer, "President Ana Brel welcomed the decision of Prime Minister Tomas Vey to "
                                 "reopen the border on Monday." + _AFTER)
    assert "CONSULT" not in {e.type for e in approved.events if e.trigger.text == "welcomed"}


@pytest.mark.parametrize(("text", "actor", "target"), [
    ("President Ana Brel and Prime Minister Tomas Vey met in Lirra.", "President Ana Brel",
     "Prime Minister Tomas Vey"),
    ("The president and the premier met in Lirra.", "president", "premier"),
    # the other side named by "with" stays the target; the subject's list stays the actor
    ("Ana Brel and her aides met with Tomas Vey in Lirra.", "Ana Brel and her aides", "Tomas Vey"),
    ("Ana Brel and her aides met Tomas Vey in Lirra.", "Ana Brel and her aides", "Tomas Vey"),
    # a credit in brackets that the parser makes a second subject is neither side
    ("The talks ran late. (The Lirra Post) President Ana Brel and Prime Minister Tomas Vey met for the first "
     "time Thursday.", "President Ana Brel", "Prime Minister Tomas Vey"),
], ids=["two-names", "two-roles", "with-companion", "an-object", "bracketed-credit"])
def test_a_symmetric_event_of_two_joined_parties_is_a_dyad(nlp: Any, text: str, actor: str,
                                                           target: str) -> None:
    finder = EventFinder(_FixedClassifier({"CONSULT": 0.9}))  # type: ignore[arg-type]
    (met,) = [e for e in finder(nlp(text))._.ew_events if e.trigger.text == "met"]
    assert met.actor is not None and met.actor.span is not None and met.target is not None
    assert met.target.span is not None
    assert (met.actor.span.text, met.target.span.text) == (actor, target)


_CLAUSES = ("The strikes killed several children and triggered impassioned protests in the city.",
            "Police arrested twelve students after protests in Lirra.",
            "The army said nothing more.",
            "Governor Tomas Vey criticised the ministry and the rebels attacked a convoy near Kestria.",
            "Crowds protested outside the palace while troops killed two men on the bridge.",
            "The city was quiet on Sunday.")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(_CLAUSES), min_size=3, max_size=6))
def test_each_word_triggers_one_event_at_most_and_events_keep_text_order(nlp: Any,
                                                                         sentences: list[str]) -> None:
    # whatever the sentences around it, a clause read alone never gives a word a second event
    finder = EventFinder(_WordClassifier(), clause=0.5)  # type: ignore[arg-type]
    events = finder(nlp(" ".join(sentences)))._.ew_events
    triggers = [(e.trigger.start, e.trigger.end) for e in events]
    assert len(triggers) == len(set(triggers)), [(e.type, e.trigger.text) for e in events]
    assert [(e.sentence, e.trigger.start) for e in events] == sorted((e.sentence, e.trigger.start)
                                                                     for e in events)


@pytest.mark.parametrize(("text", "kind", "found"), [
    # declining to comment withholds a statement: no rejection
    ("Governor Tomas Vey declined to comment on the border talks.", "REJECT", False),
    ("Governor Tomas Vey refused to say whether the border would reopen.", "REJECT", False),
    ("Governor Tomas Vey refused to release the detained fishermen.", "REJECT", True),
    # publishing frees nobody; holding a post occupies nothing
    ("The ministry released 5,500 more pages of emails on Thursday.", "RETREAT", False),
    ("The rebels released two hostages on Thursday.", "RETREAT", True),
    ("For decades the Brel family occupied an elevated position in Lirra.", "PROTEST", False),
    ("Students occupied the main square in Lirra on Sunday.", "PROTEST", True),
], ids=["declined-to-comment", "refused-to-say", "refused-to-release", "released-pages", "released-hostages",
        "occupied-position", "occupied-square"])
def test_a_construction_rules_out_a_word_in_its_other_sense(nlp: Any, text: str, kind: str,
                                                            found: bool) -> None:
    finder = EventFinder(_FixedClassifier({kind: 0.9}))  # type: ignore[arg-type]
    events = finder(nlp(text))._.ew_events
    assert any(e.type == kind for e in events) is found, [(e.type, e.trigger.text) for e in events]


def test_what_an_amount_counts_settles_a_construction(nlp: Any) -> None:
    # "froze [$40 million] in [aid]": what was frozen is aid, a sanction even where the classifier reads the
    # sentence as another type; "froze $40 million in prices" settles nothing
    finder = EventFinder(_FixedClassifier({"COOPERATE": 0.9, "SANCTION": 0.06}))  # type: ignore[arg-type]
    frozen = finder(nlp("The European Union froze $40 million in aid to Morvania."))._.ew_events
    assert "SANCTION" in {e.type for e in frozen}
    other = finder(nlp("The European Union froze $40 million in prices for Morvania."))._.ew_events
    assert "SANCTION" not in {e.type for e in other}


@pytest.mark.parametrize(("text", "noun", "actor"), [
    # the police answer the blast: who set it off only its own phrase says
    ("Police cordoned off the street after the blast in Lirra.", "blast", None),
    ("Soldiers sealed the border following the attack by Varnak rebels.", "attack", "Varnak rebels"),
    # a fight the subject was in is theirs
    ("Varnese forces retook the village after fierce fighting with rebels.", "fighting", "Varnese forces"),
], ids=["answered", "answered-named", "fought"])
def test_an_attack_the_clause_answers_is_not_its_subjects(nlp: Any, text: str, noun: str,
                                                          actor: str | None) -> None:
    found = finder_actor(nlp, "ASSAULT", text, noun)
    assert found == actor or (actor is not None and found is not None and actor in found), found


def test_sealing_off_a_place_coerces_and_sealing_a_deal_agrees(nlp: Any) -> None:
    finder = EventFinder(_FixedClassifier({"AGREE": 0.5, "COERCE": 0.3}))  # type: ignore[arg-type]
    off = finder(nlp("Security forces sealed off the area around the market."))._.ew_events
    assert [(e.type, e.trigger.text) for e in off] == [("COERCE", "sealed")]
    deal = finder(nlp("Ana Brel sealed the deal with the union on Friday."))._.ew_events
    assert [(e.type, e.trigger.text) for e in deal] == [("AGREE", "sealed")]


@pytest.mark.parametrize(("text", "actor"), [
    # the attacks are what the questioning was about: the senator did not attack
    ("Senator Ana Brel answered angry questioning on the September attacks on the border posts.", None),
    # who claims responsibility for an attack did it; a time of the clause is no phrase of another noun
    ("The Northern Front claimed responsibility for the attack on the border posts.", "Northern Front"),
    ("The rebels held the border town after five days of heavy fighting.", "rebels"),
], ids=["about-it", "claimed", "days-of"])
def test_a_noun_event_inside_another_nouns_phrase_is_not_the_clause_subjects(
        nlp: Any, text: str, actor: str | None) -> None:
    noun = next(w for w in ("attacks", "attack", "fighting") if f" {w} " in text or text.endswith(f" {w}."))
    found = finder_actor(nlp, "ASSAULT", text, noun)
    if actor is None:
        assert found is None, found
    else:
        assert found is not None and actor in found, found


def test_a_verb_whose_preposition_names_the_target(nlp: Any) -> None:
    # "blamed her defeat in the Kestrian election ON interventions by the police chief" blames the chief, not
    # Kestria (data/event_target_preps.tsv)
    finder = EventFinder(_FixedClassifier({"ACCUSE": 0.9}))  # type: ignore[arg-type]
    doc = nlp("Senator Ana Brel blamed her defeat in the Kestrian election on interventions by the police "
              "chief.")
    (blame,) = [e for e in finder(doc)._.ew_events if e.trigger.text == "blamed"]
    assert blame.target is not None and blame.target.span is not None
    assert "police chief" in blame.target.span.text, blame.target.span.text


@pytest.mark.parametrize(("text", "trigger", "target"), [
    ("Gunmen attacked the consulate in Lirra.", "attacked", "consulate"),
    ("Rebels launched an attack on the convoy near Lirra.", "attack", "convoy"),
], ids=["object", "noun-on"])
def test_a_building_or_convoy_attacked_is_the_target_not_the_town(nlp: Any, text: str, trigger: str,
                                                                   target: str) -> None:
    finder = EventFinder(_FixedClassifier({"ASSAULT": 0.9}))  # type: ignore[arg-type]
    (attack,) = [e for e in finder(nlp(text))._.ew_events if e.trigger.text == trigger]
    assert attack.target is not None and attack.target.span is not None
    assert target in attack.target.span.text, attack.target.span.text


def test_the_people_a_building_holds_are_the_target(nlp: Any) -> None:
    finder = EventFinder(_FixedClassifier({"ASSAULT": 0.9}))  # type: ignore[arg-type]
    doc = nlp("A temporary camp for Kestrian refugees was attacked by militiamen near Lirra.")
    (attack,) = [e for e in finder(doc)._.ew_events if e.trigger.text == "attacked"]
    assert attack.target is not None and attack.target.span is not None
    assert "refugees" in attack.target.span.text, attack.target.span.text


def test_a_building_where_people_meet_is_no_target(nlp: Any) -> None:
    finder = EventFinder(_FixedClassifier({"CONSULT": 0.9}))  # type: ignore[arg-type]
    (met,) = [e for e in finder(nlp("Ana Brel met Tomas Vey at the consulate in Lirra."))._.ew_events
              if e.trigger.text == "met"]
    assert met.target is not None and met.target.span is not None and "Vey" in met.target.span.text


@pytest.mark.parametrize(("text", "kind", "trigger", "target"), [
    ("Senator Ana Brel accused spy agencies of hiding the report.", "ACCUSE", "accused", "agencies"),
    ("Governor Tomas Vey pleaded with voters in the north to turn out.", "REQUEST", "pleaded", "voters"),
    ("Ana Brel met privately without any officials in the room.", "CONSULT", "met", None),
], ids=["plural-object", "preposition", "without"])
def test_a_word_for_people_or_a_body_is_a_target_unless_it_is_who_was_not_there(
        nlp: Any, text: str, kind: str, trigger: str, target: str | None) -> None:
    finder = EventFinder(_FixedClassifier({kind: 0.9}))  # type: ignore[arg-type]
    (event,) = [e for e in finder(nlp(text))._.ew_events if e.trigger.text == trigger]
    found = event.target.span.text if event.target is not None and event.target.span is not None else None
    if target is None:
        assert found is None or "officials" not in found, found
    else:
        assert found is not None and target in found, found


def test_whom_an_offer_is_made_to_settles_no_agreement(nlp: Any) -> None:
    # "offered advice to the governor" is no agreement; "offered the rebels a ceasefire" and "offered to
    # mediate" are (data/plover_constructions.tsv)
    finder = EventFinder(_FixedClassifier({"AID": 0.9, "AGREE": 0.05}))  # type: ignore[arg-type]
    advice = finder(nlp("Senator Ana Brel offered advice to the governor of Lirra."))._.ew_events
    assert "AGREE" not in {e.type for e in advice}
    for text in ("The army offered the rebels a ceasefire.",
                 "Kestria offered to mediate between the parties."):
        assert "AGREE" in {e.type for e in finder(nlp(text))._.ew_events}, text


def test_a_word_a_construction_rules_out_is_no_fallback_trigger_either(nlp: Any) -> None:
    # "held a narrow lead" is no meeting: not as a trigger word, and not as the main verb the sentence's event
    # falls back to when the classifier reads a meeting that no word of the sentence names
    finder = EventFinder(_FixedClassifier({"CONSULT": 0.9}))  # type: ignore[arg-type]
    doc = nlp("Senator Ana Brel held a narrow lead as she left the hall on Monday.")
    assert [e for e in finder(doc)._.ew_events if e.type == "CONSULT"] == []


@pytest.mark.parametrize("text", ["Senator Ana Brel gave a long speech to the council of Lirra.",
                                  "Senator Ana Brel sent a two-page memo to the Lirra Herald."])
def test_giving_a_speech_or_sending_a_memo_is_no_aid(nlp: Any, text: str) -> None:
    finder = EventFinder(_FixedClassifier({"AID": 0.9}))  # type: ignore[arg-type]
    assert "AID" not in {e.type for e in finder(nlp(text))._.ew_events}


def test_a_noun_event_denied_by_its_determiner_is_no_event(nlp: Any) -> None:
    # "has no meaningful opposition": nobody opposes him; "faced fierce opposition" is opposition
    finder = EventFinder(_FixedClassifier({"REJECT": 0.9}))  # type: ignore[arg-type]
    none = finder(nlp("Governor Tomas Vey has no meaningful opposition in the Lirra primary."))._.ew_events
    assert "REJECT" not in {e.type for e in none}
    some = finder(nlp("Governor Tomas Vey faced fierce opposition in the Lirra primary."))._.ew_events
    assert "REJECT" in {e.type for e in some}


# a noun event whose clause names nobody acting on anyone: its own phrase says who and against whom
NOUN_PHRASES = [
    ("A Kestrian assault on the Gondor embassy left six people dead on Thursday.", "assault", "Kestrian",
     "Gondor embassy"),
    ("The Zorland army's invasion of Morvania began at dawn.", "invasion", "Zorland army", None),
    # the victims' verb gives the clause no actor ("died in a bombing"): the "by" phrase does
    ("Six guards died in a bombing by Varnak rebels on Monday.", "bombing", "Varnak rebels", None),
]


@needs_weights
@pytest.mark.parametrize(("text", "trigger", "actor", "target"), NOUN_PHRASES)
def test_a_noun_event_takes_its_own_phrase_s_actor_and_target(analyzer: Any, text: str, trigger: str,
                                                                actor: str, target: str | None) -> None:
    event = the_event(analyse(analyzer, text), trigger)
    assert event.actor is not None and event.actor.span is not None and actor in event.actor.span.text
    if target is not None:
        assert event.target is not None and event.target.span is not None
        assert target in event.target.span.text
    assert event.target is None or event.actor.span.text not in event.target.span.text


@needs_weights
def test_a_noun_event_s_anti_modifier_is_not_its_actor(analyzer: Any) -> None:
    # "anti-Brel protests" are against him, not by him
    event = the_event(analyse(analyzer, "Anti-Brel protests spread to the capital on Monday."), "protests")
    assert event.actor is None, event.actor


@pytest.mark.parametrize(("text", "trigger", "kind", "target"), [
    # whom a passive verb was done to is its subject, whatever noun names them
    ("The driver of the night tram was arrested in Lirra on Tuesday.", "arrested", "COERCE", "driver"),
    ("Brel Holdings was investigated by the Kestrian prosecutor in 2024.", "investigated", "ACCUSE",
     "Brel Holdings"),
    # a place in the subject's phrase says where from, not whom
    ("A man from Manchester was arrested on Tuesday.", "arrested", "COERCE", "man"),
    # a plain noun whose phrase names them: the people it names
    ("A shelter for Kestrian refugees was attacked by militiamen.", "attacked", "ASSAULT", "refugees"),
], ids=["driver", "named", "from-a-place", "shelter-for"])
def test_a_passive_subject_is_whom_it_was_done_to(nlp: Any, text: str, trigger: str, kind: str,
                                                  target: str) -> None:
    finder = EventFinder(_FixedClassifier({kind: 0.9}))  # type: ignore[arg-type]
    (event,) = [e for e in finder(nlp(text))._.ew_events if e.trigger.text == trigger]
    assert event.target is not None and event.target.span is not None, event
    found = event.target.span.text
    assert target in found and "Manchester" not in found, found


@pytest.mark.parametrize(("text", "kind", "trigger"), [
    # "sanctions were imposed": the sanctions are the event; whom they hit is named by "on"
    ("New sanctions were imposed on Morvania by the European Union on Monday.", "SANCTION", "imposed"),
    # a noun event's "to" phrase names whom it is done to, as "on" and "against" do
    ("The Kestrian foreign minister's surprise visit to Morvania ended on Friday.", "CONSULT", "visit"),
], ids=["event-noun-subject", "visit-to"])
def test_the_phrase_that_names_whom_gives_the_target(nlp: Any, text: str, kind: str, trigger: str) -> None:
    finder = EventFinder(_FixedClassifier({kind: 0.9}))  # type: ignore[arg-type]
    (event,) = [e for e in finder(nlp(text))._.ew_events if e.trigger.text == trigger]
    assert event.target is not None and event.target.span is not None
    assert event.target.span.text == "Morvania", event.target.span.text


@pytest.mark.parametrize(("text", "kind", "trigger", "actor", "target"), [
    # "who" stands for the person the clause is about; the clause's own words stay its target
    ("Senator Ana Brel, who criticized the Kestrian government on Monday, resigned.", "ACCUSE", "criticized",
     "Ana Brel", "Kestrian government"),
    # "whom" as the object: whom the act is done to is the noun the clause modifies
    ("The cleric Tomas Vey, whom President Dana Vell accuses of plotting a coup, lives abroad.", "ACCUSE",
     "accuses", "Dana Vell", "Tomas Vey"),
    # a clause on a noun in apposition to a name is about that name ("Dara Quell, [a veteran activist] who
    # ..."), "that" as "who" does
    ("Dara Quell, a veteran activist who has criticized Governor Tomas Vey, spoke on Monday.", "ACCUSE",
     "criticized", "Dara Quell", "Tomas Vey"),
    ("The Zorland Farmers Union, a group that criticized Governor Tomas Vey last year, met on Monday.",
     "ACCUSE", "criticized", "Zorland Farmers Union", "Tomas Vey"),
    # a name the recogniser misses, with the noun beside it saying it is a body: the relative "that" is it
    ("Liberty for Zorland, a digital activism outfit that endorsed Senator Ana Brel in the primary, launched "
     "a petition.", "SUPPORT", "endorsed", "Liberty for Zorland", "Ana Brel"),
    # "who" hung on the last noun of a phrase about a person: the person
    ("It is wrong, said Dara Quell, a secretary of labor during the Brel administration who has endorsed "
     "Senator Tomas Vey in the race.", "SUPPORT", "endorsed", "Dara Quell", "Tomas Vey"),
    # a passive "who" on a noun in apposition to a name: the name is whom it was done to
    ("Ana Brel, a Lirra Democrat who has been endorsed by the Zorland Farmers Union, spoke on Monday.",
     "SUPPORT", "endorsed", "Zorland Farmers Union", "Ana Brel"),
], ids=["who", "whom", "who-apposition", "that-apposition", "that-unrecognised-name", "who-on-a-phrase",
        "passive-who-apposition"])
def test_a_relative_pronoun_stands_for_the_noun_its_clause_modifies(
        nlp: Any, text: str, kind: str, trigger: str, actor: str, target: str) -> None:
    finder = EventFinder(_FixedClassifier({kind: 0.9}))  # type: ignore[arg-type]
    (event,) = [e for e in finder(nlp(text))._.ew_events if e.trigger.text == trigger]
    assert event.actor is not None and event.actor.span is not None and actor in event.actor.span.text
    assert event.target is not None and event.target.span is not None, event
    assert target in event.target.span.text, event.target.span.text


@pytest.mark.parametrize(("text", "trigger", "target"), [
    # whom "urged ... to" is aimed at is its object, common noun or not, before the name further on
    ("Officials of the Kestria campaign urged surrogates to repeat Ana Brel's comments.", "urged",
     "surrogates"),
    ("Senator Tomas Vey urged Dana Vell to drop her bid.", "urged", "Dana Vell"),
    # a thing is no addressee: the name further on stays the target
    ("Ana Brel urged the fight to increase funding for Lirra schools.", "urged", "Lirra"),
    # "for X to": the subject of the infinitive clause
    ("Senator Ana Brel called for all candidates to repeat Tomas Vey's pledge.", "called", "candidates"),
], ids=["common-noun", "name", "thing", "for-to"])
def test_the_object_of_a_verb_with_an_infinitive_is_whom_it_is_aimed_at(nlp: Any, text: str, trigger: str,
                                                                        target: str) -> None:
    finder = EventFinder(_FixedClassifier({"REQUEST": 0.9}))  # type: ignore[arg-type]
    (event,) = [e for e in finder(nlp(text))._.ew_events if e.trigger.text == trigger]
    assert event.target is not None and event.target.span is not None
    assert target in event.target.span.text, event.target.span.text


@pytest.mark.parametrize(("text", "found"), [
    ("Senator Ana Brel rarely asks her colleagues to campaign for her.", False),
    ("The two ministers often meet in Lirra.", False),
    ("Senator Ana Brel asked her colleagues to campaign for her on Monday.", True),
], ids=["rarely", "often", "once"])
def test_how_things_usually_go_is_no_event(nlp: Any, text: str, found: bool) -> None:
    finder = EventFinder(_FixedClassifier({"REQUEST": 0.9, "CONSULT": 0.9}))  # type: ignore[arg-type]
    assert bool(finder(nlp(text))._.ew_events) is found


@needs_weights
def test_a_speech_act_whose_cue_has_an_auxiliary_gets_its_clauses_arguments(analyzer: Any) -> None:
    # the attribution's cue is "has endorsed" and its source the relative "who": the cue's verb reads its
    # clause, whose person is the actor
    text = ('Senator Ana Brel won the Lirra primary on Tuesday. "She is the best choice for our farmers," '
            "said Dara Quell, a former secretary of agriculture during the Vey administration who has "
            "endorsed Brel in the race. Brel thanked her supporters.")
    event = the_event(analyse(analyzer, text, "2016-05-12"), "has endorsed")
    assert event.actor is not None and event.actor.span is not None
    assert event.actor.span.text == "Dara Quell", event.actor


def test_a_noun_event_inside_another_nouns_phrase_has_the_clause_subject_as_no_target(nlp: Any) -> None:
    # the subject set up the base; the warships are not done to it, they are what it brings: its actor
    finder = EventFinder(_FixedClassifier({"MOBILIZE": 0.9}))  # type: ignore[arg-type]
    doc = nlp("In recent weeks, the Kestrian government has set up a forward base with warships off "
              "Morvania.")
    (event,) = [e for e in finder(doc)._.ew_events if e.trigger.text == "warships"]
    found = event.target.span.text if event.target is not None and event.target.span is not None else None
    assert found is None or "Kestrian" not in found, found
    assert event.actor is not None and event.actor.span is not None and "Kestrian" in event.actor.span.text


@pytest.mark.parametrize("text", [
    # "on" says what the questioning was about: the minister did not attack
    "The Kestrian minister answered questioning on the attacks in Morvania.",
    # a with phrase of the subject's own noun, not of the clause's object
    "The Kestrian government, with warships off Morvania, signed the accord.",
], ids=["on-phrase", "not-the-object"])
def test_only_a_with_phrase_of_the_clauses_object_gives_the_subject_as_actor(nlp: Any, text: str) -> None:
    from eventwire.nlp.docindex import index_of
    from eventwire.nlp.events.roles import equipping_actor

    doc = nlp(text)
    trigger = next(t for t in doc if t.text in ("attacks", "warships"))
    assert equipping_actor(trigger, index_of(doc).entities(doc)) is None


@pytest.mark.parametrize(("text", "word", "target"), [
    ("Dara Quell, who has endorsed Senator Ana Brel, spoke in Lirra.", "endorsed", "Senator Ana Brel"),
    ("Dara Quell endorsed the plan in Lirra.", "endorsed", None),  # a thing: no name, no target here
], ids=["name", "thing"])
def test_the_name_a_verb_s_object_is_is_whom_it_is_done_to(nlp: Any, text: str, word: str,
                                                         target: str | None) -> None:
    from eventwire.nlp.docindex import index_of
    from eventwire.nlp.events.roles import named_object

    doc = nlp(text)
    trigger = next(t for t in doc if t.text == word)
    got = named_object(trigger, index_of(doc).entities(doc), (0, len(doc)))
    assert (got.span.text if got is not None and got.span is not None else None) == target


@pytest.mark.parametrize(("text", "target"), [
    ("Governor Tomas Vey spoke on Monday. Senator Ana Brel criticised his budget.", "Governor Tomas Vey"),
    ("Governor Tomas Vey spoke on Monday. Senator Ana Brel criticised his wife.", "his wife"),
], ids=["thing", "kin"])
def test_a_thing_a_pronoun_owns_is_aimed_at_its_owner(analyzer: Any, text: str, target: str) -> None:
    # a thing a pronoun owns is aimed at the person the pronoun stands for; a person one has is the target
    event = the_event(analyse(analyzer, text), "criticised")
    assert event.target is not None and event.target.span is not None
    assert event.target.span.text == target, event.target


@pytest.mark.parametrize(("text", "kind", "trigger", "actor", "target"), [
    # the subject undergoes it: the clause's subject is the target, not the actor
    ("Senator Tomas Vey is under investigation for bribery.", "ACCUSE", "investigation", None, "Tomas Vey"),
    # and a "from" phrase names who does it
    ("The town of Varn came under attack from Kestrian rebels on Monday.", "ASSAULT", "attack", "Kestrian",
     "Varn"),
], ids=["under-investigation", "under-attack-from"])
def test_an_event_the_subject_is_under_is_done_to_it(nlp: Any, text: str, kind: str, trigger: str,
                                                     actor: str | None, target: str) -> None:
    finder = EventFinder(_FixedClassifier({kind: 0.9}))  # type: ignore[arg-type]
    (event,) = [e for e in finder(nlp(text))._.ew_events if e.trigger.text == trigger]
    assert event.target is not None and event.target.span is not None and target in event.target.span.text
    if actor is None:
        assert event.actor is None, event.actor
    else:
        assert event.actor is not None and event.actor.span is not None and actor in event.actor.span.text


@pytest.mark.parametrize(("text", "kind", "trigger", "actor", "target"), [
    # the subject receives it: whom it is done to; the "of" / "from" phrase names who does it
    ("Governor Ana Brel won the endorsement of Senator Tomas Vey on Monday.", "SUPPORT", "endorsement",
     "Tomas Vey", "Ana Brel"),
    ("Mayor Dara Quell faced sharp criticism from Senator Tomas Vey.", "ACCUSE", "criticism", "Tomas Vey",
     "Dara Quell"),
    # a "from" phrase on the noun names who gives it, whoever tells of it
    ("Governor Ana Brel highlighted endorsements from Senator Tomas Vey.", "SUPPORT", "endorsements",
     "Tomas Vey", None),
], ids=["won-the-endorsement-of", "faced-criticism-from", "endorsements-from"])
def test_an_event_the_subject_receives_is_done_to_it(nlp: Any, text: str, kind: str, trigger: str,
                                                     actor: str, target: str | None) -> None:
    finder = EventFinder(_FixedClassifier({kind: 0.9}))  # type: ignore[arg-type]
    (event,) = [e for e in finder(nlp(text))._.ew_events if e.trigger.text == trigger]
    assert event.actor is not None and event.actor.span is not None and actor in event.actor.span.text, \
        event.actor
    if target is None:
        assert event.target is None or actor not in (event.target.span or event.target).text, event.target
    else:
        assert event.target is not None and event.target.span is not None \
            and target in event.target.span.text, event.target


@pytest.mark.parametrize(("text", "actor"), [
    # an attack whose doer the sentence names only by what they did
    ("At least five people have been shot in Varn, with the alleged gunman still at large.", "gunman"),
    # the perpetrator word as the one attacked is not the actor
    ("The gunman was shot dead in Varn on Monday.", None),
], ids=["still-at-large", "target"])
def test_an_unnamed_attacker_is_the_actor_of_an_attack_without_one(nlp: Any, text: str,
                                                                    actor: str | None) -> None:
    finder = EventFinder(_FixedClassifier({"ASSAULT": 0.9}))  # type: ignore[arg-type]
    (event,) = [e for e in finder(nlp(text))._.ew_events if e.trigger.text == "shot"]
    found = event.actor.span.text if event.actor is not None and event.actor.span is not None else None
    if actor is None:
        assert found is None, found
    else:
        assert found is not None and actor in found, found


REPORTED_ARRESTS = [
    ("The driver of the tram has been arrested, Lirra Transport Police said. The tram came off the rails on "
     "a bend in Lirra. Seven passengers were taken to hospital. Services resumed on Wednesday.", "Police"),
    ("Local police said at least one suspect had been arrested in connection with the bombing. The blast hit "
     "a market in Lirra on Tuesday. Seven people were taken to hospital. The market reopened on Wednesday.",
     "police"),
    # whoever tells of an arrest without being an authority did not make it
    ("The driver of the tram has been arrested, a passenger told reporters. The tram came off the rails on a "
     "bend in Lirra. Seven passengers were taken to hospital. Services resumed on Wednesday.", None),
]


@needs_weights
@pytest.mark.parametrize(("text", "actor"), REPORTED_ARRESTS, ids=["police-said", "police-said-first",
                                                                   "passenger"])
def test_an_arrest_the_police_report_is_theirs(analyzer: Any, text: str, actor: str | None) -> None:
    arrest = the_event(analyse(analyzer, text), "arrested")
    found = arrest.actor.span.text if arrest.actor is not None and arrest.actor.span is not None else None
    assert (found is None) if actor is None else (found is not None and actor in found), found


def test_an_argument_has_no_commas_or_spaces_at_its_edges() -> None:
    from eventwire.model import CharSpan, EventArg
    from eventwire.nlp.events.component import _tidy

    text = 'said Rep. Tom Vey of Lirra, an ally of the leadership, on Monday'
    start = text.index("Rep.")
    end = text.index(" on Monday")
    loose = EventArg(span=CharSpan.of(text, start, end), name=text[start:end])
    tidy = _tidy(loose, text)
    assert tidy is not None and tidy.span is not None
    assert tidy.span.text == "Rep. Tom Vey of Lirra, an ally of the leadership" == tidy.name
    named = EventArg(span=CharSpan.of(text, start, end), entity="E1", name="Tom Vey")
    assert _tidy(named, text) == EventArg(span=tidy.span, entity="E1", name="Tom Vey")
    assert _tidy(None, text) is None


@needs_weights
def test_every_event_argument_is_tidy_in_whole_articles(analyzer: Any) -> None:
    from eventwire.testing import invented_article

    # a subject with an apposition, as the sentence marks it off: "Rep. Tomas Vey of Lirra, a critic of the
    # army, accused ..." (its actor once kept the second comma; now it is the name, without the description)
    appositive = ("Kestrian troops shelled the border town of Varn on Monday, killing four civilians, "
                  "officials said. Rep. Tomas Vey of Lirra, a critic of the army, accused the defence "
                  "minister of lying about the attack. The ministry denied the claim on Tuesday.")
    texts = [appositive, *(invented_article(i) for i in range(12))]
    edges = " \t\r\n\u00a0,;:"
    args = [arg.span.text for text in texts for e in analyse(analyzer, text).events
            for arg in (e.actor, e.target) if arg is not None and arg.span is not None]
    assert "Tomas Vey" in args and not any("critic" in a for a in args), args
    assert all(a[0] not in edges and a[-1] not in edges for a in args), args


def test_a_pronoun_argument_from_any_stage_is_given_by_name(nlp: Any) -> None:
    # whichever stage chose it (a noun's possessor, a speech act's target), one pronoun as an argument says
    # nothing of whom to a reader of the event alone: the name it stands for, where the resolver linked one
    from eventwire.model import CharSpan, EventArg
    from eventwire.nlp.docindex import index_of
    from eventwire.nlp.events.component import _by_name

    text = "Senator Ana Brel spoke in Lirra on Monday. Police questioned her about the accounts on Tuesday."
    doc = nlp(text)
    index = index_of(doc).entities(doc)
    start = text.index("her ")
    pronoun = EventArg(span=CharSpan.of(text, start, start + 3))
    named = _by_name(pronoun, doc, index)
    assert named is not None and named.span is not None and named.span.text == "Senator Ana Brel"
    words = EventArg(span=CharSpan.of(text, text.index("Police"), text.index("Police") + 6))
    assert _by_name(words, doc, index) is words
    assert _by_name(None, doc, index) is None


@pytest.mark.parametrize("word", ["mocked", "ridiculed", "disparaged", "belittled", "taunted"])
def test_an_attack_in_words_is_an_accusation_word(nlp: Any, word: str) -> None:
    # the lexicon's word, not whatever the main clause says, triggers the sentence's accusation
    text = f"Senator Ana Brel said she was tired after Governor Tomas Vey {word} her in a speech."
    finder = EventFinder(_FixedClassifier({"ACCUSE": 0.9}))  # type: ignore[arg-type]
    got = {(e.type, e.trigger.text) for e in finder(nlp(text))._.ew_events}
    assert ("ACCUSE", word) in got, got
