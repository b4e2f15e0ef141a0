"""Attributions in the SQL store: round trips (every field, discontinuous content, via links) and the
version 1 -> 2 migration that adds their table to an existing database."""

from __future__ import annotations

import io
import pickle
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from sqlalchemy import inspect, select
from store_factory import make_article

from eventwire.cli import render_article
from eventwire.model import Article, Attribution, AttributionKind, CharSpan, Factuality, article_from_dict
from eventwire.store import SqlStore
from eventwire.store.migrations import MIGRATIONS, latest_version
from eventwire.store.tables import BASE_SCHEMA_VERSION, attributions

TEXT = ("“The bridge,” Ana Pérez said, “will open in May.” The Tromsø Courier reports, citing officials "
        "familiar with the plan, that the toll is said to have doubled. According to Bo Lindqvist, ferries "
        "could stop.")


def at(s: str, text: str = TEXT) -> CharSpan:
    i = text.index(s)
    return CharSpan.of(text, i, i + len(s))


def with_attributions() -> tuple[Attribution, ...]:
    content = at("that the toll is said to have doubled")
    anon = "officials familiar with the plan"
    return (
        Attribution("A1", AttributionKind.DIRECT, (at("“The bridge,”"), at("“will open in May.”")),
                    source=at("Ana Pérez"), cue=at("said"), source_entity="E1", confidence=0.7),
        Attribution("A2", AttributionKind.INDIRECT, (content,), source=at("The Tromsø Courier"),
                    cue=at("reports"), factuality=Factuality.ALLEGED, factuality_cues=(at("is said"),),
                    sentence=1),
        Attribution("A3", AttributionKind.INDIRECT, (content,), source=at(anon), cue=at("citing"),
                    anonymous=True, anonymous_description=anon,
                    factuality=Factuality.ALLEGED, via="A2", sentence=1, confidence=0.8),
        Attribution("A4", AttributionKind.ACCORDING_TO, (at("ferries could stop"),),
                    source=at("Bo Lindqvist"), cue=at("According to"), factuality=Factuality.SPECULATED,
                    factuality_cues=(at("could"),),
                    sentence=2),
    )


def article() -> Article:
    base = make_article(3)
    return replace(base, text=TEXT, id="a" * 16, content_hash="a" * 64, sentences=(), entities=(), times=(),
                   attributions=with_attributions())


def test_round_trip(store: SqlStore) -> None:
    a = article()
    assert store.put(a) == "stored"
    back = store.get("a" * 16)
    assert back == a
    assert back is not None and back.attributions[2].via == "A2" and len(back.attributions[0].content) == 2
    with store.engine.connect() as conn:
        rows = conn.execute(select(attributions.c.source_text, attributions.c.anonymous)
                            .order_by(attributions.c.seq)).all()
    assert [tuple(r) for r in rows][2] == ("officials familiar with the plan", True)


def test_to_dict_round_trip() -> None:
    a = article()
    d = a.to_dict()
    first = d["attributions"][0]
    assert first["source"]["span"] == [at("Ana Pérez").start, at("Ana Pérez").end]
    assert first["content"]["spans"] == [c.as_list() for c in with_attributions()[0].content]
    assert d["attributions"][2]["cue"]["span"] == at("citing").as_list()
    assert article_from_dict(d) == a


def test_no_source_round_trips_as_null(store: SqlStore) -> None:
    orphan = Attribution("A1", AttributionKind.INDIRECT, (at("the toll"),), cue=at("is said"),
                         factuality=Factuality.ALLEGED)
    a = replace(article(), attributions=(orphan,))
    store.put(a)
    assert store.get(a.id) == a
    assert a.to_dict()["attributions"][0]["source"]["span"] is None
    assert article_from_dict(a.to_dict()) == a


def test_migration_adds_the_table_to_a_version_1_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = make_article(5)
    with SqlStore.from_url(url, migrations=()) as s:  # the code before attributions
        s.put(old)
        with s.engine.begin() as conn:
            attributions.drop(conn)
        assert s.schema_version() == BASE_SCHEMA_VERSION
    with SqlStore.from_url(url) as s:
        assert s.schema_version() == latest_version(MIGRATIONS) >= 2
        assert "attributions" in inspect(s.engine).get_table_names()
        assert s.get(old.id) == old
        a = article()
        s.put(a)
        assert s.get("a" * 16) == a


def test_pickles_compactly_for_workers() -> None:
    a = article()
    assert pickle.loads(pickle.dumps(a)) == a
    assert type(a.attributions[0]).__reduce__(a.attributions[0])[0] is Attribution


def test_show_prints_an_attribution_table() -> None:
    out = io.StringIO()
    render_article(article(), Console(file=out, width=200, color_system=None))
    text = out.getvalue()
    assert "attributions" in text and "officials familiar with the plan (anonymous)" in text
    assert "“The bridge,” … “will open in May.”" in text and "alleged (is said)" in text
