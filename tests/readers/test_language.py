"""Language labels: detected, never a reason to skip."""

from __future__ import annotations

from eventwire.model import ArticleInput
from eventwire.readers import detect_language, read_bytes


def test_detect_language() -> None:
    assert detect_language("The council approved the new budget on Monday after a long debate.")[0] == "en"
    language, probability = detect_language("Le conseil municipal a approuvé lundi le nouveau budget.")
    assert language == "fr" and probability > 0.9
    assert detect_language("ok") == (None, 0.0)
    assert detect_language("12/01/2025, 06:15") == (None, 0.0)


def test_non_english_article_is_read_and_labelled() -> None:
    text = ("El ayuntamiento aprobó el lunes el nuevo presupuesto para el próximo año tras un largo debate, "
            "según informaron las autoridades locales.")
    [item] = list(read_bytes(text.encode(), name="noticia.txt"))
    assert isinstance(item, ArticleInput)
    assert item.language == "es"
    assert item.metadata["language_confidence"] > 0.9
    assert item.text == text
