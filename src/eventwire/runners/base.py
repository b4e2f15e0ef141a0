"""The Runner seam: how batches of ArticleInputs reach the Analyzer (in-process, process pool, cluster)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from eventwire.model import Article, ArticleInput, Skip

__all__ = ["BatchStep", "RunStats", "Runner", "Select"]

# What to analyse of what was read, called by the runner on the driver in input order (ingest.py: count
# read skips, drop what the store holds already).
Select = Callable[[Iterable[ArticleInput | Skip]], Iterator[ArticleInput]]


class BatchStep(Protocol):
    """One step of work: ``setup()`` once per worker (load models), then ``analyze()`` batches."""

    def setup(self) -> object: ...

    def analyze(self, inputs: Sequence[ArticleInput]) -> list[Article | Skip]: ...


@dataclass(slots=True)
class RunStats:
    """What a run measured: articles analysed and seconds spent after every worker had loaded its model."""

    articles: int = 0
    seconds_processing: float = 0.0
    seconds_setup: float = 0.0
    workers: int = 1
    worker_crashes: int = 0
    extra: dict[str, float] = field(default_factory=dict)


class Runner(Protocol):
    """Analyse a stream of inputs; yield one Article or Skip per input, in input order.

    ``run_paths`` also reads: where the runner likes (here, or on its workers, units.py), handing what was
    read to ``select`` here, in input order, and analysing what it keeps.
    """

    stats: RunStats

    def run(self, items: Iterable[ArticleInput]) -> Iterator[Article | Skip]: ...

    def run_paths(self, paths: Sequence[str], select: Select) -> Iterator[Article | Skip]: ...
