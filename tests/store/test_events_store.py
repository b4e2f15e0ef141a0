"""Events in the SQL store: round trips (every field, links to entities, times and attributions), the query
columns, and the version 2 -> 3 migration that adds their table to an existing database."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from sqlalchemy import inspect, select, text
from store_factory import make_article

from eventwire.cli import render_article
from eventwire.model import (
    Article,
    CharSpan,
    Event,
    EventArg,
    EventDate,
    EventPlace,
    Factuality,
    Quantity,
    article_from_dict,
)
from eventwire.nlp.plover import type_names
from eventwire.store import SqlStore
from eventwire.store.migrations import MIGRATIONS, latest_version
from eventwire.store.tables import events

TEXT = (
    "Coast guards of Veltria fired on two fishing boats off Marundi on Friday, wounding at least 4 sailors, "
    "the ministry said. Marundi could answer with a ban."
)


def at(s: str) -> CharSpan:
    i = TEXT.index(s)
    return CharSpan.of(TEXT, i, i + len(s))


def with_events() -> tuple[Event, ...]:
    names = type_names()
    return (
        Event(
            "V1",
            names[-1],
            at("fired"),
            mode="FIREARMS",
            actor=EventArg(
                at("Coast guards of Veltria"),
                entity="E1",
                name="Veltria coast guard",
                country="XXV",
                sector="MIL",
            ),
            target=EventArg(at("two fishing boats"), name="two fishing boats", sector="CVL"),
            date=EventDate("2031-05-02", "day", "text", "T1"),
            place=EventPlace(at("off Marundi"), "Marundi", "water", country="XXM"),
            quantities=(Quantity("injured", at("wounding at least 4 sailors"), low=4.0),),
            factuality=Factuality.REPORTED,
            factuality_cues=(),
            attribution="A1",
            confidence=0.81,
        ),
        Event(
            "V2",
            names[10],
            at("ban"),
            actor=EventArg(at("Marundi"), entity="E2", name="Marundi"),
            date=EventDate("2031-05-04", "day", "published"),
            factuality=Factuality.SPECULATED,
            factuality_cues=(at("could"),),
            sentence=1,
            confidence=0.4,
        ),
    )


def article() -> Article:
    base = make_article(4)
    return replace(
        base,
        text=TEXT,
        id="b" * 16,
        content_hash="b" * 64,
        sentences=(),
        entities=(),
        times=(),
        attributions=(),
        events=with_events(),
    )


def test_round_trip(store: SqlStore) -> None:
    a = article()
    assert store.put(a) == "stored"
    assert store.get("b" * 16) == a
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(
                events.c.id,
                events.c.actor_entity,
                events.c.place_precision,
                events.c.date,
                events.c.date_source,
                events.c.attribution,
            ).order_by(events.c.seq)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("V1", "E1", "water", "2031-05-02", "text", "A1"),
        ("V2", "E2", None, "2031-05-04", "published", None),
    ]


def test_to_dict_round_trip() -> None:
    d = article().to_dict()
    assert d["events"][0]["actor"]["text"] == "Coast guards of Veltria"
    assert d["events"][1]["target"] is None
    assert article_from_dict(d) == article()


def test_migration_adds_the_table_to_a_version_2_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = make_article(6)
    with SqlStore.from_url(url, migrations=MIGRATIONS[:1]) as s:  # the code before events
        s.put(old)
        with s.engine.begin() as conn:
            events.drop(conn)
            conn.execute(text("DELETE FROM schema_version WHERE version > 2"))
        assert s.schema_version() == 2
    with SqlStore.from_url(url) as s:
        assert s.schema_version() == latest_version(MIGRATIONS) >= 3
        assert "events" in inspect(s.engine).get_table_names()
        assert s.get(old.id) == old
        s.put(article())
        assert s.get("b" * 16) == article()


def test_show_prints_an_events_table() -> None:
    out = io.StringIO()
    render_article(article(), Console(file=out, width=250, color_system=None))
    shown = out.getvalue()
    assert "events" in shown and "Coast guards of Veltria (XXV, MIL)" in shown
    assert "off Marundi (water)" in shown and "injured 4–?" in shown
    assert "2031-05-04 (published)" in shown and "reported via A1" in shown
