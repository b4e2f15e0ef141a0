"""Test doubles for users and our own tests: no spaCy, no database server needed.

- :class:`EchoStep` is a BatchStep (runners/base.py) that "analyses" without NLP, optionally dying
  like an OOM-killed worker on inputs containing a marker, so runner behaviour can be tested in seconds.
- :func:`make_input` / :func:`make_article` build model objects with sensible defaults.
"""

from __future__ import annotations

import os
import random
from collections.abc import Sequence
from dataclasses import dataclass

from eventwire.model import Article, ArticleInput, CharSpan, Sentence, Skip, content_hash

__all__ = ["EchoStep", "invented_article", "make_article", "make_input"]


def make_input(text: str, *, source: str = "test", published: str | None = None,
               id: str | None = None) -> ArticleInput:
    """An ArticleInput for ``text``."""
    return ArticleInput(text=text, source=source, published=published, id=id)


def make_article(text: str, **fields: object) -> Article:
    """An analysed Article for ``text`` with one sentence spanning it; ``fields`` override any attribute."""
    digest = content_hash(text)
    base = Article(id=digest[:16], content_hash=digest, text=text, language="en",
                   sentences=(Sentence(CharSpan.of(text, 0, len(text))),) if text else ())
    if not fields:
        return base
    from dataclasses import replace

    return replace(base, **fields)  # type: ignore[arg-type]


@dataclass
class EchoStep:
    """A BatchStep without NLP: each input becomes an Article with one sentence and nothing else.

    ``crash_marker``: an input whose text contains it kills the whole worker process (``os._exit``), the way
    the kernel's OOM killer would; ``fail_marker``: such an input becomes Skip("analysis-error").
    """

    crash_marker: str | None = None
    fail_marker: str | None = None
    ready: bool = False

    def setup(self) -> None:
        self.ready = True

    def analyze(self, inputs: Sequence[ArticleInput]) -> list[Article | Skip]:
        out: list[Article | Skip] = []
        for item in inputs:
            if self.crash_marker and self.crash_marker in item.text:
                os._exit(137)
            if self.fail_marker and self.fail_marker in item.text:
                out.append(Skip(item.source, "analysis-error", "fail marker"))
                continue
            out.append(make_article(item.text, source=item.source, input_id=item.id,
                                    published=item.published))
        return out


# Invented vocabulary: none of it comes from any third-party text.
_PEOPLE = ["Ana Ruiz", "Tomas Berg", "Leila Haddad", "Marcus Webb", "Ines Duarte", "Kofi Mensah",
           "Yuki Tanaka"]
_ROLES = ["Foreign Minister", "Defence Minister", "President", "Prime Minister", "opposition leader"]
_COUNTRIES = ["Chile", "Kenya", "Norway", "Vietnam", "Morocco", "Peru", "Ghana", "Poland", "Canada"]
_CITIES = ["Nairobi", "Oslo", "Lima", "Hanoi", "Rabat", "Accra", "Warsaw", "Ottawa"]
_DAYS = ["on Monday", "on Tuesday", "on Wednesday", "last week", "on Friday", "last year", "in March"]
_TOPICS = ["fishing rights", "a border crossing", "grain exports", "a pipeline", "rail tariffs", "visa rules"]


def invented_article(seed: int) -> str:
    """A short, varied, invented news article (~120 words) for tests that need many distinct articles."""
    r = random.Random(seed)
    p1, p2 = r.sample(_PEOPLE, 2)
    c1, c2 = r.sample(_COUNTRIES, 2)
    role1, role2 = r.choice(_ROLES), r.choice(_ROLES)
    city, topic = r.choice(_CITIES), r.choice(_TOPICS)
    d1, d2 = r.sample(_DAYS, 2)
    n = r.randint(2, 400)
    return (
        f"{c1} and {c2} held talks about {topic} in {city} {d1}, officials said.\n"
        f"{role1} {p1} told reporters that {c1} wanted an agreement before the summer. "
        f"{p1.split()[-1]} said the talks had been difficult but useful. "
        f"{role2} {p2} of {c2} said {d1.split()[-1] if d1.startswith('on') else 'earlier'} that "
        f"{c2} would not accept new conditions.\n"
        f"The dispute began {d2}, when {n} trucks were stopped at the border. "
        f"{p2.split()[-1]} accused {c1} of delaying the shipments. "
        f"He said the government in {city} had been warned. Talks are due to resume next month. "
        f"The case file carries the number {seed + 1000}.\n"
    )
