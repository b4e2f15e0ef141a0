from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from eventwire.ingest import IngestHooks, Tally, ingest_items, ingest_paths
from eventwire.model import AnalysisStatus, Article, ArticleInput, Skip
from eventwire.runners.local import LocalRunner
from eventwire.store import open_store
from eventwire.testing import EchoStep, invented_article, make_input


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        (folder / f"a{i}.txt").write_text(invented_article(i), encoding="utf-8")
    (folder / "dup.txt").write_text(invented_article(0), encoding="utf-8")  # same text as a0.txt
    (folder / "b.jsonl").write_text(json.dumps({"text": invented_article(7)}) + "\nnot json\n",
                                    encoding="utf-8")
    (folder / "x.bin").write_bytes(b"\0\1")
    return folder


def test_ingest_paths_reads_selects_stores_and_tallies(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    skipped: list[Skip] = []
    seen: list[int] = []
    hooks = IngestHooks(skipped=skipped.append, progress=lambda t: seen.append(t.done))
    with open_store(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        tally = ingest_paths([str(folder)], store, runner=LocalRunner(step_factory=EchoStep), hooks=hooks)
        assert (tally.read, tally.stored, tally.unchanged) == (6, 5, 1)  # dup.txt: seen earlier in the run
        assert dict(tally.skipped) == {"not-json": 1, "unsupported-format": 1}
        assert sorted(s.reason for s in skipped) == ["not-json", "unsupported-format"]
        assert seen[-1] == tally.done == 8 and seen == sorted(seen)
        assert store.counts()["articles"] == 5
        again = ingest_paths([str(folder)], store, runner=LocalRunner(step_factory=EchoStep))
        assert (again.read, again.stored, again.unchanged) == (6, 0, 6)


def test_ingest_items_counts_analysis_failures_and_keeps_going(tmp_path: Path) -> None:
    items = [make_input(invented_article(i) + (" BAD" if i == 1 else ""), source=f"s{i}") for i in range(3)]
    items.append(Skip("feed#4", "no-text"))  # type: ignore[arg-type]
    with open_store(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        runner = LocalRunner(step_factory=lambda: EchoStep(fail_marker="BAD"))
        tally = ingest_items(items, store, runner=runner, tally=Tally())
        assert (tally.read, tally.stored) == (3, 2)
        assert dict(tally.skipped) == {"analysis-error": 1, "no-text": 1}
        assert tally.exit_code() == 0


def _three_reports(tmp_path: Path) -> Path:
    """A folder of three reports of one story (the Marisol sinking), r0.txt .. r2.txt."""
    from eventwire.testing import STORY_REPORTS

    folder = tmp_path / "in"
    folder.mkdir()
    for i, (_, _, _, text) in enumerate(STORY_REPORTS[:3]):
        (folder / f"r{i}.txt").write_text(text, encoding="utf-8")
    return folder


def test_an_edited_file_leaves_its_story_in_the_run_that_stores_it(tmp_path: Path) -> None:
    from sqlalchemy import select

    from eventwire.store.tables import article_stories, stories
    from eventwire.testing import STORY_REPORTS

    folder = _three_reports(tmp_path)
    with open_store(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        ingest_paths([str(folder)], store, runner=LocalRunner(step_factory=EchoStep))
        with store.engine.connect() as conn:
            members = select(article_stories.c.article_id, article_stories.c.story_id)
            before = dict(conn.execute(members).all())
        assert len(set(before.values())) == 1  # three reports of the Marisol sinking
        # r2.txt is rewritten as the chess report: a new version of that file, in a story of its own
        (folder / "r2.txt").write_text(STORY_REPORTS[6][3], encoding="utf-8")
        tally = ingest_paths([str(folder)], store, runner=LocalRunner(step_factory=EchoStep))
        assert tally.new_versions == 1
        with store.engine.connect() as conn:
            after = dict(conn.execute(members).all())
            sizes = dict(conn.execute(select(stories.c.id, stories.c.articles)).all())
    assert len(after) == 3 and len(set(before) - set(after)) == 1  # the old r2 text is in no story
    assert sorted(sizes.values()) == [1, 2]  # the Marisol story counts its two current reports


class _NotAnalysedStep(EchoStep):
    """EchoStep, but a text holding "NOT ANALYSED" is stored without analysis (as a text in a language the
    pipeline does not read would be)."""

    def analyze(self, inputs: Sequence[ArticleInput]) -> list[Article | Skip]:
        out = super().analyze(inputs)
        return [replace(a, status=AnalysisStatus.SKIPPED, skip_reason="language")
                if isinstance(a, Article) and "NOT ANALYSED" in a.text else a for a in out]


def test_a_new_version_stored_without_analysis_takes_the_old_one_out_of_its_story(tmp_path: Path) -> None:
    from sqlalchemy import select

    from eventwire.store.tables import article_stories, stories
    from eventwire.testing import STORY_REPORTS

    folder = _three_reports(tmp_path)
    with open_store(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        ingest_paths([str(folder)], store, runner=LocalRunner(step_factory=_NotAnalysedStep))
        (folder / "r2.txt").write_text("NOT ANALYSED " + STORY_REPORTS[2][3], encoding="utf-8")
        tally = ingest_paths([str(folder)], store, runner=LocalRunner(step_factory=_NotAnalysedStep))
        assert (tally.new_versions, tally.stored_not_analysed) == (1, 1)
        with store.engine.connect() as conn:
            members = dict(conn.execute(select(article_stories.c.article_id,
                                               article_stories.c.story_id)).all())
            sizes = list(conn.execute(select(stories.c.articles)).scalars())
    assert len(members) == 2 and sizes == [2]  # the old r2 text left; its new version has no story
