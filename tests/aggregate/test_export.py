"""Exports: PLOVER JSONL, CSV, Parquet and GDELT TSV of invented articles, filters, and the CLI command."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from eventwire.aggregate import GDELT_COLUMNS, ExportFilters, export
from eventwire.cli import app
from eventwire.errors import ConfigError
from eventwire.model import Article, article_from_dict
from eventwire.nlp.events.plover import event_type
from eventwire.store import SqlStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from api_factory import make_article


class _Store:
    """Lists from a SqlStore; get() hands back the factory's articles (with events, whatever the schema)."""

    def __init__(self, inner: SqlStore, articles: list[Article]) -> None:
        self.inner = inner
        self.engine = inner.engine
        self.by_id = {a.id: a for a in articles}

    def get(self, article_id: str) -> Article | None:
        return self.by_id.get(article_id)


ARTICLES = [make_article(i, published=f"2024-0{3 + i % 2}-1{i}T08:00:00+00:00",
                         actor=("Ana Ortiz", "Bo Lund")[i % 2], place=("Velmora", "Ostrand")[i % 2],
                         country=("PRT", "DEU")[i % 2],
                         event_type=("PROTEST", "ASSAULT")[i % 2]) for i in range(4)]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Any]:
    with SqlStore.from_url(f"sqlite:///{tmp_path / 'x.db'}") as s:
        for a in ARTICLES:
            s.put(a)
        yield _Store(s, ARTICLES)


def test_plover_jsonl(store: Any, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    n = export(store, "jsonl", out)  # type: ignore[arg-type]
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert n == len(rows) == sum(len(a.events) for a in ARTICLES)
    r = next(x for x in rows if x["event"] == "COERCE")
    assert {"id", "date", "source", "target", "event", "eventText", "mode", "context", "text", "language",
            "publication", "version", "dateCoded"} <= set(r)
    assert r["source"] == [{"actorText": "police", "code": r["source"][0]["code"], "name": "police",
                            "sector": "GOV"}]
    assert r["target"][0]["actorText"] == "Protesters"
    assert r["mode"] == "arrest" and r["eventText"] == "detained"
    a = next(a for a in ARTICLES if a.id == r["eventwire"]["article_id"])
    ev = r["eventwire"]["evidence"]
    assert a.text[ev["trigger"]["span"][0]:ev["trigger"]["span"][1]] == "detained"
    assert r["text"] in a.text and "detained" in r["text"]


def test_filters(store: Any, tmp_path: Path) -> None:
    out = tmp_path / "f.jsonl"
    assert export(store, "jsonl", out, filters=ExportFilters(type="ASSAULT")) == 2  # type: ignore[arg-type]
    assert export(store, "jsonl", out, filters=ExportFilters(country="DEU")) == 2  # type: ignore[arg-type]
    assert export(store, "jsonl", out,  # type: ignore[arg-type]
                  filters=ExportFilters(date_from="2024-04-01", date_to="2024-04-30")) == 6
    assert export(store, "jsonl", out, filters=ExportFilters(factuality="reported")) == 4  # type: ignore[arg-type]


def test_csv_events_and_attributions(store: Any, tmp_path: Path) -> None:
    out = tmp_path / "e.csv"
    assert export(store, "csv", out) == 12  # type: ignore[arg-type]
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 12 and rows[0]["trigger_text"] in {"marched", "detained", "told"}
    out2 = tmp_path / "a.csv"
    assert export(store, "csv", out2, kind="attributions") == 8  # type: ignore[arg-type]
    attrs = list(csv.DictReader(out2.open(encoding="utf-8")))
    assert {a["content_text"] for a in attrs} >= {"We will not back down"}


def test_parquet(store: Any, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "e.parquet"
    assert export(store, "parquet", out) == 12  # type: ignore[arg-type]
    table = pq.read_table(out)
    assert table.num_rows == 12 and "actor_country" in table.column_names


def test_gdelt_tsv(store: Any, tmp_path: Path) -> None:
    out = tmp_path / "e.tsv"
    assert export(store, "gdelt", out) == 12  # type: ignore[arg-type]
    lines = out.read_text(encoding="utf-8").splitlines()
    rows = [dict(zip(GDELT_COLUMNS, line.split("\t"), strict=True)) for line in lines]
    assert len(GDELT_COLUMNS) == 61
    protest = next(r for r in rows if r["EventCode"] == "PROTEST")
    assert protest["QuadClass"] == str(event_type("PROTEST").quad)
    assert protest["SQLDATE"] == protest["Year"] + protest["MonthYear"][4:] + protest["SQLDATE"][6:]
    assert len(protest["SQLDATE"]) == 8 and protest["ActionGeo_CountryCode"] in {"PRT", "DEU"}
    assert protest["Actor1Name"] == "PROTESTERS" and protest["SOURCEURL"].startswith("https://news.invalid/")
    assert [r["GLOBALEVENTID"] for r in rows] == [str(i) for i in range(1, 13)]
    coerce = next(r for r in rows if r["EventCode"] == "COERCE")
    assert coerce["IsRootEvent"] == "0"  # the second event of its sentence


def test_articles_jsonl_round_trips(store: Any, tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    assert export(store, "jsonl", out, kind="articles") == 4  # type: ignore[arg-type]
    back = [article_from_dict(json.loads(line)) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(a.id for a in back) == sorted(a.id for a in ARTICLES)


def test_unwritable_output_is_a_config_error(store: Any, tmp_path: Path) -> None:
    for fmt in ("jsonl", "gdelt"):
        with pytest.raises(ConfigError, match=r"cannot write .*no such folder.*folder exists"):
            export(store, fmt, tmp_path / "no such folder" / "x")  # type: ignore[arg-type]


def test_bad_requests(store: Any, tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        export(store, "xml", tmp_path / "x")  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        export(store, "gdelt", tmp_path / "x", kind="articles")  # type: ignore[arg-type]


def test_cli_export(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    with SqlStore.from_url(db) as s:
        for a in ARTICLES:
            s.put(a)
    out = tmp_path / "arts.csv"
    r = CliRunner().invoke(app, ["export", "--what", "articles", "--format", "csv", "--out", str(out),
                                 "--db", db, "--from", "2024-04"])
    assert r.exit_code == 0, r.output
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 2
    bad = CliRunner().invoke(app, ["export", "--format", "xml", "--out", str(out), "--db", db])
    assert bad.exit_code == 2


def test_events_from_the_store_itself(tmp_path: Path) -> None:
    # The store keeps events (schema 3): an export straight from SqlStore sees them, spans intact.
    with SqlStore.from_url(f"sqlite:///{tmp_path / 'e.db'}") as s:
        for a in ARTICLES:
            s.put(a)
        out = tmp_path / "e.jsonl"
        assert export(s, "jsonl", out, filters=ExportFilters(type="COERCE")) == 4
    for line in out.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        a = next(x for x in ARTICLES if x.id == r["eventwire"]["article_id"])
        s0, e0 = r["eventwire"]["evidence"]["trigger"]["span"]
        assert a.text[s0:e0] == r["eventText"] == "detained"


def test_date_filters_match_the_api_for_week_dated_events(tmp_path: Path) -> None:
    # Issue 9: export compared the raw value "2024-W26" with --from/--to and dropped the event the API's
    # events query returns for the same range (a week is in the range its Monday, 2024-06-24, is in).
    from dataclasses import replace

    from eventwire.model import EventDate
    from eventwire.store import queries as Q

    base = make_article(7, published="2024-07-02T08:00:00+00:00")
    week = replace(base.events[0], date=EventDate("2024-W26", "week", "text"))
    article = replace(base, events=(week, *base.events[1:]))
    with SqlStore.from_url(f"sqlite:///{tmp_path / 'w.db'}") as s:
        s.put(article)
        window = {"date_from": "2024-06-01", "date_to": "2024-06-30"}
        with s.engine.connect() as conn:
            api = Q.list_events(conn, **window)
        assert [e["id"] for e in api.items] == [week.id]
        for fmt in ("jsonl", "csv", "gdelt"):
            out = tmp_path / f"w.{fmt}"
            assert export(s, fmt, out, filters=ExportFilters(**window)) == api.total == 1, fmt
        out = tmp_path / "w.jsonl"
        export(s, "jsonl", out, filters=ExportFilters(**window))
        assert json.loads(out.read_text(encoding="utf-8"))["eventwire"]["event_id"] == week.id
        runner = CliRunner()
        cli = runner.invoke(app, ["export", "--out", str(out), "--db", str(s.engine.url), "--from", "2024-06",
                                  "--to", "2024-06"])
        assert cli.exit_code == 0, cli.output
        assert len(out.read_text(encoding="utf-8").splitlines()) == 1


def test_site_and_kind_filters_go_through_the_store_queries(tmp_path: Path) -> None:
    from dataclasses import replace

    mixed = [replace(a, site="other.example") if i % 2 else a for i, a in enumerate(ARTICLES)]
    out = tmp_path / "a.jsonl"
    with SqlStore.from_url(f"sqlite:///{tmp_path / 's.db'}") as s:
        for a in mixed:
            s.put(a)
        on_site = [a for a in mixed if a.site == "other.example"]
        assert 0 < len(on_site) < len(mixed)
        site = ExportFilters(site="other.example")
        assert export(s, "jsonl", out, kind="articles", filters=site) == len(on_site)
        assert export(s, "jsonl", out, kind="attributions", filters=site) == sum(
            len(a.attributions) for a in on_site)
        assert export(s, "jsonl", out, filters=site) == sum(len(a.events) for a in on_site)
        april = ExportFilters(date_from="2024-04", date_to="2024-04")
        assert export(s, "jsonl", out, kind="attributions", filters=april) == sum(
            len(a.attributions) for a in mixed if (a.published or "").startswith("2024-04"))
