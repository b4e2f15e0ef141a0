"""`eventwire ingest` over the whole hostile-input corpus (issue 9) at once: exit 0, every valid record
stored, every skip counted by its reason.  Kept out of test_cli.py: it is the one run over every reader
failure together, and the corpus comes from eventwire.testing.write_hostile_corpus (as the script's)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwire.cli import app
from eventwire.store import open_store
from eventwire.testing import write_hostile_corpus

pytestmark = [pytest.mark.model, pytest.mark.slow]

runner = CliRunner()
# The corpus's empty-lines file is scaled down from 200M lines: max_lines is set below its 5,000.
MAX_LINES = 1000


def _skips(stderr: str) -> Counter[str]:
    """The "skipped N (reason n, ...)" counts of the run's last tally line."""
    m = re.search(r"skipped (\d+)(?: \((.*?)\))? in [\d.]+ s", stderr)
    assert m, stderr
    counts = Counter({reason: int(k) for reason, k in
                      (part.rsplit(" ", 1) for part in (m[2] or "").split(", ") if part)})
    assert sum(counts.values()) == int(m[1])
    return counts


def _ingest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, markup_names: bool) -> None:
    monkeypatch.setenv("EVENTWIRE_MAX_LINES", str(MAX_LINES))
    corpus = write_hostile_corpus(tmp_path / "hostile", empty_lines=5 * MAX_LINES)
    if not markup_names:
        for name in [f for f in corpus.files if "[" in f]:
            path = corpus.folder / name
            path.rename(path.with_name(path.name.replace("[", "(").replace("]", ")")))
    db = f"sqlite:///{tmp_path / 'hostile.db'}"
    result = runner.invoke(app, ["ingest", str(corpus.folder), "--db", db])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.stderr
    assert _skips(result.stderr) == corpus.skips
    with open_store(db) as store:
        assert store.counts()["articles"] == corpus.stored


def test_ingest_of_every_hostile_input_together(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _ingest(tmp_path, monkeypatch, markup_names=False)


def test_ingest_with_rich_markup_in_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _ingest(tmp_path, monkeypatch, markup_names=True)
