"""HTML pages (``.html``, ``.htm``): trafilatura finds the article body and its metadata.

trafilatura gives the body, title, authors, site name and a publication *date*; the page's own
machine-readable metadata (``article:published_time``, ``itemprop=datePublished``, JSON-LD) often has the
time of day and zone too, and the modification time, so we read those and prefer them when they agree with
trafilatura's date.  Captions come from ``<figcaption>``.
"""

from __future__ import annotations

import html as html_text
import json
import logging
import re
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

import trafilatura
from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html
from rapidfuzz import fuzz

from eventwire.errors import InputError
from eventwire.model import ArticleInput, Skip
from eventwire.readers.authors import tidy_authors
from eventwire.readers.decode import decode_bytes
from eventwire.readers.text import article_from_text
from eventwire.readers.validate import url_problem

__all__ = ["HtmlReader", "article_from_html", "choose_title", "html_to_text", "page_dates"]

log = logging.getLogger(__name__)

# When trafilatura finds no article, a page whose visible text still has this many words of prose is read
# whole (broken markup, unusual templates); a navigation-only or login page has fewer than ~25.
_MIN_FALLBACK_WORDS = 40
# An article has at least one sentence-length line (news sentences average ~20 words; menus, buttons and
# "Home / About / Login" lines have 1-4) and a few dozen words in all: a 2-sentence brief has ~30.
_MIN_LINE_WORDS = 8
_MIN_ARTICLE_WORDS = 20
_MAX_CAPTIONS = 30

_PUBLISHED_XPATH = (
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @property='og:published_time' or @itemprop='datePublished' or @name='pubdate'"
    " or @name='publishdate' or @name='dcterms.created' or @name='DC.date.issued' or @name='date'"
    " or @name='parsely-pub-date' or @name='sailthru.date']/@content"
    " | //*[@itemprop='datePublished']/@datetime | //time[@pubdate]/@datetime"
)
_MODIFIED_XPATH = (
    "//meta[@property='article:modified_time' or @name='article:modified_time'"
    " or @property='og:updated_time' or @itemprop='dateModified' or @name='last-modified'"
    " or @name='dcterms.modified']/@content | //*[@itemprop='dateModified']/@datetime"
)
_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section",
               "article", "figure", "figcaption", "pre", "ul", "ol", "table", "header", "footer", "dd", "dt"}
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "nav", "aside", "form", "button", "iframe")


def _iso(value: str) -> tuple[str, date] | None:
    """``(ISO string, its date)`` for a page's date value; offsets kept, naive stays naive."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "T", 1) if re.match(r"\d{4}-\d\d-\d\d \d", value)
                                        else value)
    except ValueError:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})$", value[:10])
        if not m:
            return None
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
        return day.isoformat(), day
    if len(value) <= 10:
        return parsed.date().isoformat(), parsed.date()
    spec = "minutes" if parsed.second == 0 and parsed.microsecond == 0 else "seconds"
    return parsed.isoformat(timespec=spec), parsed.date()


def _json_ld_dates(tree: Any) -> tuple[list[str], list[str]]:
    published: list[str] = []
    modified: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "datePublished" and isinstance(value, str):
                    published.append(value)
                elif key == "dateModified" and isinstance(value, str):
                    modified.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            walk(json.loads(script.text or ""))
        except ValueError:
            continue
    return published, modified


def page_dates(tree: Any) -> tuple[list[tuple[str, date]], list[tuple[str, date]]]:
    """Publication and modification datetimes the page declares, in document order."""
    ld_published, ld_modified = _json_ld_dates(tree)
    published = [d for v in [*tree.xpath(_PUBLISHED_XPATH), *ld_published] if (d := _iso(str(v)))]
    modified = [d for v in [*tree.xpath(_MODIFIED_XPATH), *ld_modified] if (d := _iso(str(v)))]
    return published, modified


# Title segments are separated by " | ", " - ", " – ", " · ", " » " ...: "Headline | Section | Site".
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·»:/]\s+|\s*[|·»]\s*")
# Host labels too generic to identify a site in its title.
_GENERIC_LABELS = {"www", "com", "org", "net", "news", "blog", "online", "co", "de", "uk", "fr", "at", "ch"}
# An <h1> this similar (rapidfuzz ratio, 0-100) to the <title> is the same headline minus decoration.
_SAME_HEADLINE = 80


def _alnum(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKD", text).casefold())


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _strip_site(title: str, site: str | None, url: str | None) -> str:
    """``title`` without leading/trailing segments that name the site ("Headline | The Courier")."""
    keys = {_alnum(site)} if site else set()
    host = (urlsplit(url).hostname or "") if url else ""
    keys |= {_alnum(label) for label in host.split(".") if len(label) >= 4 and label not in _GENERIC_LABELS}
    keys.discard("")
    if not keys:
        return title
    parts = _TITLE_SEPARATOR.split(title)
    seps = _TITLE_SEPARATOR.findall(title)

    def names_site(part: str) -> bool:
        folded = _alnum(part)
        return bool(folded) and any(k in folded or folded in k for k in keys)

    while len(parts) > 1 and names_site(parts[-1]):
        parts.pop()
        seps.pop()
    while len(parts) > 1 and names_site(parts[0]):
        parts.pop(0)
        seps.pop(0)
    return parts[0] + "".join(sep + part for sep, part in zip(seps, parts[1:], strict=True))


def choose_title(title: str | None, headings: list[str], *, site: str | None, url: str | None) -> str | None:
    """The headline: the page's ``<h1>`` when it is the ``<title>`` minus decoration, else the title
    without the site's name.

    On the trafilatura dev set (422 titled pages) trafilatura's own title matches 63%; preferring a related
    ``<h1>`` raises that to 80%, a lone ``<h1>`` of 3+ words to 84%, stripping the site name to 85%.
    """
    headings = [h for h in headings if h]
    if not title:
        return headings[0] if headings else None
    folded = _folded(title)
    related = [h for h in headings
               if _folded(h) in folded or fuzz.ratio(_folded(h), folded) >= _SAME_HEADLINE]
    if related:
        return max(related, key=len)
    if len(headings) == 1 and len(headings[0].split()) >= 3:
        return headings[0]
    return _strip_site(title, site, url)


def _headings(tree: Any) -> list[str]:
    return [" ".join(el.text_content().split()) for el in tree.xpath("//h1")]


def _captions(tree: Any) -> tuple[str, ...]:
    out: list[str] = []
    for el in tree.xpath("//figcaption"):
        text = " ".join(el.text_content().split())
        if text and text not in out:
            out.append(text)
    return tuple(out[:_MAX_CAPTIONS])


def html_to_text(markup: str | Any) -> str:
    """Visible text of an HTML fragment or tree, one line per block, scripts and navigation dropped."""
    if isinstance(markup, str):
        if not markup.strip():
            return ""
        try:
            root = lxml_html.fragment_fromstring(markup, create_parent="div")
        except (etree.ParserError, ValueError):
            return " ".join(markup.split())
    else:
        root = markup
    for bad in root.xpath(" | ".join(f".//{t}" for t in _DROP_TAGS)):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
            if el.tag.lower() != "br":
                el.text = "\n" + (el.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _load(markup: str) -> Any:
    try:
        return trafilatura.load_html(markup)
    except Exception:
        return None


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff]")


def _words(line: str) -> int:
    """Words in ``line``; Chinese and Japanese write no spaces, so two CJK characters count as one word
    (a Chinese word averages ~1.5-2 characters): a Chinese article was one "word" a line, never prose."""
    return len(line.split()) + len(_CJK.findall(line)) // 2


def _is_prose(text: str) -> bool:
    lines = text.splitlines()
    return (sum(_words(line) for line in lines) >= _MIN_ARTICLE_WORDS
            and any(_words(line) >= _MIN_LINE_WORDS for line in lines))


def _fallback_text(tree: Any) -> str:
    """The visible prose of the page when trafilatura finds none (changes ``tree``: use it last)."""
    body = tree.find(".//body")
    for bad in (body if body is not None else tree).xpath(".//header|.//footer"):
        bad.drop_tree()
    text = html_to_text(body if body is not None else tree)
    return text if _words(text) >= _MIN_FALLBACK_WORDS and _is_prose(text) else ""


def _extract(tree: Any, url: str | None) -> tuple[Any, bool]:
    """trafilatura's article as ``(doc, is_prose)``; ``(None, False)`` when it finds no text at all.

    A doc that is not prose by our measure (no sentence-length line: a story told in short paragraphs) is
    still trafilatura's own answer: the caller falls back to it rather than refuse the page.
    """
    # bare_extraction works on its own copy of a tree it is given, so one parse serves both attempts.
    plain: Any = None
    for recall in (False, True):
        try:
            doc: Any = trafilatura.bare_extraction(tree, url=url, with_metadata=True,
                                                   include_comments=False,
                                                   include_tables=True, include_images=False,
                                                   favor_recall=recall)
        except Exception as e:
            log.debug("trafilatura failed: %s", e)
            doc = None
        if doc is not None and _is_prose(doc.text or ""):
            return doc, True
        if plain is None and doc is not None and _words(doc.text or "") >= _MIN_ARTICLE_WORDS:
            plain = doc
    return plain, False


_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def _unescape_meta(tree: Any) -> None:
    """A meta value escaped twice by its page ("Redacci&amp;oacute;n" reads "Redacci&oacute;n") decoded
    once more, in place: trafilatura splits an author field at ";", so the entity cut one name in three."""
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if content and _ENTITY.search(content):
            meta.set("content", html_text.unescape(content))


def article_from_html(markup: str, *, source: str, url: str | None = None, title: str | None = None,
                      published: str | None = None,
                      extra: dict[str, Any] | None = None) -> ArticleInput | Skip:
    """The article of an HTML page; ``title``/``published`` given by the caller win over the page's."""
    if not markup.strip():
        return Skip(source, "empty", "no markup")
    tree = _load(markup)
    if tree is None:
        return Skip(source, "no-article", "the markup could not be parsed")
    _unescape_meta(tree)
    meta_published, meta_modified = page_dates(tree)
    captions = _captions(tree)
    headings = _headings(tree)
    declared = tree.xpath("string(/html/@lang)") or None
    metadata: dict[str, Any] = dict(extra or {})
    doc, prose = _extract(tree, url)
    if doc is not None:
        body = doc.text.strip()
        if not prose:
            # trafilatura's text although no line reads as a sentence (a story in short paragraphs): it was
            # refused as no-article while trafilatura alone extracted it.  Preferring it to the page's
            # visible text lifted trafilatura-dev chunk F1 .9246 -> .9256 (aeb dev unchanged).
            metadata["extraction"] = "trafilatura-plain"
    else:
        # trafilatura found too little (broken markup, odd templates): the page's visible prose.
        body = _fallback_text(tree)
        if not body:
            return Skip(source, "no-article", "no article body found in the page")
        metadata["extraction"] = "fallback"
    page_date = (doc.date or None) if doc else None
    site = (doc.sitename if doc else None) or None
    if not url and doc is not None and doc.url and url_problem(doc.url) is None:
        url = doc.url  # the page's own canonical/og:url, when it parses (a page may declare "http://[x")
    found_published, found_updated = _dates(page_date, meta_published, meta_modified)
    return article_from_text(
        body, source=source, url=url,
        title=title or choose_title(doc.title if doc else None, headings, site=site, url=url),
        site=site,
        authors=tidy_authors([a for a in (doc.author or "").split(";") if a.strip()], site) if doc else (),
        published=published or found_published, updated=found_updated, captions=captions,
        declared_language=declared, extra=metadata, find_title=False,
    )


def _dates(page_date: str | None, published: list[tuple[str, date]],
           modified: list[tuple[str, date]]) -> tuple[str | None, str | None]:
    """Prefer a declared datetime with a time of day when it is on trafilatura's date (or there is none)."""
    chosen: tuple[str, date] | None = None
    for value, day in published:
        if page_date is None or day.isoformat() == page_date:
            chosen = (value, day)
            if "T" in value:
                break
    out_published = chosen[0] if chosen else page_date
    out_updated = None
    for value, day in modified:
        if chosen is None or day >= chosen[1]:
            out_updated = value
            break
    if out_updated == out_published:
        out_updated = None
    return out_published, out_updated


class HtmlReader:
    """``.html``/``.htm``: the article body of one page."""

    name = "html"
    suffixes: tuple[str, ...] = (".html", ".htm", ".xhtml")

    def read(self, data: bytes, *, source: str) -> Iterator[ArticleInput | Skip]:
        try:
            markup, encoding = decode_bytes(data)
        except InputError as e:
            yield Skip(source, e.reason, e.detail)
            return
        yield article_from_html(markup, source=source, extra={"encoding": encoding})
