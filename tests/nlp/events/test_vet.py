"""Event vetting on model objects: features, merging one happening's mentions, dates (no spaCy needed)."""

from __future__ import annotations

import re
from dataclasses import replace

from eventwire.model import (
    Attribution,
    AttributionKind,
    CharSpan,
    Entity,
    Event,
    EventArg,
    EventDate,
    Factuality,
    Mention,
    MentionKind,
    TimeExpr,
)
from eventwire.nlp.events.vet import (
    EventVetter,
    VetContext,
    anchor_dates,
    candidate_features,
    merge_happenings,
    repair_arguments,
    vet,
    vet_context,
)

TEXT = ("Click to share on WhatsApp\n"
        "Zorland's President Ana Brel met Kestria's premier on Monday. "
        "The two leaders met in Lirra. "
        "Brel also met the striker Tomas Vey on Tuesday.")


def words_at(text: str, words: str, nth: int = 0) -> CharSpan:
    """The ``nth`` occurrence of ``words`` in ``text``."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(words, at + 1)
    return CharSpan.of(text, at, at + len(words))


def named(text: str, words: str) -> EventArg:
    """The first occurrence of ``words`` as an argument linked to no entity."""
    return EventArg(span=words_at(text, words), name=words)


def split_at(text: str, *starts: int) -> tuple[CharSpan, ...]:
    """The sentences of ``text`` that begin at 0 and at each of ``starts`` (one space between)."""
    bounds = [0, *starts]
    ends = [b - 1 for b in starts] + [len(text)]
    return tuple(CharSpan.of(text, a, b) for a, b in zip(bounds, ends, strict=True))


def span(word: str, nth: int = 0) -> CharSpan:
    return words_at(TEXT, word, nth)


def kept_by_rules(ctx: VetContext, events: list[Event]) -> list[Event]:
    """What vetting keeps when every candidate scores about .95: its rules alone decide."""
    return [e for e, _, _ in vet(ctx, events, EventVetter(weights={"bias": 3.0}, threshold=0.5))]


SENTENCES = (span("Click to share on WhatsApp"),
             span("Zorland's President Ana Brel met Kestria's premier on Monday."),
             span("The two leaders met in Lirra."),
             span("Brel also met the striker Tomas Vey on Tuesday."))
BREL = Entity(id="E1", type="PERSON", name="Ana Brel",
              mentions=(Mention(span("Ana Brel")), Mention(span("Brel", 1))))
PREMIER = Entity(id="E2", type="PERSON", name="premier",
                 mentions=(Mention(span("premier"), kind=MentionKind.NOMINAL),))
VEY = Entity(id="E3", type="PERSON", name="Tomas Vey", mentions=(Mention(span("Tomas Vey")),))


def arg(entity: Entity, i: int = 0) -> EventArg:
    return EventArg(span=entity.mentions[i].span, entity=entity.id, name=entity.name)


def meeting(trigger: CharSpan, sentence: int, actor: EventArg | None, target: EventArg | None,
            day: str | None = None, factuality: Factuality = Factuality.ASSERTED) -> Event:
    date = EventDate(value=day, precision="day", source="text") if day else None
    return Event(id="", type="CONSULT", trigger=trigger, actor=actor, target=target, date=date,
                 sentence=sentence, factuality=factuality, confidence=0.6)


def test_political_entities_and_debris_sentences() -> None:
    share = Event(id="", type="COOPERATE", trigger=span("share"), sentence=0, confidence=0.9)
    met = meeting(span("met"), 1, arg(BREL), arg(PREMIER))
    ctx = vet_context(TEXT, SENTENCES, [BREL, PREMIER, VEY], [], "2031-06-10", [share, met])
    # "President Ana Brel" and "Kestria's premier" are political by their words; a footballer is not
    assert ctx.political == frozenset({"E1", "E2"})
    assert ctx.debris == frozenset({0})
    # only the sentences that hold a candidate are read: the share prompt is debris where it holds one
    assert vet_context(TEXT, SENTENCES, [BREL], [], None, [met]).debris == frozenset()


def test_features_describe_arguments_debris_and_repeats() -> None:
    first = meeting(span("met"), 1, arg(BREL), arg(PREMIER), "2031-06-09")
    again = meeting(span("met", 1), 2, None, None)
    share = Event(id="", type="COOPERATE", trigger=span("share"), sentence=0, confidence=0.9)
    ctx = vet_context(TEXT, SENTENCES, [BREL, PREMIER, VEY], [], "2031-06-10", [first, again, share])
    f_first, f_again, f_share = candidate_features(ctx, [first, again, share])
    assert f_first["actor_political"] == 1.0 and f_first["target_political"] == 1.0
    assert f_first["date_src=text"] == 1.0 and "actor=none" not in f_first
    assert f_again["actor=none"] == 1.0 and f_again["prior_same_type_log"] > 0
    assert f_share["sent_debris"] == 1.0 and f_share["no_political_arg"] == 1.0


def test_vetter_scores_with_its_weights() -> None:
    e = meeting(span("met"), 1, arg(BREL), arg(PREMIER))
    ctx = vet_context(TEXT, SENTENCES, [BREL, PREMIER], [], None, [e])
    assert EventVetter(weights={"bias": 3.0}, threshold=0.5).scores(ctx, [e])[0] > 0.9
    vetter = EventVetter(weights={"bias": -3.0, "actor_political": 1.0}, threshold=0.5)
    assert vetter.scores(ctx, [e])[0] < 0.2


def test_one_happening_told_twice_is_one_event_with_both_mentions() -> None:
    lede = meeting(span("met"), 1, arg(BREL), arg(PREMIER), "2031-06-09")
    retold = meeting(span("met", 1), 2, None, None)
    merged = merge_happenings([lede, retold], [0.9, 0.5])
    assert len(merged) == 1
    event, score, mentions = merged[0]
    assert event.trigger == lede.trigger and score == 0.9 and mentions == (retold,)
    assert event.evidence == (retold.trigger,)
    assert all(TEXT[s.start:s.end] == s.text for s in event.spans())


def test_one_word_read_twice_is_one_event_dated_by_either_reading() -> None:
    # the finder's reading of a cue and the speech stage's: sentences are counted from the quotation's start
    # for one of them, yet the word is one mention, whose date the text gives in one reading only
    found = meeting(span("met"), 5, arg(BREL), None)
    found = replace(found, date=EventDate(value="2031-06-10", precision="day", source="published"))
    spoken = meeting(span("met"), 1, arg(BREL), arg(PREMIER), "2031-06-09")
    at = frozenset({span("met").start})
    (merged,) = merge_happenings([found, spoken], [0.9, 0.8], utterances=at)
    event = merged[0]
    assert event.date is not None and (event.date.value, event.date.source) == ("2031-06-09", "text")
    assert event.target == spoken.target
    # two different words that far apart stay two things said
    other = meeting(span("met", 1), 1, arg(BREL), arg(PREMIER), "2031-06-09")
    twice = frozenset({span("met").start, span("met", 1).start})
    assert len(merge_happenings([found, other], [0.9, 0.8], utterances=twice)) == 2


def test_an_attack_by_an_unnamed_bomber_and_the_groups_claim_of_it_are_one_happening() -> None:
    # "A suicide bomber rammed a truck into the consulate ... The Varnak Front said it carried out the
    # attack": a word for the attacker is no other party than the group that claims it, whose name is kept
    text = ("A suicide bomber rammed a truck into the consulate on Monday. "
            "The Varnak Front said it carried out the attack.")
    front = Entity(id="E1", type="ORG", name="Varnak Front",
                   mentions=(Mention(words_at(text, "Varnak Front")),))
    rammed = Event(id="", type="ASSAULT", trigger=words_at(text, "rammed"),
                   actor=named(text, "A suicide bomber"), target=named(text, "the consulate"), sentence=0,
                   date=EventDate(value="2031-06-09", precision="day", source="text"))
    claimed = Event(id="", type="ASSAULT", trigger=words_at(text, "attack"),
                    actor=EventArg(span=words_at(text, "Varnak Front"), entity=front.id, name=front.name),
                    sentence=1)
    (merged,) = merge_happenings([rammed, claimed], [0.9, 0.8])
    event = merged[0]
    assert event.trigger == rammed.trigger and event.actor is not None and event.actor.entity == "E1"
    assert event.target == rammed.target
    # two named attackers stay two attacks
    other = replace(claimed, actor=named(text, "The Varnak Front"), target=named(text, "truck"))
    assert len(merge_happenings([replace(rammed, actor=named(text, "consulate")), other], [0.9, 0.8])) == 2


def test_a_happening_told_in_the_past_perfect_is_an_earlier_occasion() -> None:
    # "Brel had met the premier" (before the news) and "Brel met the premier" (the news) are two meetings;
    # two past-perfect mentions may still be one
    now = meeting(span("met"), 1, arg(BREL), arg(PREMIER))
    before = meeting(span("met", 1), 2, arg(BREL), arg(PREMIER))
    assert len(merge_happenings([now, before], [0.8, 0.7])) == 1
    assert len(merge_happenings([now, before], [0.8, 0.7], background=frozenset({before.trigger.start}))) == 2
    both = frozenset({now.trigger.start, before.trigger.start})
    assert len(merge_happenings([now, before], [0.8, 0.7], background=both)) == 1
    from eventwire.nlp.events.vet import _PLUPERFECT

    for told, past in (("Vey had denounced", True), ("Vey had previously met", True),
                       ("Vey has denounced", False), ("the head of the party denounced", False)):
        assert (_PLUPERFECT.search(told, 0, told.rindex(" ") + 1) is not None) is past, told


def test_symmetric_meeting_told_from_the_other_side_merges() -> None:
    a = meeting(span("met"), 1, arg(BREL), arg(PREMIER))
    b = meeting(span("met", 1), 2, arg(PREMIER), arg(BREL))
    assert len(merge_happenings([a, b], [0.7, 0.8])) == 1


def test_a_mention_without_an_actor_gives_no_target() -> None:
    # "the [investigation]" that names no actor only tells the happening back: whom its own phrase names (the
    # premier here) is no party of the kept mention, which keeps no target rather than a guessed one
    told = meeting(span("met", 1), 2, arg(BREL, 1), None)
    retold = meeting(span("met"), 1, None, arg(PREMIER))
    (event, _, mentions), = merge_happenings([told, retold], [0.9, 0.6])
    assert mentions == (retold,) and event.target is None


def test_a_merged_mention_never_gives_the_kept_one_its_own_actor_as_target() -> None:
    # a meeting told by Brel, and another mention of it that lost its actor and has Brel as target: the
    # meeting's other side is the premier where a mention names him, never Brel with herself
    told = meeting(span("met", 1), 2, arg(BREL, 1), None)
    other = meeting(span("met"), 1, None, arg(BREL))
    (event, _, _), = merge_happenings([told, other], [0.9, 0.6])
    assert event.target is None
    swapped = meeting(span("met"), 1, arg(PREMIER), arg(BREL))
    (event, _, _), = merge_happenings([told, swapped], [0.9, 0.6])
    assert event.target is not None and event.target.entity == PREMIER.id


def test_different_partners_days_or_sureness_stay_apart() -> None:
    monday = meeting(span("met"), 1, arg(BREL), arg(PREMIER), "2031-06-09")
    tuesday = meeting(span("met", 2), 3, arg(BREL, 1), arg(VEY), "2031-06-10")
    assert len(merge_happenings([monday, tuesday], [0.8, 0.8])) == 2
    same_pair_other_day = meeting(span("met", 1), 2, arg(BREL), arg(PREMIER), "2031-06-11")
    assert len(merge_happenings([monday, same_pair_other_day], [0.8, 0.8])) == 2
    alleged = meeting(span("met", 1), 2, arg(BREL), arg(PREMIER), factuality=Factuality.ALLEGED)
    assert len(merge_happenings([monday, alleged], [0.8, 0.8])) == 2


def _dated(event: Event, value: str, precision: str) -> Event:
    return replace(event, date=EventDate(value=value, precision=precision, source="text"))


def test_a_year_or_month_of_its_own_keeps_a_background_happening_apart() -> None:
    monday = meeting(span("met"), 1, arg(BREL), arg(PREMIER), "2031-06-09")
    back = meeting(span("met", 1), 2, arg(BREL), arg(PREMIER))
    # "the two leaders met in 2027" is another meeting; "met in June" may be Monday's
    assert len(merge_happenings([monday, _dated(back, "2027", "year")], [0.8, 0.8])) == 2
    assert len(merge_happenings([monday, _dated(back, "2031-05", "month")], [0.8, 0.8])) == 2
    assert len(merge_happenings([monday, _dated(back, "2031-06", "month")], [0.8, 0.8])) == 1
    assert len(merge_happenings([monday, _dated(back, "2031", "year")], [0.8, 0.8])) == 1
    # a date the article supplies (its anchor day, publication) says nothing of which happening it is
    fallback = replace(back, date=EventDate(value="2027-01-01", precision="day", source="published"))
    assert len(merge_happenings([monday, fallback], [0.8, 0.8])) == 1


def test_undated_event_takes_a_mentions_date_else_the_ledes_anchor_day() -> None:
    monday = TimeExpr(id="T1", span=span("Monday"), type="DATE", value="2031-06-09", precision="day",
                      sentence=1)
    fallback = EventDate(value="2031-06-10", precision="day", source="published")
    e = replace(meeting(span("met", 1), 2, None, None), date=fallback)
    (dated,) = anchor_dates([e], [monday], "2031-06-10T08:00:00")
    assert dated.date is not None and (dated.date.value, dated.date.source) == ("2031-06-09", "article")
    own = meeting(span("met"), 1, None, None, "2031-06-08")
    (from_mention,) = anchor_dates([e], [monday], "2031-06-10", [[own]])
    assert from_mention.date == own.date
    # a date in the lede more than a week before publication is background, not the anchor
    (kept,) = anchor_dates([e], [monday], "2031-07-30")
    assert kept.date == fallback


def test_a_year_or_month_is_made_finer_by_a_mention_inside_it_only() -> None:
    monday = TimeExpr(id="T1", span=span("Monday"), type="DATE", value="2031-06-09", precision="day",
                      sentence=1)
    year = _dated(meeting(span("met", 1), 2, arg(BREL), arg(PREMIER)), "2027", "year")
    march = _dated(meeting(span("met"), 1, None, None), "2027-03", "month")
    day = _dated(meeting(span("met"), 1, None, None), "2027-03-04", "day")
    other = _dated(meeting(span("met"), 1, None, None), "2028-03-04", "day")
    # "met [in 2027]" ... "the two met [on March 4, 2027]": the day, the finest that lies inside the year
    (got,) = anchor_dates([year], [monday], "2031-06-10", [[march, other, day]])
    assert got.date == day.date
    (got,) = anchor_dates([year], [monday], "2031-06-10", [[other]])
    assert got.date == year.date
    # a day is never moved, nor a date a mention gives after the paper's day
    (got,) = anchor_dates([day], [monday], "2031-06-10", [[replace(day, date=other.date)]])
    assert got.date == day.date
    late = _dated(meeting(span("met"), 1, None, None), "2031-07-01", "day")
    (got,) = anchor_dates([_dated(year, "2031", "year")], [monday], "2031-06-10", [[late]])
    assert got.date is not None and got.date.value == "2031"


def test_a_date_after_publication_is_not_a_done_events_date() -> None:
    # "Wed, November 30" from a related-stories teaser glued to the sentence: the lede's anchor day instead
    monday = TimeExpr(id="T1", span=span("Monday"), type="DATE", value="2031-06-09", precision="day",
                      sentence=1)
    teaser = meeting(span("met", 1), 2, None, None, "2031-06-30")
    (dated,) = anchor_dates([teaser], [monday], "2031-06-10")
    assert dated.date is not None and (dated.date.value, dated.date.source) == ("2031-06-09", "article")
    planned = replace(teaser, factuality=Factuality.PLANNED)
    assert anchor_dates([planned], [monday], "2031-06-10")[0].date == planned.date
    # at a month's or a year's precision too ("welcomed by allies in 2040" of a 2031 paper); not the month
    # or year the paper is in
    for value, precision, moved in (("2031-07", "month", True), ("2040", "year", True),
                                    ("2031-06", "month", False), ("2031", "year", False)):
        done = replace(teaser, date=EventDate(value=value, precision=precision, source="text"))
        (got,) = anchor_dates([done], [monday], "2031-06-10")
        assert got.date is not None and (got.date.value == "2031-06-09") is moved


def test_first_person_actor_in_a_quotation_is_the_speaker() -> None:
    text = '"We will meet the strikers," Ana Brel said.'
    we = CharSpan.of(text, 1, 3)
    brel = Entity(id="E1", type="PERSON", name="Ana Brel", mentions=(Mention(CharSpan.of(text, 29, 37)),))
    quote = Attribution(id="A1", kind=AttributionKind.DIRECT, content=(CharSpan.of(text, 0, 28),),
                        source=CharSpan.of(text, 29, 37), source_entity="E1")
    e = Event(id="", type="AGREE", trigger=CharSpan.of(text, 9, 13), actor=EventArg(span=we), sentence=0)
    ctx = vet_context(text, (CharSpan.of(text, 0, len(text)),), [brel], [quote], None, [e])
    (fixed,) = repair_arguments(ctx, [e])
    assert fixed.actor is not None and fixed.actor.entity == "E1" and fixed.actor.span is not None
    assert fixed.actor.span.text == "Ana Brel"


def test_the_anchor_is_the_latest_day_the_lede_names_within_the_week() -> None:
    # "Brel, who met the premier on Monday, met Vey on Tuesday": the lede's news is Tuesday's
    monday = TimeExpr(id="T1", span=span("Monday"), type="DATE", value="2031-06-09", precision="day",
                      sentence=1)
    tuesday = TimeExpr(id="T2", span=span("Tuesday"), type="DATE", value="2031-06-10", precision="day",
                       sentence=3)
    fallback = EventDate(value="2031-06-11", precision="day", source="published")
    e = replace(meeting(span("met", 1), 2, None, None), date=fallback)
    (dated,) = anchor_dates([e], [monday, tuesday], "2031-06-11")
    assert dated.date is not None and (dated.date.value, dated.date.source) == ("2031-06-10", "article")


def test_a_day_the_lede_names_as_another_happenings_is_no_anchor() -> None:
    # "... shortly before [Monday]'s vote": the vote's day, not the news's; the fallback stands
    text = "Brel blamed the board on Friday night, shortly before Monday's vote."
    monday = TimeExpr(id="T1", span=CharSpan.of(text, text.index("Monday"), text.index("Monday") + 6),
                      type="DATE", value="2031-06-09", precision="day", sentence=0)
    fallback = EventDate(value="2031-06-11", precision="day", source="published")
    e = replace(meeting(span("met", 1), 2, None, None), date=fallback)
    (kept,) = anchor_dates([e], [monday], "2031-06-11", None, text)
    assert kept.date == fallback
    (anchored,) = anchor_dates([e], [monday], "2031-06-11")  # without the text, as before
    assert anchored.date is not None and anchored.date.value == "2031-06-09"


def test_two_speech_acts_far_apart_stay_two_near_ones_merge() -> None:
    # one speaker praising one person in the lede and again three sentences on: two things said
    first = replace(meeting(span("met"), 0, arg(BREL), arg(PREMIER)), type="SUPPORT")
    later = replace(meeting(span("met", 2), 3, arg(BREL, 1), arg(PREMIER)), type="SUPPORT")
    cues = frozenset({first.trigger.start, later.trigger.start})
    assert len(merge_happenings([first, later], [0.9, 0.8], cues)) == 2
    near = replace(later, sentence=1)
    assert len(merge_happenings([first, near], [0.9, 0.8], cues)) == 1
    # not speech acts (no cue): one happening however far apart
    assert len(merge_happenings([first, later], [0.9, 0.8])) == 1


def test_a_weak_mention_of_a_kept_happening_is_evidence_only() -> None:
    lede = meeting(span("met"), 1, arg(BREL), arg(PREMIER), "2031-06-09")
    retold = meeting(span("met", 1), 2, None, None, "2031-06-09")
    ctx = vet_context(TEXT, SENTENCES, [BREL, PREMIER], [], None, [lede, retold])
    vetter = EventVetter(weights={"bias": -0.5, "actor_political": 1.0, "actor_entity=PERSON": 1.0},
                         threshold=0.6)
    scores = vetter.scores(ctx, [lede, retold])
    assert scores[0] >= 0.6 > scores[1] >= 0.3  # kept / weak but above half the threshold
    ((event, _, parts),) = vet(ctx, [lede, retold], vetter)
    assert event.trigger == lede.trigger and retold.trigger in event.evidence and parts == ()


def test_a_weak_mention_is_evidence_for_one_happening_only() -> None:
    # two meetings kept; "the two leaders met" names nobody (evidence of one of them, not of both), and a
    # mention naming the premier is the premier's meeting's, however near the other one it is
    premier = meeting(span("met"), 1, arg(BREL), arg(PREMIER), "2031-06-09")
    striker = meeting(span("met", 2), 3, arg(BREL, 1), arg(VEY), "2031-06-10")
    nobody = meeting(span("met", 1), 2, None, None)
    ctx = vet_context(TEXT, SENTENCES, [BREL, PREMIER, VEY], [], None, [premier, striker, nobody])
    vetter = EventVetter(weights={"bias": -0.5, "actor_political": 1.0, "actor_entity=PERSON": 1.0},
                         threshold=0.6)
    got = vet(ctx, [premier, striker, nobody], vetter)
    assert len(got) == 2
    assert sum(nobody.trigger in e.evidence for e, _, _ in got) == 1
    of_premier = replace(nobody, target=arg(PREMIER))
    got = vet(ctx, [premier, striker, of_premier], vetter)
    holders = [e.trigger for e, _, _ in got if of_premier.trigger in e.evidence]
    assert holders == [premier.trigger]


def test_dateline_place_for_the_days_events_only() -> None:
    from eventwire.nlp.events.vet import dateline_place, dateline_places

    text = "Talks collapse\n\nLIRRA, Kestria (Wire) -- Ana Brel met the premier on Monday."
    sents = (CharSpan.of(text, 0, len(text)),)
    at = text.index("Kestria")
    kestria = Entity(id="E1", type="GPE", name="Kestria", mentions=(Mention(CharSpan.of(text, at, at + 7)),))
    ctx = vet_context(text, sents, [kestria], [], "2031-06-10", [])
    where = dateline_place(ctx)
    assert where is not None and where.span is not None and where.span.text == "Kestria"
    trig = CharSpan.of(text, text.index("met"), text.index("met") + 3)
    today = meeting(trig, 0, None, None, "2031-06-09")
    background = meeting(trig, 0, None, None, "2031-05-01")
    placed, kept = dateline_places(ctx, [today, background])
    assert placed.place == where and kept.place is None
    # no dateline: nothing placed
    plain = vet_context("Ana Brel met the premier on Monday.", (CharSpan.of(text, 0, 0),), [], [], None, [])
    assert dateline_place(plain) is None


def test_an_attack_aimed_at_a_place_happened_there() -> None:
    from eventwire.nlp.events.vet import target_places

    text = ("Rebels shelled the eastern town of Lirra and shot the governor of Varn province on Monday. "
            "Gunboats fired at a ship from Varn. Jets struck Chad.")

    def place_entity(eid: str, name: str) -> Entity:
        mentions = tuple(Mention(CharSpan.of(text, m.start(), m.end())) for m in re.finditer(name, text))
        return Entity(id=eid, type="GPE", name=name, mentions=mentions)

    lirra, varn, chad = place_entity("E1", "Lirra"), place_entity("E2", "Varn"), place_entity("E3", "Chad")

    def attack(trigger: str, target: str) -> Event:
        at = text.index(target)
        return Event(id="", type="ASSAULT", trigger=words_at(text, trigger), sentence=0, confidence=0.9,
                     target=EventArg(span=CharSpan.of(text, at, at + len(target))))

    town = attack("shelled", "the eastern town of Lirra")
    governor = attack("shot", "the governor of Varn province")  # ends with "province", not the place
    ship = attack("fired", "a ship from Varn")  # ends with the place, but a ship is whom it was aimed at
    country = attack("struck", "Chad")  # a state attacked: whom, not where
    placed, *unplaced = target_places(text, [lirra, varn, chad], [town, governor, ship, country])
    assert placed.place is not None and placed.place.span is not None and placed.place.span.text == "Lirra"
    assert [e.place for e in unplaced] == [None, None, None]
    # a meeting with a place's people is no meeting in that place
    (talks,) = target_places(text, [lirra, varn, chad], [replace(town, type="CONSULT")])
    assert talks.place is None


def test_a_name_with_a_campaign_or_government_of_its_own_is_political() -> None:
    # "Vey's campaign": no title before the name, but what the name owns makes it a political actor; a
    # footballer's "Vey's goal" does not
    text = "Ana Brel's goal won the match. Tomas Vey spoke on Monday. Vey's campaign said it would go on."
    brel = Entity(id="E2", type="PERSON", name="Ana Brel", mentions=(Mention(CharSpan.of(text, 0, 8)),))
    at = text.index("Tomas Vey")
    again = text.index("Vey's")
    vey = Entity(id="E1", type="PERSON", name="Tomas Vey",
                 mentions=(Mention(CharSpan.of(text, at, at + 9)),
                           Mention(CharSpan.of(text, again, again + 3))))
    ctx = vet_context(text, (CharSpan.of(text, 0, len(text)),), [vey, brel], [], None, [])
    assert ctx.political == frozenset({"E1"})


VISITS = ("Senator Ana Brel visited Wexford on Monday. President Tomas Vey visited Kestria on Tuesday. "
          "Brel spoke in Wexford, Zorland.")


def _visit(place: Entity, nth: int) -> Event:
    at = -1
    for _ in range(nth + 1):
        at = VISITS.index("visited", at + 1)
    return Event(id="", type="CONSULT", trigger=CharSpan.of(VISITS, at, at + 7),
                 target=EventArg(span=place.mentions[0].span, entity=place.id, name=place.name),
                 sentence=nth, confidence=0.9)


def test_a_visit_to_a_place_at_home_is_no_meeting_a_visit_abroad_is() -> None:
    # a senator touring a town of her own country campaigns; a president in another country meets it
    def mention(word: str) -> Mention:
        return Mention(words_at(VISITS, word))

    town = Entity(id="E1", type="GPE", name="Wexford", country="ZZA", mentions=(mention("Wexford"),))
    home = Entity(id="E2", type="GPE", name="Zorland", country="ZZA", mentions=(mention("Zorland"),))
    abroad = Entity(id="E3", type="GPE", name="Kestria", country="ZZB", mentions=(mention("Kestria"),))
    sents = (CharSpan.of(VISITS, 0, 43), CharSpan.of(VISITS, 44, 90), CharSpan.of(VISITS, 91, len(VISITS)))
    events = [_visit(town, 0), _visit(abroad, 1)]
    ctx = vet_context(VISITS, sents, [town, home, abroad], [], None, events)
    assert [e.target.name for e in kept_by_rules(ctx, events) if e.target is not None] == ["Kestria"]


def test_a_share_of_a_population_is_a_polls_result_not_an_actor() -> None:
    # "only 32 percent of Zorlanders opposed the tax": nobody opposed anyone; "200 farmers opposed" acted
    text = ("Only 32 percent of Zorlanders opposed the tax. Some 200 farmers opposed the tax in Lirra. "
            "Nearly 8 in 10 in Wexford opposed the tax.")
    sents = split_at(text, 47, text.index("Nearly"))

    def opposed(actor: str, sentence: int) -> Event:
        return Event(id="", type="ACCUSE", trigger=words_at(text, "opposed", sentence),
                     actor=named(text, actor), sentence=sentence, confidence=0.9)

    # "nearly 8 in 10": the parser's actor may stop at the number
    events = [opposed("Only 32 percent of Zorlanders", 0), opposed("Some 200 farmers", 1),
              opposed("Nearly 8", 2)]
    ctx = vet_context(text, sents, [], [], None, events)
    assert [e.actor.name for e in kept_by_rules(ctx, events) if e.actor is not None] == ["Some 200 farmers"]


def test_a_target_in_a_sentences_credit_or_caption_label_is_cut_or_dropped() -> None:
    # "(Photo: Dara Quell, AP) LIRRA -- President Ana Brel praised ...": the photographer is nobody the event
    # is done to; "GETTY IMAGES Tomas Vey ..." is Tomas Vey
    text = ("(Photo: Dara Quell, AP) LIRRA -- President Ana Brel praised the rescuers. "
            "GETTY IMAGES Tomas Vey was accused by the council.")
    events = [Event(id="", type="SUPPORT", trigger=words_at(text, "praised"),
                    actor=named(text, "President Ana Brel"), target=named(text, "Dara Quell"), sentence=0),
              Event(id="", type="ACCUSE", trigger=words_at(text, "accused"),
                    actor=named(text, "the council"), target=named(text, "GETTY IMAGES Tomas Vey"),
                    sentence=1)]
    ctx = vet_context(text, split_at(text, text.index("GETTY")), [], [], None, events)
    credit, caption = repair_arguments(ctx, events)
    assert credit.target is None
    assert caption.target is not None and caption.target.span is not None
    assert caption.target.span.text == "Tomas Vey"


def test_an_actor_that_is_only_the_dateline_gives_way_to_the_names_after_it() -> None:
    # "LIRRA (Wire) -- Governor Ana Brel and Speaker Tomas Vey pledged ...": where the parser took the
    # dateline for the subject, the names between it and the trigger act (one with the other: symmetric);
    # words that are not names only ("the two leaders") are no actor found this way
    text = ("LIRRA (Wire) -- Governor Ana Brel and Speaker Tomas Vey pledged to work together. "
            "LIRRA (Wire) -- the two leaders pledged to work together.")
    brel = Entity(id="E1", type="PERSON", name="Ana Brel", mentions=(Mention(words_at(text, "Ana Brel")),))
    vey = Entity(id="E2", type="PERSON", name="Tomas Vey", mentions=(Mention(words_at(text, "Tomas Vey")),))
    events = [Event(id="", type="AGREE", trigger=words_at(text, "pledged", nth),
                    actor=EventArg(span=words_at(text, "LIRRA", nth), name="LIRRA"), sentence=nth)
              for nth in (0, 1)]
    ctx = vet_context(text, split_at(text, text.index("LIRRA", 5)), [brel, vey], [], None, events)
    names, plain = repair_arguments(ctx, events)
    assert names.actor is not None and names.actor.entity == "E1", names.actor
    assert names.target is not None and names.target.entity == "E2", names.target
    assert plain.actor is None


def test_one_politicians_attack_on_another_is_an_accusation_a_gunmans_is_not() -> None:
    # "Senator Brel attacked Governor Vey over the budget": words, not force (data/plover_verbal.tsv); the
    # gunmen who attacked the governor used force, and so did a senator who attacked a footballer's car
    text = ("Senator Ana Brel attacked Governor Tomas Vey over the budget. "
            "Gunmen attacked Governor Tomas Vey in Lirra. Brel attacked Dara Quell's car.")
    sents = split_at(text, text.index("Gunmen"), text.rindex("Brel attacked"))

    def at(word: str, nth: int = 0) -> CharSpan:
        return words_at(text, word, nth)

    brel = Entity(id="E1", type="PERSON", name="Ana Brel",
                  mentions=(Mention(at("Ana Brel")), Mention(at("Brel", 1))))
    vey = Entity(id="E2", type="PERSON", name="Tomas Vey",
                 mentions=(Mention(at("Tomas Vey")), Mention(at("Tomas Vey", 1))))
    quell = Entity(id="E3", type="PERSON", name="Dara Quell", mentions=(Mention(at("Dara Quell")),))

    def attack(nth: int, actor: EventArg, target: EventArg, sentence: int) -> Event:
        return Event(id="", type="ASSAULT", trigger=at("attacked", nth), actor=actor, target=target,
                     sentence=sentence, confidence=0.9)

    events = [attack(0, EventArg(span=at("Senator Ana Brel"), entity="E1", name="Ana Brel"),
                     EventArg(span=at("Governor Tomas Vey"), entity="E2", name="Tomas Vey"), 0),
              attack(1, named(text, "Gunmen"),
                     EventArg(span=at("Governor Tomas Vey", 1), entity="E2", name="Tomas Vey"), 1),
              attack(2, EventArg(span=at("Brel", 1), entity="E1", name="Ana Brel"),
                     EventArg(span=at("Dara Quell's car"), entity="E3", name="Dara Quell"), 2)]
    ctx = vet_context(text, sents, [brel, vey, quell], [], None, events)
    assert ctx.political == frozenset({"E1", "E2"})
    assert [e.type for e in repair_arguments(ctx, events)] == ["ACCUSE", "ASSAULT", "ASSAULT"]


def test_a_photo_copyright_line_is_never_the_actor() -> None:
    # "Image copyright Lirra Press Agency He ... met ...": the parser may take "copyright" for the subject;
    # "Image copyright Getty Images Image caption Mr Vey met ..." is Mr Vey
    text = ("Image copyright Lirra Press Agency He, along with Ana Brel, then met the speaker. "
            "Image copyright Getty Images Image caption Mr Vey met the council.")
    events = [Event(id="", type="CONSULT", trigger=words_at(text, "met"), actor=named(text, "copyright"),
                    sentence=0),
              Event(id="", type="CONSULT", trigger=words_at(text, "met", 1),
                    actor=named(text, "Getty Images Image caption Mr Vey"), sentence=1)]
    ctx = vet_context(text, split_at(text, text.index("Image copyright Getty")), [], [], None, events)
    first, second = repair_arguments(ctx, events)
    assert first.actor is None
    assert second.actor is not None and second.actor.span is not None and second.actor.span.text == "Mr Vey"


def test_a_media_caption_label_is_debris_and_never_part_of_the_actor() -> None:
    # a video's caption run into the page ("Media caption Vey meets the council ..."): the label is no name
    text = "Brel spoke for an hour. Media caption Vey meets the council Brel left at noon."
    meets = Event(id="", type="CONSULT", trigger=words_at(text, "meets"),
                  actor=named(text, "Media caption Vey"), sentence=1)
    ctx = vet_context(text, split_at(text, text.index("Media")), [], [], None, [meets])
    assert ctx.debris == frozenset({1})
    (repaired,) = repair_arguments(ctx, [meets])
    actor = repaired.actor
    assert actor is not None and actor.span is not None and actor.span.text == "Vey"


def _lede_case() -> tuple[str, TimeExpr, TimeExpr, Event]:
    """A lede behind four label, byline and dateline fragments, its day named; then "the end of the day"."""
    text = ("ABSTRACT. FULL TEXT. By Ines Okafor. LIRRA. Brel met Tomas Vey in Lirra on Tuesday. Brel spoke "
            "for an hour. By the end of the day the two had met the board.")
    tuesday = TimeExpr(id="T1", span=words_at(text, "Tuesday"), type="DATE", value="2031-06-10",
                       precision="day", sentence=4)
    end_of_day = TimeExpr(id="T2", span=words_at(text, "the end of the day"), type="DATE", value="2031-06-12",
                          precision="day", anchored=True, sentence=6)
    fallback = EventDate(value="2031-06-11", precision="day", source="published")
    e = Event(id="", type="CONSULT", trigger=words_at(text, "met", 1), sentence=6, date=fallback)
    return text, tuesday, end_of_day, e


def _lede_sentences(text: str) -> tuple[CharSpan, ...]:
    return split_at(text, *(text.index(s) for s in ("FULL", "By Ines", "LIRRA", "Brel met", "Brel spoke",
                                                     "By the end")))


def test_fragments_before_the_lede_do_not_push_its_day_out_of_reach() -> None:
    # "ABSTRACT.", "FULL TEXT.", a byline: once blank lines end sentences they stand alone; the lede is still
    # the first sentences of words
    text, tuesday, _, e = _lede_case()
    sentences = _lede_sentences(text)
    (dated,) = anchor_dates([e], [tuesday], "2031-06-12", None, text, sentences)
    assert dated.date is not None and (dated.date.value, dated.date.source) == ("2031-06-10", "article")
    (counted,) = anchor_dates([e], [tuesday], "2031-06-12", None, text)  # by sentence index alone: beyond
    assert counted.date == e.date


def test_the_end_of_the_day_is_no_anchor_of_its_own() -> None:
    # "by the end of the day" is the day the text has just named (the times layer reads it as the paper's
    # day): the latest day of the lede is still Tuesday
    text, tuesday, end_of_day, e = _lede_case()
    sentences = _lede_sentences(text)
    (dated,) = anchor_dates([e], [tuesday, end_of_day], "2031-06-12", None, text, sentences)
    assert dated.date is not None and dated.date.value == "2031-06-10"


def test_a_bare_role_is_the_same_party_only_as_that_role() -> None:
    # "the president talked" (Tuesday) is not the vice president's meeting (Monday) by their shared word
    # "president": a bare role names whoever holds it, so it joins a named party only of the same role
    text = ("Vice President Ana Brel met Tomas Vey on Monday. The president talked on Tuesday. "
            "President Kiri Lund and Vice President-elect Oren Dal met.")
    brel_vey = meeting(words_at(text, "met"), 0, named(text, "Vice President Ana Brel"),
                       named(text, "Tomas Vey"), "2031-06-09")
    talked = meeting(words_at(text, "talked"), 1, named(text, "president"), None, "2031-06-10")
    assert len(merge_happenings([brel_vey, talked], [0.9, 0.6])) == 2
    # the same role, or one of a list of parties, is the same party; names decide over titles
    parties = named(text, "President Kiri Lund and Vice President-elect")
    lund_dal = meeting(words_at(text, "met", 1), 2, parties, None)
    assert len(merge_happenings([lund_dal, replace(talked, date=None)], [0.9, 0.6])) == 1
    assert len(merge_happenings([brel_vey, replace(lund_dal, target=named(text, "Tomas Vey"))],
                                [0.9, 0.6])) == 2


def test_an_undated_event_takes_the_time_that_opens_its_paragraph() -> None:
    text = ("Vey opened his campaign in Lirra on Tuesday.\n\n"
            "In December, Brel called for Vey to quit the race. Vey denounced Brel as a liar.\n\n"
            "Vey said he would win.")
    sentences = [CharSpan.of(text, m.start(), m.end()) for m in re.finditer(r"[^.\s][^.]*\.", text)]
    assert [s.text[:8] for s in sentences] == ["Vey open", "In Decem", "Vey deno", "Vey said"]
    tuesday = TimeExpr(id="T1", span=words_at(text, "Tuesday"), type="DATE", value="2031-06-10",
                       precision="day", sentence=0)
    december = TimeExpr(id="T2", span=words_at(text, "December"), type="DATE", value="2030-12",
                        precision="month", sentence=1)
    fallback = EventDate(value="2031-06-12", precision="day", source="published")

    def undated(word: str, si: int) -> Event:
        return Event(id="", type="ACCUSE", trigger=words_at(text, word), date=fallback, sentence=si)

    times = [tuesday, december]
    framed, news = anchor_dates([undated("denounced", 2), undated("would", 3)], times, "2031-06-12T09:00:00",
                                None, text, sentences)
    assert framed.date is not None and (framed.date.value, framed.date.source) == ("2030-12", "paragraph")
    # the next paragraph is the news day's again, and so is a sentence that names its own time
    (own,) = anchor_dates([undated("denounced", 2)], [*times, TimeExpr(
        id="T3", span=words_at(text, "liar"), type="DATE", value="2031-06-11", precision="day", sentence=2)],
        "2031-06-12T09:00:00", None, text, sentences)
    assert own.date is not None and own.date.source == "article"
    assert news.date is not None and news.date.source == "article"
    # a day of this week frames its paragraph too; a time after publication frames nothing
    for value, source in (("2031-06-08", "paragraph"), ("2031-06-20", "article")):
        day = replace(december, value=value, precision="day")
        (got,) = anchor_dates([undated("denounced", 2)], [tuesday, day], "2031-06-12T09:00:00", None, text,
                              sentences)
        assert got.date is not None and got.date.source == source, value
    # and a part of a day ("In the evening, ...": a TIME) as its day
    evening = replace(december, type="TIME", value="2031-06-11TEV", precision="day")
    (got,) = anchor_dates([undated("denounced", 2)], [tuesday, evening], "2031-06-12T09:00:00", None, text,
                          sentences)
    assert got.date is not None and (got.date.value, got.date.source) == ("2031-06-11", "paragraph")
