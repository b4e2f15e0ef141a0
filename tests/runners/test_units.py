from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from eventwire.model import Skip
from eventwire.readers import read_paths
from eventwire.runners.units import split_units
from eventwire.testing import invented_article


def _corpus(folder: Path, lines: int = 70) -> Path:
    folder.mkdir()
    with (folder / "batch.jsonl").open("w", encoding="utf-8") as f:
        for i in range(lines):
            f.write(json.dumps({"id": str(i), "text": invented_article(i)}) + "\n")
            if i == 40:
                f.write("not json\n\n")  # a skip and a blank line inside the second range
    (folder / "packed.jsonl.gz").write_bytes(gzip.compress(
        (json.dumps({"text": invented_article(900)}) + "\n").encode()))
    for i in range(5):
        (folder / f"t{i}.txt").write_text(invented_article(500 + i), encoding="utf-8")
    return folder


def _shown(items: object) -> list[tuple[str, str]]:
    return [(x.source, x.reason if isinstance(x, Skip) else x.text) for x in items]  # type: ignore[attr-defined]


def test_units_read_in_order_give_what_read_paths_gives(tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "in")
    units = [u for u in split_units([folder], lines_per_unit=16, files_per_unit=2)]
    kinds = [u.kind for u in units if not isinstance(u, Skip)]
    assert kinds.count("lines") == 5  # 72 lines (one bad, one blank) in ranges of 16
    assert kinds.count("files") == 3  # the gzipped JSONL (never split: gzip cannot seek) + 5 .txt, 2 a unit
    from_units = [x for u in units for x in ([u] if isinstance(u, Skip) else u.read())]
    assert _shown(from_units) == _shown(read_paths([folder]))
    assert (f"{folder / 'batch.jsonl'}:42", "not-json") in _shown(from_units)  # numbered as a whole read


def test_unit_ids_are_stable_and_change_with_the_file(tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "in")
    ids = [u.id for u in split_units([folder]) if not isinstance(u, Skip)]
    assert ids == [u.id for u in split_units([folder]) if not isinstance(u, Skip)]
    assert len(set(ids)) == len(ids)
    with (folder / "batch.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps({"text": invented_article(999)}) + "\n")
    assert ids[0] not in {u.id for u in split_units([folder]) if not isinstance(u, Skip)}


def test_max_lines_is_kept_across_ranges(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _corpus(tmp_path / "in")
    monkeypatch.setenv("EVENTWIRE_MAX_LINES", "20")
    units = list(split_units([folder / "batch.jsonl"], lines_per_unit=8))
    skips = [u for u in units if isinstance(u, Skip)]
    assert [(s.source, s.reason) for s in skips] == [(f"{folder / 'batch.jsonl'}:21", "too-many-lines")]
    assert sum(u.count for u in units if not isinstance(u, Skip)) == 20
    from_units = [x for u in units for x in ([u] if isinstance(u, Skip) else u.read())]
    assert _shown(from_units) == _shown(read_paths([folder / "batch.jsonl"]))


def test_a_long_line_is_never_read_whole_and_is_one_skip(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_bytes(b'{"text": "' + b"x" * 3_000_000 + b'"}\n' + json.dumps({"text": "short one"}).encode()
                     + b"\n")
    units = list(split_units([path], lines_per_unit=1))
    assert len(units) == 2
    out = [x for u in units if not isinstance(u, Skip) for x in u.read()]
    assert _shown(out) == _shown(read_paths([path], max_bytes=10**7))


def test_missing_paths_are_skips(tmp_path: Path) -> None:
    units = list(split_units([tmp_path / "nope.txt"]))
    assert [(u.reason) for u in units if isinstance(u, Skip)] == ["not-found"]


def _warc_file(tmp_path: Path, name: str, pages: int, *, whole_gzip: bool = False) -> Path:
    """A WARC of ``pages`` HTML responses, each followed by a request record and an image response."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=name.endswith(".gz") and not whole_gzip)
    for i in range(pages):
        uri = f"https://news.example/{i}"
        html = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        body = "".join(f"<p>{line}</p>" for line in invented_article(600 + i).splitlines())
        page = f"<html><head><title>T{i}</title></head><body><article>{body}</article></body></html>"
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(page.encode()),
                                                      http_headers=html))
        request = io.BytesIO(b"GET / HTTP/1.1\r\n")
        writer.write_record(writer.create_warc_record(uri, "request", payload=request))
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri + ".png", "response",
                                                      payload=io.BytesIO(b"\x89PNG"), http_headers=image))
    data = out.getvalue()
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if whole_gzip else data)
    return path


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_a_warc_is_cut_into_record_ranges_that_read_as_the_whole(tmp_path: Path, name: str) -> None:
    path = _warc_file(tmp_path, name, 10)
    units = list(split_units([path], records_per_unit=4))
    # 3 records a page; a range starts with the record after its 4th HTML response
    assert [(u.kind, u.count, u.first) for u in units] == [  # type: ignore[union-attr]
        ("records", 4, 1), ("records", 4, 11), ("records", 2, 23)]
    from_units = [x for u in units for x in u.read()]  # type: ignore[union-attr]
    assert _shown(from_units) == _shown(read_paths([path]))
    assert len(from_units) == 10 and from_units[4].source == f"{path}#13"


def test_a_warc_gzipped_whole_is_one_unit(tmp_path: Path) -> None:
    path = _warc_file(tmp_path, "whole.warc.gz", 10, whole_gzip=True)
    units = list(split_units([path], records_per_unit=4))
    assert [u.kind for u in units] == ["files"]  # type: ignore[union-attr]
    assert _shown(units[0].read()) == _shown(read_paths([path]))  # type: ignore[union-attr]


def test_a_truncated_warc_is_read_whole(tmp_path: Path) -> None:
    path = _warc_file(tmp_path, "cut.warc.gz", 10)
    path.write_bytes(path.read_bytes()[:-200])
    units = list(split_units([path], records_per_unit=4))
    assert [u.kind for u in units] == ["files"]  # type: ignore[union-attr]
    assert _shown(units[0].read()) == _shown(read_paths([path]))  # type: ignore[union-attr]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_fifo_is_never_opened_by_the_splitter(tmp_path: Path) -> None:
    for name in ("pipe.jsonl", "pipe.warc"):
        os.mkfifo(tmp_path / name)
    units = list(split_units([tmp_path]))  # opening either would block this test forever
    assert [u.kind for u in units] == ["files"]  # type: ignore[union-attr]
    assert sorted(x.reason for x in units[0].read()) == ["not-a-file", "not-a-file"]  # type: ignore[union-attr]
