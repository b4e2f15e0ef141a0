"""readers/authors.py: a page's author entries as the names they give."""

from __future__ import annotations

import pytest

from eventwire.readers.authors import tidy_authors


@pytest.mark.parametrize(("entries", "site", "names"), [
    # the words that introduce a name go, in the page's language
    (["Zeige alle Beiträge von Dara Quell"], None, ("Dara Quell",)),
    (["Par Mara Lin"], None, ("Mara Lin",)),
    (["责任编辑：林晓"], None, ("林晓",)),
    (["Interview: Tomas Vey"], None, ("Tomas Vey",)),
    # the site or its publisher beside a name is no author; alone, it is the page's answer
    (["Ana Brel", "Lirra Post"], "Lirra Post", ("Ana Brel",)),
    (["Kestria Herald"], "KESTRIAHERALD.COM", ("Kestria Herald",)),
    # the newsroom's place and a degree beside a name
    (["Dov Irr", "London", "Germany"], None, ("Dov Irr",)),
    (["Dara Quell", "PhD"], None, ("Dara Quell",)),
    # an entry that is no name at all
    (["Posted"], None, ()),
    # the same name twice is one author
    (["Mara Lin", "By Mara Lin"], None, ("Mara Lin",)),
], ids=["show-all-posts-by", "par", "cjk-editor", "interview", "publisher-beside", "publisher-alone",
        "place-beside", "degree", "no-name", "repeated"])
def test_tidy_authors_keeps_the_names(entries: list[str], site: str | None, names: tuple[str, ...]) -> None:
    assert tidy_authors(entries, site) == names


def test_a_name_that_holds_a_prefix_word_inside_is_kept_whole() -> None:
    # only a leading prefix goes: "Vonnie" is no "Von", "Parker" no "Par"
    assert tidy_authors(["Vonnie Brel", "Parker Vey"]) == ("Vonnie Brel", "Parker Vey")
