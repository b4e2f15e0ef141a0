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
from eventwire.nlp.events.plover import type_names
from eventwire.store import SqlStore
from eventwire.store import queries as Q
from eventwire.store.migrations import MIGRATIONS, latest_version
from eventwire.store.tables import event_date_key, event_day, event_days, events

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


def test_event_date_key_sorts_as_time() -> None:
    assert event_date_key("2031-05-02") == "2031-05-02"
    assert event_date_key("2031-05-02T14:00") == "2031-05-02T14:00"
    assert event_date_key("2031-05") == "2031-05" and event_date_key("2031") == "2031"
    assert event_date_key("2031-W18") == "2031-04-28/P1W"  # the Monday of ISO week 18
    assert event_date_key("2031-W18-3") == "2031-04-30"
    assert event_date_key("2031-W60") == "2031" and event_date_key("2031-SU") == "2031"
    assert event_date_key("PAST_REF") is None and event_date_key(None) is None
    keys = [event_date_key(v) for v in ("2031-04-27", "2031-W18", "2031-04-29", "2031-05", "2031-05-01")]
    assert keys == sorted(keys, key=str)


def _dated(n: int, values: list[str]) -> Article:
    """An article with one event per date value (V1 dated values[0], ...)."""
    base = article()
    evs = tuple(replace(with_events()[1], id=f"V{i + 1}", date=EventDate(v, "day", "text"))
                for i, v in enumerate(values))
    text = f"{TEXT} ({n})"
    # its own source, input id and URL: the same ones would make each article a new version of the last
    return replace(base, text=text, id=f"{n:x}".rjust(16, "c"), content_hash=f"{n:x}".rjust(64, "c"),
                   events=evs, source=f"dated/{n}.txt", input_id=f"dated-{n}", url=f"https://news.invalid/d{n}")


def test_events_newest_first_whatever_the_date_precision(store: SqlStore) -> None:
    store.put(_dated(1, ["2031-W18", "2031-05-20", "PAST_REF", "2031-04", "2031-04-20", "2031-05-02T09:00"]))
    with store.engine.connect() as conn:
        page = Q.list_events(conn)
        assert [e["date"]["value"] for e in page.items] == [
            "2031-05-20", "2031-05-02T09:00", "2031-W18", "2031-04-20", "2031-04", "PAST_REF"]
        # a week is in the month its Monday is in; PAST_REF in no date range
        april = Q.list_events(conn, date_from="2031-04", date_to="2031-04").items
        assert [e["date"]["value"] for e in april] == ["2031-W18", "2031-04-20", "2031-04"]
        # the day axis has days only
        assert [(b["day"], b["count"]) for b in Q.timeline_events(conn)] == [
            ("2031-04-20", 1), ("2031-05-02", 1), ("2031-05-20", 1)]
    assert store.get(_dated(1, []).id) == _dated(1, ["2031-W18", "2031-05-20", "PAST_REF", "2031-04",
                                                     "2031-04-20", "2031-05-02T09:00"])


def test_migration_6_makes_stored_week_dates_sortable(db_url: str) -> None:
    old = _dated(2, ["2031-W18", "2031-05-20", "PAST_REF"])
    with SqlStore.from_url(db_url) as s:
        s.put(old)
        with s.engine.begin() as conn:  # what the code before version 6 stored: the value as given
            for v, value in (("V1", "2031-W18"), ("V3", "PAST_REF")):
                conn.execute(events.update().where(events.c.id == v).values(date=value))
            conn.execute(text("UPDATE schema_version SET version = 5"))
        assert s.schema_version() == 5
    with SqlStore.from_url(db_url) as s:
        assert s.schema_version() == latest_version(MIGRATIONS) >= 6
        with s.engine.connect() as conn:
            stored = dict(conn.execute(select(events.c.id, events.c.date).order_by(events.c.id)).all())
        assert stored == {"V1": "2031-04-28/P1W", "V2": "2031-05-20", "V3": None}
        assert s.get(old.id) == old


def _timeline_from_events(store: SqlStore, **filters: str) -> list[dict[str, object]]:
    """The timeline counted from the events rows themselves (what event_days must agree with)."""
    counts: dict[tuple[str, str], int] = {}
    query = select(events.c.date, events.c.type, events.c.place_country)
    with store.engine.connect() as conn:
        for date, etype, country in conn.execute(query):
            day = event_day(date)
            keep = day is not None and (
                etype == filters.get("type", etype) and country == filters.get("country", country)
                and day >= filters.get("date_from", "") and day <= filters.get("date_to", "9999") + "~")
            if day is not None and keep:
                counts[(day, etype)] = counts.get((day, etype), 0) + 1
    return [{"day": d, "type": t, "count": n} for (d, t), n in sorted(counts.items())]


def _spread(n: int) -> Article:
    """Article ``n``: events on a day, in a week, at a time of that day and on 2031-05-20; all but the week's
    placed in one of two countries."""
    day = f"2031-0{1 + n % 3}-{10 + n % 4}"
    a = _dated(100 + n, [day, "2031-W18", f"{day}T09:00", "2031-05-20"])
    countries = ("XXA", "XXB")
    evs = tuple(e if i == 1 else replace(e, place=EventPlace(None, "Somewhere", "country",
                                                             country=countries[(n + i) % 2]))
                for i, e in enumerate(a.events))
    return replace(a, events=evs)


def test_timeline_counts_agree_with_the_events(store: SqlStore) -> None:
    for n in range(7):
        store.put(_spread(n))
    store.put(_spread(3))  # unchanged: counted once
    with store.engine.connect() as conn:
        for filters in ({}, {"country": "XXA"}, {"type": with_events()[1].type}, {"country": "XXB",
                        "date_from": "2031-02", "date_to": "2031-03"}, {"date_to": "2031-02-11"},
                        {"type": "PROTEST"}):
            got = Q.timeline_events(conn, **filters)
            assert got == _timeline_from_events(store, **filters), filters
        assert sum(b["count"] for b in Q.timeline_events(conn)) == 7 * 3  # the week is on no day


def test_migration_7_counts_the_events_there_are(db_url: str) -> None:
    with SqlStore.from_url(db_url) as s:
        for n in range(4):
            s.put(_spread(n))
        with s.engine.connect() as conn:
            want = Q.timeline_events(conn, country="XXA")
        with s.engine.begin() as conn:  # the database before version 7
            event_days.drop(conn)
            conn.execute(text("UPDATE schema_version SET version = 6"))
    with SqlStore.from_url(db_url) as s:
        assert s.schema_version() == latest_version(MIGRATIONS) >= 7
        with s.engine.connect() as conn:
            assert Q.timeline_events(conn, country="XXA") == want == _timeline_from_events(s, country="XXA")
        s.put(_spread(9))
        assert _timeline_from_events(s) == Q.timeline_events(s.engine.connect())
