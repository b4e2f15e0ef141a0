from __future__ import annotations

import math
import random
from dataclasses import replace

import pytest

from eventwire.aggregate.stories import (
    Lede,
    StoryIndex,
    StoryOptions,
    _cast_factor,
    article_lede,
    article_terms,
    cluster_collection,
)
from eventwire.model import Attribution, AttributionKind
from eventwire.testing import ARREST_GOLD, CAST_GOLD, arrest_reports, cast_reports

from .conftest import GOLD_STORIES, reports


def _partition(labels: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for key, label in labels.items():
        groups.setdefault(label, set()).add(key)
    return {frozenset(g) for g in groups.values()}


def test_one_story_per_happening_and_two_incidents_of_one_kind_are_two_stories() -> None:
    arts = reports()
    got = cluster_collection(arts)
    gold = {a.id: g for a, g in zip(arts, GOLD_STORIES, strict=True)}
    assert _partition(got) == _partition(gold)


def test_input_order_does_not_change_the_stories() -> None:
    arts = reports()
    first = _partition(cluster_collection(arts))
    for seed in range(3):
        shuffled = arts[:]
        random.Random(seed).shuffle(shuffled)
        assert _partition(cluster_collection(shuffled)) == first


def test_a_copy_gets_its_originals_story() -> None:
    arts = reports()
    got = cluster_collection(arts, copies={arts[6].id: arts[0].id})
    assert got[arts[6].id] == got[arts[0].id]


def test_online_index_scores_only_candidates_from_its_postings() -> None:
    index = StoryIndex(StoryOptions(candidates=2, postings_cap=3))
    arts = reports()
    for a in arts:
        index.add(a.id, article_terms(a))
    assert len(index) == len(arts)
    assert all(len(p) <= 3 for p in index._postings.values())
    vectors = index.vectorize(article_terms(arts[0]))
    assert len(index._candidates(vectors)) <= 2
    # re-adding an article answers its story, it is not counted twice
    assert index.add(arts[0].id, article_terms(arts[0])) == index.story_of[arts[0].id]
    assert len(index) == len(arts)


def test_title_words_and_names_are_terms_stop_words_and_url_debris_are_not() -> None:
    arts = reports()
    terms = article_terms(arts[0])
    assert "ferry" in terms.words and terms.words["ferry"] >= 3  # twice in the title, once in the text
    assert "C:halvard" in terms.names and "#112" in terms.names
    assert "the" not in terms.words and "www" not in terms.words


def test_two_arrests_in_one_team_are_two_stories_though_the_second_recalls_the_first() -> None:
    # the second arrest's reports name the first man in their bodies; their ledes are about another man
    arts = arrest_reports()
    gold = {a.id: g for a, g in zip(arts, ARREST_GOLD, strict=True)}
    assert _partition(cluster_collection(arts)) == _partition(gold)
    index = StoryIndex()  # online: each placed once, in order, no refinement
    for a in arts:
        index.add(a.id, article_terms(a))
    assert _partition(dict(index.story_of)) == _partition(gold)
    # without the lede check the words and names alone make them one story
    assert len(set(cluster_collection(arts, StoryOptions(lede_factor=1.0)).values())) == 1


def test_the_lede_names_the_main_person_and_background_names_stay_out() -> None:
    falk = arrest_reports()[2]
    lede = article_lede(falk)
    assert lede.main == {"brennan", "falk"}
    assert lede.persons == {"brennan", "falk"}  # Okoro is named once, in the body: not the lede's
    assert "okoro" not in lede.names
    assert article_lede(falk, StoryOptions(lede_sentences=0)) == Lede()


def test_a_person_who_only_speaks_is_not_the_main_person() -> None:
    falk = arrest_reports()[2]
    entity = falk.entities[0]
    # every mention of Falk but the first made the source of a quote: he tells, he is not told of
    quotes = tuple(Attribution(id=f"A{i}", kind=AttributionKind.DIRECT, content=(m.span,), source=m.span)
                   for i, m in enumerate(entity.mentions[1:]))
    assert article_lede(replace(falk, attributions=quotes)).main == frozenset()


def test_a_coachs_hiring_and_her_firing_years_later_are_two_stories_by_their_casts() -> None:
    # both lead with her and share the team: only who else leads them (the coach she succeeds; her interim
    # successor and the general manager) tells the two happenings apart
    arts = cast_reports()
    gold = _partition({a.id: g for a, g in zip(arts, CAST_GOLD, strict=True)})
    assert _partition(cluster_collection(arts)) == gold
    for seed in range(3):
        shuffled = arts[:]
        random.Random(seed).shuffle(shuffled)
        assert _partition(cluster_collection(shuffled)) == gold
    index = StoryIndex()  # online: each placed once, in order, no refinement
    for a in arts:
        index.add(a.id, article_terms(a))
    assert _partition(dict(index.story_of)) == gold
    # without the casts the words and names alone make them one story, in both paths
    off = StoryOptions(cast_weight=0.0)
    assert len(set(cluster_collection(arts, off).values())) == 1
    plain = StoryIndex(off)
    for a in arts:
        plain.add(a.id, article_terms(a))
    assert len(set(plain.story_of.values())) == 1


def test_the_cast_is_the_lede_persons_told_of_cast_mentions_times() -> None:
    hiring, _, firing, _ = cast_reports()
    assert article_lede(hiring).cast == {"edda", "voss", "tomas", "pell"}
    assert article_lede(firing).cast == {"edda", "voss", "rurik", "hale", "oskar", "lind"}
    # each is told of six times: at seven nobody is
    assert article_lede(hiring, StoryOptions(cast_mentions=7)).cast == frozenset()
    # quoted, not told of: every mention of Lind but the first made the source of a quote
    lind = next(e for e in firing.entities if e.name == "Oskar Lind")
    quotes = tuple(Attribution(id=f"A{i}", kind=AttributionKind.DIRECT, content=(m.span,), source=m.span)
                   for i, m in enumerate(lind.mentions[1:]))
    assert "lind" not in article_lede(replace(firing, attributions=quotes)).cast


def test_the_cast_factor_is_one_minus_weight_plus_weight_times_the_casts_cosine() -> None:
    story = {"c:voss": 2.0, "c:pell": 2.0, "c:*": 8.0}  # two reports leading with Voss and Pell
    assert _cast_factor(Lede(cast=frozenset({"voss", "pell"})), story, 0.65) == pytest.approx(1.0)
    cos = 2.0 / math.sqrt(2 * 8.0)  # Voss and Hale: one of two words shared
    hale = _cast_factor(Lede(cast=frozenset({"voss", "hale"})), story, 0.65)
    assert hale == pytest.approx(0.35 + 0.65 * cos)
    assert _cast_factor(Lede(cast=frozenset({"hale"})), story, 0.65) == pytest.approx(0.35)
    # no cast on either side, or no weight: the score stands
    assert _cast_factor(Lede(), story, 0.65) == 1.0
    assert _cast_factor(Lede(cast=frozenset({"hale"})), {"p:hale": 1.0}, 0.65) == 1.0
    assert _cast_factor(Lede(cast=frozenset({"hale"})), story, 0.0) == 1.0
