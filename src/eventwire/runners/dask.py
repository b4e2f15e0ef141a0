"""Run the analysis on a Dask cluster: ``--scheduler tcp://HOST:PORT`` (an existing one) or ``local``.

dask and distributed are imported in this module only, and only when a runner connects (the ``dask``
extra: ``pip install 'eventwire[dask]'``).  Workers read their work units (runners/units.py) from a
filesystem they share with the driver, analyse them with a step set up once per worker thread, and return
compact records (pickled, zlib level 1); the driver is the one writer that stores them (ingest.py), so
SQLite works.  Units are selected (skip what is stored) and results handed on in input order, as the local
runner does, so a source's later version always supersedes its earlier one.

A worker that dies loses only the tasks it held: the scheduler runs them again on another worker (up to
distributed's ``allowed-failures``, 3 by default).  A task that still fails is retried one input at a
time, and an input that fails then is run once more alone on the cluster, so a poison article costs only
itself (Skip "worker-crashed"), as in runners/local.py.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import ctypes.util
import hashlib
import importlib.util
import logging
import os
import pickle
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from types import TracebackType
from typing import Any, Self

from eventwire.errors import ConfigError
from eventwire.model import Article, ArticleInput, Skip
from eventwire.runners.base import BatchStep, RunStats, Select
from eventwire.runners.units import WorkUnit, split_units

__all__ = ["DaskRunner", "WorkerSample"]

# Chunks of inputs handed to run() (no units: `extract`, `watch`): as LocalRunner's chunk_size.
_CHUNK = 16
# Units submitted but not yet handed on, per worker thread: 4 keeps every worker busy while the driver
# selects and stores, and bounds the driver's memory however long the input.
_WINDOW_PER_THREAD = 4
_CONNECT_TIMEOUT_S = 30
# The worker plugin that pauses distributed's statistical profiler while this runner is connected.
_QUIET_PLUGIN = "eventwire-quiet-profiler"


class CannotRead(Exception):
    """A worker cannot open a unit's file: it does not share the driver's filesystem."""


@dataclass(frozen=True, slots=True)
class WorkerSample:
    """After a task: which worker process, its resident memory, and the articles it had analysed."""

    worker: str
    articles: int
    rss_bytes: int


@dataclass(frozen=True, slots=True)
class _Analysed:
    payload: bytes  # zlib(pickle(list[Article | Skip]))
    cpu_seconds: float
    setup_seconds: float
    sample: WorkerSample


# -- on the workers ---------------------------------------------------------------------------------------

# One step per worker process, shared by its threads under a lock: a spaCy pipeline is not documented as
# thread-safe, and each costs ~400 MB; run workers with --nthreads 1 (one process per core) for parallelism.
_steps: dict[str, tuple[BatchStep, threading.Lock]] = {}
_steps_lock = threading.Lock()
_done = 0  # articles this worker process analysed


def _step(factory: Callable[[], BatchStep]) -> tuple[BatchStep, threading.Lock, float]:
    """This process's step built by ``factory`` (set up on first use), its lock, and the seconds setup took
    now (0 when it was set up before)."""
    key = repr(factory)
    with _steps_lock:
        if key in _steps:
            return (*_steps[key], 0.0)
        t0 = time.perf_counter()
        if not _steps:
            _undo_eager_trim()
        step = factory()
        step.setup()
        _steps[key] = (step, threading.Lock())
        return (*_steps[key], time.perf_counter() - t0)


def setup_worker(factory: Callable[[], BatchStep]) -> float:
    """Set the step up on this worker ahead of its first task (``Client.run``); seconds it took."""
    return _step(factory)[2]


def _load_libc() -> Any:
    """glibc, or None where there is none (macOS, musl): then memory is left to the platform."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    # glibc has both; musl and macOS do not
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


_libc = _load_libc()

# glibc's mallopt parameters (malloc.h) and the values a worker sets: the highest that glibc's own dynamic
# thresholds reach (mmap threshold at most HEAP_MAX/2 = 32 MiB on 64-bit, trim threshold twice that).
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_MMAP_THRESHOLD = 32 << 20
_TRIM_THRESHOLD = 64 << 20


def _undo_eager_trim() -> None:
    """Give this worker process glibc's thresholds back from the nanny's ``MALLOC_TRIM_THRESHOLD_=65536``.

    distributed's nanny starts workers with that variable (``distributed.nanny.pre-spawn-environ``) so that
    they hand freed memory back at once; glibc then shrinks the heap whenever 64 KiB at its top are free and
    faults the pages in again on the next allocation: ~9,500 page faults and ~25 ms of system CPU per
    article (against ~480 and ~4 ms without it; one process, 96 articles, alternated runs).  Over 20,000
    articles the Dask workers had spent a quarter more CPU per article than local ones; with this, the
    same (0.244 s against 0.239, DEVELOPERS.md).  The variable also turns glibc's dynamic thresholds off,
    so both are set here to the highest values the dynamic ones reach; memory goes back to the system after
    each task instead (``_release_free_memory``), which is what keeps a worker's memory flat.
    """
    if _libc is not None:
        _libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)
        _libc.mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD)


def _release_free_memory() -> None:
    """Hand the heap pages freed by a task back to the system (glibc's ``malloc_trim``).

    Dask runs tasks in a thread pool, and glibc gives such a thread its own arena, whose freed pages it
    keeps: the Analyzer run on 32-article batches in a pool thread grew from 450 to 687 MiB over 384
    articles, and to 370 MiB from 366 with a trim after each batch (MALLOC_ARENA_MAX=2: 617 MiB).  In a
    LocalCluster worker over its first ~400 articles: 361 -> 379 MiB without, 359 -> 369 MiB with it.
    """
    if _libc is not None:
        _libc.malloc_trim(0)


def _quiet_profiler_plugin() -> Any:
    """A WorkerPlugin (defined on first use: distributed is imported only here) that stops distributed's
    statistical profiler on every worker, present or joining later, and drops what it kept; ``teardown``
    (when the runner closes and unregisters it) starts it again.

    The profiler samples each thread's stack every 10 ms and keeps one tree per 1-second cycle, up to
    ``distributed.admin.low-level-log-length`` (1,000) cycles, per task prefix as well: a worker analysing
    articles grew linearly for the whole 15 minutes measured, 328 -> 389 MiB (+18 %) over 1,200 articles
    (LocalCluster, 1 worker, 2 loaded cores), and 328 -> 331 MiB (+0.9 %) over 600 with the profiler off.
    MALLOC_ARENA_MAX=1 changed nothing there (329 -> 388 MiB): not glibc's arenas.
    """
    base: Any = _distributed().WorkerPlugin

    class QuietProfiler(base):  # type: ignore[misc]
        name = _QUIET_PLUGIN
        idempotent = True

        def setup(self, worker: Any) -> None:
            # Taken out of periodic_callbacks, not only stopped: a worker joining later runs its plugins'
            # setup before it starts its periodic callbacks, which would start them again.
            self.paused = {key: worker.periodic_callbacks.pop(key) for key in ("profile", "profile-cycle")
                           if key in worker.periodic_callbacks}
            for callback in self.paused.values():
                callback.stop()
            worker.profile_history.clear()
            worker.profile_keys_history.clear()
            worker.profile_keys.clear()

        def teardown(self, worker: Any) -> None:
            for key, callback in getattr(self, "paused", {}).items():
                worker.periodic_callbacks[key] = callback
                callback.start()

    return QuietProfiler()


def _rss() -> int:
    """Resident bytes of this process (Linux /proc; 0 elsewhere: the numbers are for the benchmark)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def read_unit(unit: WorkUnit) -> list[ArticleInput | Skip]:
    """A unit's inputs and read skips (task run on a worker)."""
    missing = unit.missing()
    if missing:
        raise CannotRead(missing[0])
    return list(unit.read())


def analyse(factory: Callable[[], BatchStep], inputs: Sequence[ArticleInput]) -> _Analysed:
    """Analyse ``inputs`` with this worker's step (task run on a worker)."""
    global _done
    step, lock, setup = _step(factory)
    with lock:
        t0 = time.thread_time()
        results = step.analyze(inputs)
        cpu = time.thread_time() - t0
        _done += len(inputs)
        done = _done
        _release_free_memory()
    sample = WorkerSample(f"{os.uname().nodename}:{os.getpid()}", done, _rss())
    return _Analysed(zlib.compress(pickle.dumps(results, protocol=5), 1), cpu, setup, sample)


# -- on the driver ----------------------------------------------------------------------------------------

def _distributed() -> Any:
    """The ``distributed`` module, imported on first use (typed Any: it is only partly annotated)."""
    return importlib.import_module("distributed")


def _default_factory() -> Callable[[], BatchStep]:
    from eventwire.nlp.analyzer import Analyzer, AnalyzerOptions

    return partial(Analyzer, AnalyzerOptions())


@dataclass
class _Unit:
    """A job's progress: its read, then its inputs in parts (one part, or one per input after a failure)."""

    name: str
    read: list[ArticleInput | Skip] | None = None
    inputs: dict[tuple[int, ...], list[ArticleInput]] = field(default_factory=dict)
    results: dict[tuple[int, ...], list[Article | Skip]] = field(default_factory=dict)
    selected: bool = False
    alone: set[tuple[int, ...]] = field(default_factory=set)  # parts run again alone after a crash

    def finished(self) -> bool:
        return self.selected and len(self.results) == len(self.inputs)

    def output(self) -> list[Article | Skip]:
        return [r for key in sorted(self.results) for r in self.results[key]]


class DaskRunner:
    """Analyse on a Dask cluster; the scheduler is ``"local"`` (a LocalCluster of ``workers`` processes on
    this machine) or an address (``tcp://host:8786``) of one started with ``dask scheduler``."""

    def __init__(self, scheduler: str, *, workers: int = 2,
                 step_factory: Callable[[], BatchStep] | None = None, window: int | None = None,
                 connect_timeout_s: float = _CONNECT_TIMEOUT_S, profile: bool = False) -> None:
        self.scheduler = scheduler
        self.workers = max(1, workers)
        self.step_factory = step_factory or _default_factory()
        self.window = window
        self.connect_timeout_s = connect_timeout_s
        # False: distributed's statistical profiler (the dashboard's Profile page) is paused on the workers
        # while this runner is connected, so their memory stays flat (_quiet_profiler_plugin)
        self.profile = profile
        self.stats = RunStats(workers=self.workers)
        self.samples: list[WorkerSample] = []
        self._suspects: collections.deque[tuple[int, tuple[int, ...]]] = collections.deque()
        self._client: Any = None
        self._cluster: Any = None

    # -- connection --

    def __enter__(self) -> Self:
        self.connect()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def connect(self) -> Any:
        """The Dask client (connecting, or starting the LocalCluster, on first use)."""
        if self._client is not None:
            return self._client
        try:
            distributed = _distributed()
        except ImportError as e:
            raise ConfigError("--scheduler needs Dask: pip install 'eventwire[dask]' "
                              "(or `make install`, which includes it)") from e
        if self.scheduler == "local":
            # ":0": any free port (8787 may be another cluster's); its pages need bokeh (dashboard_link)
            self._cluster = distributed.LocalCluster(n_workers=self.workers, threads_per_worker=1,
                                                     processes=True, dashboard_address=":0",
                                                     silence_logs=logging.ERROR)
            self._client = distributed.Client(self._cluster)
        else:
            try:
                self._client = distributed.Client(self.scheduler, timeout=self.connect_timeout_s)
            except (OSError, TimeoutError, ValueError) as e:
                raise ConfigError(f"cannot reach the Dask scheduler at {self.scheduler} ({e}); start one "
                                  f"with `dask scheduler` and workers with `dask worker ADDRESS "
                                  f"--nthreads 1`, or use --scheduler local") from e
        if not self.profile:
            self._client.register_plugin(_quiet_profiler_plugin())
        threads = sum(self._client.nthreads().values())
        self.stats.workers = threads or self.workers
        # Load the model on every worker now (~2 s, in parallel), as the local runner does before its clock
        # starts; a worker that joins later loads it in its first task.
        t0 = time.perf_counter()
        self._client.run(setup_worker, self.step_factory)
        self.stats.seconds_setup = time.perf_counter() - t0
        return self._client

    @property
    def dashboard_link(self) -> str | None:
        """The dashboard's URL when the scheduler runs one, else None.  Without bokeh its pages only say
        that bokeh is needed: for a LocalCluster we know whether it is installed here."""
        client = self.connect()
        if self._cluster is not None and importlib.util.find_spec("bokeh") is None:
            return None
        info = client.scheduler_info()
        if "dashboard" not in info.get("services", {}):
            return None
        return str(client.dashboard_link)

    def close(self) -> None:
        if self._client is not None:
            if not self.profile and self._cluster is None:  # a cluster that outlives us: its profiler back
                with contextlib.suppress(Exception):  # a scheduler already gone has nothing to restore
                    self._client.unregister_worker_plugin(_QUIET_PLUGIN)
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    # -- the Runner seam --

    def run(self, items: Iterable[ArticleInput]) -> Iterator[Article | Skip]:
        """Analyse ``items`` (read here) on the cluster; results in input order."""
        it = iter(items)

        def chunks() -> Iterator[list[ArticleInput]]:
            while chunk := [x for _, x in zip(range(_CHUNK), it, strict=False)]:
                yield chunk

        return self._drive(chunks(), lambda xs: (x for x in xs if isinstance(x, ArticleInput)))

    def run_paths(self, paths: Sequence[str], select: Select) -> Iterator[Article | Skip]:
        """Split ``paths`` into units, read them on the workers, keep what ``select`` keeps (here, in input
        order), analyse that on the workers; results in input order."""
        return self._drive(split_units(paths), select)

    def _drive(self, jobs: Iterator[WorkUnit | Skip | list[ArticleInput]],
               select: Select) -> Iterator[Article | Skip]:
        client = self.connect()
        window = self.window or _WINDOW_PER_THREAD * max(1, self.stats.workers)
        ac = _distributed().as_completed()
        owner: dict[str, tuple[int, tuple[int, ...] | None]] = {}  # task key -> (job, part; None = read)
        units: dict[int, _Unit] = {}
        submitted = next_select = next_out = 0
        exhausted = False
        t0 = time.perf_counter()

        def submit_analyse(seq: int, part: tuple[int, ...], inputs: list[ArticleInput]) -> None:
            unit = units[seq]
            unit.inputs[part] = inputs
            alone = "-alone" if part in unit.alone else ""
            # The inputs' digest is in the key: a rerun's driver selects fewer inputs of a unit, and must not
            # be handed a result the scheduler still holds for a dead driver's task of the same name.
            key = f"analyse-{unit.name}-{'.'.join(map(str, part))}-{_digest(inputs)}{alone}"
            future = client.submit(analyse, self.step_factory, inputs, key=key, pure=False)
            owner[future.key] = (seq, part)
            ac.add(future)

        while True:
            while not exhausted and submitted - next_out < window:
                job = next(jobs, None)
                if job is None:
                    exhausted = True
                    break
                seq = submitted
                submitted += 1
                if isinstance(job, WorkUnit):
                    units[seq] = _Unit(f"{job.id}-{seq}")
                    future = client.submit(read_unit, job, key=f"read-{job.id}-{seq}", pure=False)
                    owner[future.key] = (seq, None)
                    ac.add(future)
                else:
                    read: list[ArticleInput | Skip] = [job] if isinstance(job, Skip) else list(job)
                    units[seq] = _Unit(_digest(job) + f"-{seq}", read=read)
            while next_select < submitted and units[next_select].read is not None:
                unit = units[next_select]
                chosen = list(select(unit.read or []))
                unit.read, unit.selected = [], True
                if chosen:
                    submit_analyse(next_select, (0,), chosen)
                next_select += 1
            while next_out < submitted and units[next_out].finished():
                out = units.pop(next_out).output()
                self.stats.articles += len(out)
                yield from out
                next_out += 1
            if exhausted and next_out == submitted:
                break
            if not owner and self._suspects:
                # Alone on the cluster, a suspect that kills its worker again is the one to blame.
                suspect, suspect_part = self._suspects.popleft()
                units[suspect].alone.add(suspect_part)
                submit_analyse(suspect, suspect_part, units[suspect].inputs[suspect_part])
            future = next(ac)
            seq, task_part = owner.pop(future.key)
            self._collect(future, units[seq], seq, task_part, submit_analyse)
        self.stats.seconds_processing = time.perf_counter() - t0

    def _collect(self, future: Any, unit: _Unit, seq: int, part: tuple[int, ...] | None,
                 submit_analyse: Callable[[int, tuple[int, ...], list[ArticleInput]], None]) -> None:
        """Take one finished task's result into its unit (retrying a failed analysis input by input)."""
        if future.status != "error":
            result = future.result()
            future.release()
            if part is None:
                unit.read = result
                return
            assert isinstance(result, _Analysed)
            unit.results[part] = pickle.loads(zlib.decompress(result.payload))
            self.stats.extra["cpu_seconds"] = self.stats.extra.get("cpu_seconds", 0.0) + result.cpu_seconds
            # a worker that joined mid-run loaded its model in this task
            extra = self.stats.extra
            extra["setup_in_tasks"] = extra.get("setup_in_tasks", 0.0) + result.setup_seconds
            self.samples.append(result.sample)
            return
        error = future.exception()
        future.release()
        crashed = isinstance(error, _distributed().KilledWorker)
        if crashed:
            self.stats.worker_crashes += 1
        if part is None:
            if isinstance(error, CannotRead):
                raise ConfigError(f"a Dask worker cannot read {error}: with --scheduler, inputs must be on a "
                                  f"filesystem every worker reaches, at the same path")
            reason = "worker-crashed" if crashed else "reader-error"
            unit.read = [Skip(unit.name, reason, f"{type(error).__name__}: {error}"[:200])]
            return
        inputs = unit.inputs[part]
        if len(inputs) > 1:
            del unit.inputs[part]
            for j, item in enumerate(inputs):
                submit_analyse(seq, (*part, j), [item])
            return
        if crashed and part not in unit.alone:
            # The scheduler blames every task the dead worker held, so a bystander queued behind the
            # poison article can fail with it: run each such input once more, alone.
            self._suspects.append((seq, part))
            return
        reason = "worker-crashed" if crashed else "analysis-error"
        unit.results[part] = [Skip(inputs[0].source, reason, f"{type(error).__name__}: {error}"[:200])]


def _digest(job: Skip | list[ArticleInput]) -> str:
    """A short hash of what a job holds (sources and texts)."""
    h = hashlib.sha256()
    for x in [job] if isinstance(job, Skip) else job:
        h.update(x.source.encode("utf-8", "surrogatepass") + b"\0")
        if isinstance(x, ArticleInput):
            h.update(x.text.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()[:12]

