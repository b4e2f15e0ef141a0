from __future__ import annotations

from eventwire.aggregate.duplicates import DuplicateIndex, find_duplicates, shingles

from .conftest import reports


def test_the_wire_copy_points_at_the_earliest_copy_and_other_reports_are_not_copies() -> None:
    arts = reports()
    assert find_duplicates(arts) == {arts[3].id: arts[0].id}


def test_a_copy_of_a_copy_points_at_the_original() -> None:
    base = " ".join(f"word{i} follows on" for i in range(40))
    index = DuplicateIndex()
    assert index.add("a", base) is None
    assert index.add("b", base + " and one more line at the end") == "a"
    assert index.add("c", "A new lede. " + base + " and one more line at the end") == "a"


def test_short_texts_are_never_copies() -> None:
    index = DuplicateIndex()
    assert index.add("a", "Storm hits coast") is None
    assert index.add("b", "Storm hits coast") is None
    assert shingles("one two", 5) == {"one two"}
