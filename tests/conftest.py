"""Shared fixtures: the real pipeline (loaded once per session) and invented articles."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from eventwire.testing import invented_article

# CI runs the same examples every time (a red CI must be reproducible); locally, hypothesis explores.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    """The full eventwire spaCy pipeline (small English model + our components), loaded once."""
    from eventwire.nlp.build import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def analyzer(nlp):  # type: ignore[no-untyped-def]
    from eventwire.nlp.analyzer import Analyzer

    return Analyzer(nlp=nlp)


@pytest.fixture
def article_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder of 6 invented .txt articles."""
    d = tmp_path / "articles"
    d.mkdir()
    for i in range(6):
        (d / f"a{i:02d}.txt").write_text(invented_article(i), encoding="utf-8")
    yield d
