"""The speech stage on model objects: whom an attribution's speech act is about, and which it nominates."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.model import (
    Attribution,
    AttributionKind,
    CharSpan,
    Entity,
    Factuality,
    Mention,
    MentionKind,
    TimeExpr,
)
from eventwire.nlp.docindex import EntityLookup
from eventwire.nlp.events import speech
from eventwire.nlp.events.model import MODEL_DIR
from eventwire.nlp.events.speech import (
    SpeechModel,
    speech_events,
    speech_features,
    speech_target,
    target_candidates,
)

TEXT = ('Senator Ana Brel said on Monday that Governor Tomas Vey was "a disgrace to the state". '
        'Brel called Vey "unfit" as we watched. '
        'Vey said: "I will keep working for our voters."')


def span(word: str, nth: int = 0) -> CharSpan:
    at = -1
    for _ in range(nth + 1):
        at = TEXT.index(word, at + 1)
    return CharSpan.of(TEXT, at, at + len(word))


SENTENCES = (span('Senator Ana Brel said on Monday that Governor Tomas Vey was "a disgrace to the state".'),
             span('Brel called Vey "unfit" as we watched.'),
             span('Vey said: "I will keep working for our voters."'))
BREL = Entity(id="E1", type="PERSON", name="Ana Brel",
              mentions=(Mention(span("Senator Ana Brel")), Mention(span("Brel", 1), sentence=1)))
VEY = Entity(id="E2", type="PERSON", name="Tomas Vey",
             mentions=(Mention(span("Governor Tomas Vey")), Mention(span("Vey", 1), sentence=1),
                       Mention(span("Vey", 2), sentence=2), Mention(span("I"), kind=MentionKind.PRONOUN,
                                                                    sentence=2)))
ENTITIES = (BREL, VEY)
MONDAY = TimeExpr(id="T1", span=span("Monday"), type="DATE", value="2031-06-09", precision="day")
# the first: an indirect quote about Vey; the second: Vey named between cue and quote; the third: Vey about
# his own work ("I" is the speaker, never the one it is done to)
A1 = Attribution(id="A1", kind=AttributionKind.INDIRECT, source=span("Senator Ana Brel"), cue=span("said"),
                 content=(span('Governor Tomas Vey was "a disgrace to the state"'),), source_entity="E1")
A2 = Attribution(id="A2", kind=AttributionKind.DIRECT, source=span("Brel", 1), cue=span("called"),
                 content=(span("unfit"),), source_entity="E1", sentence=1)
A3 = Attribution(id="A3", kind=AttributionKind.DIRECT, source=span("Vey", 2), cue=span("said", 1),
                 content=(span("I will keep working for our voters."),), source_entity="E2", sentence=2)


def test_target_is_named_in_the_content_else_the_sentence_never_the_speaker() -> None:
    found = speech_target(TEXT, A1, ENTITIES, SENTENCES[0])
    assert found is not None and found[0] is VEY and found[1].text == "Governor Tomas Vey"
    found = speech_target(TEXT, A2, ENTITIES, SENTENCES[1])
    assert found is not None and found[0] is VEY and found[1].text == "Vey"
    assert speech_target(TEXT, A3, ENTITIES, SENTENCES[2]) is None


def test_features_read_content_cue_negation_and_sentiment() -> None:
    f = speech_features(TEXT, A1, ENTITIES, SENTENCES[0], frozenset({"E1", "E2"}))
    assert f["cue=said"] == 1.0 and f["kind=indirect"] == 1.0 and "w=disgrace" in f
    assert f["target_in_content"] == 1.0 and f["target_political"] == 1.0 and f["source_political"] == 1.0
    assert f["content_neg"] > 0.0 and f["content_pos"] == 0.0  # "a disgrace" speaks harshly
    negated = Attribution(id="A9", kind=AttributionKind.DIRECT, source=A1.source, cue=A1.cue,
                          content=(span("I will keep working"),), source_entity="E1")
    g = speech_features(TEXT, negated, ENTITIES, SENTENCES[0], frozenset())
    assert "target=none" not in g  # Vey is named elsewhere in the sentence


def _model(floor: float = 0.5) -> SpeechModel:
    # a hand-set model: a harsh content accuses, anything else is no act
    return SpeechModel(labels=("none", "ACCUSE"), floor=floor,
                       weights={"bias": (1.0, -1.0), "content_neg": (0.0, 8.0)})


def test_nominates_acts_with_source_as_actor_and_clause_date() -> None:
    acts = speech_events(TEXT, SENTENCES, (A1, A2, A3), ENTITIES, frozenset(), (MONDAY,), "2031-06-10",
                         _model())
    assert [e.trigger.text for e in acts] == ["said"]
    act = acts[0]
    assert act.type == "ACCUSE" and act.actor is not None and act.actor.entity == "E1"
    assert act.target is not None and act.target.entity == "E2"
    assert act.date is not None and (act.date.value, act.date.source) == ("2031-06-09", "text")
    assert act.factuality == Factuality.ASSERTED and act.sentence == 0 and 0.5 <= act.confidence <= 1.0


def test_denied_conditional_and_sourceless_attributions_are_no_acts() -> None:
    from dataclasses import replace

    cases = (replace(A1, factuality=Factuality.DENIED), replace(A1, factuality=Factuality.CONDITIONAL),
             replace(A1, source=None, source_entity=None))
    for a in cases:
        assert speech_events(TEXT, SENTENCES, (a,), ENTITIES, frozenset(), (), None, _model()) == []
    # below the floor: nothing nominated
    assert speech_events(TEXT, SENTENCES, (A1,), ENTITIES, frozenset(), (), None, _model(0.999)) == []


def test_shipped_model_loads_and_ranks_harsh_above_neutral() -> None:
    model = speech.load_speech_model(MODEL_DIR / "speech.json")
    if model is None:
        pytest.skip("no speech model shipped")
    assert model.labels[0] == "none" and 0.0 < model.floor < 1.0
    harsh = model.probabilities(speech_features(TEXT, A1, ENTITIES, SENTENCES[0], frozenset({"E1", "E2"})))
    plain = model.probabilities(speech_features(TEXT, A3, ENTITIES, SENTENCES[2], frozenset({"E1", "E2"})))
    accuse = model.labels.index("ACCUSE")
    assert harsh[accuse] > plain[accuse]
    assert harsh[0] < plain[0]


def test_missing_model_file_is_none(tmp_path: Any) -> None:
    assert speech.load_speech_model(tmp_path / "absent.json") is None


def test_target_candidates_and_a_trained_ranker_choose_whom() -> None:
    # sentence 1: "Brel called Vey 'unfit'": Vey right after the cue, outside the quote
    cands = target_candidates(TEXT, A2, ENTITIES, SENTENCES[1], frozenset({"E2"}))
    assert [(e.id, s.text) for e, s, _ in cands] == [("E2", "Vey")]
    f = cands[0][2]
    assert f["t_after_cue"] == 1.0 and f["t_in_sentence"] == 1.0 and f["t_political"] == 1.0
    # a ranker that prefers whoever is named after the cue over the first one named in the quote
    both = Attribution(id="A8", kind=AttributionKind.INDIRECT, source=span("we"), cue=span("called"),
                       content=(span('Governor Tomas Vey was "a disgrace to the state"'),),
                       source_entity="E9")  # an unknown speaker ("we"): both Brel and Vey are candidates
    rule = speech_target(TEXT, both, ENTITIES, SENTENCES[0])
    assert rule is not None and rule[0] is VEY  # the one the content names
    ranked = speech_target(TEXT, both, ENTITIES, SENTENCES[0], ranker={"t_type=PERSON": 0.1,
                                                                       "t_in_sentence": 5.0})
    assert ranked is not None and ranked[0] is BREL


def test_said_when_the_cue_says_else_the_publication_fallback() -> None:
    # "said on Monday that ...": Monday is next to the cue
    (act,) = speech_events(TEXT, SENTENCES, (A1,), ENTITIES, frozenset(), (MONDAY,), "2031-06-10", _model())
    assert act.date is not None and (act.date.value, act.date.source) == ("2031-06-09", "text")
    # a date inside what was said is what it reports, not when it was said
    inside = TimeExpr(id="T2", span=span("state"), type="DATE", value="2031-05-01", precision="day")
    (act,) = speech_events(TEXT, SENTENCES, (A1,), ENTITIES, frozenset(), (inside,), "2031-06-10T12:00:00",
                           _model())
    assert act.date is not None and (act.date.value, act.date.source) == ("2031-06-10", "published")


def test_said_when_its_sentence_says_before_the_cue_unless_it_dates_something_someone_has() -> None:
    text = ("Last May, a judge hearing the freedom of information lawsuit ordered the ministry to publish "
            "the files. "
            "Following his 2029 campaign for the northern seat, Dov Irr urged voters to stay home. "
            "Mara Lin criticised the plan in a speech recalling the floods of 2027.")

    def at(word: str) -> CharSpan:
        return CharSpan.of(text, text.index(word), text.index(word) + len(word))

    ends = [i + 1 for i, c in enumerate(text) if c == "."]
    sentences = [CharSpan.of(text, a, b) for a, b in zip([0, *ends[:-1]], ends, strict=True)]
    times = (TimeExpr(id="T1", span=at("Last May"), type="DATE", value="2031-05", precision="month"),
             TimeExpr(id="T2", span=at("2029"), type="DATE", value="2029", precision="year"),
             TimeExpr(id="T3", span=at("2027"), type="DATE", value="2027", precision="year"))

    def said(source: str, cue: str, content: str) -> Any:
        a = Attribution(id="A1", kind=AttributionKind.INDIRECT, source=at(source), cue=at(cue),
                        content=(at(content),))
        sentence = speech._sentence_of(sentences, at(cue))
        return speech._date(text, times, a, at(cue), "2031-06-10T12:00:00", sentence)

    ordered = said("a judge", "ordered", "the ministry to publish the files")
    assert (ordered.value, ordered.precision, ordered.time) == ("2031-05", "month", "T1")
    # "his 2029 campaign" dates the campaign; "the floods of 2027", after the cue, another happening
    assert said("Dov Irr", "urged", "voters to stay home").source == "published"
    assert said("Mara Lin", "criticised", "the plan").source == "published"


def _locator(text: str) -> Any:
    """The span of the first occurrence of some words in ``text``."""
    def at(words: str) -> CharSpan:
        return CharSpan.of(text, text.index(words), text.index(words) + len(words))
    return at


def _sayings(text: str, sentences: list[CharSpan], times: tuple[TimeExpr, ...]) -> Any:
    """``said(source, cue, content)``: the date speech gives an indirect saying of those words of ``text``
    (published 2031-06-10 at noon)."""
    at = _locator(text)

    def said(source: str, cue: str, content: str) -> Any:
        a = Attribution(id="A1", kind=AttributionKind.INDIRECT, source=at(source), cue=at(cue),
                        content=(at(content),))
        return speech._date(text, times, a, at(cue), "2031-06-10T12:00:00",
                            speech._sentence_of(sentences, at(cue)))
    return said


@pytest.mark.parametrize(("text", "second", "times", "first_act", "day"), [
    # a time right after whom a cue judges dates the judging
    ("Dov Irr, who criticised fellow senators in 2027 for backing the dam, spoke. "
     "Mara Lin said the dam failed in 2028.", "Mara",
     (("2027", "2027", "year"), ("2028", "2028", "year")),
     ("who", "criticised", "fellow senators in 2027 for backing the dam"), "2027"),
    # the day that ends the sentence after the cue, outside what was said, dates the saying
    ("Mara Lin criticised the dam plan as reckless in one of her messages about the vote Sunday. "
     "The senator from the northern hills, Dov Irr, said the dam failed in 2028.", "The",
     (("Sunday", "2031-06-08", "day"), ("2028", "2028", "year")),
     ("Mara Lin", "criticised", "the dam plan as reckless"), "2031-06-08"),
    # a day that ends what was said but for the occasion of the saying dates the saying
    ("Mara Lin said Dov Irr was the founder of the militia on Sunday at a rally in Lirra, and she repeated "
     "it. The senator from the northern hills, Dov Irr, said the dam failed in 2028.", "The",
     (("Sunday", "2031-06-08", "day"), ("2028", "2028", "year")),
     ("Mara Lin", "said", "Dov Irr was the founder of the militia on Sunday at a rally in Lirra"),
     "2031-06-08"),
    # calling someone something is judging them: the day after the name dates the calling
    ("Dov Irr called the senator weak on Sunday before the vote on the new dam at the river. "
     "Mara Lin said the dam failed in 2028.", "Mara",
     (("Sunday", "2031-06-08", "day"), ("2028", "2028", "year")),
     ("Dov Irr", "called", "the senator weak on Sunday before the vote on the new dam at the river"),
     "2031-06-08"),
], ids=["judged", "sentence-final-day", "occasion-after-the-day", "name-calling"])
def test_when_a_saying_was_made(text: str, second: str, times: tuple[tuple[str, str, str], ...],
                                first_act: tuple[str, str, str], day: str) -> None:
    at = _locator(text)
    split = text.index(" " + second)
    sentences = [CharSpan.of(text, 0, split), CharSpan.of(text, split + 1, len(text))]
    said = _sayings(text, sentences, tuple(
        TimeExpr(id=f"T{i + 1}", span=at(words), type="DATE", value=value, precision=precision)
        for i, (words, value, precision) in enumerate(times)))
    act = said(*first_act)
    assert (act.value, act.source) == (day, "text")
    # a saying's content tells of another happening: its time is that happening's
    source = "Mara Lin" if second == "Mara" else "Dov Irr"
    assert said(source, "said", "the dam failed in 2028").source == "published"


def test_a_time_in_the_sources_own_words_does_not_date_the_saying() -> None:
    text = "Dov Irr, who won the vote on Wednesday, said the dam would hold."
    at = _locator(text)
    times = (TimeExpr(id="T1", span=at("Wednesday"), type="DATE", value="2031-06-04", precision="day"),)
    a = Attribution(id="A1", kind=AttributionKind.INDIRECT, cue=at("said"),
                    source=at("Dov Irr, who won the vote on Wednesday"), content=(at("the dam would hold"),))
    sentence = CharSpan.of(text, 0, len(text))
    assert speech._date(text, times, a, at("said"), "2031-06-10T12:00:00", sentence).source == "published"
    bare = replace(a, source=at("Dov Irr"))  # "Dov Irr, on Wednesday, said": the saying's day
    assert speech._date(text, times, bare, at("said"), "2031-06-10T12:00:00", sentence).time == "T1"


def test_he_in_a_quote_is_the_person_last_named_when_no_name_is_at_hand() -> None:
    text = 'Senator Ana Brel met Governor Tomas Vey on Monday. "He is a disgrace," Brel said.'
    sents = (CharSpan.of(text, 0, 50), CharSpan.of(text, 51, len(text)))
    brel = Entity(id="E1", type="PERSON", name="Ana Brel",
                  mentions=(Mention(CharSpan.of(text, 8, 16)),
                            Mention(CharSpan.of(text, 71, 75), sentence=1)))
    vey = Entity(id="E2", type="PERSON", name="Tomas Vey", mentions=(Mention(CharSpan.of(text, 30, 39)),))
    quote = text.index("He is")
    a = Attribution(id="A1", kind=AttributionKind.DIRECT, source=CharSpan.of(text, 71, 75),
                    cue=CharSpan.of(text, 76, 80), content=(CharSpan.of(text, quote, quote + 15),),
                    source_entity="E1", sentence=1)
    (act,) = speech_events(text, sents, (a,), (brel, vey), frozenset(), (), None, _model(0.1))
    assert act.target is not None and act.target.entity == "E2" and act.target.span is not None
    assert act.target.span.text == "Tomas Vey"
    # the speaker is never whom "he" means
    (alone,) = speech_events(text, sents, (a,), (brel,), frozenset(), (), None, _model(0.1))
    assert alone.target is None


def test_a_target_met_as_a_pronoun_of_any_form_is_given_by_its_name() -> None:
    # "his" (a possessive the entities layer linked to Vey) is whom the act is about; an analyst reads
    # "Tomas Vey", not "his" (before, only he/she/him/her/it/they/them/i/we were replaced)
    text = 'Governor Tomas Vey spoke on Monday. Senator Ana Brel said "his plan is a disgrace."'
    start = text.index("Senator")
    sents = (CharSpan.of(text, 0, start - 1), CharSpan.of(text, start, len(text)))
    brel = Entity(id="E1", type="PERSON", name="Ana Brel",
                  mentions=(Mention(CharSpan.of(text, start, start + 16), sentence=1),))
    his = text.index("his")
    vey = Entity(id="E2", type="PERSON", name="Tomas Vey",
                 mentions=(Mention(CharSpan.of(text, 9, 18)),
                           Mention(CharSpan.of(text, his, his + 3), kind=MentionKind.PRONOUN, sentence=1)))
    said = text.index("said")
    a = Attribution(id="A1", kind=AttributionKind.DIRECT, source=CharSpan.of(text, start, start + 16),
                    cue=CharSpan.of(text, said, said + 4), content=(CharSpan.of(text, his, len(text) - 1),),
                    source_entity="E1", sentence=1)
    (act,) = speech_events(text, sents, (a,), (brel, vey), frozenset(), (), None, _model(0.1))
    assert act.target is not None and act.target.entity == "E2" and act.target.span is not None
    assert act.target.span.text == "Tomas Vey"


def _one_act(text: str, name: str, source: tuple[int, int], cue: str, content: tuple[int, int],
             kind: AttributionKind) -> Any:
    """The speech act of one attribution whose source is the person ``name`` (its one mention)."""
    at = text.index(name)
    person = Entity(id="E1", type="PERSON", name=name,
                    mentions=(Mention(CharSpan.of(text, at, at + len(name))),))
    c = text.index(cue)
    a = Attribution(id="A1", kind=kind, source=CharSpan.of(text, *source),
                    cue=CharSpan.of(text, c, c + len(cue)), content=(CharSpan.of(text, *content),),
                    source_entity="E1")
    (act,) = speech_events(text, (CharSpan.of(text, 0, len(text)),), (a,), (person,), frozenset(), (), None,
                           _model(0.1))
    return act


def test_a_relative_pronoun_source_is_given_by_its_entitys_name() -> None:
    # the attribution layer keeps PolNeAR's source "who" and links it to the person the clause is about
    text = 'Governor Tomas Vey, who called the senator "a disgrace", lost the vote.'
    who, quote = text.index("who"), text.index('"a disgrace"')
    act = _one_act(text, "Tomas Vey", (who, who + 3), "called", (quote, quote + 12), AttributionKind.DIRECT)
    assert act.actor is not None and act.actor.span is not None and act.actor.span.text == "Tomas Vey"


def test_a_source_with_its_description_acts_by_its_name() -> None:
    # PolNeAR's source keeps the apposition and its relative clause; the actor is the person, by name
    text = 'Dara Quell, a consultant who ran Senator Ana Brel\'s campaign, said Tomas Vey was "a disgrace".'
    said = text.index("said")
    act = _one_act(text, "Dara Quell", (0, text.index(", said")), "said", (said + 5, len(text) - 1),
                   AttributionKind.INDIRECT)
    assert act.actor is not None and act.actor.span is not None and act.actor.span.text == "Dara Quell"
    assert act.actor.entity == "E1"


def test_where_the_speaker_is_and_the_speaker_named_apart_are_not_whom_they_speak_of() -> None:
    # "At the Lirra Palace, Mr Brel said ...": where, not whom; "President Ana Brel" is the speaker even when
    # the entities layer keeps her apart from "Mrs Brel"
    text = 'At the Lirra Palace, Mrs Brel said President Ana Brel "will work with Tomas Vey" from now on.'
    sents = (CharSpan.of(text, 0, len(text)),)

    def at(word: str) -> CharSpan:
        i = text.index(word)
        return CharSpan.of(text, i, i + len(word))

    palace = Entity(id="E1", type="ORG", name="Lirra Palace", mentions=(Mention(at("Lirra Palace")),))
    speaker = Entity(id="E2", type="PERSON", name="Mrs Brel", mentions=(Mention(at("Mrs Brel")),))
    named = Entity(id="E3", type="PERSON", name="Ana Brel", mentions=(Mention(at("President Ana Brel")),))
    vey = Entity(id="E4", type="PERSON", name="Tomas Vey", mentions=(Mention(at("Tomas Vey")),))
    a = Attribution(id="A1", kind=AttributionKind.INDIRECT, source=at("Mrs Brel"), cue=at("said"),
                    content=(at('President Ana Brel "will work with Tomas Vey"'),), source_entity="E2")
    cands = target_candidates(text, a, (palace, speaker, named, vey), sents[0])
    assert [c[0].id for c in cands] == ["E4"]



def test_the_platform_something_is_said_on_is_not_whom_it_is_about() -> None:
    # "Mr Vey said on Twitter: ..." : where it was said; whom it is about is named in what was said
    text = 'Mr Vey said on Twitter: "Ana Brel is a liar."'
    at = _locator(text)
    people = [Entity(id=f"E{i}", type=kind, name=words, mentions=(Mention(at(words)),))
              for i, (kind, words) in enumerate((("PERSON", "Mr Vey"), ("ORG", "Twitter"),
                                                 ("PERSON", "Ana Brel")), 1)]
    a = Attribution(id="A1", kind=AttributionKind.DIRECT, source=at("Mr Vey"), cue=at("said"),
                    content=(at("Ana Brel is a liar."),), source_entity="E1")
    assert [c[0].id for c in target_candidates(text, a, people, at(text))] == ["E3"]


def test_the_same_target_candidates_with_the_callers_entity_lookup_as_without() -> None:
    lookup = EntityLookup(ENTITIES)
    for a, sentence in ((A1, SENTENCES[0]), (A2, SENTENCES[1]), (A3, SENTENCES[2]), (A1, None)):
        alone = target_candidates(TEXT, a, ENTITIES, sentence, frozenset({"E2"}))
        shared = target_candidates(TEXT, a, ENTITIES, sentence, frozenset({"E2"}), lookup)
        assert [(e.id, s, f) for e, s, f in alone] == [(e.id, s, f) for e, s, f in shared]


_LABELS = ("none", "ACCUSE", "SUPPORT")
_POLARITY = [f"{p}_{n}" for p in ("content", "sentence") for n in ("pos", "neg", "posw", "negw")]
_weight = st.floats(-3.0, 3.0, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(weights=st.lists(st.lists(_weight, min_size=3, max_size=3), min_size=10, max_size=10),
       base=st.lists(st.floats(0.0, 1.0), min_size=2, max_size=2),
       compounds=st.lists(st.floats(-1.0, 1.0), min_size=2, max_size=2),
       shares=st.lists(st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0)), min_size=2, max_size=2),
       floor=st.floats(0.2, 0.9))
def test_vader_is_skipped_only_where_no_polarity_could_nominate(
        weights: list[list[float]], base: list[float], compounds: list[float],
        shares: list[tuple[float, float]], floor: float) -> None:
    # may_nominate reads the features without VADER's; whatever VADER then says (a compound score in
    # [-1, 1] and positive and negative shares summing to at most 1), an attribution it rules out must
    # stay under the floor
    names = ["bias", "w=disgrace", *_POLARITY]
    model = SpeechModel(labels=_LABELS, weights=dict(zip(names, weights, strict=True)), floor=floor)
    features = {"bias": 1.0, "w=disgrace": base[0], "content_words_log": base[1]}
    full = dict(features)
    for prefix, c, (a, b) in zip(("content", "sentence"), compounds, shares, strict=True):
        pos, neg = (a, b) if a + b <= 1.0 else (a / (a + b), b / (a + b))
        full.update({f"{prefix}_pos": max(c, 0.0), f"{prefix}_neg": max(-c, 0.0),
                     f"{prefix}_posw": pos, f"{prefix}_negw": neg})
    if max(model.probabilities(full)[1:]) >= floor:
        assert model.may_nominate(features)


def test_speech_features_without_polarity_are_the_rest_unchanged() -> None:
    whole = speech_features(TEXT, A1, ENTITIES, SENTENCES[0], frozenset())
    rest = speech_features(TEXT, A1, ENTITIES, SENTENCES[0], frozenset(), polarity=False)
    assert set(whole) - set(rest) <= set(_POLARITY) and set(whole) - set(rest)
    assert all(whole[k] == v for k, v in rest.items())


ARMY_TEXT = ('General Ivo Dorn said the rebels and the militia had broken the truce, and civilian homes '
             'burned. Dorn said: "Mr. President, both sides must stop."')


def _at(words: str, after: int = 0) -> CharSpan:
    at = ARMY_TEXT.index(words, after)
    return CharSpan.of(ARMY_TEXT, at, at + len(words))


def test_words_for_people_or_bodies_are_target_candidates_where_no_name_is() -> None:
    second = _at('Dorn said: "Mr. President, both sides must stop."')
    first = CharSpan.of(ARMY_TEXT, 0, second.start - 1)
    dorn = Entity(id="E1", type="PERSON", name="Ivo Dorn",
                  mentions=(Mention(_at("General Ivo Dorn")), Mention(_at("Dorn", second.start), sentence=1)))
    told = Attribution(id="A1", kind=AttributionKind.INDIRECT, source=_at("General Ivo Dorn"),
                       cue=_at("said"), content=(_at("the rebels and the militia had broken the truce"),),
                       source_entity="E1")
    found = speech.common_candidates(ARMY_TEXT, told, first, (dorn,))
    # with a determiner or in the plural; never a bare singular word ("civilian homes"), nor the source's
    # words ("General") or a name's
    assert [s.text for _, s, _ in found] == ["the rebels", "the militia"]
    assert all(e is None and f["t_type=COMMON"] == 1.0 and f["t_in_content"] == 1.0 for e, _, f in found)
    quoted = Attribution(id="A2", kind=AttributionKind.DIRECT, source=_at("Dorn", second.start),
                         cue=_at("said", second.start),
                         content=(_at("Mr. President, both sides must stop."),), source_entity="E1",
                         sentence=1)
    # a capitalised title stands for its holder ("Mr. President"); "both sides" are parties
    assert [s.text for _, s, _ in speech.common_candidates(ARMY_TEXT, quoted, second, (dorn,))] == \
        ["President", "both sides"]
    # the ranker weighs them against the names; an act with no name to aim at takes one of them
    model = SpeechModel(labels=("none", "ACCUSE"), floor=0.5, weights={"bias": (-1.0, 1.0)},
                        targets={"t_type=COMMON": 1.0, "t_content_offset": -2.0})
    (act,) = speech_events(ARMY_TEXT, (first, second), (told,), (dorn,), frozenset(), (), "2031-06-10", model)
    assert act.target is not None and act.target.span is not None and act.target.span.text == "the rebels"
    assert act.target.entity is None
