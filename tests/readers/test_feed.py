"""RSS and Atom feeds: one article per item, with its own date, link, title and author."""

from __future__ import annotations

from pathlib import Path

from eventwire.model import ArticleInput, Skip
from eventwire.readers import read_bytes, read_paths
from eventwire.readers.feed import feed_date

DATA = Path(__file__).parent / "data"


def test_rss_items() -> None:
    items = list(read_paths([DATA / "valley.rss"]))
    assert [i.source.rsplit("#", 1)[1] for i in items] == ["1", "2", "3"]
    first, second, third = items
    assert isinstance(first, ArticleInput)
    assert first.title == "Council approves new bus routes"
    assert first.url == "https://valley.example.co.uk/bus-routes"
    assert first.published == "2024-03-14T09:05+01:00"  # the feed's own offset, not feedparser's UTC
    assert first.authors == ("Mara Finch",)
    assert first.site == "Valley Gazette"
    assert first.text == ("The district council approved three new bus routes on Wednesday, linking the "
                          "northern villages to the hospital in Tenby.\n"
                          "The routes start in June, officials said.")
    assert first.metadata["date_order"] == "DMY"  # a .co.uk site
    assert isinstance(second, ArticleInput)
    assert second.published == "2024-03-15T16:30"  # "-0000": zone unknown, so no offset
    assert isinstance(third, Skip) and third.reason == "no-text"


def test_atom_entry() -> None:
    [item] = list(read_paths([DATA / "harbour.atom"]))
    assert isinstance(item, ArticleInput)
    assert item.title == "Ferry timetable changes"
    assert item.url == "https://harbour.example.org/ferry"
    assert item.published == "2024-03-04T08:00+00:00"
    assert item.updated == "2024-03-05T10:30+01:00"
    assert item.authors == ("Ines Park",)
    assert item.text.endswith("Tickets already sold remain valid.")
    assert item.metadata["guid"] == "urn:example:harbour-notes:1"


def test_xml_that_is_not_a_feed() -> None:
    [item] = list(read_paths([DATA / "settings.xml"]))
    assert isinstance(item, Skip)
    assert item.reason == "unsupported-format"


def test_feed_as_xml_suffix_and_empty_feed() -> None:
    items = list(read_bytes((DATA / "harbour.atom").read_bytes(), name="feed.xml"))
    assert len(items) == 1 and isinstance(items[0], ArticleInput)
    [empty] = list(read_bytes(b'<rss version="2.0"><channel><title>T</title></channel></rss>', name="x.rss"))
    assert isinstance(empty, Skip) and empty.reason == "empty"


def test_feed_date() -> None:
    assert feed_date("Thu, 14 Mar 2024 09:05:00 GMT") == "2024-03-14T09:05+00:00"
    assert feed_date("2024-03-14") == "2024-03-14"
    assert feed_date("2024-03-14T09:05:30+02:00") == "2024-03-14T09:05:30+02:00"
    assert feed_date("not a date") is None
    assert feed_date(None) is None


def test_an_item_with_a_bad_link_is_one_skip_and_later_items_are_read() -> None:
    items = "".join(
        f"<item><title>Talks {n}</title><link>{link}</link>"
        f"<description>The ministers met on Monday and agreed that talks on the border would resume "
        f"next month, a spokesperson said after meeting number {n}.</description></item>"
        for n, link in enumerate(["https://example.org/1", "http://[oops/x", "https://example.org/3"], 1))
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'
    got = list(read_bytes(feed.encode(), name="wire.rss"))
    assert [getattr(i, "url", None) or i.reason for i in got] == [  # type: ignore[union-attr]
        "https://example.org/1", "bad-url", "https://example.org/3"]
    assert got[1].source == "wire.rss#2"


def test_surrogate_character_references_do_not_cost_the_feed() -> None:
    # Not well-formed (a bare "&"), so feedparser's loose parser reads it; "&#xD800;" made it raise.
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Wire & Co</title><item>'
            "<title>Talks&#xD800; resume</title><link>https://example.org/1</link><description>The "
            "ministers met on Monday&#55296; and agreed that talks on the border would resume next month, "
            "a spokesperson said.</description></item></channel></rss>")
    [item] = list(read_bytes(feed.encode(), name="wire.rss"))
    assert isinstance(item, ArticleInput), item
    assert item.title == "Talks\ufffd resume"
    assert "Monday\ufffd and" in item.text
