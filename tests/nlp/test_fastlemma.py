"""The remembering lemmatizer: spaCy's lemmas on every token, set where the stock component sets them."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from eventwire.nlp import fastlemma

pytestmark = pytest.mark.model

TEXT = ("The ferry company said on Monday that crossings to Kessling would resume. \"We ain't gonna wait,\" "
        "its director, Ana Velt, told reporters in Varn.  It's done, y'know; nothin' left.\n\n"
        "Unions called strikes for Friday, and they're going to hold them. Striking workers were striking "
        "again; the strikes struck the ports, and the better offers were the best ones offered.")


def _load() -> Language:
    from eventwire.nlp.build import model_name

    return spacy.load(model_name())


def _lemmas(docs: list[spacy.tokens.Doc]) -> list[list[tuple[str, str, str, str]]]:
    return [[(t.text, t.pos_, str(t.morph), t.lemma_) for t in doc] for doc in docs]


def test_the_small_english_pipeline_keeps_its_lemmas() -> None:
    stock, fast = _load(), _load()
    assert fastlemma.accelerate_lemmatizer(fast) is True
    texts = [TEXT, TEXT.upper(), "", "Strikes.", TEXT]  # the second TEXT reads every lemma from memory
    want = _lemmas(list(stock.pipe(texts)))
    got = _lemmas(list(fast.pipe(texts)))
    assert got == want
    lemmas = {t: lem for t, _, _, lem in got[0]}
    assert lemmas["crossings"] == "crossing" and lemmas["struck"] == "strike" and lemmas["told"] == "tell"
    assert fast.get_pipe("lemmatizer")._ew_lemmas  # type: ignore[attr-defined]


def test_a_lemma_the_attribute_ruler_set_stays() -> None:
    # "ai" of "ain't" takes the ruler's "be"; a lemmatizer that does not overwrite leaves it
    stock, fast = _load(), _load()
    fastlemma.accelerate_lemmatizer(fast)
    want, = _lemmas(list(stock.pipe(["We ain't gonna wait."])))
    got, = _lemmas(list(fast.pipe(["We ain't gonna wait."])))
    assert got == want and ("ai", "AUX", got[1][2], "be") == got[1]


def test_a_lemmatizer_of_another_mode_keeps_spacys_pipe() -> None:
    nlp = spacy.blank("en")
    lookup = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert fastlemma.accelerate_lemmatizer(nlp) is True and "pipe" in vars(lookup)
    other = spacy.blank("en")
    custom = other.add_pipe("lemmatizer", config={"mode": "rule"})
    custom._mode = "my_context"  # a subclass's mode, whose lemma may read more than form, tag and morphology
    assert fastlemma.accelerate_lemmatizer(other) is False and "pipe" not in vars(custom)
