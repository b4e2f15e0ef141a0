"""The library entry point, analyze()."""

from __future__ import annotations

import pytest

from eventwire import Article, InputError, analyze
from eventwire.model import article_from_dict
from eventwire.testing import invented_article

pytestmark = pytest.mark.model

TEXT = ("Norwegian Foreign Minister Tomas Berg met his Chilean counterpart Ines Duarte in Oslo on Tuesday. "
        "Berg said he expected a trade agreement next year.")


def test_text_is_kept_exactly_and_spans_index_into_it(analyzer) -> None:  # type: ignore[no-untyped-def]
    article = analyze(text=TEXT, published="2024-04-04", analyzer=analyzer)
    assert isinstance(article, Article) and article.text == TEXT
    berg = next(e for e in article.entities if e.name == "Tomas Berg")
    assert berg.type == "PERSON"
    assert {m.span.text for m in berg.mentions} >= {"Tomas Berg", "Berg", "he"}
    times = {(t.span.text, t.value) for t in article.times}
    assert times >= {("Tuesday", "2024-04-02"), ("next year", "2025")}
    oslo = next(e for e in article.entities if e.name == "Oslo")
    assert oslo.country == "NOR"
    assert article_from_dict(article.to_dict()) == article


def test_html_page_is_extracted_first(analyzer) -> None:  # type: ignore[no-untyped-def]
    html = ("<html><head><title>Talks in Oslo</title></head><body><nav>Home | World</nav><article>"
            f"<h1>Talks in Oslo</h1><p>{TEXT}</p><p>{TEXT.replace('Tuesday', 'Wednesday')}</p></article>"
            "<footer>Cookies</footer></body></html>")
    article = analyze(html=html, url="https://news.example.org/oslo", analyzer=analyzer)
    assert "Cookies" not in article.text and "Tomas Berg" in article.text
    assert article.title == "Talks in Oslo"
    for span in article.spans():
        assert article.text[span.start:span.end] == span.text


def test_no_text_is_a_clear_error() -> None:
    with pytest.raises(InputError) as info:
        analyze(text="   ")
    assert info.value.reason == "empty"


# Invented articles with the constructions the events layer settles per word ("called on X to resign").
_CONCURRENT = [invented_article(i) + f" The union called on minister {n} to resign over the strike."
               for i, n in enumerate(("Ruiz", "Berg", "Holt", "Okafor", "Lind", "Haddad", "Moreau", "Sato"))]


def _records(article: Article) -> tuple[object, ...]:
    return (article.entities, article.times, article.attributions, article.events)


def test_concurrent_analyses_give_the_records_of_sequential_ones(nlp) -> None:  # type: ignore[no-untyped-def]
    """The API analyses POSTs from a thread pool with one shared pipeline: no component may keep
    per-article state (the events layer kept the words its constructions settled on itself)."""
    from concurrent.futures import ThreadPoolExecutor

    from eventwire.nlp.analyzer import Analyzer

    analyzer = Analyzer(nlp=nlp)

    def one(text: str) -> Article:
        article = analyze(text=text, published="2024-04-04", analyzer=analyzer)
        assert isinstance(article, Article)
        return article

    sequential = [_records(one(t)) for t in _CONCURRENT]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            assert [_records(a) for a in pool.map(one, _CONCURRENT)] == sequential


def test_components_keep_no_state_between_articles(nlp) -> None:  # type: ignore[no-untyped-def]
    import copy

    def state() -> dict[str, dict[str, object]]:
        return {name: {k: copy.copy(v) if isinstance(v, (set, list, dict)) else id(v)
                       for k, v in vars(pipe).items()}
                for name, pipe in nlp.pipeline if name.startswith("eventwire") and hasattr(pipe, "__dict__")}

    nlp(_CONCURRENT[0])  # lazily loaded tables are loaded
    before = state()
    nlp(_CONCURRENT[1])
    assert state() == before
