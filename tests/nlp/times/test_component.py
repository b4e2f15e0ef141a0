"""The "eventwire_times" component: finding, tense, anchoring, ids, spans (invented sentences only)."""

from __future__ import annotations

import itertools

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc

import eventwire.nlp.times.component  # noqa: F401  (registers the factory)
from eventwire.model import TimeExpr
from eventwire.nlp.extensions import register_extensions

MONDAY = "2025-12-01"  # the publication date the brief's examples use


@pytest.fixture(scope="module")
def blank() -> Language:
    """A tokenizer-only pipeline with our component: no tags, parse or entities (the regex finder alone)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("eventwire_times")
    return nlp


def run(nlp: Language, doc: Doc, published: str | None = MONDAY) -> tuple[TimeExpr, ...]:
    doc._.ew_published = published
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    times: tuple[TimeExpr, ...] = doc._.ew_times
    return times


def text_of(nlp: Language, text: str, published: str | None = MONDAY) -> tuple[TimeExpr, ...]:
    return run(nlp, nlp.make_doc(text), published)


def test_factory_is_registered_and_configurable() -> None:
    nlp = spacy.blank("en")
    pipe = nlp.add_pipe("eventwire_times", config={"date_order": "DMY"})
    assert "eventwire_times" in nlp.pipe_names
    assert getattr(pipe, "date_order", None) == "DMY"
    times = text_of(nlp, "The deal was signed on 07/04/2024 in Lisbon.")
    assert [(t.span.text, t.value) for t in times] == [("07/04/2024", "2024-04-07")]


def test_hand_built_parse_past_tense_saturday(blank: Language) -> None:
    """ "Rebels attacked the depot on Saturday ." with a hand-made parse: past tense, the Saturday before."""
    register_extensions()
    words = ["Rebels", "attacked", "the", "depot", "on", "Saturday", "."]
    doc = Doc(blank.vocab, words=words, spaces=[True, True, True, True, True, False, False],
              tags=["NNS", "VBD", "DT", "NN", "IN", "NNP", "."], pos=["NOUN", "VERB", "DET", "NOUN", "ADP",
                                                                    "PROPN", "PUNCT"],
              heads=[1, 1, 3, 1, 1, 4, 1], deps=["nsubj", "ROOT", "det", "dobj", "prep", "pobj", "punct"],
              ents=["O", "O", "O", "O", "O", "B-DATE", "O"])
    (t,) = run(blank, doc)
    assert (t.id, t.span.text, t.type, t.value, t.anchored) == ("T1", "Saturday", "DATE", "2025-11-29", True)
    assert doc.text[t.span.start:t.span.end] == "Saturday"


def test_hand_built_parse_future_tense_friday(blank: Language) -> None:
    register_extensions()
    words = ["Envoys", "will", "meet", "on", "Friday", "."]
    doc = Doc(blank.vocab, words=words, spaces=[True, True, True, True, False, False],
              tags=["NNS", "MD", "VB", "IN", "NNP", "."],
              pos=["NOUN", "AUX", "VERB", "ADP", "PROPN", "PUNCT"],
              heads=[2, 2, 2, 2, 3, 2], deps=["nsubj", "aux", "ROOT", "prep", "pobj", "punct"],
              ents=["O", "O", "O", "O", "B-DATE", "O"])
    (t,) = run(blank, doc)
    assert (t.span.text, t.value) == ("Friday", "2025-12-05")


def test_spacy_age_entity_is_not_a_time(blank: Language) -> None:
    register_extensions()
    words = ["The", "55", "-", "year", "-", "old", "mayor", "resigned", "yesterday", "."]
    spaces = [True, False, False, False, False, True, True, True, False, False]
    doc = Doc(blank.vocab, words=words, spaces=spaces,
              ents=["O", "B-DATE", "I-DATE", "I-DATE", "I-DATE", "I-DATE", "O", "O", "B-DATE", "O"])
    times = run(blank, doc)
    assert [(t.span.text, t.value) for t in times] == [("yesterday", "2025-11-30")]


def test_a_time_word_inside_a_name_is_part_of_the_name(blank: Language) -> None:
    register_extensions()
    words = ["Rana", "told", "USA", "TODAY", "she", "left", "today", "."]
    doc = Doc(blank.vocab, words=words, spaces=[True, True, True, True, True, True, False, False],
              ents=["B-PERSON", "O", "B-ORG", "I-ORG", "O", "O", "O", "O"])
    assert [(t.span.text, t.value) for t in run(blank, doc)] == [("today", MONDAY)]


def test_spacy_entity_joining_two_days_is_split(blank: Language) -> None:
    register_extensions()
    words = ["Talks", "ran", "Friday", "and", "Saturday", "."]
    doc = Doc(blank.vocab, words=words, spaces=[True, True, True, True, False, False],
              ents=["O", "O", "B-DATE", "I-DATE", "I-DATE", "O"])
    times = run(blank, doc)
    assert [t.span.text for t in times] == ["Friday", "Saturday"]
    assert [t.id for t in times] == ["T1", "T2"]


def test_regex_finder_without_a_model(blank: Language) -> None:
    text = ("Currently a berth costs $40 a week. Over the past 24 hours, crews worked at 06:15 and "
            "again on Monday night; inspections now happen daily and are planned for early next year. "
            "The 1990s were quieter; a 30-year-old dock was rebuilt in March 2019, three months after the "
            "storm.")
    got = {(t.span.text, t.value, t.type) for t in text_of(blank, text)}
    want = {
        ("Currently", "PRESENT_REF", "DATE"),
        ("a week", "P1W", "SET"),
        ("the past 24 hours", "PT24H", "DURATION"),
        ("06:15", "2025-12-01T06:15", "TIME"),
        ("now", "PRESENT_REF", "DATE"),
        ("daily", "P1D", "SET"),
        ("early next year", "2026", "DATE"),
        ("The 1990s", "199", "DATE"),
        ("March 2019", "2019-03", "DATE"),
        ("three months", "P3M", "DURATION"),
    }
    assert want <= got
    assert not any("30" in t[0] for t in got), "an age is not a time"


def test_ambiguous_words_are_left_alone(blank: Language) -> None:
    text = ("Protesters may march on the capital; a fall in prices would spring a trap. "
            "Officials said 1500 troops and 2,000 police were ready.")
    assert text_of(blank, text) == ()


def test_no_anchor_keeps_relative_values_unresolved(blank: Language) -> None:
    times = text_of(blank, "Yesterday the council met; it meets every Thursday.", published=None)
    assert [(t.span.text, t.value, t.anchored) for t in times] == [
        ("Yesterday", "", False), ("every Thursday", "XXXX-WXX-4", False)]


def test_dateline_is_the_anchor_when_publication_is_unknown(blank: Language) -> None:
    text = "Harbour strike ends\nMarch 4, 2030\nDockers went back to work today after a week-long strike."
    times = text_of(blank, text, published=None)
    values = {t.span.text: t.value for t in times}
    assert values["March 4, 2030"] == "2030-03-04"
    assert values["today"] == "2030-03-04"


def test_since_before_the_span_points_backwards(blank: Language) -> None:
    (t,) = text_of(blank, "Prices have risen since Monday.")
    assert (t.span.text, t.value) == ("Monday", "2025-11-24")


def test_ids_are_in_text_order_and_sentences_default_to_zero_without_a_parser(blank: Language) -> None:
    times = text_of(blank, "On Tuesday, and later on Thursday, and again yesterday.")
    assert [t.id for t in times] == [f"T{i}" for i in range(1, len(times) + 1)]
    assert [t.span.start for t in times] == sorted(t.span.start for t in times)
    assert all(t.sentence == 0 for t in times)


PHRASES = ["on Saturday", "last week", "three days ago", "December 1, 2025", "the 1990s", "now", "daily",
           "Monday night", "10 p.m. Wednesday", "the past 24 hours", "two-year", "55-year-old", "in October",
           "since Wednesday", "a couple of days", "Sept. 30", "12/01/2025", "earlier this month",
           "the weekend", "May", "march", "fall", "1999", "$1999", "a year", "the day before",
           "twenty four hours"]
FILLER = ["the", "minister", "said", ",", ".", "and", "troops", "arrived", "of", "in", "\n", "  ", "(", ")",
          "'s", "-", "5", "percent"]


@given(st.lists(st.sampled_from(PHRASES + FILLER), min_size=1, max_size=25),
       st.lists(st.sampled_from([" ", "", "  ", "\n", ", "]), min_size=25, max_size=25))
@settings(max_examples=150, deadline=None)
def test_every_span_is_exact_and_ids_are_dense(blank: Language, parts: list[str], seps: list[str]) -> None:
    text = "".join(p + s for p, s in zip(parts, seps, strict=False))
    times = text_of(blank, text)
    for i, t in enumerate(times, 1):
        assert t.id == f"T{i}"
        assert text[t.span.start:t.span.end] == t.span.text
        assert t.span.text == t.span.text.strip() and t.span.text
    starts = [t.span.start for t in times]
    assert starts == sorted(starts)
    for a, b in itertools.pairwise(times):
        assert a.span.end <= b.span.start, "time expressions never overlap"


# ---------------------------------------------------------------------------------------------------------
# with the small English model


@pytest.fixture(scope="module")
def sm() -> Language:
    from eventwire.nlp.build import model_name

    nlp = spacy.load(model_name())
    nlp.add_pipe("eventwire_times", after="ner")
    return nlp


@pytest.mark.model
def test_model_past_and_future_weekdays(sm: Language) -> None:
    text = ("Gunmen attacked a convoy on Saturday, officials said. "
            "The two ministers will meet on Friday to discuss the ceasefire.")
    times = text_of(sm, text)
    got = [(t.span.text, t.value, t.sentence) for t in times]
    assert ("Saturday", "2025-11-29", 0) in got
    assert ("Friday", "2025-12-05", 1) in got


@pytest.mark.model
@pytest.mark.parametrize(("text", "day", "value"), [
    # a purpose clause under a past verb happened with it; one still ahead, or a complement, looks ahead
    ("Brel called Vey to concede the election early on Wednesday.", "Wednesday", "2025-11-26"),
    ("The crew is on pace to complete the repairs on Wednesday.", "Wednesday", "2025-12-03"),
    ("The minister urged the rebels to lay down their arms on Wednesday.", "Wednesday", "2025-12-03"),
    # a participle on a noun has no tense of its own: its noun's verb's
    ("Senator Vey will follow Governor Ana Brel’s Tuesday speech denouncing his economic plans with a speech "
     "of his own Wednesday morning.", "Wednesday morning", "2025-12-03TMO"),
], ids=["called-to-concede", "on-pace-to", "urged-to", "participle-on-a-noun"])
def test_model_a_purpose_clause_takes_its_verbs_tense(sm: Language, text: str, day: str, value: str) -> None:
    assert {t.span.text: t.value for t in text_of(sm, text)}[day] == value


@pytest.mark.model
@pytest.mark.parametrize(("text", "day", "value"), [
    # a plan told in the past perfect was one of the past: its day is behind the report
    ("The truce had been due to end Friday evening, but both sides kept to it.", "Friday evening",
     "2025-11-28TEV"),
    ("Voting had been scheduled to close at midnight Friday in Lirra.", "midnight Friday",
     "2025-11-28T24:00"),
    # one told in the present is still ahead
    ("The talks are scheduled to start on Friday.", "Friday", "2025-12-05"),
], ids=["had-been-due", "had-been-scheduled", "are-scheduled"])
def test_model_a_plan_in_the_past_perfect_looks_back(sm: Language, text: str, day: str, value: str) -> None:
    assert {t.span.text: t.value for t in text_of(sm, text)}[day] == value


@pytest.mark.model
def test_model_article(sm: Language) -> None:
    text = ("The 62-year-old governor resigned on Sunday night after three months of protests. "
            "Unemployment rose to 9 percent last year and has risen every month since Wednesday, "
            "the agency said at 3 p.m. Prices are now 20 percent higher than in October.")
    times = text_of(sm, text)
    got = {t.span.text: t.value for t in times}
    assert got.get("Sunday night") == "2025-11-30TNI"
    assert got.get("three months") == "P3M"
    assert got.get("last year") == "2024"
    assert got.get("now") == "PRESENT_REF"
    assert got.get("October") == "2025-10"
    assert got.get("3 p.m.") == "2025-12-01T15:00"
    assert not any("62" in k for k in got)
    assert [t.sentence for t in times] == sorted(t.sentence for t in times)
    for t in times:
        assert text[t.span.start:t.span.end] == t.span.text


def test_the_readers_date_order_reaches_the_times_layer(blank: Language) -> None:
    """"3/4/2026" in an article that also writes "25/12/2025" is the 3rd of April (readers/dates.py decides
    day-first; the index carries it to this layer)."""
    doc = blank.make_doc("Talks resume on 3/4/2026. The last round ended on 25/12/2025.")
    doc._.ew_date_order = "DMY"
    values = {t.span.text: t.value for t in run(blank, doc)}
    assert values["3/4/2026"] == "2026-04-03"
    assert values["25/12/2025"] == "2025-12-25"
    plain = blank.make_doc("Talks resume on 3/4/2026.")  # no reader decided: the configured order
    assert {t.value for t in run(blank, plain)} == {"2026-03-04"}


@pytest.mark.model
def test_an_analysed_article_reads_its_numeric_dates_in_the_order_it_writes_them() -> None:
    from eventwire import analyze

    article = analyze(text="Talks resume on 3/4/2026, the ministry said. The last round ended on 25/12/2025.",
                      published="2026-01-10")
    values = {t.span.text: t.value for t in article.times}
    assert values["3/4/2026"] == "2026-04-03"


@pytest.mark.parametrize(("text", "clock", "value"), [
    # the clock takes the day next to it, across words the finder does not join
    ("A blast was heard around 11pm local time on Thursday evening.", "around 11pm", "2025-11-27T23:00"),
    ("A blast was heard at 11pm (2300 GMT) on Thursday.", "11pm", "2025-11-27T23:00"),
    ("A blast was heard on Thursday, shortly after 11pm.", "11pm", "2025-11-27T23:00"),
    # another sentence's day is not its day
    ("A blast was heard at 11pm. On Thursday the police spoke.", "11pm", "2025-12-01T23:00"),
])
def test_a_clock_takes_the_day_beside_it(blank: Language, text: str, clock: str, value: str) -> None:
    times = text_of(blank, text)
    assert {t.span.text: t.value for t in times}[clock] == value
    assert not any(t.span.text.endswith("(") or t.precision == "year" for t in times), times


@pytest.mark.parametrize(("text", "expr", "value"), [
    # a day counted from the day the text last named, not from publication
    ("Police held him on Oct. 23. Earlier that day, he had sent a fax.", "Earlier that day", "2025-10-23"),
    ("The talks opened on Thursday. The next morning the envoys left.", "The next morning", "2025-11-28"),
    ("The talks opened on Thursday. That night the envoys left.", "That night", "2025-11-27"),
    ("The talks opened on Thursday. The day before, the envoys had arrived.", "The day before", "2025-11-26"),
    # a day so counted is the day last named for the next one
    ("The talks opened on Thursday. The next day they broke up. That night the envoys left.", "That night",
     "2025-11-28"),
    # a month or a year counted from the last one named; a day from the last day, past a month named since
    ("In 2008 the senator ran for office. That year she lost.", "That year", "2008"),
    ("The board met in March 2031. The following month it voted.", "The following month", "2031-04"),
    ("The firm said on Thursday that sales rose in February. Shares fell later in the day.",
     "later in the day", "2025-11-27"),
    # no day named before it: the publication day, as the normaliser reads it alone
    ("Earlier in the day, the envoys left.", "Earlier in the day", "2025-12-01"),
    # counted from another happening, not from the day last named
    ("The talks opened on Thursday. The day after the vote, the envoys left.", "The day after", "2025-12-02"),
])
def test_an_anaphoric_time_counts_from_the_time_last_named(blank: Language, text: str, expr: str,
                                                            value: str) -> None:
    assert {t.span.text: t.value for t in text_of(blank, text)}[expr] == value


def test_an_anaphoric_day_does_not_reach_back_into_another_paragraph(blank: Language) -> None:
    text = "The talks opened on Thursday. " + "The envoys argued about the agenda. " * 20 + \
        "That same day, the envoys left."
    assert {t.span.text: t.value for t in text_of(blank, text)}["That same day"] == "2025-12-01"
