"""The one loader for data/: every layer and stage reads its tables through nlp.tables."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from eventwire.nlp import tables

_DATA = Path(str(resources.files("eventwire").joinpath("data")))
_HEADER_CELL = re.compile(r"[a-z][a-z0-9_]*")


@pytest.mark.parametrize("name", sorted(p.name for p in _DATA.glob("*.tsv")))
def test_every_tsv_opens_with_a_header_row(name: str) -> None:
    # rows() skips the first row as the header: a table without one would silently lose its first entry
    # (a time zone, a holiday) the way two tables once did
    header = next(tables.lines(name)).rstrip("\n").split("\t")
    assert all(_HEADER_CELL.fullmatch(cell.strip()) for cell in header), header
    body = tables.rows(name)
    assert body, name
    assert all(len(row) <= len(header) for row in body), name


def test_rows_skip_comments_and_the_header_only() -> None:
    assert ("UTC", "+00:00") in tables.rows("readers_timezones.tsv")
    assert tables.rows("timex_holidays.tsv")[0] == ("new year's day", "1", "1")
    assert tables.rows("readers_date_order.tsv")[0] == ("tld", "us", "MDY", "United States")


def test_no_stage_keeps_a_loader_of_its_own() -> None:
    # one home per concern: readers and aggregate read data/ through nlp.tables too
    src = Path(tables.__file__).resolve().parent.parent
    offenders = [p.relative_to(src).as_posix() for p in src.rglob("*.py")
                 if p.name != "tables.py" and 'joinpath("data"' in p.read_text(encoding="utf-8")]
    assert offenders == []
