"""Remembered string hashes: always spaCy's own, in order, however full the memory is."""

from __future__ import annotations

import numpy
import pytest
from spacy.strings import get_string_id

from eventwire.nlp import strings


def _want(items: list[str]) -> numpy.ndarray:
    return numpy.array([get_string_id(s) for s in items], dtype=numpy.uint64)


def test_string_ids_are_spacys_hashes_in_order() -> None:
    # "NOUN" is one of spaCy's symbols (a small id, not a hash); "" is 0; repeats come from the memory
    items = ["rel=c:dobj:R", "NOUN", "", "rel=c:dobj:R", "u:zß’", "first=DT"]
    assert strings.string_ids(items).tolist() == _want(items).tolist()
    assert strings.string_ids(items).tolist() == _want(items).tolist()
    assert strings.string_ids([]).shape == (0,)


def test_a_full_memory_is_emptied_and_answers_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(strings, "MAX_REMEMBERED", 3)
    monkeypatch.setattr(strings, "_ids", {})
    first = [f"f{i}" for i in range(5)]
    assert strings.string_ids(first).tolist() == _want(first).tolist()
    assert len(strings._ids) == 5
    later = ["g1", "f0"]
    assert strings.string_ids(later).tolist() == _want(later).tolist()
    assert set(strings._ids) == {"g1", "f0"}  # emptied before the new strings went in


def test_ids_survive_the_memory_being_emptied_while_they_are_made(monkeypatch: pytest.MonkeyPatch) -> None:
    # another thread empties the memory between two strings of this call: no KeyError, the same ids
    class Emptying(dict[str, int]):
        def __setitem__(self, key: str, value: int) -> None:
            super().__setitem__(key, value)
            self.clear()

    monkeypatch.setattr(strings, "_ids", Emptying())
    items = ["a1", "a2", "a1", "a3"]
    assert strings.string_ids(items).tolist() == _want(items).tolist()
