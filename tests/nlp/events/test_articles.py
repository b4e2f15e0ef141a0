"""Whole invented articles through the real pipeline: what an analyst may count (issue: events on real
articles).  Texts in tests/data/events/ are our own inventions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eventwire.model import Article, ArticleInput
from eventwire.nlp.events.model import load_classifier

pytestmark = [pytest.mark.model,
              pytest.mark.skipif(load_classifier() is None, reason="no event classifier weights shipped")]

DATA = Path(__file__).parents[2] / "data" / "events"


def analyse(analyzer: Any, name: str) -> Article:
    text = (DATA / name).read_text(encoding="utf-8")
    (article,) = analyzer.analyze([ArticleInput(text=text, source=name, published="2031-06-12T09:00:00")])
    assert isinstance(article, Article)
    return article


def test_a_match_report_has_no_events(analyzer: Any) -> None:
    # "attacked", "strike", "shot", "called on his players to": sports, not political acts; the share and
    # subscribe lines are page debris
    article = analyse(analyzer, "cup-final.txt")
    assert [(e.type, e.trigger.text) for e in article.events] == []


def test_one_raid_told_three_times_is_one_event(analyzer: Any) -> None:
    article = analyse(analyzer, "ferry-raid-retold.txt")
    assaults = [e for e in article.events if e.type == "ASSAULT"]
    assert len(assaults) == 1, [(e.trigger.text, e.sentence) for e in assaults]
    (raid,) = assaults
    assert raid.actor is not None and raid.actor.span is not None and "Rebel" in raid.actor.span.text
    # its other mentions are kept as evidence, each pointing at the text
    assert raid.evidence and all(article.text[s.start:s.end] == s.text for s in raid.evidence)
    assert raid.date is not None and raid.date.value == "2031-06-10"  # "on Tuesday" before a Thursday paper


def test_negated_conditional_speculative_generic_and_questions_are_no_events(analyzer: Any) -> None:
    article = analyse(analyzer, "no-talks.txt")
    assert [(e.type, e.trigger.text) for e in article.events] == []


def test_a_dateline_before_the_lede_is_never_the_actor(analyzer: Any) -> None:
    article = analyse(analyzer, "dateline-caption.txt")
    dateline_end = article.text.index("--") + 2
    for e in article.events:
        assert e.actor is None or e.actor.span is None or e.actor.span.start >= dateline_end, e
    # the checkpoint attack is told twice ("struck", "the attack"): at most one event
    assert len([e for e in article.events if e.type == "ASSAULT"]) <= 1
    condemned = [e for e in article.events if e.trigger.text == "condemned"]
    assert condemned and condemned[0].type == "ACCUSE"


def test_a_quote_judging_someone_is_a_speech_act_by_its_speaker(analyzer: Any) -> None:
    # "Ms Quell is playing politics with a tragedy," he said: no event word, an accusation all the same,
    # by the one quoted ("he": Kask) against the one the quote is about; the football result is no event
    article = analyse(analyzer, "flood-row.txt")
    quote_start = article.text.index('"Ms Quell')
    acts = [e for e in article.events if e.type == "ACCUSE" and e.sentence == next(
        i for i, s in enumerate(article.sentences) if s.span.start <= quote_start < s.span.end)]
    assert acts, [(e.type, e.trigger.text, e.sentence) for e in article.events]
    act = acts[0]
    assert act.actor is not None and act.actor.name is not None and "Kask" in act.actor.name
    assert act.target is not None and act.target.span is not None and "Quell" in act.target.span.text
    football = article.text.index("football")
    assert not [e for e in article.events if article.sentences[e.sentence].span.start <= football
                < article.sentences[e.sentence].span.end]


def test_the_days_events_happened_where_the_dateline_says(analyzer: Any) -> None:
    # "LIRRA -- ..." after a headline and byline run into the lede's sentence: the day's events without a
    # place of their own are placed in Lirra, pointing at the dateline's word
    article = analyse(analyzer, "flood-row.txt")
    assert article.events
    for e in article.events:
        assert e.place is not None and e.place.name == "Lirra", e
        assert e.place.span is not None and e.place.span.text == "LIRRA"


@pytest.mark.parametrize(("dateline", "name", "precision", "country", "words"), [
    ("WASHINGTON (AP) —", "Washington", "place", "USA", "WASHINGTON"),
    ("CHARLESTON, W.Va. —", "Charleston", "place", "USA", "CHARLESTON"),
    ("RYE, N.H. -", "New Hampshire", "admin1", "USA", "N.H."),
    ("OSCEOLA, Iowa —", "Iowa", "admin1", "USA", "Iowa"),
    ("KABUL, Afghanistan (Reuters) -", "Kabul", "place", "AFG", "KABUL"),
], ids=["capital-not-state", "city-in-its-state", "state-when-the-city-is-unknown", "state-by-name",
        "city-in-capitals"])
def test_a_dateline_names_a_city_or_the_state_after_it(analyzer: Any, dateline: str, name: str,
                                                       precision: str, country: str, words: str) -> None:
    # "WASHINGTON" the state or the capital was too close to call, "CHARLESTON" has two cities of its size,
    # the agencies' "N.H." or "Pa." were no names at all ("Pa" is a town in Burkina Faso), and a city in
    # capitals that the entity recogniser misses gave its country at best
    text = (f"{dateline} Senator Ana Brel accused Governor Tomas Vey of lying about the budget on Monday. "
            "Vey denied it. The two have clashed for years over spending, aides said.")
    (article,) = analyzer.analyze([ArticleInput(text=text, source="test", published="2031-06-10T09:00:00")])
    assert isinstance(article, Article)
    placed = [e.place for e in article.events if e.place is not None]
    assert placed, article.events
    for place in placed:
        assert (place.name, place.precision, place.country) == (name, precision, country), place
        assert place.span is not None and place.span.text == words


def test_a_province_named_for_its_town_is_placed_in_that_towns_country(analyzer: Any) -> None:
    text = ("Gunmen attacked a police post in Kunduz province on Monday, killing two officers, Afghan "
            "officials said. The Taliban said they carried out the attack. Police sealed off the area.")
    (article,) = analyzer.analyze([ArticleInput(text=text, source="test", published="2031-06-10T09:00:00")])
    assert isinstance(article, Article)
    (attack,) = [e for e in article.events if e.type == "ASSAULT"]
    assert attack.place is not None and attack.place.span is not None
    # the province as ISO 3166-2 lists it (pycountry), its words as the text gives them
    assert (attack.place.name, attack.place.precision, attack.place.country, attack.place.kb_id) == (
        "Kunduz", "admin1", "AFG", "iso3166-2:AF-KDZ"), attack.place
    assert attack.place.span.text == "Kunduz province"
