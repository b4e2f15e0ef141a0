"""Ingest: read → skip what is stored → analyse → store → tally, as one library function.

    from eventwire.ingest import ingest_paths
    with open_store("sqlite:///news.db") as store:
        tally = ingest_paths(["articles/"], store)                          # this process
        tally = ingest_paths(["big.jsonl"], store, runner=DaskRunner("tcp://10.0.0.5:8786"))

The CLI (`eventwire ingest`, `eventwire watch`), the API's ``POST /api/articles`` and every runner go
through here.  Where the analysis runs is
the runner's business (runners/local.py here, runners/dask.py on a cluster); this process is always the one
writer, storing each result in its own transaction (store.put: idempotent by content hash), so SQLite works
and a run killed anywhere can be rerun: what is stored is read, found unchanged and not analysed again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eventwire.errors import EventwireError
from eventwire.model import AnalysisStatus, Article, ArticleInput, Skip, content_hash
from eventwire.runners.base import Runner
from eventwire.store import PutResult, RejectedArticle, Store

if TYPE_CHECKING:
    from eventwire.aggregate.online import StoryKeeper

__all__ = ["IngestHooks", "Tally", "ingest_items", "ingest_paths"]


@dataclass
class Tally:
    """Counts for the end-of-run report."""

    read: int = 0
    stored: int = 0
    stored_not_analysed: int = 0
    new_versions: int = 0  # of these stored, how many superseded their source's earlier version
    updated: int = 0  # same text under the same source, new metadata
    unchanged: int = 0
    extracted: int = 0
    copies: int = 0  # stored articles whose text copies an earlier one (near-duplicates)
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> int:
        return self.stored + self.updated + self.unchanged + self.extracted

    @property
    def failed(self) -> int:
        return sum(self.skipped.values())

    @property
    def done(self) -> int:
        """Inputs finished, whichever way (for progress)."""
        return self.ok + self.stored_not_analysed + self.failed

    def exit_code(self) -> int:
        """1 only when every input failed (the CLI's convention)."""
        return 1 if self.failed and not self.ok else 0

    def as_dict(self) -> dict[str, Any]:
        return {"read": self.read, "stored": self.stored, "stored_not_analysed": self.stored_not_analysed,
                "new_versions": self.new_versions, "updated": self.updated, "unchanged": self.unchanged,
                "extracted": self.extracted, "copies": self.copies, "skipped": dict(self.skipped)}


def _ignore(*_: object) -> None:
    return None


@dataclass(frozen=True, slots=True)
class IngestHooks:
    """What a caller hears during a run (the CLI prints and moves its progress bar; a library user may
    log).  ``skipped``: an input that could not be read, analysed or stored; ``not_analysed``: an article
    stored without analysis (another language); ``stored``: an input's article id and what the store did
    with it ("stored", "new-version", "updated", "unchanged": found stored, so not analysed again) — the
    API answers a POST with it; ``progress``: the tally after each input is finished."""

    skipped: Callable[[Skip], None] = _ignore
    not_analysed: Callable[[Article], None] = _ignore
    stored: Callable[[str, PutResult], None] = _ignore
    progress: Callable[[Tally], None] = _ignore


def _local_runner() -> Runner:
    from eventwire.runners.local import LocalRunner

    return LocalRunner()


def ingest_paths(paths: Sequence[str], store: Store, *, runner: Runner | None = None,
                 hooks: IngestHooks | None = None, tally: Tally | None = None) -> Tally:
    """Ingest files and folders (read recursively) into ``store``; the runner reads them (here, or on its
    workers) and analyses what is not stored yet.  Returns the tally (``tally`` if given, updated)."""
    runner = runner or _local_runner()
    hooks = hooks or IngestHooks()
    tally = tally if tally is not None else Tally()
    select = _Selector(store, tally, hooks)
    _store_all(runner.run_paths(paths, select), store, tally, hooks)
    return tally


def ingest_items(items: Iterable[ArticleInput | Skip], store: Store, *, runner: Runner | None = None,
                 hooks: IngestHooks | None = None, tally: Tally | None = None) -> Tally:
    """Ingest inputs read by the caller (`eventwire watch`: fetched feed items) into ``store``."""
    runner = runner or _local_runner()
    hooks = hooks or IngestHooks()
    tally = tally if tally is not None else Tally()
    select = _Selector(store, tally, hooks)
    _store_all(runner.run(select(items)), store, tally, hooks)
    return tally


class _Selector:
    """Count read skips; drop inputs stored already (or seen earlier in this run), as they are."""

    def __init__(self, store: Store, tally: Tally, hooks: IngestHooks) -> None:
        self.store, self.tally, self.hooks = store, tally, hooks
        self.seen: set[str] = set()

    def __call__(self, items: Iterable[ArticleInput | Skip]) -> Iterator[ArticleInput]:
        tally = self.tally
        for item in items:
            if isinstance(item, Skip):
                tally.skipped[item.reason] += 1
                self.hooks.skipped(item)
                self.hooks.progress(tally)
                continue
            tally.read += 1
            digest = content_hash(item.text)
            if digest in self.seen or self.store.unchanged(item):
                tally.unchanged += 1
                self.hooks.stored(digest[:16], "unchanged")  # an article's id: its content hash's first 16
                self.hooks.progress(tally)
                continue
            self.seen.add(digest)
            yield item


def _store_all(results: Iterable[Article | Skip], store: Store, tally: Tally, hooks: IngestHooks) -> None:
    # stories, copies and flags are assigned online as each article is stored (aggregate/online.py); the
    # touched stories' incidents are rebuilt once at the end of the run
    keeper = _story_keeper(store)
    for result in results:
        stored, outcome = _store_one(result, store, tally, hooks)
        if keeper is not None and stored is not None:
            # analysed: put in its story; a new version stored without analysis gets none, but the version
            # it replaced leaves its story all the same
            _assign(keeper, stored, tally, hooks,
                    forget_only=stored.status is AnalysisStatus.SKIPPED and outcome == "new-version")
        hooks.progress(tally)
    if keeper is not None and keeper.touched:
        keeper.finish()


def _story_keeper(store: Store) -> StoryKeeper | None:
    from eventwire.aggregate.online import StoryKeeper
    from eventwire.store import SqlStore

    return StoryKeeper(store) if isinstance(store, SqlStore) else None


def _assign(keeper: StoryKeeper, article: Article, tally: Tally, hooks: IngestHooks, *,
            forget_only: bool = False) -> None:
    """Put a stored article in its story (``forget_only``: only take the versions it superseded out of
    theirs); a failure there is this article's, never the run's."""
    try:
        if forget_only:
            keeper.forget_superseded(article)
            return
        assignment = keeper.add(article)
    except EventwireError as e:
        tally.skipped["story-not-assigned"] += 1
        hooks.skipped(Skip(article.source, "story-not-assigned", str(e)))
        return
    if assignment.duplicate_of is not None:
        tally.copies += 1


def _store_one(result: Article | Skip, store: Store, tally: Tally,
               hooks: IngestHooks) -> tuple[Article | None, str | None]:
    """Store one result; (the article, the store's answer) when it was stored as new or as a new version
    (analysed, or not: ``status`` says), else (None, the answer or None)."""
    if isinstance(result, Skip):
        tally.skipped[result.reason] += 1
        hooks.skipped(result)
        return None, None
    try:
        outcome = store.put(result)
    except RejectedArticle as e:  # this article only; a StoreError about the database stops the run
        tally.skipped["rejected-by-store"] += 1
        hooks.skipped(Skip(result.source, "rejected-by-store", str(e)))
        return None, None
    hooks.stored(result.id, outcome)
    if outcome == "unchanged":
        tally.unchanged += 1
    elif outcome == "updated":
        tally.updated += 1
    else:
        tally.new_versions += outcome == "new-version"
        if result.status is AnalysisStatus.SKIPPED:
            tally.stored_not_analysed += 1
            hooks.not_analysed(result)
            if outcome != "new-version":
                return None, outcome
        else:
            tally.stored += 1
        return result, outcome
    return None, outcome
