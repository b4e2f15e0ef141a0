"""A page's sign-up prompts run into an article's first sentence become sentences of their own."""

from __future__ import annotations

import pytest

from eventwire.nlp import prompts

# invented: a newsletter widget run into the first sentence, as some pages print it
WIDGET = ("Get politics updates directly to your inbox + Subscribe Thank you for subscribing! Could not "
          "subscribe, try again later Invalid Email ")
REPORT = ("Senator Ana Brel isn't taking the vote lying down - and she protested the new border law on "
          "Wednesday. Her aides said she would go on.")


def test_a_run_of_prompts_is_found_whole() -> None:
    text = WIDGET + REPORT
    assert prompts.prompt_runs(text) == [(0, len(WIDGET.rstrip()))]


def test_words_about_subscribing_in_a_report_are_no_prompt() -> None:
    text = "Readers who subscribe to the paper were told that the email address was invalid."
    assert prompts.prompt_runs(text) == []


@pytest.mark.model
def test_the_report_after_the_prompts_is_one_sentence_of_its_own(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(WIDGET + REPORT)
    sentences = [s.text for s in doc.sents]
    first = REPORT.split(". ")[0] + "."
    assert first in sentences  # "Senator" starts it, nothing cuts it before its full stop
    assert all(not s.startswith("Senator") or s == first for s in sentences)
    assert not any("Subscribe" in s and "protested" in s for s in sentences)


@pytest.mark.model
def test_text_without_prompts_is_segmented_as_the_parser_does(nlp) -> None:  # type: ignore[no-untyped-def]
    import spacy

    from eventwire.nlp.build import model_name

    stock = spacy.load(model_name(), exclude=["ner"])
    doc, plain = nlp(REPORT), stock(REPORT)
    assert [s.text for s in doc.sents] == [s.text for s in plain.sents]


@pytest.mark.model
def test_the_component_runs_before_the_parser_once(nlp) -> None:  # type: ignore[no-untyped-def]
    names = nlp.pipe_names
    assert names.index(prompts.FACTORY) < names.index("parser")
    prompts.add_to(nlp)
    assert nlp.pipe_names.count(prompts.FACTORY) == 1
