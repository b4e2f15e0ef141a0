"""The per-article index: built once per Doc, kept where ``doc._.ew_index`` reads it."""

from __future__ import annotations

import spacy

from eventwire.nlp.docindex import index_of
from eventwire.nlp.extensions import register_extensions


def test_the_index_is_built_once_and_is_doc_ew_index() -> None:
    register_extensions()
    doc = spacy.blank("en")("Ruiz said the ferry would run. It did not.")
    first = index_of(doc)
    assert index_of(doc) is first
    assert doc._.ew_index is first  # the fast look-up reads and writes spaCy's own extension slot
    assert first.text == doc.text


def test_an_index_set_through_the_extension_is_the_one_returned() -> None:
    register_extensions()
    nlp = spacy.blank("en")
    doc = nlp("A short text.")
    mine = index_of(nlp("Another text entirely."))
    doc._.ew_index = mine
    assert index_of(doc) is mine
    doc._.ew_index = None  # cleared: built again, from this Doc
    assert index_of(doc).text == "A short text."
