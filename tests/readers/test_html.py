"""HTML pages: body, metadata, captions; pages without an article; broken markup; declared charsets."""

from __future__ import annotations

from pathlib import Path

from eventwire.model import ArticleInput, Skip
from eventwire.readers import read_bytes, read_paths
from eventwire.readers.html import article_from_html, choose_title

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


_SHORT_PARAGRAPHS = ["Rain closed the coastal road on Monday.", "Crews cleared mud from two villages.",
                     "The mayor asked drivers to wait.", "Schools stayed open all week.",
                     "Buses ran on the inland route.", "Power returned to most homes by night."]
_CHINESE = ["外交部长周一表示，两国将于下月恢复边境贸易谈判。",
            "双方代表已在北京举行了初步会谈，并同意成立联合工作组。",
            "发言人说，会谈将于下周在日内瓦继续举行，双方希望在年底前达成协议。",
            "边境口岸自去年春季以来一直关闭，当地商户损失严重。"]


def _page(headline: str, paragraphs: list[str]) -> str:
    return (f"<html><head><title>{headline}</title></head><body><nav><a href='/'>Home</a></nav><article>"
            f"<h1>{headline}</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>")


def test_story_in_short_paragraphs_falls_back_to_trafilaturas_text() -> None:
    # No line of 8+ words, so it was refused as no-article although trafilatura found the story.
    item = article_from_html(_page("Storm closes coast road", _SHORT_PARAGRAPHS), source="s")
    assert isinstance(item, ArticleInput), item
    assert "Crews cleared mud from two villages." in item.text
    assert "Home" not in item.text
    assert item.metadata["extraction"] == "trafilatura-plain"


def test_chinese_article_is_prose() -> None:
    # Chinese writes no spaces: each line was one "word" and the page was refused as no-article.
    item = article_from_html(_page("两国恢复边境贸易谈判", _CHINESE), source="s")
    assert isinstance(item, ArticleInput), item
    assert _CHINESE[1] in item.text
    assert item.language == "zh"
    assert "extraction" not in item.metadata  # trafilatura's first answer, as for any article


def test_page_authors_are_the_names_it_gives() -> None:
    # the publisher beside the reporter is no author; an entity in the field does not split a name at its ";"
    page = (DATA / "harbour-bridge.html").read_text(encoding="utf-8")
    for field, names in (("Jane Doe; The Coastal Courier", ("Jane Doe",)),
                         ("Redacci&amp;oacute;n Costa", ("Redacción Costa",))):
        item = article_from_html(page.replace('content="Jane Doe"', f'content="{field}"'), source="page.html")
        assert isinstance(item, ArticleInput)
        assert item.authors == names, item.authors
