"""Dispatch over files and folders, gzip, size limits, and bad inputs: each a Skip, reading goes on."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import threading
import tracemalloc
from pathlib import Path

import pytest

from eventwire.model import ArticleInput, Skip
from eventwire.readers import read_bytes, read_paths

DATA = Path(__file__).parent / "data"
STORY = "The town council of Portwell approved a new budget on Monday after a long debate, officials said.\n"


def test_folder_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "z").mkdir(parents=True)
    for rel in ("b/2.txt", "a/z/1.txt", "a/0.txt", "c.txt", ".hidden.txt"):
        (tmp_path / rel).write_text(STORY.replace("Monday", rel), encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(STORY, encoding="utf-8")
    sources = [Path(i.source).relative_to(tmp_path).as_posix() for i in read_paths([tmp_path])]
    assert sources == ["a/0.txt", "a/z/1.txt", "b/2.txt", "c.txt"]
    assert sources == [Path(i.source).relative_to(tmp_path).as_posix() for i in read_paths([str(tmp_path)])]


def test_gzipped_text_and_html(tmp_path: Path) -> None:
    (tmp_path / "story.txt.gz").write_bytes(gzip.compress(STORY.encode()))
    (tmp_path / "page.html.gz").write_bytes(gzip.compress((DATA / "harbour-bridge.html").read_bytes()))
    items = list(read_paths([tmp_path]))
    assert all(isinstance(i, ArticleInput) for i in items)
    assert [Path(i.source).name for i in items] == ["page.html.gz", "story.txt.gz"]
    assert items[1].text == STORY.strip()  # type: ignore[union-attr]


def test_bad_inputs_each_get_a_reason_and_reading_goes_on(tmp_path: Path) -> None:
    files = {
        "01-empty.txt": b"",
        "02-binary.txt": bytes(range(256)) * 40,
        "03-no-article.html": (DATA / "no-article.html").read_bytes(),
        "04-broken.html": (DATA / "broken.html").read_bytes(),
        "05-latin1.txt": "Le café de la gare a fermé lundi, a déclaré le maire.".encode("latin-1"),
        "06-cp1252.txt": "The mayor said \u201cwe are not done\u201d on Tuesday.".encode("cp1252"),
        "07-truncated.txt.gz": gzip.compress(STORY.encode() * 200)[:150],
        "08-batch.jsonl": b"{not json\n" + json.dumps({"id": "n", "title": "no text"}).encode() + b"\n"
                          + json.dumps({"id": "ok", "text": STORY}).encode() + b"\n",
        "09-foreign.txt": ("Der Gemeinderat von Oberwil hat am Montag nach langer Debatte das Budget für das "
                           "kommende Jahr genehmigt, wie die Behörden mitteilten.").encode(),
        "10-table.csv": b"a,b\n1,2\n",
        "11-last.txt": STORY.encode(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    got = [(Path(i.source.split(":")[0]).name, i.reason if isinstance(i, Skip) else "ok")
           for i in read_paths([tmp_path])]
    assert got == [
        ("01-empty.txt", "empty"),
        ("02-binary.txt", "binary"),
        ("03-no-article.html", "no-article"),
        ("04-broken.html", "ok"),
        ("05-latin1.txt", "ok"),
        ("06-cp1252.txt", "ok"),
        ("07-truncated.txt.gz", "bad-gzip"),
        ("08-batch.jsonl", "not-json"),
        ("08-batch.jsonl", "no-text"),
        ("08-batch.jsonl", "ok"),
        ("09-foreign.txt", "ok"),
        ("10-table.csv", "unsupported-format"),
        ("11-last.txt", "ok"),
    ]
    by_name = {Path(i.source).name: i for i in read_paths([tmp_path]) if isinstance(i, ArticleInput)}
    assert "café" in by_name["05-latin1.txt"].text
    assert "\u201cwe are not done\u201d" in by_name["06-cp1252.txt"].text
    foreign = by_name["09-foreign.txt"]
    assert foreign.language == "de"  # labelled, not skipped: the pipeline decides what to analyse


def test_missing_and_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "good.txt"
    good.write_text(STORY, encoding="utf-8")
    locked = tmp_path / "locked.txt"
    locked.write_text(STORY, encoding="utf-8")
    real_open = os.open

    def deny(path: str | Path, *args: int) -> int:
        if Path(path).name == "locked.txt":  # root may read a chmod 000 file, so the refusal is simulated
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args)

    monkeypatch.setattr(os, "open", deny)
    items = list(read_paths([tmp_path / "nope.txt", locked, good]))
    assert [getattr(i, "reason", "ok") for i in items] == ["not-found", "unreadable", "ok"]


def test_50mb_file_is_skipped_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        chunk = STORY.encode() * 1000
        for _ in range(50_000_000 // len(chunk) + 1):
            fh.write(chunk)
    assert big.stat().st_size > 50_000_000
    tracemalloc.start()
    try:
        items = list(read_paths([big, DATA / "copy-paste.txt"]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(items[0], Skip) and items[0].reason == "too-large"
    assert isinstance(items[1], ArticleInput)
    assert peak < 5_000_000  # the 50 MB were never loaded


def test_gzip_bomb_is_capped_while_decompressing(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.txt.gz"
    with gzip.open(bomb, "wb") as fh:
        block = b"a" * 1_000_000
        for _ in range(50):
            fh.write(block)
    assert bomb.stat().st_size < 1_000_000  # small on disk, 50 MB inside
    tracemalloc.start()
    try:
        [item] = list(read_paths([bomb], max_bytes=2_000_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(item, Skip) and item.reason == "too-large"
    assert peak < 6_000_000  # ~2 MB cap + buffers, never the 50 MB


def test_limit_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_text(STORY, encoding="utf-8")
    monkeypatch.setenv("EVENTWIRE_MAX_BYTES", "50")
    assert [i.reason for i in read_paths([path]) if isinstance(i, Skip)] == ["too-large"]
    monkeypatch.delenv("EVENTWIRE_MAX_BYTES")
    assert isinstance(next(iter(read_paths([path]))), ArticleInput)


def test_read_bytes_dispatches_by_name() -> None:
    [item] = list(read_bytes(gzip.compress(STORY.encode()), name="x.txt.gz"))
    assert isinstance(item, ArticleInput) and item.source == "x.txt.gz"
    [skip] = list(read_bytes(b"data", name="x.docx"))
    assert isinstance(skip, Skip) and skip.reason == "unsupported-format"
    [bad] = list(read_bytes(b"not gzip at all", name="x.txt.gz"))
    assert isinstance(bad, Skip) and bad.reason == "bad-gzip"


def test_gzip_without_gz_suffix_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(gzip.compress(STORY.encode()))
    [item] = list(read_paths([path]))
    assert isinstance(item, ArticleInput) and item.text == STORY.strip()


def test_copy_of_data_folder_reads_without_crash(tmp_path: Path) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    items = list(read_paths([tmp_path]))
    assert sum(isinstance(i, ArticleInput) for i in items) >= 6


def _read_in_thread(paths: list[Path], unblock: Path | None = None) -> list[ArticleInput | Skip]:
    """read_paths in a thread; fails (instead of hanging the suite) when it blocks for 10 s."""
    out: list[ArticleInput | Skip] = []
    worker = threading.Thread(target=lambda: out.extend(read_paths(paths)), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive() and unblock is not None:
        fd = os.open(unblock, os.O_WRONLY | os.O_NONBLOCK)  # a writer lets the blocked open return
        os.close(fd)
        worker.join(10)
        pytest.fail("reading blocked on the FIFO")
    assert not worker.is_alive(), "reading never ended"
    return out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_fifo_in_a_folder_is_skipped_without_opening_it_blocked(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    os.mkfifo(tmp_path / "b.jsonl")
    (tmp_path / "c.txt").write_text(STORY.replace("Tuesday", "Wednesday"), encoding="utf-8")
    items = _read_in_thread([tmp_path], unblock=tmp_path / "b.jsonl")
    assert [getattr(i, "reason", "ok") for i in items] == ["ok", "not-a-file", "ok"]
    assert "FIFO" in items[1].detail  # type: ignore[union-attr]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_link_to_a_device_is_skipped_and_never_read(tmp_path: Path) -> None:
    (tmp_path / "zero.jsonl").symlink_to("/dev/zero")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "z.txt").write_text(STORY, encoding="utf-8")
    items = _read_in_thread([tmp_path, Path("/dev/zero")])
    assert [getattr(i, "reason", "ok") for i in items] == ["ok", "not-a-file", "not-a-file", "not-a-file"]


def test_link_to_a_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "real.txt")
    items = list(read_paths([tmp_path / "link.txt"]))
    assert [type(i).__name__ for i in items] == ["ArticleInput"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_never_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Opening some devices acts (a tape rewinds, a watchdog arms): the check comes before the open.
    (tmp_path / "zero.jsonl").symlink_to("/dev/zero")
    opened: list[str] = []
    real_open = os.open

    def spy(path: str | Path, *args: int) -> int:
        opened.append(str(path))
        return real_open(path, *args)

    monkeypatch.setattr(os, "open", spy)
    items = list(read_paths([tmp_path]))
    assert [getattr(i, "reason", "ok") for i in items] == ["not-a-file"]
    assert not opened
