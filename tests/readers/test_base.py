"""The reader seam: built-ins and third-party readers register the same way; dispatch by suffix."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from eventwire.model import ArticleInput, Skip
from eventwire.readers import (
    read_bytes,
    read_paths,
    reader_for,
    register_reader,
    registered_readers,
    unregister_reader,
)
from eventwire.readers.base import Reader


class ShoutReader:
    """A third-party reader: each line of a .shout file is one article, upper-cased."""

    name = "shout"
    suffixes: tuple[str, ...] = (".shout",)

    def read(self, data: bytes, *, source: str) -> Iterator[ArticleInput | Skip]:
        for n, line in enumerate(data.decode().splitlines(), start=1):
            yield ArticleInput(text=line.upper(), source=f"{source}#{n}")


class BrokenReader:
    name = "broken"
    suffixes: tuple[str, ...] = (".broken",)

    def read(self, data: bytes, *, source: str) -> Iterator[ArticleInput | Skip]:
        raise RuntimeError("bug in a plugin")
        yield  # pragma: no cover


@pytest.fixture
def plugins() -> Iterator[None]:
    register_reader(ShoutReader())
    register_reader(BrokenReader())
    yield
    unregister_reader("shout")
    unregister_reader("broken")


def test_builtins_are_registered_through_the_seam() -> None:
    names = [r.name for r in registered_readers()]
    assert {"text", "html", "jsonl", "feed", "warc"} <= set(names)
    assert all(isinstance(r, Reader) for r in registered_readers())


@pytest.mark.parametrize(("filename", "reader"), [
    ("a.txt", "text"), ("A.HTML", "html"), ("a.htm", "html"), ("a.jsonl", "jsonl"), ("a.rss", "feed"),
    ("a.atom", "feed"), ("a.xml", "feed"), ("a.warc", "warc"), ("a.docx", None),
])
def test_reader_for(filename: str, reader: str | None) -> None:
    found = reader_for(filename)
    assert (found.name if found else None) == reader


def test_third_party_reader_is_used_like_a_builtin(plugins: None, tmp_path: Path) -> None:
    (tmp_path / "a.shout").write_text("one\ntwo\n", encoding="utf-8")
    (tmp_path / "b.broken").write_bytes(b"x")
    (tmp_path / "c.shout.gz").write_bytes(__import__("gzip").compress(b"three\n"))
    items = list(read_paths([tmp_path]))
    assert [(Path(i.source).name, getattr(i, "text", None) or i.reason) for i in items] == [  # type: ignore[union-attr]
        ("a.shout#1", "ONE"), ("a.shout#2", "TWO"), ("b.broken", "reader-error"), ("c.shout.gz#1", "THREE")]


def test_unregistered_suffix_is_unsupported(plugins: None) -> None:
    unregister_reader("shout")
    [item] = list(read_bytes(b"x", name="a.shout"))
    assert isinstance(item, Skip) and item.reason == "unsupported-format"


def test_longest_suffix_and_last_registration_win(plugins: None) -> None:
    class TxtGz(ShoutReader):
        name = "txtgz"
        suffixes = (".txt.gz",)

    register_reader(TxtGz())
    try:
        assert reader_for("x.txt.gz").name == "txtgz"  # type: ignore[union-attr]
        assert reader_for("x.txt").name == "text"  # type: ignore[union-attr]
        # A reader claiming ".txt.gz" gets the raw bytes; no gunzip.
        [item] = list(read_bytes(b"raw", name="x.txt.gz"))
        assert isinstance(item, ArticleInput) and item.text == "RAW"
    finally:
        unregister_reader("txtgz")


def test_register_rejects_non_readers() -> None:
    with pytest.raises(TypeError):
        register_reader(object())  # type: ignore[arg-type]

    class Upper(ShoutReader):
        suffixes = (".TXT",)

    with pytest.raises(ValueError, match="lower case"):
        register_reader(Upper())


def test_entry_point_plugins_are_loaded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import eventwire.readers.base as base

    class FakeEntryPoint:
        def __init__(self, name: str, obj: object) -> None:
            self.name, self.obj = name, obj

        def load(self) -> object:
            if isinstance(self.obj, Exception):
                raise self.obj
            return self.obj

    calls: list[str] = []

    def fake_entry_points(*, group: str) -> list[FakeEntryPoint]:
        calls.append(group)
        return [FakeEntryPoint("shout", ShoutReader), FakeEntryPoint("bad", ImportError("missing dep"))]

    monkeypatch.setattr(base, "entry_points", fake_entry_points)
    monkeypatch.setattr(base, "_plugins_loaded", False)
    try:
        assert reader_for("x.shout").name == "shout"  # type: ignore[union-attr]
        reader_for("y.shout")
        assert calls == [base.ENTRY_POINT_GROUP]  # a broken plugin is logged, not raised; loaded once
    finally:
        unregister_reader("shout")
