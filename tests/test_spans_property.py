"""Spans are sacred: every span of every output satisfies ``text[start:end] == span.text``."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventwire.model import Article, article_from_dict
from eventwire.testing import invented_article, make_input

pytestmark = pytest.mark.model

_WORDS = ["Ana Ruiz", "Kenya", "the United States", "U.S.", "he", "she", "said", "on Saturday", "last year",
          "\u201cWe will stay,\u201d", "told reporters", "in Nairobi", "Ruiz", "3 p.m.", "12/01/2025", "café",
          "Øresund", "\U0001f600", "\u00a0", "\n\n", "  ", ".", ",", "'", '"', "(AP)", "Monday night", "—"]

texts = st.one_of(
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=60).map(" ".join),
    st.text(min_size=1, max_size=300),
    st.integers(min_value=0, max_value=10_000).map(invented_article),
)


def _check_dict_spans(record: dict[str, Any]) -> None:
    text = record["text"]
    for e in record["entities"]:
        for detail in e["mention_details"]:
            s, t = detail["span"]
            assert text[s:t] == detail["text"]
        # the interchange's `mentions` are where the entity is named, each one of its details
        assert e["mentions"] == [d["span"] for d in e["mention_details"] if d["kind"] == "name"]
    for t in record["times"]:
        s, e = t["span"]
        assert text[s:e] == t["text"]


def _check(article: Article) -> None:
    for span in article.spans():
        assert 0 <= span.start <= span.end <= len(article.text)
        assert article.text[span.start:span.end] == span.text
    record = article.to_dict()
    _check_dict_spans(record)
    assert article_from_dict(record) == article


_ANCHORS = [None, "2025-12-01", "2025-12-01T06:15", "1998-02-27T10:00:00+01:00"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, published=st.sampled_from(_ANCHORS))
def test_every_span_points_at_its_text(analyzer: Any, text: str, published: str | None) -> None:
    if not text.strip():
        return
    for result in analyzer.analyze([make_input(text, published=published)]):
        if isinstance(result, Article):
            _check(result)
