"""The "eventwire_attributions" component and its quote finder (invented sentences only).

Model-marked tests run the real small English pipeline (parse + entities); the rest use the quote finder or
a blank pipeline with hand-written role spans standing in for the trained tagger.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc, Span

import eventwire.nlp.attributions.component  # noqa: F401  (registers the factory)
from eventwire.model import Article, ArticleInput, Attribution, AttributionKind, Factuality
from eventwire.nlp.attributions.component import find_attributions
from eventwire.nlp.attributions.state import AttributionConfig
from eventwire.nlp.build import COMPONENTS
from eventwire.nlp.extensions import register_extensions
from eventwire.nlp.quotes import find_quotes

GOLDEN = Path(__file__).parents[2] / "data" / "golden" / "harbour-strike-quotes.txt"


def quotes(text: str) -> list[str]:
    return [text[s:e] for s, e in find_quotes(text)]


# -- the quote finder ---------------------------------------------------------------------------------


def test_quote_marks_of_every_kind() -> None:
    assert quotes("“The plan,” he said, “is dead.”") == ["“The plan,”", "“is dead.”"]
    assert quotes('She said "no" twice.') == ['"no"']
    assert quotes("It’s the port’s ‘last offer’, he said.") == ["‘last offer’"]
    assert quotes("Er sagte «nein» und »ja«.") == ["«nein»", "»ja«"]
    assert quotes("He called it ''a disgrace,'' and left.") == ["''a disgrace,''"]
    assert quotes("don't 'em won't") == []  # apostrophes never open or close a quote


def test_multi_paragraph_quote_continues_only_when_reopened() -> None:
    text = "“We waited.\n\n“We will wait more,” she said."
    assert quotes(text) == [text[: text.index(",”") + 2]]
    assert quotes("“We waited.\n\nThe talks went on.") == []  # unbalanced: dropped


def test_hard_wrapped_quote_runs_across_a_line() -> None:
    text = "“We will not\ngo back,” she said."
    assert quotes(text) == ["“We will not\ngo back,”"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,\n'\"“”‘’«»„")), max_size=80))
def test_any_text_gives_ordered_spans_that_start_and_end_with_marks(text: str) -> None:
    found = find_quotes(text)
    assert found == sorted(found)
    ends = [s for s, _ in found[1:]] + [len(text)] if found else []
    for (s, e), limit in zip(found, ends, strict=True):
        assert 0 <= s < e <= limit <= len(text)
        assert text[s] in "'\"“„«»‘" and text[e - 1] in "'\"”“»«’"


def test_a_very_long_quote_is_one_span() -> None:
    body = " ".join(f"Sentence number {i} goes on." for i in range(500))
    text = f"He said: “{body}” And then he left."
    assert find_quotes(text) == [(9, 10 + len(body) + 1)]


# -- trained role spans (a stand-in tagger on a blank pipeline) ----------------------------------------


@Language.component("test_fake_attr_tagger")
def _fake_tagger(doc: Doc) -> Doc:
    text = doc.text

    def span(words: str) -> Span:
        start = text.index(words)
        sp = doc.char_span(start, start + len(words))
        assert sp is not None
        return sp

    doc.spans["attr_cue"] = [span("warned")]
    doc.spans["attr_source"] = [span("The mayor")]
    doc.spans["attr_content"] = [span("the bridge may close")]
    return doc


def test_trained_role_spans_become_an_attribution() -> None:
    nlp = spacy.blank("en")
    register_extensions()
    nlp.add_pipe("test_fake_attr_tagger")
    nlp.add_pipe("eventwire_attributions")
    doc = nlp("The mayor warned the bridge may close.")
    (a,) = doc._.ew_attributions
    assert (a.source.text if a.source else None, a.cue.text if a.cue else None) == ("The mayor", "warned")
    assert [c.text for c in a.content] == ["the bridge may close"]
    assert a.factuality is Factuality.SPECULATED and [c.text for c in a.factuality_cues] == ["may"]
    assert a.confidence < 1


@pytest.mark.parametrize(("cue_p", "kept"), [(0.9, True), (0.05, False), (None, True)])
def test_an_attribution_whose_cue_the_encoder_head_doubts_is_dropped(cue_p: float | None,
                                                                       kept: bool) -> None:
    """The accurate profile's veto: the head's cue probability (``role_p``) below ``cue_veto_p`` drops the
    attribution; without the head (the fast profile: no ``role_p``) nothing is dropped."""
    from eventwire.nlp.docindex import index_of

    nlp = spacy.blank("en")
    register_extensions()
    nlp.add_pipe("test_fake_attr_tagger")
    doc = nlp("The mayor warned the bridge may close.")
    if cue_p is not None:
        role_p = numpy.zeros((len(doc), 3), dtype=numpy.float32)
        role_p[2, 1] = cue_p  # "warned"
        index_of(doc).role_p = role_p
    found = find_attributions(doc)
    assert [a.cue.text if a.cue else None for a in found] == (["warned"] if kept else [])
    # 0 switches the veto off
    assert len(find_attributions(doc, config=AttributionConfig(cue_veto_p=0.0))) == 1


@pytest.mark.parametrize(("source_p", "source"), [(0.6, "The mayor"), (0.02, None)])
def test_a_source_the_encoder_head_doubts_is_dropped_and_its_attribution_kept(source_p: float,
                                                                             source: str | None) -> None:
    from eventwire.nlp.docindex import index_of

    nlp = spacy.blank("en")
    register_extensions()
    nlp.add_pipe("test_fake_attr_tagger")
    doc = nlp("The mayor warned the bridge may close.")
    role_p = numpy.zeros((len(doc), 3), dtype=numpy.float32)
    role_p[2, 1] = 0.9  # "warned": a cue the head believes in
    role_p[1, 0] = source_p  # "mayor"
    index_of(doc).role_p = role_p
    (a,) = find_attributions(doc)
    assert (a.source.text if a.source else None, a.cue.text if a.cue else None) == (source, "warned")
    assert [c.text for c in a.content] == ["the bridge may close"]


def warning_doc() -> Doc:
    """"A warning from the Times: the bridge may close." parsed by hand."""
    words = ["A", "warning", "from", "the", "Times", ":", "the", "bridge", "may", "close", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=[True, True, True, True, False, True, True, True,
                                                            True, False, False],
              heads=[1, 1, 1, 4, 2, 1, 7, 9, 9, 1, 1],
              deps=["det", "ROOT", "prep", "det", "pobj", "punct", "det", "nsubj", "aux", "appos", "punct"],
              pos=["DET", "NOUN", "ADP", "DET", "PROPN", "PUNCT", "DET", "NOUN", "AUX", "VERB", "PUNCT"],
              tags=["DT", "NN", "IN", "DT", "NNP", ":", "DT", "NN", "MD", "VB", "."],
              lemmas=["a", "warning", "from", "the", "Times", ":", "the", "bridge", "may", "close", "."])
    register_extensions()
    doc.spans["attr_cue"] = [doc[1:2]]
    doc.spans["attr_content"] = [doc[6:10]]
    return doc


def test_a_tagger_source_widens_to_its_noun_phrase() -> None:
    doc = warning_doc()
    doc.spans["attr_source"] = [doc[4:5]]  # "Times": the tagger left out "the"
    (a,) = find_attributions(doc)
    assert a.source is not None and a.source.text == "the Times"
    assert [c.text for c in a.content] == ["the bridge may close"]


def test_a_tagger_source_must_be_a_noun_phrase() -> None:
    doc = warning_doc()
    doc.spans["attr_source"] = [doc[0:1]]  # "A"
    assert find_attributions(doc) == ()


def test_a_tagger_source_inside_the_cue_verbs_subject_becomes_the_whole_subject() -> None:
    words = ["Tom", "Clarke", ",", "a", "nursing", "home", "owner", ",", "fretted", ".", "The", "homes",
             "may", "close", "."]
    doc = Doc(spacy.blank("en").vocab, words=words,
              spaces=[True, False, True, True, True, True, False, True, False, True, True, True, True, False,
                      False],
              heads=[1, 8, 1, 6, 5, 6, 1, 1, 8, 8, 11, 13, 13, 13, 13],
              deps=["compound", "nsubj", "punct", "det", "compound", "compound", "appos", "punct", "ROOT",
                    "punct", "det", "nsubj", "aux", "ROOT", "punct"],
              pos=["PROPN", "PROPN", "PUNCT", "DET", "NOUN", "NOUN", "NOUN", "PUNCT", "VERB", "PUNCT", "DET",
                   "NOUN", "AUX", "VERB", "PUNCT"],
              lemmas=["Tom", "Clarke", ",", "a", "nursing", "home", "owner", ",", "fret", ".", "the", "home",
                      "may", "close", "."])
    register_extensions()
    doc.spans["attr_cue"] = [doc[8:9]]
    doc.spans["attr_source"] = [doc[0:1]]  # "Tom": part of the subject
    doc.spans["attr_content"] = [doc[10:14]]
    (a,) = find_attributions(doc)
    assert a.source is not None and a.source.text == "Tom Clarke, a nursing home owner,"
    assert [c.text for c in a.content] == ["The homes may close"]


def test_blank_pipeline_finds_quotes_without_a_parse() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("eventwire_attributions")
    doc = nlp("Nobody knows who wrote “the harbour will never close again” on the wall.")
    (a,) = doc._.ew_attributions
    assert a.kind is AttributionKind.DIRECT and a.source is None and a.cue is None
    assert doc.text[a.content[0].start:a.content[0].end] == "“the harbour will never close again”"


@pytest.mark.parametrize("text", ["", "   \n\n ", "“", "” ” “ ‘ ’ « »", "\"\"\"\"", "said: “"])
def test_degenerate_input_on_a_blank_pipeline(text: str) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("eventwire_attributions")
    assert all(isinstance(a, Attribution) for a in nlp(text)._.ew_attributions)


# -- the real pipeline --------------------------------------------------------------------------------


def rules_only(nlp: Language) -> list[str]:
    """Pipes to disable so a test pins the rules: a trained role tagger, when installed, adds its own."""
    ours = {factory for factory, _ in COMPONENTS}
    return [n for n in nlp.pipe_names if n.startswith("eventwire_") and n not in ours]


def run(nlp: Language, text: str) -> tuple[tuple[Attribution, ...], Doc]:
    with nlp.select_pipes(disable=rules_only(nlp)):
        doc = nlp(text)
    found: tuple[Attribution, ...] = doc._.ew_attributions
    for a in found:
        for sp in a.spans():
            assert text[sp.start:sp.end] == sp.text
    return found, doc


def by_cue(found: tuple[Attribution, ...], cue: str) -> Attribution:
    hits = [a for a in found if a.cue is not None and a.cue.text == cue]
    assert hits, [a.to_dict() for a in found]
    return hits[0]


def entity_name(doc: Doc, entity_id: str | None) -> str | None:
    return next((e.name for e in doc._.ew_entities if e.id == entity_id), None)


@pytest.mark.model
def test_a_quotation_continued_in_the_next_paragraph_joins_its_attribution(nlp: Language) -> None:
    # the first quotation opens three sentences before its tag: too far for the split-quote rule
    found, _ = run(nlp, "“We tried everything. We met every day. We offered more,” Ana Ruiz said on Friday."
                        "\n\n“Nobody listened to the crews at all.”")
    a = by_cue(found, "said")
    assert [c.text for c in a.content] == ["“We tried everything. We met every day. We offered more,”",
                                           "“Nobody listened to the crews at all.”"]
    assert len(found) == 1


@pytest.mark.model
def test_a_source_never_reaches_back_over_a_line_break(nlp: Language) -> None:
    found, _ = run(nlp, "The Latest on the ferry strike (all times local):\n\n7 p.m.\n\n"
                        "Mayor Ana Ruiz says the ferries will run again on Monday.")
    a = by_cue(found, "says")
    assert a.source is not None and a.source.text == "Mayor Ana Ruiz"


@pytest.mark.model
def test_a_spaced_dash_ends_what_stood_before_a_source(nlp: Language) -> None:
    found, _ = run(nlp, "The reply was predictable - Mayor Ana Ruiz said the ferries would run on Monday.")
    a = by_cue(found, "said")
    assert a.source is not None and a.source.text == "Mayor Ana Ruiz"


@pytest.mark.model
def test_a_relative_pronoun_is_the_source_and_resolves_to_its_noun(nlp: Language) -> None:
    found, doc = run(nlp, "Residents cheered Ana Ruiz, who said that the bridge would reopen in May.")
    a = by_cue(found, "said")
    assert a.source is not None and a.source.text == "who"  # PolNeAR's convention: the pronoun itself
    assert entity_name(doc, a.source_entity) == "Ana Ruiz"


@pytest.mark.model
def test_split_quote_is_one_direct_attribution_with_two_contents(nlp: Language) -> None:
    found, doc = run(nlp, "Mayor Lena Brandt met the ferry crews. “The plan,” she said, “is dead.”")
    a = by_cue(found, "said")
    assert a.kind is AttributionKind.DIRECT
    assert [c.text for c in a.content] == ["“The plan,”", "“is dead.”"]
    assert a.source is not None and a.source.text == "she"
    assert entity_name(doc, a.source_entity) == "Lena Brandt"


@pytest.mark.model
def test_indirect_mixed_and_according_to(nlp: Language) -> None:
    found, doc = run(nlp, "Tomas Riel told reporters that “nobody should panic”. According to the coast "
                          "guard, the storm will pass by noon. Riel said that the port would reopen on "
                          "Friday.")
    mixed = by_cue(found, "told")
    assert mixed.kind is AttributionKind.MIXED and mixed.content[0].text == "that “nobody should panic”"
    according = by_cue(found, "According to")
    assert according.kind is AttributionKind.ACCORDING_TO
    assert according.source is not None and according.source.text == "the coast guard"
    assert [c.text for c in according.content] == ["the storm will pass by noon"]
    indirect = by_cue(found, "said")
    assert indirect.kind is AttributionKind.INDIRECT
    assert indirect.content[0].text == "that the port would reopen on Friday"
    assert entity_name(doc, indirect.source_entity) == entity_name(doc, mixed.source_entity) == "Tomas Riel"


@pytest.mark.model
@pytest.mark.parametrize("cited", ["people familiar with the talks,", "“people familiar with the talks,”"])
def test_citing_chain_and_anonymous_sources(nlp: Language, cited: str) -> None:
    # the quoted variant parses with the content clause hung on "citing"
    found, _ = run(nlp, f"The Harbour Times reports, citing {cited} that the union accepted the deal.")
    paper = by_cue(found, "reports")
    onward = by_cue(found, "citing")
    assert paper.source is not None and paper.source.text == "The Harbour Times" and not paper.anonymous
    assert onward.source is not None and onward.source.text == "people familiar with the talks"
    assert onward.anonymous and onward.anonymous_description == "people familiar with the talks"
    assert onward.via == paper.id and onward.content == paper.content
    assert paper.content[0].text == "that the union accepted the deal"


@pytest.mark.model
def test_factuality(nlp: Language) -> None:
    found, _ = run(nlp, "The minister is said to have ordered the closure. Analysts believe it is likely "
                        "that prices could rise. The mayor did not want to comment on the plan. The council "
                        "denied that it had sold the land. Ruiz said he would resign if the vote failed.")
    alleged = by_cue(found, "is said")
    assert alleged.source is None and alleged.factuality is Factuality.ALLEGED
    assert [c.text for c in alleged.content] == ["The minister", "to have ordered the closure"]
    belief = by_cue(found, "believe")
    assert belief.kind is AttributionKind.INTERNAL_STATE and belief.factuality is Factuality.SPECULATED
    assert {c.text for c in belief.factuality_cues} >= {"likely", "could"}
    refusal = by_cue(found, "did not want")
    assert refusal.factuality is Factuality.DENIED and [c.text for c in refusal.factuality_cues] == ["not"]
    assert by_cue(found, "denied").factuality is Factuality.DENIED
    conditional = by_cue(found, "said")
    assert conditional.factuality is Factuality.CONDITIONAL
    assert [c.text for c in conditional.factuality_cues] == ["if"]


@pytest.mark.model
def test_colon_introduced_quote_in_the_next_paragraph(nlp: Language) -> None:
    text = ("Pilot Ines Varga spoke to reporters at the airfield on Sunday and said:\n"
            "“We flew in fog for an hour.”")
    found, doc = run(nlp, text)
    a = next(a for a in found if a.kind is AttributionKind.DIRECT)
    assert a.content[0].text == "“We flew in fog for an hour.”"
    assert a.cue is not None and a.cue.text == "said:"  # PolNeAR's cues keep the colon
    assert entity_name(doc, a.source_entity) == "Ines Varga"


@pytest.mark.model
@pytest.mark.parametrize("text", [
    "“This quote never ends, she said. And it goes on.",
    "He said ” backwards “ and then ‘ half.",
    "“" * 50 + "Word" + "”" * 3,
    "",
    "\n\n\n",
])
def test_bad_input_never_crashes(nlp: Language, text: str) -> None:
    found, _ = run(nlp, text)
    assert all(isinstance(a, Attribution) for a in found)


@pytest.mark.model
def test_a_500_sentence_quote(nlp: Language) -> None:
    body = " ".join(f"Line {i} of the statement is here." for i in range(500))
    text = f"The harbour master said: “{body}”"
    found, _ = run(nlp, text)
    direct = [a for a in found if a.kind is AttributionKind.DIRECT]
    assert len(direct) == 1 and direct[0].content[0].text == f"“{body}”"


# -- golden: an invented article with every kind --------------------------------------------------------


def projection(article: Article) -> list[dict[str, Any]]:
    names = {e.id: e.name for e in article.entities}
    return [
        {"id": a.id, "kind": str(a.kind), "source": a.source.text if a.source else None,
         "entity": names.get(a.source_entity or ""), "anonymous": a.anonymous,
         "cue": a.cue.text if a.cue else None, "content": [c.text for c in a.content],
         "factuality": str(a.factuality), "factuality_cues": [c.text for c in a.factuality_cues],
         "via": a.via}
        for a in article.attributions
    ]


@pytest.mark.model
def test_golden_article_covers_every_kind(analyzer: Any) -> None:
    text = GOLDEN.read_text(encoding="utf-8")
    with analyzer.setup().select_pipes(disable=rules_only(analyzer.setup())):
        (article,) = analyzer.analyze([ArticleInput(text=text, source=GOLDEN.name, published="2025-03-04")])
    got = projection(article)
    expected_path = GOLDEN.with_suffix(".attributions.json")
    if os.environ.get("EVENTWIRE_UPDATE_GOLDEN") or not expected_path.exists():
        expected_path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if not os.environ.get("EVENTWIRE_UPDATE_GOLDEN"):
            pytest.fail(f"wrote new golden file {expected_path.name}; review it and rerun")
    assert got == json.loads(expected_path.read_text(encoding="utf-8"))
    assert {a["kind"] for a in got} == {str(k) for k in AttributionKind}
    assert {a["factuality"] for a in got} >= {"reported", "alleged", "speculated", "denied", "conditional"}


@pytest.mark.model
def test_quote_halves_around_a_tag_and_no_speaker_from_the_next_paragraph(nlp: Language) -> None:
    text = ('"The old pier was built to fall down one day," said Ana Ruiz, a retired docker. "It was always '
            'going to fail."\n\n"We remain open to talks on the port," the minister said on Friday. "Sadly, '
            'the union has chosen another path."')
    found, doc = run(nlp, text)
    assert entity_name(doc, next(a for a in found if a.source is not None).source_entity) == "Ana Ruiz"
    ruiz = next(a for a in found if a.source is not None and a.source.text.startswith("Ana Ruiz"))
    assert ruiz.source is not None and ruiz.source.text == "Ana Ruiz, a retired docker"
    assert [c.text for c in ruiz.content] == ['"The old pier was built to fall down one day,"',
                                              '"It was always going to fail."']
    minister = next(a for a in found if a.source is not None and a.source.text == "the minister")
    assert len(minister.content) == 2 and all("fail" not in c.text for c in minister.content)


@pytest.mark.model
def test_two_quotations_of_one_tag_are_one_attribution(nlp: Language) -> None:
    found, _ = run(nlp, '"I think the judge will be fair," Dana Holt told the crowd, "but many people '
                        'will be watching."')
    (a,) = [a for a in found if a.kind is AttributionKind.DIRECT]
    assert a.cue is not None and a.cue.text == "told"
    assert [c.text for c in a.content] == ['"I think the judge will be fair,"',
                                           '"but many people will be watching."']


def test_a_light_verb_the_tagger_marks_is_no_cue() -> None:
    """"The mayor made the remarks in May." parsed by hand, with tagger spans on every role."""
    words = ["The", "mayor", "made", "the", "remarks", "in", "May", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=[True, True, True, True, True, True, False, False],
              heads=[1, 2, 2, 4, 2, 2, 5, 2],
              deps=["det", "nsubj", "ROOT", "det", "dobj", "prep", "pobj", "punct"],
              pos=["DET", "NOUN", "VERB", "DET", "NOUN", "ADP", "PROPN", "PUNCT"],
              tags=["DT", "NN", "VBD", "DT", "NNS", "IN", "NNP", "."],
              lemmas=["the", "mayor", "make", "the", "remark", "in", "May", "."])
    register_extensions()
    doc.spans["attr_source"] = [doc[0:2]]
    doc.spans["attr_content"] = [doc[3:5]]
    doc.spans["attr_cue"] = [doc[2:3]]
    assert find_attributions(doc) == ()
    # the same spans with a verb that is a cue do make one
    said = Doc(doc.vocab, words=["The", "mayor", "said", "the", "remarks", "in", "May", "."],
               spaces=[True, True, True, True, True, True, False, False], heads=[1, 2, 2, 4, 2, 2, 5, 2],
               deps=["det", "nsubj", "ROOT", "det", "dobj", "prep", "pobj", "punct"],
               pos=["DET", "NOUN", "VERB", "DET", "NOUN", "ADP", "PROPN", "PUNCT"],
               tags=["DT", "NN", "VBD", "DT", "NNS", "IN", "NNP", "."],
               lemmas=["the", "mayor", "say", "the", "remark", "in", "May", "."])
    said.spans["attr_source"] = [said[0:2]]
    said.spans["attr_content"] = [said[3:5]]
    said.spans["attr_cue"] = [said[2:3]]
    assert len(find_attributions(said)) == 1
