"""`eventwire export --what incidents`: one ACLED-like row per incident (CSV, Parquet), or its record; from a
store on SQLite and on PostgreSQL (EVENTWIRE_TEST_PG_URL)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventwire.aggregate import ExportFilters, export
from eventwire.aggregate.export import INCIDENT_COLUMNS
from eventwire.aggregate.online import StoryKeeper
from eventwire.store import SqlStore
from eventwire.testing import incident_reports

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from db_fixtures import scratch_url


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlStore]:
    for url in scratch_url(request.param, tmp_path_factory, "incidents"):
        s = SqlStore.from_url(url)
        keeper = StoryKeeper(s)
        for a in incident_reports():
            s.put(a)
            keeper.add(a)
        keeper.finish()
        yield s
        s.close()


def test_csv_has_one_row_per_incident_with_the_lowest_toll_and_the_disagreements(store: SqlStore,
                                                                                tmp_path: Path) -> None:
    out = tmp_path / "incidents.csv"
    assert export(store, "csv", out, kind="incidents") == 2
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == INCIDENT_COLUMNS
    brennock = next(r for r in rows if r["location"] == "Brennock")
    assert (brennock["fatalities"], brennock["fatalities_high"]) == ("30", "34")
    assert brennock["independent_sources"] == "3" and brennock["articles"] == "5"
    assert brennock["sources"] == "coastalherald.example; harbourpost.example; tidewire.example"
    notes = brennock["notes"]
    assert notes.startswith("fatalities: 30 (The police) vs ") and "34 (Hospital staff)" in notes
    assert "denied (The Brennock Front)" in notes


def test_filters_jsonl_and_parquet(store: SqlStore, tmp_path: Path) -> None:
    out = tmp_path / "incidents.jsonl"
    assert export(store, "jsonl", out, kind="incidents", filters=ExportFilters(date_from="2031-08-01")) == 1
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["place"] == "Esker Bay" and record["fatalities"]["low"] == 4
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq_out = tmp_path / "incidents.parquet"
    assert export(store, "parquet", pq_out, kind="incidents") == 2
    assert tuple(pq.read_table(pq_out).column_names) == INCIDENT_COLUMNS
