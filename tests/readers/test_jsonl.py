"""JSONL batches and single FORMAT.md records: text kept exactly, html extracted, bad lines skipped."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from eventwire.model import ArticleInput, Skip, content_hash
from eventwire.readers import read_paths, read_record

DATA = Path(__file__).parent / "data"

TEXT = ("Protesters gathered outside the ministry.Image: Reuters\n"
        "03/14/2024, 09:0503/14/2024, 11:42\n"
        "The minister of transport, Carl Ostrander, said on Tuesday he would not resign. (cos)")


def _write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_text_record_is_kept_exactly() -> None:
    item = read_record({"id": 17, "text": TEXT, "url": "https://example.org/a"}, source="batch.jsonl:1")
    assert isinstance(item, ArticleInput)
    assert item.text == TEXT  # offsets index into it: no cleaning
    assert item.id == "17"
    assert item.url == "https://example.org/a"
    # Debris is read for metadata the record lacks, never removed.
    assert item.published == "2024-03-14T09:05"
    assert item.metadata["published_source"] == "text"
    assert "cleaned" not in item.metadata


def test_record_published_wins_over_debris() -> None:
    item = read_record({"id": "a", "text": TEXT, "published": "2024-03-15", "title": "T"}, source="s")
    assert isinstance(item, ArticleInput)
    assert item.published == "2024-03-15"
    assert item.title == "T"


def test_html_record_is_extracted() -> None:
    html = (DATA / "harbour-bridge.html").read_text(encoding="utf-8")
    item = read_record({"id": "h1", "html": html, "url": "https://courier.example/bridge"}, source="s")
    assert isinstance(item, ArticleInput)
    assert item.id == "h1"
    assert item.url == "https://courier.example/bridge"
    assert "eight months of repairs" in item.text and "<p>" not in item.text


def test_record_problems() -> None:
    for record, reason in (({"id": "x"}, "no-text"), ({"id": "x", "title": "only"}, "no-text"),
                           ({"id": "x", "text": "   "}, "empty"), ({"id": "x", "text": 5}, "bad-record")):
        item = read_record(record, source="s")
        assert isinstance(item, Skip) and item.reason == reason


def test_batch_with_bad_lines_goes_on(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "batch.jsonl", [
        json.dumps({"id": "a", "text": "The council met on Monday and approved the budget for next year."}),
        "{this is not json",
        "",
        json.dumps(["a", "list"]),
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": "The bridge reopened on Thursday after eight months of repairs."}),
    ])
    items = list(read_paths([path]))
    assert [(i.source.rsplit(":", 1)[1], type(i).__name__, getattr(i, "reason", None)) for i in items] == [
        ("1", "ArticleInput", None), ("2", "Skip", "not-json"), ("4", "Skip", "not-object"),
        ("5", "Skip", "no-text"), ("6", "ArticleInput", None)]
    assert [i.id for i in items if isinstance(i, ArticleInput)] == ["a", "c"]


def test_gzipped_batch_and_per_line_limit(tmp_path: Path) -> None:
    lines = [json.dumps({"id": str(n), "text": f"Article number {n} says the council met again."})
             for n in range(3)]
    lines.insert(1, json.dumps({"id": "big", "text": "x" * 5000}))
    path = tmp_path / "batch.jsonl.gz"
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    items = list(read_paths([path], max_bytes=1000))
    # The file as a whole is over the limit; it streams, and only the one long line is skipped.
    assert [getattr(i, "id", None) or i.reason for i in items] == ["0", "too-large", "1", "2"]  # type: ignore[union-attr]


def test_truncated_gzip_keeps_earlier_records(tmp_path: Path) -> None:
    lines = [json.dumps({"id": str(n), "text": f"Report {n}: the harbour office said it is safe. " * 20})
             for n in range(40)]
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) * 2 // 3])
    items = list(read_paths([path]))
    assert isinstance(items[-1], Skip) and items[-1].reason == "bad-gzip"
    assert len(items) > 1 and all(isinstance(i, ArticleInput) for i in items[:-1])


def test_published_tz_of_record_dates() -> None:
    for published, tz in (("2024-03-15T10:00", "unknown"), ("2024-03-15T10:00Z", "+00:00"),
                          ("2024-03-15", None)):
        item = read_record({"id": "a", "text": TEXT, "published": published}, source="s")
        assert isinstance(item, ArticleInput)
        assert item.metadata.get("published_tz") == tz


GOOD = json.dumps({"id": "good", "text": "The council met on Monday and approved the budget for next year."})
LATER = json.dumps({"id": "later", "text": "The bridge reopened on Thursday after eight months of repairs."})


def test_lone_surrogate_becomes_a_replacement_character(tmp_path: Path) -> None:
    # json.dumps escapes the surrogate as "\ud800": valid JSON, not valid Unicode.
    line = json.dumps({"id": "s", "text": "The minister said \ud800 talks resume.", "title": "Talks \udfff"})
    path = _write_jsonl(tmp_path / "batch.jsonl", [GOOD, line, LATER])
    items = list(read_paths([path]))
    assert [getattr(i, "id", None) for i in items] == ["good", "s", "later"]
    item = items[1]
    assert isinstance(item, ArticleInput)
    assert item.text == "The minister said \ufffd talks resume."  # same length: offsets index into it
    assert item.title == "Talks \ufffd"
    assert content_hash(item.text) == content_hash("The minister said \ufffd talks resume.")


@pytest.mark.parametrize(("line", "reason"), [
    (json.dumps({"text": "The minister said talks resume on Monday.", "url": "http://[oops/x"}), "bad-url"),
    (json.dumps({"text": "The minister said talks resume on Monday.", "url": ["https://example.org/a"]}),
     "bad-record"),
    (json.dumps({"text": "The minister said talks resume on Monday.", "title": {"a": 1}}), "bad-record"),
    ("[" * 100_000 + "]" * 100_000, "too-deep"),
    ('{"a":' * 100_000 + "1" + "}" * 100_000, "too-deep"),
])
def test_one_bad_record_is_one_skip_and_the_rest_is_read(tmp_path: Path, line: str, reason: str) -> None:
    path = _write_jsonl(tmp_path / "batch.jsonl", [GOOD, line, LATER])
    items = list(read_paths([path]))
    assert [getattr(i, "id", None) or i.reason for i in items] == ["good", reason, "later"]  # type: ignore[union-attr]
    assert items[1].source.endswith("batch.jsonl:2")


def test_lines_are_limited_as_well_as_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 204 KB of gzip held 200M empty lines and took 79 s; max_lines stops it (scaled down here).
    monkeypatch.setenv("EVENTWIRE_MAX_LINES", "100")
    path = tmp_path / "empty.jsonl.gz"
    path.write_bytes(gzip.compress((GOOD + "\n").encode() + b"\n" * 5000 + (LATER + "\n").encode()))
    items = list(read_paths([path]))
    assert [getattr(i, "id", None) or i.reason for i in items] == ["good", "too-many-lines"]  # type: ignore[union-attr]
    assert items[1].source.endswith(":101")


def test_a_line_in_another_code_page_is_decoded_on_its_own(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(GOOD.encode() + b"\n"
                     + json.dumps({"id": "cp", "text": "Les négociations reprendront à Genève lundi."},
                                  ensure_ascii=False).encode("cp1252") + b"\n"
                     + LATER.encode() + b"\n")
    items = list(read_paths([path]))
    assert [getattr(i, "id", None) for i in items] == ["good", "cp", "later"]
    assert isinstance(items[1], ArticleInput)
    assert items[1].text == "Les négociations reprendront à Genève lundi."
    assert "not UTF-8" in items[1].metadata["encoding"]


def test_published_that_is_not_a_date_is_dropped_and_said_why() -> None:
    item = read_record({"text": TEXT.split("\n")[-1], "published": "yesterday-ish"}, source="s")
    assert isinstance(item, ArticleInput)
    assert item.published is None
    assert "yesterday-ish" in item.metadata["published_rejected"]
    html = (DATA / "harbour-bridge.html").read_text(encoding="utf-8")
    page = read_record({"html": html, "published": "soon"}, source="s")
    assert isinstance(page, ArticleInput)
    assert page.published != "soon" and "soon" in page.metadata["published_rejected"]


def test_derived_title_is_taken_from_the_text_without_debris() -> None:
    # A first line that is a photo caption with its credit was taken as the headline, credit and all.
    text = ("Protesters gathered outside the ministry on Monday morning.Image: keystone\n"
            "The minister of transport said on Tuesday he would not resign.")
    item = read_record({"text": text}, source="s")
    assert isinstance(item, ArticleInput)
    assert item.title is None or "Image" not in item.title
    assert item.text == text  # the text itself is still kept exactly
    headline = read_record({"text": "Minister stays on\n" + text}, source="s")
    assert isinstance(headline, ArticleInput) and headline.title == "Minister stays on"


def test_field_types() -> None:
    text = "The minister said on Monday that talks on the border would resume next month."
    item = read_record({"id": 17, "text": text, "title": 1984}, source="s")
    assert isinstance(item, ArticleInput) and (item.id, item.title) == ("17", "1984")
    for record in ({"text": text, "url": 5}, {"text": text, "title": True}, {"text": text, "id": [1]},
                   {"text": text, "published": {"y": 2024}}):
        skip = read_record(record, source="s")
        assert isinstance(skip, Skip) and skip.reason == "bad-record", record
