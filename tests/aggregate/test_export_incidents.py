"""`eventwire export --what incidents`: one ACLED-like row per incident (CSV, Parquet), or its record."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from eventwire.aggregate import ExportFilters, export
from eventwire.aggregate.export import INCIDENT_COLUMNS
from eventwire.aggregate.online import StoryKeeper
from eventwire.store import SqlStore
from eventwire.testing import incident_reports


@pytest.fixture
def store(tmp_path: Path) -> SqlStore:
    s = SqlStore.from_url(f"sqlite:///{tmp_path / 'inc.db'}")
    keeper = StoryKeeper(s)
    for a in incident_reports():
        s.put(a)
        keeper.add(a)
    keeper.finish()
    return s


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
    store.close()


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
    store.close()
