"""The attribute ruler's array matcher: spaCy's Matcher's matches, and so its annotations, on every kind of
pattern it takes; spaCy's own Matcher for any other."""

from __future__ import annotations

from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from eventwire.nlp import fastrules

_WORDS = ["Ruiz", "'s", "ai", "n't", "nothin'", "going", "to", "say", "that", "it", "was", " ", "y'", "done",
          "."]
_TAGS = ["NNP", "POS", "VBP", "RB", "NN", "VBG", "TO", "VB", "IN", "PRP", "VBD", "_SP", "UH", "VBN", "."]
_DEPS = ["nsubj", "case", "aux", "neg", "dobj", "ROOT", "aux", "xcomp", "mark", "nsubj", "ccomp", "dep",
         "intj", "acomp", "punct"]
# every kind of test the array matcher takes: values, sets, excluded sets, a regular expression, two tokens,
# IS_SPACE, a negative and a second-token index, and rules that later ones override
_PATTERNS: list[dict[str, Any]] = [
    {"patterns": [[{"TAG": "VBP"}]], "attrs": {"POS": "VERB", "MORPH": "VerbForm=Fin"}},
    {"patterns": [[{"TAG": "NN"}], [{"TAG": "NNP"}]], "attrs": {"POS": "NOUN"}},
    {"patterns": [[{"TAG": "RB", "LOWER": {"IN": ["not", "n't"]}}]],
     "attrs": {"POS": "PART", "LEMMA": "not"}},
    {"patterns": [[{"TAG": {"IN": ["VBP", "VBZ"]}, "LOWER": "ai"}]], "attrs": {"LEMMA": "be"}},
    {"patterns": [[{"LOWER": {"REGEX": "^n[ou]thin'$"}}]], "attrs": {"LEMMA": "nothing", "POS": "PRON"}},
    {"patterns": [[{"LOWER": {"REGEX": "^y'?$"}}]], "attrs": {"LEMMA": "you"}},
    {"patterns": [[{"TAG": {"NOT_IN": ["TO", ""]}, "DEP": {"IN": ["aux", "auxpass"]}}]],
     "attrs": {"POS": "AUX"}},
    {"patterns": [[{"LOWER": "going"}, {"LOWER": "to"}]], "attrs": {"LEMMA": "go"}, "index": 0},
    {"patterns": [[{"LOWER": "going"}, {"LOWER": "to"}]], "attrs": {"POS": "PART"}, "index": -1},
    {"patterns": [[{"IS_SPACE": True, "DEP": {"NOT_IN": [""]}}]], "attrs": {"TAG": "_SP", "POS": "SPACE"}},
    {"patterns": [[{"LOWER": "it", "DEP": {"IN": ["dobj", "nsubj"]}}, {}]], "attrs": {"MORPH": "Case=Nom"}},
    {"patterns": [[{"TAG": "VBP"}]], "attrs": {"POS": "AUX"}},  # overrides the first rule's POS
]


def _pipeline(patterns: list[dict[str, Any]]) -> Language:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    ruler.add_patterns(patterns)  # type: ignore[arg-type]
    return nlp


def _doc(nlp: Language) -> Doc:
    spaces = [w != " " and i + 1 < len(_WORDS) and _WORDS[i + 1] != " " for i, w in enumerate(_WORDS)]
    heads = [5] * len(_WORDS)
    heads[5] = 5
    return Doc(nlp.vocab, words=_WORDS, spaces=spaces, tags=_TAGS, deps=_DEPS, heads=heads)


def _annotations(doc: Doc) -> list[tuple[str, str, str, str, str]]:
    return [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def test_array_matcher_gives_the_matchers_matches_and_annotations() -> None:
    stock, fast = _pipeline(_PATTERNS), _pipeline(_PATTERNS)
    assert fastrules.accelerate_attribute_ruler(fast) is True
    stock_ruler, fast_ruler = stock.get_pipe("attribute_ruler"), fast.get_pipe("attribute_ruler")
    want = stock_ruler.match(_doc(stock))
    got = fast_ruler.match(_doc(fast))
    assert got == want
    assert len(want) >= 12  # the fixture exercises the patterns: most of them match somewhere
    assert _annotations(stock(_doc(stock))) == _annotations(fast(_doc(fast)))
    annotated = dict(zip(_WORDS, _annotations(fast(_doc(fast))), strict=True))
    assert annotated["ai"][1:4:2] == ("AUX", "be")  # a later rule's POS wins; a set and a value both held
    assert annotated["nothin'"][3] == "nothing"  # the regular expression


def test_a_pattern_the_array_matcher_cannot_test_keeps_spacys_matcher() -> None:
    patterns = [*_PATTERNS, {"patterns": [[{"LENGTH": {">=": 4}}]], "attrs": {"LEMMA": "long"}}]
    nlp = _pipeline(patterns)
    assert fastrules.accelerate_attribute_ruler(nlp) is False
    ruler = nlp.get_pipe("attribute_ruler")
    assert "match" not in vars(ruler)
    assert fastrules.RuleIndex.build(ruler) is None


def test_rules_added_after_acceleration_are_matched_too() -> None:
    nlp = _pipeline(_PATTERNS[:2])
    assert fastrules.accelerate_attribute_ruler(nlp) is True
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    ruler.add([[{"LOWER": "done"}]], {"LEMMA": "do"})
    assert dict(zip(_WORDS, _annotations(nlp(_doc(nlp))), strict=True))["done"][3] == "do"


def test_the_array_writer_sets_what_set_token_attrs_sets() -> None:
    # later matches win per attribute, a DEP rule too; a rule setting a lexeme's attribute (NORM) sends the
    # whole ruler back to spaCy's writer
    dep = {"patterns": [[{"LOWER": "say"}]], "attrs": {"DEP": "xcomp", "TAG": "VB"}}
    norm = {"patterns": [[{"LOWER": "done"}]], "attrs": {"NORM": "x"}}
    for patterns in ([*_PATTERNS, dep], [*_PATTERNS, norm]):
        stock, fast = _pipeline(patterns), _pipeline(patterns)
        fastrules.accelerate_attribute_ruler(fast)
        assert "set_annotations" in vars(fast.get_pipe("attribute_ruler"))
        want, got = stock(_doc(stock)), fast(_doc(fast))
        assert _annotations(got) == _annotations(want)
        assert [t.norm_ for t in got] == [t.norm_ for t in want]


def test_an_index_outside_the_match_is_spacys_error() -> None:
    patterns = [{"patterns": [[{"LOWER": "say"}]], "attrs": {"LEMMA": "tell"}, "index": 1}]
    stock, fast = _pipeline(patterns), _pipeline(patterns)
    fastrules.accelerate_attribute_ruler(fast)
    with pytest.raises(ValueError, match="E1001"):
        stock(_doc(stock))
    with pytest.raises(ValueError, match="E1001"):
        fast(_doc(fast))


def test_an_empty_doc_has_no_matches() -> None:
    nlp = _pipeline(_PATTERNS)
    fastrules.accelerate_attribute_ruler(nlp)
    assert nlp.get_pipe("attribute_ruler").match(nlp.make_doc("")) == []


@pytest.mark.model
def test_the_small_english_pipeline_keeps_its_annotations() -> None:
    from eventwire.nlp.build import model_name

    text = ("The ferry company said on Monday that crossings to Kessling would resume. \"We ain't gonna "
            "wait,\" its director, Ana Velt, told reporters in Varn.  It's done, y'know; nothin' left.\n\n"
            "Unions called a strike for Friday, and they're going to hold it.")
    stock = spacy.load(model_name())
    fast = spacy.load(model_name())
    assert fastrules.accelerate_attribute_ruler(fast) is True

    def annotations(nlp: Language) -> list[tuple[str, str, str, str, str, int]]:
        return [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in nlp(text)]

    assert annotations(fast) == annotations(stock)
