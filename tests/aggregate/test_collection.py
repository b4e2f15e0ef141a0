"""``eventwire extract --stories``: the input file is one collection (FORMAT.md, "Collections")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwire.aggregate.collection import analyze_collection
from eventwire.cli import app

from .conftest import GOLD_STORIES, REPORTS, reports


def test_a_collection_gets_stories_copies_and_incident_ids() -> None:
    arts = reports()
    collection = analyze_collection(arts)
    assert collection.copies == {arts[3].id: arts[0].id}
    by_gold: dict[str, set[str]] = {}
    for a, gold in zip(arts, GOLD_STORIES, strict=True):
        by_gold.setdefault(gold, set()).add(collection.stories[a.id])
    assert all(len(ids) == 1 for ids in by_gold.values()) and len(set.union(*by_gold.values())) == 3
    record = collection.annotate(arts[3], arts[3].to_dict())
    assert record["story"] == collection.stories[arts[0].id] and record["duplicate_of"] == arts[0].id
    assert record["flags"] == []


@pytest.mark.model
def test_extract_stories_writes_story_and_incident_fields(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"r{i}", "title": t, "published": p, "url": u, "text": x}) + "\n"
                           for i, (t, p, u, x) in enumerate(REPORTS)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["extract", "--stories", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert set(records) == {f"r{i}" for i in range(len(REPORTS))}
    groups: dict[str, set[str]] = {}
    for i, gold in enumerate(GOLD_STORIES):
        groups.setdefault(gold, set()).add(records[f"r{i}"]["story"])
    assert all(len(ids) == 1 for ids in groups.values()) and len(set.union(*groups.values())) == 3
    assert records["r3"]["duplicate_of"] == records["r0"]["article_id"]
    assert all("incident" in e for r in records.values() for e in r["events"])


def test_recluster_command_rebuilds_the_stories_of_a_store(tmp_path: Path) -> None:
    from sqlalchemy import func, select

    from eventwire.store import SqlStore
    from eventwire.store.tables import article_stories

    url = f"sqlite:///{tmp_path / 'r.db'}"
    with SqlStore.from_url(url) as store:
        for a in reports():
            store.put(a)
    result = CliRunner().invoke(app, ["recluster", "--db", url])
    assert result.exit_code == 0, result.output
    assert "8 articles in 3 stories" in result.output
    with SqlStore.from_url(url) as store, store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(article_stories)).scalar() == 8


@pytest.mark.model
def test_ingest_assigns_stories_and_counts_copies(tmp_path: Path) -> None:
    from sqlalchemy import func, select

    from eventwire.store import SqlStore
    from eventwire.store.tables import article_stories

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"r{i}", "title": t, "published": p, "url": u, "text": x}) + "\n"
                           for i, (t, p, u, x) in enumerate(REPORTS)), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'i.db'}"
    result = CliRunner().invoke(app, ["ingest", str(src), "--db", url])
    assert result.exit_code == 0, result.output
    assert "copies 1" in result.output
    with SqlStore.from_url(url) as store, store.engine.connect() as conn:
        rows = dict(conn.execute(select(article_stories.c.article_id, article_stories.c.story_id)).all())
        assert len(rows) == len(REPORTS) and len(set(rows.values())) == 3
        assert conn.execute(select(func.count()).select_from(article_stories)
                            .where(article_stories.c.duplicate_of.is_not(None))).scalar() == 1
