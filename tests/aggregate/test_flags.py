from __future__ import annotations

import re
from pathlib import Path

import pytest

from eventwire.aggregate.flags import article_flags, role_titles
from eventwire.model import Article, CharSpan, Entity, Mention, Sentence
from eventwire.testing import make_article

SEED = Path(__file__).resolve().parents[3] / "shared" / "samples" / "seed-article.txt"


def _article(text: str, entities: dict[str, tuple[str, str | None, tuple[str, ...]]]) -> Article:
    """``entities``: id -> (type, ISO3 country, names whose every occurrence is a mention)."""
    sentences = tuple(Sentence(CharSpan.of(text, m.start(), m.end())) for m in re.finditer(r"[^.]+\.?", text))
    built = []
    for eid, (etype, country, names) in entities.items():
        spans = sorted({(m.start(), m.end()) for n in names for m in re.finditer(re.escape(n), text)})
        # a longer name covers its shorter form ("Luis Ortega" / "Ortega"): keep the longest
        spans = [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]
        built.append(Entity(id=eid, type=etype, name=names[0], country=country,
                            mentions=tuple(Mention(span=CharSpan.of(text, s, e)) for s, e in spans)))
    return make_article(text, sentences=sentences, entities=tuple(built))


SLIP = ("For now, Luis Ortega refuses to leave. According to a report, French President Luis Ortega urged "
        "him to quit. Anna Berg spoke by phone with Chilean strongman Luis Ortega. Sources say the French "
        "president offered Ortega safe passage. Berg later told French television that the call took place. "
        "Ortega appeared on Chilean television.")
SLIP_ENTITIES = {"E1": ("PERSON", None, ("Luis Ortega", "Ortega")),
                 "E2": ("PERSON", None, ("Anna Berg", "Berg")),
                 "E3": ("NORP", "FRA", ("French",)), "E4": ("NORP", "CHL", ("Chilean",))}


def test_a_head_role_of_the_wrong_country_is_flagged_with_its_span_and_evidence() -> None:
    article = _article(SLIP, SLIP_ENTITIES)
    flags = list(article_flags(article))
    assert len(flags) == 1
    flag = flags[0]
    assert flag.kind == "role-conflict" and flag.span.text == "French President Luis Ortega"
    assert SLIP[flag.span.start:flag.span.end] == flag.span.text
    assert "Chilean strongman Luis Ortega" in [e.text for e in flag.evidence]
    assert "Anna Berg" in flag.message


def test_the_unnamed_title_resolves_past_a_person_titled_for_another_country() -> None:
    titles = role_titles(_article(SLIP, SLIP_ENTITIES))
    unnamed = [t for t in titles if not t.named]
    assert [(t.span.text, t.person) for t in unnamed] == [("French president", "E2")]


def test_one_office_given_to_two_persons_is_flagged_once() -> None:
    text = ("Norwegian Prime Minister Kari Lund met farmers in Bergen. Kari Lund told Norwegian radio the "
            "talks went well. Later, Norwegian Prime Minister Erik Dahl said the farmers would be heard.")
    article = _article(text, {"E1": ("PERSON", None, ("Kari Lund",)), "E2": ("PERSON", None, ("Erik Dahl",)),
                              "E3": ("NORP", "NOR", ("Norwegian",))})
    flags = list(article_flags(article))
    assert [f.span.text for f in flags] == ["Norwegian Prime Minister Erik Dahl"]


def test_a_consistent_article_has_no_flags() -> None:
    text = ("Chilean President Luis Ortega met French President Anna Berg. Ortega thanked Chilean voters; "
            "Berg flew back to French soil.")
    article = _article(text, {"E1": ("PERSON", None, ("Luis Ortega", "Ortega")),
                              "E2": ("PERSON", None, ("Anna Berg", "Berg")),
                              "E3": ("NORP", "FRA", ("French",)), "E4": ("NORP", "CHL", ("Chilean",))})
    assert list(article_flags(article)) == []


@pytest.mark.model
@pytest.mark.skipif(not SEED.exists(), reason="needs ../shared/samples/seed-article.txt")
def test_the_seed_articles_us_president_maduro_is_flagged() -> None:
    from eventwire.pipeline import analyze

    article = analyze(text=SEED.read_text(encoding="utf-8"))
    flags = list(article_flags(article))
    assert [f.span.text for f in flags] == ["US President Nicolás Maduro"]
    assert article.text[flags[0].span.start:flags[0].span.end] == "US President Nicolás Maduro"
