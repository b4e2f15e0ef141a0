"""Run the Analyzer on this machine: in-process (workers=1) or in N spawned worker processes.

Workers load the spaCy pipeline once (``Analyzer.setup``) and then take chunks from a queue; results are put
back in input order.  A worker that dies (OOM killer, segfault in a C extension) costs only the chunk it held:
those inputs come back as Skip("worker-crashed") and a fresh worker replaces it.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import multiprocessing as mp
import multiprocessing.connection as mp_connection
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from eventwire.model import Article, ArticleInput, Skip
from eventwire.nlp.analyzer import Analyzer, AnalyzerOptions
from eventwire.readers import read_paths
from eventwire.runners.base import BatchStep, RunStats, Select

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
        self._inline: BatchStep | None = None

    def run(self, items: Iterable[ArticleInput]) -> Iterator[Article | Skip]:
        if self.workers == 1:
            yield from self._run_inline(_chunked(items, self.chunk_size))
        else:
            yield from self._run_pool(_balanced_chunks(items, self.chunk_size, self.workers))

    def run_paths(self, paths: Sequence[str], select: Select) -> Iterator[Article | Skip]:
        """Read ``paths`` here (in this process), analyse what ``select`` keeps."""
        return self.run(select(read_paths(paths)))

    def _run_inline(self, chunks: Iterator[list[ArticleInput]]) -> Iterator[Article | Skip]:
        t0 = time.perf_counter()
        if self._inline is None:  # kept between runs: `eventwire watch` runs once a poll
            self._inline = self.step_factory()
            self._inline.setup()
        analyzer = self._inline
        self.stats.seconds_setup = time.perf_counter() - t0
        for chunk in chunks:
            t1 = time.perf_counter()
            results = analyzer.analyze(chunk)
            self.stats.seconds_processing += time.perf_counter() - t1
            self.stats.articles += len(results)
            yield from results

    def _run_pool(self, chunks: Iterator[list[ArticleInput]]) -> Iterator[Article | Skip]:
        ctx = mp.get_context("spawn")  # fork after torch/thinc threads start can deadlock; spawn is safe
        t0 = time.perf_counter()
        workers = [_Worker.start(ctx, self.step_factory) for _ in range(self.workers)]
        try:
            # Read the first chunks while the workers load their models (~2 s): the parent's first read
            # (language model load ~0.7 s + 32 articles) no longer leaves every worker idle at the start.
            first = list(itertools.islice(chunks, self.workers * _IN_FLIGHT_PER_WORKER))
            chunks = itertools.chain(first, chunks)
            for w in workers:
                w.wait_ready()
            t_ready = time.perf_counter()
            self.stats.seconds_setup = t_ready - t0
            done: dict[int, list[Article | Skip]] = {}
            # A chunk whose worker died is retried one input at a time, so a poison article (one that makes
            # the OOM killer strike) costs only itself: keys are (chunk,) or (chunk, position).
            parts: dict[int, list[list[Article | Skip] | None]] = {}
            retry: collections.deque[tuple[_Key, list[ArticleInput]]] = collections.deque()
            next_out = 0
            counter = itertools.count()
            exhausted = False

            def finish(key: _Key, results: list[Article | Skip]) -> None:
                if len(key) == 1:
                    done[key[0]] = results
                    return
                slots = parts[key[0]]
                slots[key[1]] = results
                if all(x is not None for x in slots):
                    del parts[key[0]]
                    done[key[0]] = [r for x in slots if x is not None for r in x]

            while True:
                # Each worker holds at most _IN_FLIGHT_PER_WORKER chunks, so we always know which inputs a
                # dead worker took with it (a shared task queue would lose that, and can deadlock on a kill).
                for w in workers:
                    while len(w.held) < _IN_FLIGHT_PER_WORKER and (retry or not exhausted):
                        if retry:
                            w.send(*retry.popleft())
                            continue
                        chunk = next(chunks, None)
                        if chunk is None:
                            exhausted = True
                            break
                        w.send((next(counter),), chunk)
                while next_out in done:
                    out = done.pop(next_out)
                    self.stats.articles += len(out)
                    yield from out
                    next_out += 1
                if exhausted and not retry and not any(w.held for w in workers):
                    if not done:
                        break
                    continue
                ready = mp_connection.wait([w.conn for w in workers] + [w.proc.sentinel for w in workers])
                for i, w in enumerate(workers):
                    dead = w.proc.sentinel in ready
                    if w.conn in ready:
                        try:
                            key, results = w.conn.recv()
                            w.held.pop(key, None)
                            finish(key, results)
                        except (EOFError, OSError):
                            dead = True
                    if dead:
                        w.proc.join(5)  # the pipe can close a moment before the process is reaped
                    if not (dead and not w.proc.is_alive()):
                        continue
                    self.stats.worker_crashes += 1
                    # The worker runs its chunks in the order sent: the first it held killed it; the others
                    # never started and go to another worker as they are.
                    held = list(w.held.items())
                    (key, chunk), rest = held[0], held[1:]
                    if len(key) == 1 and len(chunk) > 1:
                        parts[key[0]] = [None] * len(chunk)
                        retry.extendleft(reversed([((key[0], j), [x]) for j, x in enumerate(chunk)]))
                    else:
                        finish(key, [Skip(x.source, "worker-crashed", f"worker exit code {w.proc.exitcode}")
                                     for x in chunk])
                    retry.extend(rest)
                    w.close()
                    workers[i] = _Worker.start(ctx, self.step_factory)
                    workers[i].wait_ready()
            self.stats.seconds_processing = time.perf_counter() - t_ready
        finally:
            for w in workers:
                w.close()


_Key = tuple[int, ...]


class _Worker:
    """One worker process and the pipe to it, with the chunks it holds (in the order sent)."""

    def __init__(self, proc: BaseProcess, conn: Connection) -> None:
        self.proc = proc
        self.conn = conn
        self.held: dict[_Key, list[ArticleInput]] = {}

    @classmethod
    def start(cls, ctx: Any, step_factory: Callable[[], BatchStep]) -> _Worker:
        parent, child = ctx.Pipe(duplex=True)
        proc: BaseProcess = ctx.Process(target=_worker, args=(step_factory, child), daemon=True)
        proc.start()
        child.close()
        return cls(proc, parent)

    def wait_ready(self) -> None:
        try:
            msg = self.conn.recv()
        except EOFError as e:
            raise RuntimeError(f"worker died while loading (exit code {self.proc.exitcode})") from e
        if msg[0] != "ready":
            raise RuntimeError(f"worker failed to start: {msg[1]}")

    def send(self, key: _Key, chunk: list[ArticleInput]) -> None:
        self.held[key] = chunk
        # A worker that died since the last wait (the chunk before killed it) has closed its end: the write
        # fails with a broken pipe.  The chunk stays held, the death shows on the next wait, and everything
        # the worker held is retried there: a dying worker must cost only its own input, never the batch
        # (CI saw the BrokenPipeError escape when a send raced the crash).
        with contextlib.suppress(OSError):
            self.conn.send((key, chunk))

    def close(self) -> None:
        if self.proc.is_alive():
            with contextlib.suppress(OSError):
                self.conn.send(None)
            self.proc.join(timeout=10)
            if self.proc.is_alive():
                self.proc.kill()
        self.conn.close()


def _worker(step_factory: Callable[[], BatchStep], conn: Connection) -> None:
    try:
        analyzer = step_factory()
        analyzer.setup()
    except Exception as e:
        conn.send(("error", f"{type(e).__name__}: {e}"))
        return
    conn.send(("ready", ""))
    while True:
        task = conn.recv()
        if task is None:
            return
        key, chunk = task
        conn.send((key, analyzer.analyze(chunk)))


def _chunked(items: Iterable[ArticleInput], size: int) -> Iterator[list[ArticleInput]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _balanced_chunks(items: Iterable[ArticleInput], size: int, workers: int) -> Iterator[list[ArticleInput]]:
    """Chunks of ``size``, except near the end of the input, where they shrink down to ``size // 4``.

    Every worker holds up to _IN_FLIGHT_PER_WORKER chunks, so when the input runs out one worker can still
    have a whole chunk queued while the others are idle: with 16 articles of ~0.19 s CPU each, up to ~3 s of
    one core at the end of every run.  Reading ``workers * _IN_FLIGHT_PER_WORKER + 1`` chunks ahead tells us
    where the end is; from there each chunk takes 1/(2 x chunks in flight) of what is left (at least
    ``size // 4``), so the last ones are small and whichever worker is free takes them.
    """
    it = iter(items)
    small = max(1, size // 4)
    ahead: collections.deque[ArticleInput] = collections.deque()
    lookahead = (workers * _IN_FLIGHT_PER_WORKER + 1) * size
    exhausted = False
    while True:
        if not exhausted:
            need = lookahead - len(ahead)
            got = list(itertools.islice(it, need))
            ahead.extend(got)
            exhausted = len(got) < need
        if not ahead:
            return
        n = size if not exhausted else max(small, -(-len(ahead) // (2 * workers * _IN_FLIGHT_PER_WORKER)))
        yield [ahead.popleft() for _ in range(min(n, len(ahead)))]
