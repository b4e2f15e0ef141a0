"""Run the Analyzer on this machine: in-process (workers=1) or in N spawned worker processes.

Workers load the spaCy pipeline once (``Analyzer.setup``) and then take chunks from a queue; results are put
back in input order.  A worker that dies (OOM killer, segfault in a C extension) costs only the chunk it held:
those inputs come back as Skip("worker-crashed") and a fresh worker replaces it.
"""

from __future__ import annotations

import itertools
import os
import multiprocessing as mp
import queue
import time
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from multiprocessing.process import BaseProcess
from typing import Any

from eventwire.model import Article, ArticleInput, Skip
from eventwire.nlp.analyzer import Analyzer, AnalyzerOptions
from eventwire.runners.base import BatchStep, RunStats

__all__ = ["LocalRunner"]

# 2 chunks in flight per worker keeps every core busy while the parent reorders, and bounds memory to
# ~2 x workers x chunk_size articles however long the input stream is.
_IN_FLIGHT_PER_WORKER = 2


class LocalRunner:
    """The default runner."""

    def __init__(self, options: AnalyzerOptions | None = None, *, workers: int = 1, chunk_size: int = 16,
                 step_factory: Callable[[], BatchStep] | None = None) -> None:
        self.options = options or AnalyzerOptions()
        # A picklable factory (module-level callable or partial): each worker builds its own step with it.
        self.step_factory: Callable[[], BatchStep] = step_factory or partial(Analyzer, self.options)
        self.workers = max(1, workers)
        self.chunk_size = max(1, chunk_size)
        self.stats = RunStats(workers=self.workers)

    def run(self, items: Iterable[ArticleInput]) -> Iterator[Article | Skip]:
        chunks = _chunked(items, self.chunk_size)
        if self.workers == 1:
            yield from self._run_inline(chunks)
        else:
            yield from self._run_pool(chunks)

    def _run_inline(self, chunks: Iterator[list[ArticleInput]]) -> Iterator[Article | Skip]:
        t0 = time.perf_counter()
        analyzer = self.step_factory()
        analyzer.setup()
        self.stats.seconds_setup = time.perf_counter() - t0
        for chunk in chunks:
            t1 = time.perf_counter()
            results = analyzer.analyze(chunk)
            self.stats.seconds_processing += time.perf_counter() - t1
            self.stats.articles += len(results)
            yield from results

    def _run_pool(self, chunks: Iterator[list[ArticleInput]]) -> Iterator[Article | Skip]:
        ctx = mp.get_context("spawn")  # fork after torch/thinc threads start can deadlock; spawn is safe
        tasks: Any = ctx.Queue()
        results: Any = ctx.Queue()
        t0 = time.perf_counter()
        procs: list[BaseProcess] = [self._start(ctx, tasks, results) for _ in range(self.workers)]
        ready = 0
        try:
            while ready < self.workers:
                kind, *_ = results.get()
                if kind == "ready":
                    ready += 1
                elif kind == "error":
                    raise RuntimeError(f"worker failed to start: {_[1]}")
            t_ready = time.perf_counter()
            self.stats.seconds_setup = t_ready - t0
            sent: dict[int, list[ArticleInput]] = {}  # chunk index -> inputs, until its result arrives
            started: dict[int, int] = {}  # chunk index -> pid of the worker that took it
            done: dict[int, list[Article | Skip]] = {}
            next_out = 0
            exhausted = False
            counter = itertools.count()
            while True:
                while not exhausted and len(sent) < self.workers * _IN_FLIGHT_PER_WORKER:
                    chunk = next(chunks, None)
                    if chunk is None:
                        exhausted = True
                        break
                    idx = next(counter)
                    sent[idx] = chunk
                    tasks.put((idx, chunk))
                while next_out in done:
                    out = done.pop(next_out)
                    self.stats.articles += len(out)
                    yield from out
                    next_out += 1
                if exhausted and not sent:
                    break
                try:
                    msg = results.get(timeout=1.0)
                except queue.Empty:
                    procs = self._replace_dead(ctx, procs, tasks, results, sent, started, done)
                    continue
                if msg[0] == "start":
                    started[msg[1]] = msg[2]
                elif msg[0] == "done":
                    idx = msg[1]
                    sent.pop(idx, None)
                    started.pop(idx, None)
                    done[idx] = msg[2]
            self.stats.seconds_processing = time.perf_counter() - t_ready
        finally:
            for _ in procs:
                tasks.put(None)
            for p in procs:
                p.join(timeout=10)
                if p.is_alive():
                    p.kill()

    def _start(self, ctx: Any, tasks: Any, results: Any) -> BaseProcess:
        p: BaseProcess = ctx.Process(target=_worker, args=(self.step_factory, tasks, results), daemon=True)
        p.start()
        return p

    def _replace_dead(self, ctx: Any, procs: list[BaseProcess], tasks: Any, results: Any,
                      sent: dict[int, list[ArticleInput]], started: dict[int, int],
                      done: dict[int, list[Article | Skip]]) -> list[BaseProcess]:
        alive = []
        for p in procs:
            if p.is_alive():
                alive.append(p)
                continue
            self.stats.worker_crashes += 1
            for idx, pid in list(started.items()):
                if pid == p.pid:
                    done[idx] = [Skip(x.source, "worker-crashed", f"worker exit code {p.exitcode}")
                                 for x in sent.pop(idx)]
                    del started[idx]
            alive.append(self._start(ctx, tasks, results))
        return alive


def _worker(step_factory: Callable[[], BatchStep], tasks: Any, results: Any) -> None:
    try:
        analyzer = step_factory()
        analyzer.setup()
    except Exception as e:  # noqa: BLE001 - reported to the parent, which raises
        results.put(("error", 0, f"{type(e).__name__}: {e}"))
        return
    results.put(("ready", 0))
    while True:
        task = tasks.get()
        if task is None:
            return
        idx, chunk = task
        results.put(("start", idx, os.getpid()))
        results.put(("done", idx, analyzer.analyze(chunk)))


def _chunked(items: Iterable[ArticleInput], size: int) -> Iterator[list[ArticleInput]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk
