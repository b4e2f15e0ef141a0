"""The command line, end to end in-process (typer's CliRunner), on invented articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwire.cli import app

pytestmark = pytest.mark.model

runner = CliRunner()


def _db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ew.db'}"


def _last_json(stderr: str) -> dict:
    return json.loads(stderr.strip().splitlines()[-1])


def test_ingest_twice_is_idempotent(tmp_path: Path, article_dir: Path) -> None:
    (article_dir / "empty.txt").write_text("")
    db = _db(tmp_path)
    first = runner.invoke(app, ["ingest", str(article_dir), "--db", db])
    assert first.exit_code == 0, first.output
    assert "read 6" in first.stderr and "stored 6" in first.stderr and "empty 1" in first.stderr
    second = runner.invoke(app, ["ingest", str(article_dir), "--db", db])
    assert second.exit_code == 0
    assert "stored 0" in second.stderr and "unchanged 6" in second.stderr

    from eventwire.store import open_store

    with open_store(db) as store:
        assert store.counts()["articles"] == 6


def test_exit_code_is_1_only_when_everything_failed(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "blob.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = runner.invoke(app, ["ingest", str(bad), "--db", _db(tmp_path)])
    assert result.exit_code == 1
    assert "skipped 2" in result.stderr


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope"), "--db", _db(tmp_path)])
    assert result.exit_code == 2


def test_extract_jsonl_keeps_text_and_ids(tmp_path: Path) -> None:
    text = "  Kofi Mensah met Ana Ruiz in Accra on Tuesday.\n\nThey talked for two hours.  "
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "x1", "text": text, "published": "2024-03-14"}) + "\n"
                   + "{not json}\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 1
    rec = records[0]
    assert rec["id"] == "x1" and rec["text"] == text  # FORMAT.md: text input comes back unchanged
    people = {e["name"] for e in rec["entities"] if e["type"] == "PERSON"}
    assert {"Kofi Mensah", "Ana Ruiz"} <= people
    assert any(t["value"] == "2024-03-12" for t in rec["times"])  # the Tuesday before Thursday 14 March
    stats = _last_json(result.stderr)
    assert stats["articles"] == 1 and stats["skipped"] == {"not-json": 1}


@pytest.mark.slow
@pytest.mark.dask
def test_extract_on_a_local_dask_cluster_writes_the_local_records(tmp_path: Path, article_dir: Path) -> None:
    pytest.importorskip("distributed")
    src = tmp_path / "in" / "batch.jsonl"
    src.parent.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(article_dir.iterdir())]
    src.write_text("".join(json.dumps({"id": f"r{i}", "text": t}) + "\n" for i, t in enumerate(texts))
                   + "{not json}\n" + json.dumps({"id": "again", "text": texts[0]}) + "\n", encoding="utf-8")
    (src.parent / "a.txt").write_text(texts[1], encoding="utf-8")
    here, there = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    local = runner.invoke(app, ["extract", str(src.parent), "-o", str(here)])
    assert local.exit_code == 0, local.output
    dask = runner.invoke(app, ["extract", str(src.parent), "-o", str(there), "--scheduler", "local",
                               "--workers", "2"])
    assert dask.exit_code == 0, dask.output
    assert "dask: 2 worker threads at local" in dask.stderr
    # every input analysed (a repeated text too: extract keeps duplicates), in input order, as here
    records = there.read_text(encoding="utf-8").splitlines()
    assert len(records) == len(texts) + 2
    assert records == here.read_text(encoding="utf-8").splitlines()
    stats = _last_json(dask.stderr)
    assert stats["extracted"] == len(texts) + 2 and stats["skipped"] == {"not-json": 1}


def test_extract_single_file_prints_one_record(article_dir: Path) -> None:
    result = runner.invoke(app, ["extract", str(article_dir / "a01.txt")])
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    for e in record["entities"]:
        for s, t in e["mentions"]:
            assert record["text"][s:t]


def test_show_and_summary(tmp_path: Path, article_dir: Path) -> None:
    db = _db(tmp_path)
    assert runner.invoke(app, ["ingest", str(article_dir), "--db", db]).exit_code == 0
    summary = runner.invoke(app, ["summary", "--db", db])
    assert summary.exit_code == 0 and "articles" in summary.stdout
    from eventwire.store import open_store

    with open_store(db) as store:
        article_id = store.list_articles(limit=1)[0].id
    shown = runner.invoke(app, ["show", article_id[:8], "--db", db])
    assert shown.exit_code == 0 and "entities" in shown.stdout
    as_json = runner.invoke(app, ["show", article_id, "--db", db, "--json"])
    assert json.loads(as_json.stdout)["article_id"] == article_id
    missing = runner.invoke(app, ["show", "ffffffffffff", "--db", db])
    assert missing.exit_code == 1


def test_markup_in_names_and_records_is_printed_literally(tmp_path: Path) -> None:
    # Issue 9: rich parsed "[/]" in a path or title as markup (MarkupError) and the whole run died.
    folder = tmp_path / "in" / "bad["
    folder.mkdir(parents=True)
    (folder / "]name[b].txt").write_text("Kofi Mensah met Ana Ruiz in Accra on Tuesday.\n", encoding="utf-8")
    (folder / "]empty[bold].txt").write_text("")  # a skip line naming the path
    record = {"text": "The minister said talks would resume in Accra on Monday.",
              "url": "https://news.example/a[/]b[bold]", "title": "Talks [bold]resume[/] :smile: [/]"}
    (folder / "]r.jsonl").write_text(json.dumps(record) + "\n{not json}\n", encoding="utf-8")
    db = _db(tmp_path)
    result = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", db])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert "stored 2" in result.stderr and "skipped 2 (empty 1, not-json 1)" in result.stderr
    assert f"{folder}/]empty[bold].txt: empty" in result.stderr.replace("\n", "")
    from eventwire.store import open_store

    with open_store(db) as store:
        rows = store.list_articles()
        titled = next(r for r in rows if r.title)
        stored = store.get(titled.id)
    assert stored is not None and stored.title == record["title"] and stored.url == record["url"]
    shown = runner.invoke(app, ["show", titled.id, "--db", db])
    assert shown.exit_code == 0, shown.output
    assert record["title"] in shown.stdout and record["url"] in shown.stdout
    summary = runner.invoke(app, ["summary", "--db", db])
    assert summary.exit_code == 0, summary.output
    assert "Talks [bold]resume[/] :smile: [/]" in summary.stdout


def test_errors_quote_paths_literally(tmp_path: Path) -> None:
    missing = tmp_path / "no[/]such[red]"
    result = runner.invoke(app, ["ingest", str(missing), "--db", _db(tmp_path)])
    assert result.exit_code == 2, result.output
    assert f"no such file or folder: {missing}" in result.stderr.replace("\n", "")
    shown = runner.invoke(app, ["show", "[/]abcdef", "--db", _db(tmp_path)])
    assert shown.exit_code == 1, shown.output
    assert "no article '[/]abcdef'" in shown.stderr


def test_edited_inputs_supersede_or_update_their_stored_article(tmp_path: Path) -> None:
    # Issue 9: an edited file was stored as a second article beside the old one; a metadata-only edit was
    # ignored.
    folder = tmp_path / "in"
    folder.mkdir()
    page = folder / "a.txt"
    page.write_text("Kofi Mensah met Ana Ruiz in Accra on Tuesday.\n", encoding="utf-8")
    records = folder / "r.jsonl"
    record = {"id": "r1", "text": "The minister said talks would resume in Lagos on Monday.",
              "title": "Talks", "published": "2024-03-14"}
    records.write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = _db(tmp_path)
    first = runner.invoke(app, ["ingest", str(folder), "--db", db])
    assert first.exit_code == 0 and "stored 2" in first.stderr, first.output
    from eventwire.model import content_hash
    from eventwire.store import open_store

    old_id = content_hash(page.read_text(encoding="utf-8"))[:16]
    page.write_text("Kofi Mensah met Ana Ruiz in Kumasi on Wednesday.\n", encoding="utf-8")
    records.write_text(json.dumps({**record, "title": "Talks to resume", "published": "2024-03-15"}) + "\n",
                       encoding="utf-8")
    second = runner.invoke(app, ["ingest", str(folder), "--db", db])
    assert second.exit_code == 0, second.output
    assert "stored 1, new versions 1, metadata updated 1, unchanged 0" in second.stderr
    third = runner.invoke(app, ["ingest", str(folder), "--db", db])
    assert "stored 0, unchanged 2" in third.stderr, third.output
    with open_store(db) as store:
        listed = store.list_articles()
        assert len(listed) == 2 and old_id not in {r.id for r in listed}
        assert {r.title for r in listed} >= {"Talks to resume"}
        assert next(r for r in listed if r.title == "Talks to resume").published == "2024-03-15"
        new_id = next(r.id for r in listed if r.id != content_hash(record["text"])[:16])
    shown = runner.invoke(app, ["show", old_id, "--db", db])
    assert shown.exit_code == 0, shown.output
    assert "Accra" in shown.stdout and f"superseded by {new_id}" in shown.stdout
    current = runner.invoke(app, ["show", new_id, "--db", db])
    assert "earlier versions of its source" in current.stdout and old_id in current.stdout
