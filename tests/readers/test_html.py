"""HTML pages: body, metadata, captions; pages without an article; broken markup; declared charsets."""

from __future__ import annotations

from pathlib import Path

from eventwire.model import ArticleInput, Skip
from eventwire.readers import read_bytes, read_paths
from eventwire.readers.html import choose_title

DATA = Path(__file__).parent / "data"


def test_article_page_body_and_metadata() -> None:
    [item] = list(read_paths([DATA / "harbour-bridge.html"]))
    assert isinstance(item, ArticleInput)
    assert "reopened to traffic on Thursday after eight months of repairs" in item.text
    assert "more than twice the first estimate" in item.text
    assert "Copyright" not in item.text and "Sport" not in item.text
    assert item.title == "Harbour bridge reopens after repairs"  # the <h1>, not "... | The Coastal Courier"
    assert item.site == "The Coastal Courier"
    assert item.authors == ("Jane Doe",)
    assert item.published == "2024-03-14T09:05+01:00"
    assert item.updated == "2024-03-14T11:42+01:00"
    assert item.captions == ("Cyclists cross the repaired bridge on Thursday morning.",)
    assert item.language == "en"
    assert item.metadata["encoding"] == "utf-8"


def test_page_without_article_is_skipped() -> None:
    [item] = list(read_paths([DATA / "no-article.html"]))
    assert isinstance(item, Skip)
    assert item.reason == "no-article"


def test_broken_markup_still_yields_its_text() -> None:
    [item] = list(read_paths([DATA / "broken.html"]))
    assert isinstance(item, ArticleInput)
    assert "closed on Friday after a storm damaged the main pier" in item.text
    assert "divers would inspect the pier on Monday" in item.text
    assert item.title == "Storm closes ferry line"


def test_declared_charset_and_cp1252_without_declaration() -> None:
    body = ("<p>Le café du port a rouvert ses portes lundi après trois mois de travaux, a annoncé "
            "la propriétaire. «Nous sommes très heureux», a-t-elle déclaré aux clients présents.</p>" * 3)
    for head in ('<meta charset="windows-1252">', '<meta http-equiv="Content-Type" '
                 'content="text/html; charset=iso-8859-1">', ""):
        page = f"<html><head>{head}<title>Café</title></head><body><article>{body}</article></body></html>"
        [item] = list(read_bytes(page.encode("cp1252"), name="p.html"))
        assert isinstance(item, ArticleInput)
        assert "Le café du port a rouvert" in item.text
        assert "«Nous sommes très heureux»" in item.text
        assert item.language == "fr"


def test_choose_title() -> None:
    site, url = "The Courier", "https://www.courier-news.example/a"
    headline = "Bridge reopens"
    assert choose_title("Bridge reopens | The Courier", [headline], site=site, url=url) == headline
    assert choose_title("Bridge reopens - The Courier", [], site=site, url=url) == "Bridge reopens"
    assert choose_title("Bridge reopens | Courier-News", [], site=None, url=url) == "Bridge reopens"
    explained = "Bridge reopens: what it means"
    assert choose_title(explained, [], site=site, url=url) == explained
    assert choose_title(None, ["", "Bridge reopens"], site=site, url=url) == "Bridge reopens"


def test_published_tz_follows_the_chosen_date() -> None:
    [item] = list(read_paths([DATA / "harbour-bridge.html"]))
    assert isinstance(item, ArticleInput)
    assert item.metadata["published_tz"] == "+01:00"


def test_utf8_page_declaring_latin1_is_read_as_utf8() -> None:
    body = ("<p>Der Bürgermeister von Zürich eröffnete am Montag die neue Fußgängerbrücke über die Limmat, "
            "die nach zwei Jahren Bauzeit fertig wurde. Die Kosten lagen bei elf Millionen Franken.</p>") * 2
    page = f'<html><head><meta charset="iso-8859-1"></head><body><article>{body}</article></body></html>'
    [item] = list(read_bytes(page.encode("utf-8"), name="p.html"))
    assert isinstance(item, ArticleInput)
    assert "Bürgermeister von Zürich" in item.text
